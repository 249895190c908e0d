// exp and erf for the kernels' per-value arithmetic (the *_math.h headers beside this one): on the
// device CUDA's expf and erff (within 2 ulp of the correctly rounded value); on the host nn's own
// exp_value and erf_value (nn/kernels/vector_math.h, within 1 and 1.5 ulp), which the CPU kernels
// use, so the per-value math run on the host gives the CPU kernels' values bit for bit.
#pragma once

#include "common/cuda/host_device.h"

#if !defined(__CUDA_ARCH__)
#include "nn/kernels/vector_math.h"
#endif

#include <math.h>

namespace sluice::nn::cuda_kernels {

SLUICE_HOST_DEVICE inline float exp_float(float u) {
#if defined(__CUDA_ARCH__)
  return expf(u);
#else
  return ::sluice::nn::exp_value(u);
#endif
}

SLUICE_HOST_DEVICE inline float erf_float(float z) {
#if defined(__CUDA_ARCH__)
  return erff(z);
#else
  return ::sluice::nn::erf_value(z);
#endif
}

}  // namespace sluice::nn::cuda_kernels
