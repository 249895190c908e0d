// Helpers of the [cuda] image tests: the photos (../shared/data/image/photos) decoded, images
// stacked into one batch buffer, and the GPU opened once per process.
#pragma once

#include "image/gpu.h"

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace sluice::test {

// The photo `name` decoded as stored (RGB(A) order is not needed here: both paths see the same
// bytes); fails when missing.
cv::Mat photo(const std::string& name);

// `images` (one size and type) one after another, as a (B, H, W, C) tensor holds them.
std::vector<uint8_t> stack(const std::vector<cv::Mat>& images);

image::ImageBatchView batch_view(const std::vector<uint8_t>& pixels, int64_t count,
                                 const cv::Mat& like);

// The Gpu of the tests; call after SLUICE_REQUIRE_CUDA_DEVICE (fails when it does not open).
image::Gpu& gpu();

}  // namespace sluice::test
