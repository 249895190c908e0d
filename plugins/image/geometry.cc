#include "image/geometry.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace sluice::image {

Expected<Interpolation> parse_interpolation(std::string_view name) {
  if (name == "nearest") return Interpolation::kNearest;
  if (name == "bilinear") return Interpolation::kBilinear;
  if (name == "bicubic") return Interpolation::kBicubic;
  if (name == "area") return Interpolation::kArea;
  if (name == "lanczos") return Interpolation::kLanczos;
  return Status::Invalid("unknown interpolation '" + std::string(name) +
                         "' (expected nearest, bilinear, bicubic, area or lanczos)");
}

std::optional<ResampleFilter> resample_filter(Interpolation interpolation) {
  switch (interpolation) {
    case Interpolation::kBilinear:
      return ResampleFilter::kTriangle;
    case Interpolation::kBicubic:
      return ResampleFilter::kCubic;
    case Interpolation::kLanczos:
      return ResampleFilter::kLanczos3;
    default:
      return std::nullopt;
  }
}

cv::Mat resize_image(const cv::Mat& src, int width, int height, Interpolation interpolation,
                     bool antialias) {
  if (antialias) {
    if (const std::optional<ResampleFilter> f = resample_filter(interpolation)) {
      return resample(src, width, height, *f);
    }
  }
  int flag = cv::INTER_LINEAR;
  switch (interpolation) {
    case Interpolation::kNearest:
      flag = cv::INTER_NEAREST;
      break;
    case Interpolation::kBilinear:
      flag = cv::INTER_LINEAR;
      break;
    case Interpolation::kBicubic:
      flag = cv::INTER_CUBIC;
      break;
    case Interpolation::kArea:
      flag = cv::INTER_AREA;
      break;
    case Interpolation::kLanczos:
      flag = cv::INTER_LANCZOS4;
      break;
  }
  cv::Mat out;
  cv::resize(src, out, cv::Size(width, height), 0, 0, flag);
  return out;
}

Expected<cv::Size> checked_size(OutputSize size) {
  if (size.width > kMaxSide || size.height > kMaxSide || size.width * size.height > kMaxArea) {
    return Status::BadRecord(
        "expected an output of at most 65536 pixels a side and 2^28 in all, "
        "found " +
        std::to_string(size.width) + " x " + std::to_string(size.height));
  }
  return cv::Size(static_cast<int>(size.width), static_cast<int>(size.height));
}

OutputSize shorter_side_size(cv::Size src, int64_t shorter, int64_t max_size) {
  const bool wide = src.width >= src.height;
  const int64_t s = wide ? src.height : src.width;
  const int64_t l = wide ? src.width : src.height;
  int64_t new_s = shorter;
  // Past kMaxSide (int64 holds up to 2^63) checked_size refuses it whatever the exact value.
  auto whole = [](double v) { return static_cast<int64_t>(std::min(v, 0x1p62)); };
  int64_t new_l = whole(static_cast<double>(shorter) * static_cast<double>(l) / s);
  if (max_size > 0 && new_l > max_size) {
    new_s = whole(static_cast<double>(max_size) * static_cast<double>(new_s) / new_l);
    new_l = max_size;
  }
  return wide ? OutputSize{new_l, new_s} : OutputSize{new_s, new_l};
}

Box center_crop_box(int image_h, int image_w, int crop_h, int crop_w) {
  auto offset = [](int in, int out) {
    if (out > in) return -((out - in) / 2);
    return static_cast<int>(std::nearbyint((in - out) / 2.0));  // half to even, as Python
  };
  return Box{offset(image_h, crop_h), offset(image_w, crop_w), crop_h, crop_w};
}

cv::Mat crop(const cv::Mat& src, const Box& box, const cv::Scalar& fill) {
  const cv::Rect want(box.left, box.top, box.width, box.height);
  const cv::Rect inside = want & cv::Rect(0, 0, src.cols, src.rows);
  if (inside == want) return src(want);
  cv::Mat out(box.height, box.width, src.type(), fill);
  if (!inside.empty()) {
    src(inside).copyTo(
        out(cv::Rect(inside.x - box.left, inside.y - box.top, inside.width, inside.height)));
  }
  return out;
}

Expected<PadMode> parse_pad_mode(std::string_view name) {
  if (name == "constant") return PadMode::kConstant;
  if (name == "edge") return PadMode::kEdge;
  if (name == "reflect") return PadMode::kReflect;
  if (name == "symmetric") return PadMode::kSymmetric;
  return Status::Invalid("unknown padding mode '" + std::string(name) +
                         "' (expected constant, edge, reflect or symmetric)");
}

cv::Mat pad(const cv::Mat& src, int left, int top, int right, int bottom, PadMode mode,
            const cv::Scalar& fill) {
  int border = cv::BORDER_CONSTANT;
  switch (mode) {
    case PadMode::kConstant:
      border = cv::BORDER_CONSTANT;
      break;
    case PadMode::kEdge:
      border = cv::BORDER_REPLICATE;
      break;
    case PadMode::kReflect:
      border = cv::BORDER_REFLECT_101;
      break;
    case PadMode::kSymmetric:
      border = cv::BORDER_REFLECT;
      break;
  }
  cv::Mat out;
  cv::copyMakeBorder(src, out, top, bottom, left, right, border, fill);
  return out;
}

cv::Mat flip(const cv::Mat& src, bool horizontal, bool vertical) {
  if (!horizontal && !vertical) return src;
  cv::Mat out;
  cv::flip(src, out, horizontal && vertical ? -1 : horizontal ? 1 : 0);
  return out;
}

}  // namespace sluice::image
