#include "image/resize_plan.h"

#include <algorithm>
#include <cmath>

namespace sluice::image {
namespace {

// cv::resize INTER_NEAREST's source index per output index (resizeNN in OpenCV's resize.cpp).
Taps nearest_taps(int in, int out) {
  Taps t;
  t.width = 1;
  t.start.resize(out);
  t.weight.assign(out, 1.0f);
  const double inverse_scale = 1.0 / (static_cast<double>(out) / in);
  for (int i = 0; i < out; ++i) {
    t.start[i] = std::min(static_cast<int>(std::floor(i * inverse_scale)), in - 1);
  }
  return t;
}

}  // namespace

bool gpu_resizes(Interpolation interpolation, bool antialias) {
  return interpolation == Interpolation::kNearest ||
         (antialias && resample_filter(interpolation).has_value());
}

ResizePlan make_resize_plan(cv::Size in, cv::Size out, Interpolation interpolation) {
  ResizePlan p{in, out, {}, {}};
  if (interpolation == Interpolation::kNearest) {
    p.x = nearest_taps(in.width, out.width);
    p.y = nearest_taps(in.height, out.height);
  } else {
    const ResampleFilter f = *resample_filter(interpolation);
    p.x = make_taps(in.width, 0, in.width, out.width, f);
    p.y = make_taps(in.height, 0, in.height, out.height, f);
  }
  return p;
}

std::shared_ptr<const ResizePlan> ResizePlanCache::get(cv::Size in, cv::Size out) {
  const Key key{{in.width, in.height}, {out.width, out.height}};
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = plans_.find(key);
    if (it != plans_.end()) return it->second;
  }
  auto plan = std::make_shared<const ResizePlan>(make_resize_plan(in, out, interpolation_));
  std::lock_guard<std::mutex> lock(mu_);
  if (plans_.size() >= kMaxPlans) plans_.clear();
  plans_.emplace(key, plan);
  return plan;
}

}  // namespace sluice::image
