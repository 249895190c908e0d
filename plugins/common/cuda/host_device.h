// Arithmetic that CUDA kernels and their host-side checks share: a header with no CUDA
// dependency, so plain C++ (the device-free tests, the CPU build) includes it too.
// SLUICE_HOST_DEVICE marks a function compiled for both sides under nvcc. Float arithmetic is
// round-to-nearest with no fused multiply-add on either side: __fadd_rn/__fmul_rn on the device
// (nvcc would contract a * b + c otherwise), separate float ops on the host (the x86-64 baseline
// has no FMA instruction, and GCC contracts nothing across these calls).
#pragma once

#if defined(__CUDACC__)
#define SLUICE_HOST_DEVICE __host__ __device__
#else
#define SLUICE_HOST_DEVICE
#endif

#include <math.h>

namespace sluice::cuda {

SLUICE_HOST_DEVICE inline float add_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fadd_rn(a, b);
#else
  return a + b;
#endif
}

SLUICE_HOST_DEVICE inline float mul_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fmul_rn(a, b);
#else
  return a * b;
#endif
}

// Correctly rounded on both sides (the device's / and sqrtf are too, unless built with
// -use_fast_math; these say so where it matters).
SLUICE_HOST_DEVICE inline float div_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fdiv_rn(a, b);
#else
  return a / b;
#endif
}

SLUICE_HOST_DEVICE inline float sqrt_rn(float a) {
#if defined(__CUDA_ARCH__)
  return __fsqrt_rn(a);
#else
  return sqrtf(a);
#endif
}

}  // namespace sluice::cuda
