// Where attention's per-head values sit, for the device and the host: the heads of a (B, T, W)
// tensor of rows (qkv with W = 3C: each row q, then k, then v, each C = H heads of hs values;
// the heads' output y with W = C), as PyTorch's split(C, dim=2) then view(B, T, H, hs) and
// transpose(1, 2) lay them out, and the contiguous (B, H, T, hs) tensor of one part that the
// batched matrix products of the device's attention read and write (one (T, hs) matrix per
// (b, h)). The kernels of attention_kernel.cu copy between the two with these; the host tests
// check them against attention_forward's heads.
#pragma once

#include "common/cuda/host_device.h"

#include <cstdint>

namespace sluice::nn::cuda_kernels {

// The place of one value of a (B, H, T, hs) tensor.
struct HeadValue {
  int64_t b, h, t, d;
};

// The place of value i (in [0, B·H·T·hs)) of a (B, H, T, hs) tensor.
SLUICE_HOST_DEVICE inline HeadValue head_value(int64_t i, int64_t H, int64_t T, int64_t hs) {
  HeadValue v{};
  v.d = i % hs;
  i /= hs;
  v.t = i % T;
  i /= T;
  v.h = i % H;
  v.b = i / H;
  return v;
}

// The index of `v` in a (B, T, W) tensor of rows whose part (q, k or v) starts at column
// `column` (0, C or 2C in qkv; 0 in y).
SLUICE_HOST_DEVICE inline int64_t row_index(const HeadValue& v, int64_t T, int64_t W,
                                            int64_t column, int64_t hs) {
  return (v.b * T + v.t) * W + column + v.h * hs + v.d;
}

}  // namespace sluice::nn::cuda_kernels
