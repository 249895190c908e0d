// [cuda] The normalize kernel (plugins/image/cuda/normalize_kernel.cu) against the CPU path
// (to_chw_float) on the photos, as one batch and per image, with ImageNet's mean/std, with none
// (to_tensor), and for 1 and 4 channels: max |diff| <= 1e-5. The kernel applies the same factors
// without a contracted multiply-add, so the difference is expected to be 0; it is printed.
#include "image/tensor_layout.h"
#include "plugins/image/cuda/gpu_test_util.h"
#include "support/cuda_device.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <iostream>

namespace img = sluice::image;

namespace {

// Max |GPU - CPU| over the batch `images` (one size and type).
double max_difference(const std::vector<cv::Mat>& images, const std::vector<float>& mean,
                      const std::vector<float>& std) {
  const cv::Mat& like = images.at(0);
  const int c = like.channels();
  const size_t values = like.total() * c;
  const std::vector<uint8_t> pixels = sluice::test::stack(images);
  std::vector<float> scale(c), shift(c);
  img::chw_coefficients(mean, std, c, scale.data(), shift.data());
  std::vector<float> got(values * images.size());
  const sluice::Status s = sluice::test::gpu().to_chw_float(
      sluice::test::batch_view(pixels, static_cast<int64_t>(images.size()), like), scale.data(),
      shift.data(), got.data());
  INFO(s.message());
  REQUIRE(s.ok());
  std::vector<float> want(values);
  double worst = 0;
  for (size_t i = 0; i < images.size(); ++i) {
    img::to_chw_float(images[i], mean, std, want.data());
    for (size_t k = 0; k < values; ++k) {
      worst = std::max(worst, static_cast<double>(std::fabs(got[i * values + k] - want[k])));
    }
  }
  return worst;
}

}  // namespace

TEST_CASE("GPU normalize matches the CPU path within 1e-5 on the photos", "[cuda][image]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  const std::vector<float> mean = {0.485f, 0.456f, 0.406f}, std = {0.229f, 0.224f, 0.225f};
  const cv::Mat china = sluice::test::photo("china.jpg"),
                flower = sluice::test::photo("flower.jpg");
  REQUIRE(china.size() == flower.size());
  cv::Mat gray;
  cv::cvtColor(china, gray, cv::COLOR_BGR2GRAY);
  double worst = 0;
  for (double d :
       {max_difference({china, flower}, mean, std), max_difference({flower}, mean, std),
        max_difference({china, flower, china}, {}, {}), max_difference({gray}, {0.5f}, {0.25f}),
        max_difference({sluice::test::photo("chicky_512.png")}, {0.1f, 0.2f, 0.3f, 0.4f},
                       {0.5f, 0.6f, 0.7f, 0.8f})}) {
    CHECK(d <= 1e-5);
    worst = std::max(worst, d);
  }
  std::cout << "GPU normalize vs CPU, photos: max |diff| " << worst << "\n";
}
