// Helpers of the [cuda] image tests (besides image_test_util.h's photo and stack): a batch view of
// stacked images, and the GPU opened once per process.
#pragma once

#include "image/gpu.h"
#include "plugins/image/image_test_util.h"

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace sluice::test {

image::ImageBatchView batch_view(const std::vector<uint8_t>& pixels, int64_t count,
                                 const cv::Mat& like);

// The Gpu of the tests; call after SLUICE_REQUIRE_CUDA_DEVICE (fails when it does not open).
image::Gpu& gpu();

}  // namespace sluice::test
