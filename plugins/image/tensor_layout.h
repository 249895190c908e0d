// uint8 HWC images to float32 CHW tensors, as torchvision's ToTensor then Normalize. Pure; safe
// from any thread.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

namespace sluice::image {

// dst: (C, H, W) float32, C * H * W values: dst[c][y][x] = (src[y][x][c] / 255 - mean[c]) / std[c]
// (computed as src * (1 / (255 std)) - mean / std). mean and std hold C values, or are empty for
// plain scaling to [0, 1]. src: (H, W, C) CV_8U, any stride.
void to_chw_float(const cv::Mat& src, const std::vector<float>& mean, const std::vector<float>& std,
                  float* dst);

// The per-channel factors to_chw_float applies, dst = src * scale[c] + shift[c]: scale =
// 1 / (255 std), shift = -mean / std (1 / 255 and 0 when mean and std are empty). The GPU path
// (image/cuda/normalize_kernel.cu) applies the same ones.
void chw_coefficients(const std::vector<float>& mean, const std::vector<float>& std, int channels,
                      float* scale, float* shift);

}  // namespace sluice::image
