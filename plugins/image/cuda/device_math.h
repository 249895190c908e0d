// What the image kernels compute per value, written once for the device and the host: the
// kernels call these functions, and the tests run them over whole images on the CPU (where no
// device is needed) against the CPU path. Float arithmetic is round-to-nearest with no fused
// multiply-add on either side: __fadd_rn/__fmul_rn on the device (nvcc would contract a * b + c
// otherwise), separate float ops on the host (as the CPU path's loops; the x86-64 baseline has no
// FMA instruction).
#pragma once

#include <math.h>

#include <cmath>
#include <cstdint>

#if defined(__CUDACC__)
#define SLUICE_HOST_DEVICE __host__ __device__
#else
#define SLUICE_HOST_DEVICE
#endif

namespace sluice::image::cuda_kernels {

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

// Clamped to [0, 255] (NaN to 0) and rounded half to even, as resample()'s round_to_u8.
SLUICE_HOST_DEVICE inline uint8_t round_to_u8(float v) {
  v = fminf(fmaxf(v, 0.0f), 255.0f);
#if defined(__CUDA_ARCH__)
  return static_cast<uint8_t>(__float2int_rn(v));
#else
  return static_cast<uint8_t>(std::nearbyint(v));
#endif
}

}  // namespace sluice::image::cuda_kernels
