// The optimizers' per-value updates, for the host (nn::Optimizer::step, nn/optimizer.cc) and the
// device (nn/cuda/optimizer_kernel.cu): PyTorch's torch.optim.SGD, Adam and AdamW rules, in the
// order of float operations of its single-tensor path, with no contracted multiply-adds and
// correctly rounded / and sqrt on both sides (common/cuda/host_device.h), so that host and
// device give the same values bit for bit. With g the gradient and t the update's number:
//   sgd:   d ← g + wd·w; with momentum μ: m ← d (first update) or μ·m + (1 - dampening)·d,
//          then d ← d + μ·m (nesterov) or m;  w ← w - lr·d
//   adam:  d ← g + wd·w; m ← β1·m + (1 - β1)·d; v ← β2·v + (1 - β2)·d²;
//          w ← w - lr / (1 - β1^t) · m / (sqrt(v) / sqrt(1 - β2^t) + eps)
//   adamw: w ← w·(1 - lr·wd) first, then adam's update with d ← g
#pragma once

#include "common/cuda/host_device.h"

#include <cstdint>

namespace sluice::nn::cuda_kernels {

using ::sluice::cuda::add_rn;
using ::sluice::cuda::div_rn;
using ::sluice::cuda::mul_rn;
using ::sluice::cuda::sqrt_rn;

enum class UpdateRule : int32_t { kSgd, kAdam, kAdamW };

// The constants of one update, the same for every value of every parameter
// (nn::Optimizer::update_step computes them).
struct UpdateStep {
  UpdateRule rule = UpdateRule::kAdamW;
  float lr = 0;        // sgd
  float wd = 0;        // sgd, adam: the weight decay added to the gradient
  float momentum = 0;  // sgd; 0: no momentum buffer
  float damp = 1;      // sgd: 1 - dampening
  bool first = false;  // sgd: the first update, where the momentum buffer starts as d
  bool nesterov = false;
  float b1 = 0, b2 = 0, one_b1 = 0, one_b2 = 0;  // adam, adamw
  float step_size = 0;                           // lr / (1 - β1^t)
  float bias2_sqrt = 0;                          // sqrt(1 - β2^t)
  float eps = 0;
  float shrink = 1;  // adamw: 1 - lr·wd
};

// SGD's update of one value w from its gradient g; m is its momentum buffer (untouched without
// momentum).
SLUICE_HOST_DEVICE inline void sgd_update(const UpdateStep& c, float g, float& w, float& m) {
  float d = add_rn(g, mul_rn(c.wd, w));
  if (c.momentum != 0.0f) {
    m = c.first ? d : add_rn(mul_rn(c.momentum, m), mul_rn(c.damp, d));
    d = c.nesterov ? add_rn(d, mul_rn(c.momentum, m)) : m;
  }
  w = add_rn(w, -mul_rn(c.lr, d));
}

// Adam's or AdamW's update (c.rule) of one value w from its gradient g, with its moments m, v.
SLUICE_HOST_DEVICE inline void adam_update(const UpdateStep& c, float g, float& w, float& m,
                                           float& v) {
  float d = g;
  if (c.rule == UpdateRule::kAdamW) {
    w = mul_rn(w, c.shrink);
  } else {
    d = add_rn(g, mul_rn(c.wd, w));
  }
  m = add_rn(mul_rn(c.b1, m), mul_rn(c.one_b1, d));
  v = add_rn(mul_rn(c.b2, v), mul_rn(mul_rn(c.one_b2, d), d));
  const float denom = add_rn(div_rn(sqrt_rn(v), c.bias2_sqrt), c.eps);
  w = add_rn(w, -mul_rn(c.step_size, div_rn(m, denom)));
}

}  // namespace sluice::nn::cuda_kernels
