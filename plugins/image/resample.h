// Antialiased separable resampling, as PIL's Image.resize and torchvision's tensor resize with
// antialias=True define it: each output sample is the filter-weighted mean of the input samples
// under the filter stretched by the downscale factor (never narrower than the unit filter), with
// weights normalised over the part of the window inside the image. Intermediate values stay float;
// the output is rounded to nearest and clamped. Pure; safe from any thread.
#pragma once

#include <opencv2/core.hpp>

namespace sluice::image {

enum class ResampleFilter {
  kTriangle,  // bilinear, support 1
  kCubic,     // bicubic with a = -0.5 (PIL's and torch's antialiased bicubic), support 2
  kLanczos3,  // sinc(x) sinc(x/3), support 3 (PIL's LANCZOS)
};

// The filter's half-width in input pixels at scale 1 (stretched by the downscale factor).
double filter_support(ResampleFilter filter);

// src: (H, W, C) CV_8U, any stride (a ROI works); out: (out_h, out_w, C) CV_8U, continuous.
cv::Mat resample(const cv::Mat& src, int out_w, int out_h, ResampleFilter filter);

// The same over the sub-pixel window `box` of src (x, y, width, height in pixels, inside src), as
// PIL's Image.resize with `box`: the filter reads pixels of src around the box too.
cv::Mat resample(const cv::Mat& src, const cv::Rect2d& box, int out_w, int out_h,
                 ResampleFilter filter);

}  // namespace sluice::image
