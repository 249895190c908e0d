#include "image/sampling.h"

#include <algorithm>
#include <cmath>

namespace sluice::image {

double uniform(core::Rng& rng, double lo, double hi) {
  return lo + (hi - lo) * core::unit_interval(rng.next());
}

core::Rng record_rng(uint64_t record_seed, uint64_t node_seed) {
  return core::Rng(core::mix64(record_seed ^ core::mix64(node_seed)));
}

Box sample_resized_crop(core::Rng& rng, int height, int width, std::array<double, 2> scale,
                        std::array<double, 2> ratio) {
  const double area = static_cast<double>(height) * width;
  const double log_lo = std::log(ratio[0]), log_hi = std::log(ratio[1]);
  for (int attempt = 0; attempt < 10; ++attempt) {
    const double target = area * uniform(rng, scale[0], scale[1]);
    const double aspect = std::exp(uniform(rng, log_lo, log_hi));
    const int w = static_cast<int>(std::nearbyint(std::sqrt(target * aspect)));
    const int h = static_cast<int>(std::nearbyint(std::sqrt(target / aspect)));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      const int top = static_cast<int>(rng.below(static_cast<uint64_t>(height - h) + 1));
      const int left = static_cast<int>(rng.below(static_cast<uint64_t>(width - w) + 1));
      return Box{top, left, h, w};
    }
  }
  const double in_ratio = static_cast<double>(width) / height;
  int w = width, h = height;
  if (in_ratio < ratio[0]) {
    h = static_cast<int>(std::nearbyint(w / ratio[0]));
  } else if (in_ratio > ratio[1]) {
    w = static_cast<int>(std::nearbyint(h * ratio[1]));
  }
  return Box{(height - h) / 2, (width - w) / 2, h, w};
}

Box sample_crop(core::Rng& rng, int height, int width, int crop_h, int crop_w) {
  if (height == crop_h && width == crop_w) return Box{0, 0, crop_h, crop_w};
  const int top = static_cast<int>(rng.below(static_cast<uint64_t>(height - crop_h) + 1));
  const int left = static_cast<int>(rng.below(static_cast<uint64_t>(width - crop_w) + 1));
  return Box{top, left, crop_h, crop_w};
}

AffineParams sample_affine(core::Rng& rng, int height, int width, std::array<double, 2> degrees,
                           const std::vector<double>& translate, const std::vector<double>& scale,
                           const std::vector<double>& shear) {
  AffineParams p;
  p.angle = uniform(rng, degrees[0], degrees[1]);
  if (translate.size() == 2) {
    const double dx = translate[0] * width, dy = translate[1] * height;
    p.translate_x = std::nearbyint(uniform(rng, -dx, dx));
    p.translate_y = std::nearbyint(uniform(rng, -dy, dy));
  }
  if (scale.size() == 2) p.scale = uniform(rng, scale[0], scale[1]);
  if (shear.size() >= 2) p.shear_x = uniform(rng, shear[0], shear[1]);
  if (shear.size() == 4) p.shear_y = uniform(rng, shear[2], shear[3]);
  return p;
}

std::array<int, 4> sample_order(core::Rng& rng) {
  std::array<int, 4> order{0, 1, 2, 3};
  for (int i = 3; i > 0; --i) std::swap(order[i], order[rng.below(static_cast<uint64_t>(i) + 1)]);
  return order;
}

}  // namespace sluice::image
