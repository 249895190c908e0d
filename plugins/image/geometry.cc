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

cv::Size shorter_side_size(cv::Size src, int shorter, int max_size) {
  const bool wide = src.width >= src.height;
  const int s = wide ? src.height : src.width;
  const int l = wide ? src.width : src.height;
  int new_s = shorter;
  int new_l = static_cast<int>(static_cast<double>(shorter) * l / s);
  if (max_size > 0 && new_l > max_size) {
    new_s = static_cast<int>(static_cast<double>(max_size) * new_s / new_l);
    new_l = max_size;
  }
  return wide ? cv::Size(new_l, new_s) : cv::Size(new_s, new_l);
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
