// [cuda] The resize kernel (plugins/image/cuda/resize_kernel.cu) against the CPU path
// (resize_image) on the photos: every interpolation the GPU runs, down and up, 1, 3 and 4
// channels, one image and batches: max |diff| <= 1 on 0-255. The kernel sums in resample()'s
// order without contracted multiply-adds, so the difference is expected to be 0; the measured
// maximum is printed.
#include "image/geometry.h"
#include "image/resize_plan.h"
#include "plugins/image/cuda/gpu_test_util.h"
#include "plugins/image/image_test_util.h"
#include "support/cuda_device.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include <iostream>

namespace img = sluice::image;
using sluice::test::batch_view;
using sluice::test::gpu;
using sluice::test::photo;
using sluice::test::pixel_diff;

namespace {

// The GPU's resize of the `count` images in `pixels` (each like `like`) to `out`.
std::vector<cv::Mat> gpu_resize(const std::vector<uint8_t>& pixels, int64_t count,
                                const cv::Mat& like, cv::Size out, img::Interpolation interp) {
  const img::ResizePlan plan = img::make_resize_plan(like.size(), out, interp);
  std::vector<uint8_t> dst(static_cast<size_t>(count) * out.area() * like.channels());
  const sluice::Status s = gpu().resize(batch_view(pixels, count, like), plan, dst.data());
  INFO(s.message());
  REQUIRE(s.ok());
  std::vector<cv::Mat> images;
  for (int64_t i = 0; i < count; ++i) {
    images.push_back(cv::Mat(out, like.type(),
                             dst.data() + static_cast<size_t>(i) * out.area() * like.channels())
                         .clone());
  }
  return images;
}

const char* name_of(img::Interpolation i) {
  switch (i) {
    case img::Interpolation::kNearest:
      return "nearest";
    case img::Interpolation::kBilinear:
      return "bilinear";
    case img::Interpolation::kBicubic:
      return "bicubic";
    case img::Interpolation::kLanczos:
      return "lanczos";
    default:
      return "?";
  }
}

}  // namespace

TEST_CASE("GPU resize matches the CPU path within 1 on the photos", "[cuda][image]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  cv::Mat gray;
  cv::cvtColor(photo("china.jpg"), gray, cv::COLOR_BGR2GRAY);
  const std::vector<std::pair<std::string, cv::Mat>> photos = {
      {"china.jpg", photo("china.jpg")},
      {"flower.jpg", photo("flower.jpg")},
      {"starry_night.jpg", photo("starry_night.jpg")},
      {"chicky_512.png (4 channels)", photo("chicky_512.png")},
      {"china.jpg (gray)", gray}};
  int worst = 0;
  for (const auto& [name, src] : photos) {
    for (img::Interpolation interp : {img::Interpolation::kNearest, img::Interpolation::kBilinear,
                                      img::Interpolation::kBicubic, img::Interpolation::kLanczos}) {
      for (cv::Size out :
           {cv::Size(224, 224), cv::Size(61, 37), cv::Size(src.cols / 2, src.rows / 2),
            cv::Size(1000, 700), cv::Size(src.cols, 31)}) {
        INFO(name << " " << name_of(interp) << " -> " << out.width << "x" << out.height);
        const std::vector<uint8_t> pixels = sluice::test::stack({src});
        const cv::Mat got = gpu_resize(pixels, 1, src, out, interp).at(0);
        const cv::Mat want = img::resize_image(src, out.width, out.height, interp, true);
        const auto d = pixel_diff(got, want);
        INFO("max " << d.max_abs << ", mean " << d.mean_abs);
        CHECK(d.max_abs <= 1);
        worst = std::max(worst, d.max_abs);
      }
    }
  }
  std::cout << "GPU resize vs CPU, photos: max |diff| " << worst << " (of 255)\n";
}

TEST_CASE("GPU resize of a batch is its images resized one by one", "[cuda][image]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  const cv::Mat china = photo("china.jpg");
  std::vector<cv::Mat> crops;
  for (int i = 0; i < 7; ++i) crops.push_back(china(cv::Rect(i * 40, i * 25, 333, 222)).clone());
  const std::vector<uint8_t> pixels = sluice::test::stack(crops);
  for (img::Interpolation interp : {img::Interpolation::kNearest, img::Interpolation::kBilinear}) {
    const std::vector<cv::Mat> got =
        gpu_resize(pixels, static_cast<int64_t>(crops.size()), crops[0], {160, 107}, interp);
    for (size_t i = 0; i < crops.size(); ++i) {
      INFO(name_of(interp) << " image " << i);
      const cv::Mat want = img::resize_image(crops[i], 160, 107, interp, true);
      CHECK(pixel_diff(got[i], want).max_abs <= 1);
    }
  }
}

TEST_CASE("GPU resize refuses a plan made for another size", "[cuda][image]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  const cv::Mat src = photo("flower.jpg");
  const std::vector<uint8_t> pixels = sluice::test::stack({src});
  const img::ResizePlan plan =
      img::make_resize_plan({src.cols + 1, src.rows}, {20, 20}, img::Interpolation::kBilinear);
  std::vector<uint8_t> dst(20 * 20 * 3);
  const sluice::Status s = gpu().resize(batch_view(pixels, 1, src), plan, dst.data());
  CHECK(s.code() == SLUICE_INTERNAL);
  CHECK_THAT(s.message(), Catch::Contains("GPU resize: a plan for 641x427 -> 20x20 given a "
                                          "640x427 image"));
}
