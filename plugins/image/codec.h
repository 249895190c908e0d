// Decoding and encoding images with OpenCV's codecs (libjpeg-turbo, libpng, libwebp, libtiff).
// Pure functions over bytes and cv::Mat; safe from any thread.
#pragma once

#include "image/image_header.h"

#include <sluice/status.hpp>

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::image {

enum class ColorMode {
  kRgb,        // 3 channels, R G B
  kBgr,        // 3 channels, B G R (OpenCV's order)
  kGray,       // 1 channel (the codec's own conversion, e.g. libjpeg's for JPEG)
  kUnchanged,  // as stored: 1, 2, 3 (B G R) or 4 (B G R A) channels, 8 or 16 bits
};

struct DecodeOptions {
  ColorMode mode = ColorMode::kRgb;
  int64_t max_pixels = int64_t{1} << 28;  // width * height from the header, before decoding
  int reduce = 1;                         // 1, 2, 4 or 8: decode at 1/reduce scale
  int target_size = 0;  // > 0: the largest reduce keeping both sides >= target_size
};

// The scale divisor decode_image uses for an image with header `h`: options.reduce, or with
// target_size the largest of 2, 4, 8 for which ceil(side / f) >= target_size on both sides (1 when
// none). Reduction needs mode rgb, bgr or gray.
int reduce_factor(const ImageHeader& h, const DecodeOptions& options);

// BAD_RECORD unless width * height <= max_pixels.
Status check_size(const ImageHeader& h, int64_t max_pixels);

// Decodes `bytes` (not copied). Contract: the header is read first (read_image_header) and the
// image rejected when width * height > max_pixels, before any pixel buffer exists; a JPEG without
// its end-of-image marker is rejected as truncated; anything the codec refuses (bad checksum,
// cut-off data) is rejected. Errors are BAD_RECORD saying why, without naming the input (the
// caller knows it). Colour and grey modes ignore EXIF orientation, as PIL and torchvision do.
// A reduced image is ceil(w / f) x ceil(h / f): a JPEG decoded so by libjpeg's scaled DCT, other
// formats decoded fully and shrunk by OpenCV's area interpolation.
// out: (H, W, C) continuous, CV_8U (CV_16U possible with kUnchanged).
Expected<cv::Mat> decode_image(std::string_view bytes, const DecodeOptions& options);

enum class EncodeFormat { kJpeg, kPng };

// Encodes a CV_8U image of 1, 3 or 4 channels; `rgb` says that 3/4-channel input is R G B (A)
// (swapped to OpenCV's B G R for the codec). quality: JPEG 0..100; PNG compression 0..9.
Expected<std::string> encode_image(const cv::Mat& image, EncodeFormat format, int quality,
                                   bool rgb);

}  // namespace sluice::image
