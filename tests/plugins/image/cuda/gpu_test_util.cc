#include "plugins/image/cuda/gpu_test_util.h"

#include <catch2/catch.hpp>

#include <memory>

namespace sluice::test {

image::ImageBatchView batch_view(const std::vector<uint8_t>& pixels, int64_t count,
                                 const cv::Mat& like) {
  return image::ImageBatchView{pixels.data(), count, like.rows, like.cols, like.channels()};
}

image::Gpu& gpu() {
  static const std::unique_ptr<image::Gpu> g = [] {
    Expected<std::unique_ptr<image::Gpu>> opened = image::open_gpu();
    INFO(opened.status().message());
    REQUIRE(opened.ok());
    return std::move(*opened);
  }();
  return *g;
}

}  // namespace sluice::test
