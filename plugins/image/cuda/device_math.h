// What the image kernels compute per value, written once for the device and the host: the
// kernels call these functions, and the tests run them over whole images on the CPU (where no
// device is needed) against the CPU path. Float sums and products are common/cuda/host_device.h's
// (round-to-nearest, no fused multiply-add on either side, as the CPU path's loops).
#pragma once

#include "common/cuda/host_device.h"

#include <math.h>

#include <cmath>
#include <cstdint>

namespace sluice::image::cuda_kernels {

using ::sluice::cuda::add_rn;
using ::sluice::cuda::mul_rn;

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
