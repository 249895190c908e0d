// Affine warps with torchvision's tensor semantics (F.affine, F.rotate): the transform is about the
// image centre ((W - 1) / 2, (H - 1) / 2) in pixel-index coordinates, output pixels outside the
// source take `fill`, and the output has the input's size unless another is given (F.rotate's
// expand: the output's centre maps to the input's). Pure; safe from any thread.
#pragma once

#include <opencv2/core.hpp>

namespace sluice::image {

// As torchvision F.affine's arguments: angle in degrees clockwise, translation in pixels (+x right,
// +y down), scale, shear angles in degrees (x, then y).
struct AffineParams {
  double angle = 0.0;
  double translate_x = 0.0, translate_y = 0.0;
  double scale = 1.0;
  double shear_x = 0.0, shear_y = 0.0;
};

// The 2x3 matrix mapping pixel indices of an output of `out` size to source pixel indices.
cv::Matx23d inverse_affine_matrix(const AffineParams& p, cv::Size src, cv::Size out);

// The size that holds the whole warped image, as torchvision's _compute_affine_output_size for
// F.rotate(expand=True): the bounding box of the transformed corners, its edges rounded outwards
// after truncating them to 1e-4 (so 90 degrees gives exactly the swapped size). Translation is
// not part of it, as in torchvision.
cv::Size expanded_size(const AffineParams& p, cv::Size src);

// nearest (bilinear = false) or bilinear sampling; with bilinear, pixels near the edge blend with
// `fill` as torchvision's grid_sample with a fill mask does (image * mask + (1 - mask) * fill).
// OpenCV quantises source coordinates to 1/32 pixel, so bilinear values may differ by 1-2. src: (H,
// W, C) CV_8U; out: (out_size or src's size, C).
cv::Mat warp_affine(const cv::Mat& src, const AffineParams& p, bool bilinear,
                    const cv::Scalar& fill, cv::Size out_size = {});

// F.rotate(angle): counter-clockwise degrees, i.e. F.affine with -angle.
inline AffineParams rotation(double degrees_ccw) {
  AffineParams p;
  p.angle = -degrees_ccw;
  return p;
}

}  // namespace sluice::image
