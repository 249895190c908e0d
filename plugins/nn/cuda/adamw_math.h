// AdamW's per-value update (nn/cuda/adamw_kernel.cu), for the device and the host: the constants
// and the order of float operations of Optimizer::step for kind adamw (nn/optimizer.cc, PyTorch's
// torch.optim.AdamW), so that the host and the device (no contracted multiply-adds, correctly
// rounded / and sqrt) give its values bit for bit:
//   w ← w · (1 - lr · wd);  m ← β1 m + (1 - β1) g;  v ← β2 v + (1 - β2) g²;
//   w ← w - lr / (1 - β1^t) · m / (sqrt(v) / sqrt(1 - β2^t) + eps)
#pragma once

#include "common/cuda/host_device.h"

#include <cmath>
#include <cstdint>

namespace sluice::nn::cuda_kernels {

using ::sluice::cuda::add_rn;
using ::sluice::cuda::div_rn;
using ::sluice::cuda::mul_rn;
using ::sluice::cuda::sqrt_rn;

// The constants of one update, the same for every value.
struct AdamWStep {
  float b1, b2, one_b1, one_b2;
  float step_size;   // lr / (1 - β1^t)
  float bias2_sqrt;  // sqrt(1 - β2^t)
  float eps;
  float shrink;  // 1 - lr · wd
};

// The constants of update number `step` (1 for the first) at learning rate `lr`, computed as
// Optimizer::step does (bias corrections in double, then rounded to float).
inline AdamWStep adamw_step(double lr, double beta1, double beta2, double eps, double weight_decay,
                            int64_t step) {
  const double bias1 = 1.0 - std::pow(beta1, static_cast<double>(step));
  const double bias2 = 1.0 - std::pow(beta2, static_cast<double>(step));
  const auto b1 = static_cast<float>(beta1), b2 = static_cast<float>(beta2);
  const auto flr = static_cast<float>(lr), wd = static_cast<float>(weight_decay);
  return {b1,
          b2,
          1.0f - b1,
          1.0f - b2,
          static_cast<float>(lr / bias1),
          static_cast<float>(std::sqrt(bias2)),
          static_cast<float>(eps),
          1.0f - flr * wd};
}

// One value's update from its gradient g: w, m (first moment) and v (second moment) in place.
SLUICE_HOST_DEVICE inline void adamw_update(const AdamWStep& c, float g, float& w, float& m,
                                            float& v) {
  w = mul_rn(w, c.shrink);
  m = add_rn(mul_rn(c.b1, m), mul_rn(c.one_b1, g));
  v = add_rn(mul_rn(c.b2, v), mul_rn(mul_rn(c.one_b2, g), g));
  const float denom = add_rn(div_rn(sqrt_rn(v), c.bias2_sqrt), c.eps);
  w = add_rn(w, -mul_rn(c.step_size, div_rn(m, denom)));
}

}  // namespace sluice::nn::cuda_kernels
