// Resizing, cropping, padding and flipping HWC images (cv::Mat, CV_8U, any channel count), with
// torchvision's size and rounding rules. Pure functions; safe from any thread. A returned Mat may
// share the input's pixels (a crop inside the image is a view); copy before writing into it.
#pragma once

#include "image/resample.h"

#include <sluice/status.hpp>

#include <opencv2/core.hpp>

#include <optional>
#include <string_view>

namespace sluice::image {

enum class Interpolation { kNearest, kBilinear, kBicubic, kArea, kLanczos };

// "nearest", "bilinear", "bicubic", "area" or "lanczos"; INVALID_ARGUMENT otherwise.
Expected<Interpolation> parse_interpolation(std::string_view name);

// The antialiased filter resize_image uses for `interpolation` (bilinear, bicubic, lanczos).
std::optional<ResampleFilter> resample_filter(Interpolation interpolation);

// out: (height, width, C). nearest: floor(dst * in / out), as torch's "nearest". bilinear and
// bicubic: with antialias the PIL/torchvision antialiased filters (resample.h; bicubic a = -0.5),
// without it OpenCV's (half-pixel centres, bicubic a = -0.75, as torch with antialias=False).
// area: OpenCV's pixel-area mean. lanczos: with antialias PIL's Lanczos-3, without it OpenCV's
// Lanczos-4.
cv::Mat resize_image(const cv::Mat& src, int width, int height, Interpolation interpolation,
                     bool antialias);

// The largest image an op's sizes may ask for: 2^16 pixels a side (OpenCV's sizes are int) and
// 2^28 pixels in all (image.decode's default max_pixels). Size params are bounded by kMaxSide in
// their schemas; sizes worked out from an image (a kept aspect) are checked by checked_size.
constexpr int64_t kMaxSide = int64_t{1} << 16;
constexpr int64_t kMaxArea = int64_t{1} << 28;

// An output size worked out from params and an input's size, in int64 so that no product or
// ratio wraps before checked_size looks at it.
struct OutputSize {
  int64_t width = 0, height = 0;
};
// `size` as a cv::Size; BAD_RECORD (expected, found width x height) when a side is above
// kMaxSide or the area above kMaxArea.
Expected<cv::Size> checked_size(OutputSize size);

// torchvision Resize(size) with an int: the shorter side becomes `shorter`, the longer
// int(shorter * long / short); with max_size > 0 the longer side is capped at it and the shorter
// scaled down the same way.
OutputSize shorter_side_size(cv::Size src, int64_t shorter, int64_t max_size);

// A crop rectangle in the image's pixel grid; it may reach outside (padding).
struct Box {
  int top, left, height, width;
};

// torchvision center_crop: top = round((H - h) / 2) with Python's round-half-to-even, left
// likewise; a crop larger than the image is centred with the extra (odd pixel at the bottom or
// right) outside it, top = -((h - H) / 2).
Box center_crop_box(int image_h, int image_w, int crop_h, int crop_w);

// The pixels of `box`; parts outside the image are `fill`. A view of src when inside.
cv::Mat crop(const cv::Mat& src, const Box& box, const cv::Scalar& fill);

enum class PadMode {
  kConstant,   // fill
  kEdge,       // repeat the edge pixel
  kReflect,    // mirror without repeating the edge (torch "reflect")
  kSymmetric,  // mirror repeating the edge
};
Expected<PadMode> parse_pad_mode(std::string_view name);

cv::Mat pad(const cv::Mat& src, int left, int top, int right, int bottom, PadMode mode,
            const cv::Scalar& fill);

// Mirrors left-right and/or top-bottom (a copy; src itself when neither).
cv::Mat flip(const cv::Mat& src, bool horizontal, bool vertical);

}  // namespace sluice::image
