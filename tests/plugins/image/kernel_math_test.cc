// The CUDA kernels' per-value arithmetic (plugins/image/cuda/*_math.h) run on the CPU over the
// photos, against the CPU path: the same taps, indexing and rounding as resample() and
// to_chw_float, without a device. (The [cuda] tests run the kernels themselves.)
#include "image/cuda/normalize_math.h"
#include "image/cuda/resize_math.h"
#include "image/geometry.h"
#include "image/resize_plan.h"
#include "image/tensor_layout.h"
#include "plugins/image/image_test_util.h"
#include "support/paths.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <vector>

namespace img = sluice::image;
namespace k = sluice::image::cuda_kernels;
using sluice::test::photo;
using sluice::test::stack;

namespace {

// The `count` images of `pixels` (each like `like`) resized to `out` with the kernel's
// arithmetic, as one batch.
std::vector<cv::Mat> resize_as_kernel(const std::vector<uint8_t>& pixels, int64_t count,
                                      const cv::Mat& like, cv::Size out,
                                      img::Interpolation interp) {
  const img::ResizePlan plan = img::make_resize_plan(like.size(), out, interp);
  k::ResizeArgs a;
  a.in = pixels.data();
  a.count = count;
  a.in_h = like.rows;
  a.in_w = like.cols;
  a.channels = like.channels();
  a.x_start = plan.x.start.data();
  a.x_weight = plan.x.weight.data();
  a.x_width = plan.x.width;
  a.out_w = out.width;
  a.y_start = plan.y.start.data();
  a.y_weight = plan.y.weight.data();
  a.y_width = plan.y.width;
  a.out_h = out.height;
  a.row_lo = plan.row_lo();
  a.rows = plan.rows();
  std::vector<float> tmp(a.tmp_size());
  std::vector<uint8_t> dst(a.out_size());
  a.tmp = tmp.data();
  a.out = dst.data();
  for (int64_t i = 0; i < a.tmp_size(); ++i) tmp[i] = k::resize_row_value(a, i);
  for (int64_t i = 0; i < a.out_size(); ++i) dst[i] = k::resize_column_value(a, i);
  std::vector<cv::Mat> images;
  const size_t bytes = static_cast<size_t>(out.area()) * like.channels();
  for (int64_t i = 0; i < count; ++i) {
    images.push_back(cv::Mat(out, like.type(), dst.data() + i * bytes).clone());
  }
  return images;
}

}  // namespace

TEST_CASE("the resize kernel's arithmetic gives the CPU path's pixels",
          "[plugins][image][image_gpu]") {
  cv::Mat gray;
  cv::cvtColor(photo("china.jpg"), gray, cv::COLOR_BGR2GRAY);
  const cv::Mat photos[] = {photo("china.jpg"), photo("chicky_512.png"), gray};
  for (const cv::Mat& src : photos) {
    for (img::Interpolation interp : {img::Interpolation::kNearest, img::Interpolation::kBilinear,
                                      img::Interpolation::kBicubic, img::Interpolation::kLanczos}) {
      for (cv::Size out :
           {cv::Size(224, 224), cv::Size(61, 37), cv::Size(900, 700), cv::Size(src.cols, 31)}) {
        INFO(src.cols << "x" << src.rows << "x" << src.channels() << " interpolation "
                      << static_cast<int>(interp) << " -> " << out.width << "x" << out.height);
        const cv::Mat got = resize_as_kernel(stack({src}), 1, src, out, interp).at(0);
        const cv::Mat want = img::resize_image(src, out.width, out.height, interp, true);
        CHECK(sluice::test::pixel_diff(got, want).max_abs == 0);
      }
    }
  }
  // A batch of crops at different places: each is its own image.
  const cv::Mat china = photo("china.jpg");
  std::vector<cv::Mat> crops;
  for (int i = 0; i < 4; ++i) crops.push_back(china(cv::Rect(i * 50, i * 30, 301, 199)).clone());
  const auto got =
      resize_as_kernel(stack(crops), 4, crops[0], {97, 64}, img::Interpolation::kBilinear);
  for (int i = 0; i < 4; ++i) {
    const cv::Mat want = img::resize_image(crops[i], 97, 64, img::Interpolation::kBilinear, true);
    CHECK(sluice::test::pixel_diff(got[i], want).max_abs == 0);
  }
}

TEST_CASE("the normalize kernel's arithmetic gives the CPU path's values",
          "[plugins][image][image_gpu]") {
  const std::vector<cv::Mat> images = {photo("china.jpg"), photo("flower.jpg")};
  const std::vector<uint8_t> pixels = stack(images);
  const std::vector<float> mean = {0.485f, 0.456f, 0.406f}, std = {0.229f, 0.224f, 0.225f};
  float scale[3], shift[3];
  img::chw_coefficients(mean, std, 3, scale, shift);
  k::NormalizeArgs a;
  a.in = pixels.data();
  a.count = 2;
  a.height = images[0].rows;
  a.width = images[0].cols;
  a.channels = 3;
  a.scale = scale;
  a.shift = shift;
  const size_t values = images[0].total() * 3;
  std::vector<float> want(values);
  for (int b = 0; b < 2; ++b) {
    img::to_chw_float(images[b], mean, std, want.data());
    size_t differ = 0;
    for (size_t j = 0; j < values; ++j) {
      if (k::normalize_value(a, b * static_cast<int64_t>(values) + j) != want[j]) ++differ;
    }
    CHECK(differ == 0);
  }
}
