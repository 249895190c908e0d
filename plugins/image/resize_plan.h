// What the GPU resize computes for one input and output size: taps along x and y, applied by the
// kernel (image/cuda/resize_kernel.cu) as resample() applies them, so the pixels are the CPU
// path's. Made on the host, once per pair of sizes (ResizePlanCache). Pure; safe from any thread.
//
// Nearest is taps of width 1 and weight 1 at cv::resize's INTER_NEAREST source index (what the
// CPU path calls): min(floor(dst * (1 / (out / in))), in - 1). Bilinear, bicubic and lanczos with
// antialias are make_taps over the whole image, as resample(). Area, and the filters without
// antialias (OpenCV's fixed-point kernels), stay on the CPU.
#pragma once

#include "image/geometry.h"
#include "image/resample_taps.h"

#include <opencv2/core.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <utility>

namespace sluice::image {

struct ResizePlan {
  cv::Size in, out;
  Taps x, y;  // x: out.width samples over in.width, y: out.height over in.height

  // The input rows the y taps read: [row_lo(), row_lo() + rows()).
  int row_lo() const { return y.start.front(); }
  int rows() const { return y.start.back() + y.width - row_lo(); }
};

// Whether the GPU resize computes `interpolation` with `antialias` as the CPU path does.
bool gpu_resizes(Interpolation interpolation, bool antialias);

// in -> out (both non-empty) for nearest or, with antialias, the filter of `interpolation`: one
// for which gpu_resizes holds.
ResizePlan make_resize_plan(cv::Size in, cv::Size out, Interpolation interpolation);

// The plans of one op (one interpolation), by input and output size; keeps at most kMaxPlans
// (then starts over). Thread-safe.
class ResizePlanCache {
 public:
  static constexpr size_t kMaxPlans = 64;
  explicit ResizePlanCache(Interpolation interpolation) : interpolation_(interpolation) {}
  std::shared_ptr<const ResizePlan> get(cv::Size in, cv::Size out);

 private:
  using Key = std::pair<std::pair<int, int>, std::pair<int, int>>;
  Interpolation interpolation_;
  std::mutex mu_;
  std::map<Key, std::shared_ptr<const ResizePlan>> plans_;
};

}  // namespace sluice::image
