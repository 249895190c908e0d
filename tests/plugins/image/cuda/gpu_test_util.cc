#include "plugins/image/cuda/gpu_test_util.h"

#include "support/paths.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cstring>
#include <memory>

namespace sluice::test {

cv::Mat photo(const std::string& name) {
  const std::string path = shared_data_dir() + "/image/photos/" + name;
  cv::Mat m = cv::imread(path, cv::IMREAD_UNCHANGED);
  INFO(path);
  REQUIRE(!m.empty());
  REQUIRE(m.isContinuous());
  return m;
}

std::vector<uint8_t> stack(const std::vector<cv::Mat>& images) {
  std::vector<uint8_t> out;
  for (const cv::Mat& m : images) {
    const cv::Mat c = m.isContinuous() ? m : m.clone();
    out.insert(out.end(), c.data, c.data + c.total() * c.elemSize());
  }
  return out;
}

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
