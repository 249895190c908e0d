#include "image/warp.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <utility>

namespace sluice::image {
namespace {
double radians(double degrees) { return degrees * M_PI / 180.0; }
}  // namespace

namespace {

// The inverse map's linear part: source offsets from the centre per output offset.
cv::Matx22d inverse_linear(const AffineParams& p) {
  // Forward map in centred coordinates: x' = T + S * R(angle) * Shear * x, with
  // R * Shear = [[a, b], [c, d]]; its inverse is [[d, -b], [-c, a]] / (scale * det), det = 1.
  const double rot = radians(p.angle);
  const double sx = radians(p.shear_x);
  const double sy = radians(p.shear_y);
  const double a = std::cos(rot - sy) / std::cos(sy);
  const double b = -std::cos(rot - sy) * std::tan(sx) / std::cos(sy) - std::sin(rot);
  const double c = std::sin(rot - sy) / std::cos(sy);
  const double d = -std::sin(rot - sy) * std::tan(sx) / std::cos(sy) + std::cos(rot);
  return cv::Matx22d(d / p.scale, -b / p.scale, -c / p.scale, a / p.scale);
}

}  // namespace

cv::Matx23d inverse_affine_matrix(const AffineParams& p, cv::Size src, cv::Size out) {
  const cv::Matx22d m = inverse_linear(p);
  // Centred output coordinates u = x - out_cx; source centred = M * (u - t); source index = that
  // + src_cx.
  const double ux = -(out.width - 1) * 0.5 - p.translate_x;
  const double uy = -(out.height - 1) * 0.5 - p.translate_y;
  const double cx = (src.width - 1) * 0.5, cy = (src.height - 1) * 0.5;
  return cv::Matx23d(m(0, 0), m(0, 1), m(0, 0) * ux + m(0, 1) * uy + cx,  //
                     m(1, 0), m(1, 1), m(1, 0) * ux + m(1, 1) * uy + cy);
}

cv::Size expanded_size(const AffineParams& p, cv::Size src) {
  // torchvision maps the corners (+-w/2, +-h/2) by the inverse matrix's linear part (the
  // bounding box is the same size either way for a rotation) and shifts them by (w/2, h/2).
  const cv::Matx22d m = inverse_linear(p);
  const double hw = src.width * 0.5, hh = src.height * 0.5;
  double lo[2] = {1e300, 1e300}, hi[2] = {-1e300, -1e300};
  for (const auto& [x, y] : {std::pair{-hw, -hh}, {-hw, hh}, {hw, hh}, {hw, -hh}}) {
    const double mapped[2] = {m(0, 0) * x + m(0, 1) * y + hw, m(1, 0) * x + m(1, 1) * y + hh};
    for (int k = 0; k < 2; ++k) {
      lo[k] = std::min(lo[k], mapped[k]);
      hi[k] = std::max(hi[k], mapped[k]);
    }
  }
  constexpr double kTol = 1e-4;
  int size[2];
  for (int k = 0; k < 2; ++k) {
    const double top = std::ceil(std::trunc(hi[k] / kTol) * kTol);
    const double bottom = std::floor(std::trunc(lo[k] / kTol) * kTol);
    size[k] = static_cast<int>(top - bottom);
  }
  return {size[0], size[1]};
}

cv::Mat warp_affine(const cv::Mat& src, const AffineParams& p, bool bilinear,
                    const cv::Scalar& fill, cv::Size out_size) {
  const cv::Size size = out_size.empty() ? src.size() : out_size;
  const cv::Mat m(inverse_affine_matrix(p, src.size(), size));
  cv::Mat out;
  if (!bilinear) {  // torchvision: a pixel whose nearest source is outside is `fill`
    cv::warpAffine(src, out, m, size, cv::INTER_NEAREST | cv::WARP_INVERSE_MAP, cv::BORDER_CONSTANT,
                   fill);
    return out;
  }
  // torchvision samples the image and a ones mask with zero padding, then takes
  // image * mask + (1 - mask) * fill (so edge pixels are weighted by the mask twice).
  cv::Mat image, mask;
  src.convertTo(image, CV_32F);
  const int flags = cv::INTER_LINEAR | cv::WARP_INVERSE_MAP;
  cv::warpAffine(image, image, m, size, flags, cv::BORDER_CONSTANT, cv::Scalar::all(0));
  cv::warpAffine(cv::Mat(src.size(), CV_32F, cv::Scalar(1)), mask, m, size, flags,
                 cv::BORDER_CONSTANT, cv::Scalar(0));
  const int c = src.channels();
  for (int y = 0; y < size.height; ++y) {
    float* px = image.ptr<float>(y);
    const float* w = mask.ptr<float>(y);
    for (int x = 0; x < size.width; ++x) {
      for (int k = 0; k < c; ++k) {
        px[x * c + k] = px[x * c + k] * w[x] + (1.0f - w[x]) * static_cast<float>(fill[k % 4]);
      }
    }
  }
  image.convertTo(out, src.type());  // rounds, as torchvision's cast back to uint8
  return out;
}

}  // namespace sluice::image
