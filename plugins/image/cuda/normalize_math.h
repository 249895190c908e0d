// The normalize kernel's arithmetic (image/cuda/normalize_kernel.cu), for the device and the
// host: uint8 (B, H, W, C) images to float32 (B, C, H, W),
//   out[b][c][y][x] = in[b][y][x][c] * scale[c] + shift[c]
// with the CPU path's factors (chw_coefficients), so the values are to_chw_float's.
#pragma once

#include "image/cuda/device_math.h"

#include <cstdint>

namespace sluice::image::cuda_kernels {

// Pointers (device ones in the kernel) and sizes.
struct NormalizeArgs {
  const uint8_t* in = nullptr;  // (count, height, width, channels)
  int64_t count = 0;
  int height = 0, width = 0, channels = 0;
  const float* scale = nullptr;  // channels
  const float* shift = nullptr;  // channels
  float* out = nullptr;          // (count, channels, height, width)

  SLUICE_HOST_DEVICE int64_t plane() const { return static_cast<int64_t>(height) * width; }
  SLUICE_HOST_DEVICE int64_t out_size() const { return count * channels * plane(); }
};

// out[i], 0 <= i < a.out_size(): consecutive i write consecutive values (coalesced); the read
// strides over the channels.
SLUICE_HOST_DEVICE inline float normalize_value(const NormalizeArgs& a, int64_t i) {
  const int64_t plane = a.plane();
  const int64_t bc = i / plane;  // b * C + c
  const int64_t pixel = i % plane;
  const int64_t b = bc / a.channels;
  const int c = static_cast<int>(bc % a.channels);
  const float v = static_cast<float>(a.in[(b * plane + pixel) * a.channels + c]);
  return add_rn(mul_rn(v, a.scale[c]), a.shift[c]);
}

}  // namespace sluice::image::cuda_kernels
