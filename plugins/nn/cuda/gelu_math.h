// GELU's per-value arithmetic (nn/cuda/gelu_kernel.cu), for the device and the host: the exact erf
// form that nn/kernels/activation.cc computes (nn.GELU()), with its constants and order of float
// operations,
//   y = x Φ(x),  Φ(x) = 0.5 (1 + erf(x / sqrt 2)),
//   dx = dy (Φ(x) + x φ(x)),  φ(x) = e^(-x²/2) / sqrt(2π).
// On the host erf and exp are nn's own (exp_erf_math.h), as in activation.cc's loops, so these are
// its values exactly; on the device they are CUDA's erff and expf (within 2 ulp).
#pragma once

#include "common/cuda/host_device.h"
#include "nn/cuda/exp_erf_math.h"

namespace sluice::nn::cuda_kernels {

using ::sluice::cuda::add_rn;
using ::sluice::cuda::mul_rn;

constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;

// Φ(x), the standard normal's distribution function.
SLUICE_HOST_DEVICE inline float normal_cdf(float x) {
  return mul_rn(0.5f, add_rn(1.0f, erf_float(mul_rn(x, kInvSqrt2))));
}

SLUICE_HOST_DEVICE inline float gelu_value(float x) { return mul_rn(x, normal_cdf(x)); }

// dy · d/dx [x Φ(x)]
SLUICE_HOST_DEVICE inline float gelu_gradient(float x, float dy) {
  const float e = exp_float(mul_rn(mul_rn(-0.5f, x), x));
  return mul_rn(dy, add_rn(normal_cdf(x), mul_rn(x, mul_rn(kInvSqrt2Pi, e))));
}

}  // namespace sluice::nn::cuda_kernels
