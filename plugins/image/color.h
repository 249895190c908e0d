// Colour adjustments of uint8 RGB images with torchvision's tensor arithmetic (float32, results
// truncated to uint8 as `.to(torch.uint8)` does). src: (H, W, 3) CV_8U in R G B order (hue,
// saturation, contrast and grayscale need 3 channels; brightness takes any). Pure; any thread.
#pragma once

#include <opencv2/core.hpp>

namespace sluice::image {

// clamp(f * x) per value.
cv::Mat adjust_brightness(const cv::Mat& src, float factor);
// Blend with the mean of the grayscale image: clamp(f * x + (1 - f) * mean).
cv::Mat adjust_contrast(const cv::Mat& src, float factor);
// Blend with the per-pixel grayscale: clamp(f * x + (1 - f) * gray).
cv::Mat adjust_saturation(const cv::Mat& src, float factor);
// Shift hue by `shift` turns (-0.5..0.5) in HSV space.
cv::Mat adjust_hue(const cv::Mat& src, float shift);
// ITU-R 601-2 luma, truncated: 0.2989 R + 0.587 G + 0.114 B; out: (H, W, channels), 1 or 3.
cv::Mat to_grayscale(const cv::Mat& src, int channels);

// torchvision gaussian_blur: separable kernel exp(-x^2 / (2 sigma^2)) normalised over
// x = -(k-1)/2 .. (k-1)/2, reflect padding (edge not repeated), result rounded. Odd sizes.
cv::Mat gaussian_blur(const cv::Mat& src, int kernel_w, int kernel_h, double sigma_x,
                      double sigma_y);

}  // namespace sluice::image
