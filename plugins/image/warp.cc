#include "image/warp.h"

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace sluice::image {
namespace {
double radians(double degrees) { return degrees * M_PI / 180.0; }
}  // namespace

cv::Matx23d inverse_affine_matrix(const AffineParams& p, cv::Size size) {
  // Forward map in centred coordinates: x' = T + S * R(angle) * Shear * x, with
  // R * Shear = [[a, b], [c, d]]; its inverse is [[d, -b], [-c, a]] / (scale * det), det = 1.
  const double rot = radians(p.angle);
  const double sx = radians(p.shear_x);
  const double sy = radians(p.shear_y);
  const double a = std::cos(rot - sy) / std::cos(sy);
  const double b = -std::cos(rot - sy) * std::tan(sx) / std::cos(sy) - std::sin(rot);
  const double c = std::sin(rot - sy) / std::cos(sy);
  const double d = -std::sin(rot - sy) * std::tan(sx) / std::cos(sy) + std::cos(rot);
  const double m00 = d / p.scale, m01 = -b / p.scale;
  const double m10 = -c / p.scale, m11 = a / p.scale;
  // Centred output coordinates u = x - cx; source centred = M * (u - t); source index = that + cx.
  const double cx = (size.width - 1) * 0.5, cy = (size.height - 1) * 0.5;
  const double ux = -cx - p.translate_x, uy = -cy - p.translate_y;
  return cv::Matx23d(m00, m01, m00 * ux + m01 * uy + cx,  //
                     m10, m11, m10 * ux + m11 * uy + cy);
}

cv::Mat warp_affine(const cv::Mat& src, const AffineParams& p, bool bilinear,
                    const cv::Scalar& fill) {
  const cv::Mat m(inverse_affine_matrix(p, src.size()));
  cv::Mat out;
  if (!bilinear) {  // torchvision: a pixel whose nearest source is outside is `fill`
    cv::warpAffine(src, out, m, src.size(), cv::INTER_NEAREST | cv::WARP_INVERSE_MAP,
                   cv::BORDER_CONSTANT, fill);
    return out;
  }
  // torchvision samples the image and a ones mask with zero padding, then takes
  // image * mask + (1 - mask) * fill (so edge pixels are weighted by the mask twice).
  cv::Mat image, mask;
  src.convertTo(image, CV_32F);
  const int flags = cv::INTER_LINEAR | cv::WARP_INVERSE_MAP;
  cv::warpAffine(image, image, m, src.size(), flags, cv::BORDER_CONSTANT, cv::Scalar::all(0));
  cv::warpAffine(cv::Mat(src.size(), CV_32F, cv::Scalar(1)), mask, m, src.size(), flags,
                 cv::BORDER_CONSTANT, cv::Scalar(0));
  const int c = src.channels();
  for (int y = 0; y < src.rows; ++y) {
    float* px = image.ptr<float>(y);
    const float* w = mask.ptr<float>(y);
    for (int x = 0; x < src.cols; ++x) {
      for (int k = 0; k < c; ++k) {
        px[x * c + k] = px[x * c + k] * w[x] + (1.0f - w[x]) * static_cast<float>(fill[k % 4]);
      }
    }
  }
  image.convertTo(out, src.type());  // rounds, as torchvision's cast back to uint8
  return out;
}

}  // namespace sluice::image
