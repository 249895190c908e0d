// The windows and weights resample() applies along one axis, which the CUDA resize kernel
// (image/cuda/resize_kernel.cu) applies too, so both give the same pixels. Pure; safe from any
// thread.
#pragma once

#include "image/resample.h"

#include <vector>

namespace sluice::image {

// The input window and normalised weights of every output sample along one axis, all windows the
// same width (the widest; narrower ones padded with zero weights and shifted to stay inside the
// image) so the inner loops have a fixed trip count.
struct Taps {
  int width = 0;              // weights per output sample
  std::vector<int> start;     // first input index per output; start + width <= in
  std::vector<float> weight;  // out * width
};

// Output samples over [lo, hi) of the input (in pixels; the filter may reach past it, not past
// [0, in)).
Taps make_taps(int in, double lo_edge, double hi_edge, int out, ResampleFilter f);

}  // namespace sluice::image
