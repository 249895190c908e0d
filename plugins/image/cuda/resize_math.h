// The resize kernel's arithmetic (image/cuda/resize_kernel.cu), for the device and the host:
// batched separable resampling of uint8 images,
//   tmp[b][r][x][c] = sum_j x_weight[x][j] * in[b][row_lo + r][x_start[x] + j][c]
//   out[b][y][x][c] = round_to_u8(sum_i y_weight[y][i] * tmp[b][y_start[y] - row_lo + i][x][c])
// in float, summed in resample()'s order (image/resample.cc), so the pixels are the CPU path's.
#pragma once

#include "image/cuda/device_math.h"

#include <cstdint>

namespace sluice::image::cuda_kernels {

// Pointers (device ones in the kernel) and sizes; taps as image/resample_taps.h
// (start + width <= the input side, starts non-decreasing).
struct ResizeArgs {
  const uint8_t* in = nullptr;  // (count, in_h, in_w, channels)
  int64_t count = 0;
  int in_h = 0, in_w = 0, channels = 0;
  const int* x_start = nullptr;     // out_w
  const float* x_weight = nullptr;  // out_w * x_width
  int x_width = 0, out_w = 0;
  const int* y_start = nullptr;     // out_h
  const float* y_weight = nullptr;  // out_h * y_width
  int y_width = 0, out_h = 0;
  int row_lo = 0, rows = 0;  // the input rows the y taps read: [row_lo, row_lo + rows)
  float* tmp = nullptr;      // (count, rows, out_w, channels)
  uint8_t* out = nullptr;    // (count, out_h, out_w, channels)

  SLUICE_HOST_DEVICE int64_t row_len() const { return static_cast<int64_t>(out_w) * channels; }
  SLUICE_HOST_DEVICE int64_t tmp_size() const { return count * rows * row_len(); }
  SLUICE_HOST_DEVICE int64_t out_size() const { return count * out_h * row_len(); }
};

// tmp[i], 0 <= i < a.tmp_size(): the row pass.
SLUICE_HOST_DEVICE inline float resize_row_value(const ResizeArgs& a, int64_t i) {
  const int64_t row_len = a.row_len();
  const int64_t tmp_row = i / row_len;  // b * rows + r
  const int64_t col = i % row_len;      // x * C + c
  const int64_t b = tmp_row / a.rows;
  const int r = static_cast<int>(tmp_row % a.rows);
  const int x = static_cast<int>(col / a.channels);
  const int c = static_cast<int>(col % a.channels);
  const uint8_t* p = a.in + ((b * a.in_h + a.row_lo + r) * a.in_w + a.x_start[x]) * a.channels + c;
  const float* w = a.x_weight + static_cast<int64_t>(x) * a.x_width;
  float acc = 0.0f;
  for (int j = 0; j < a.x_width; ++j) {
    acc = add_rn(acc, mul_rn(w[j], static_cast<float>(p[static_cast<int64_t>(j) * a.channels])));
  }
  return acc;
}

// out[i], 0 <= i < a.out_size(): the column pass over tmp.
SLUICE_HOST_DEVICE inline uint8_t resize_column_value(const ResizeArgs& a, int64_t i) {
  const int64_t row_len = a.row_len();
  const int64_t out_row = i / row_len;  // b * out_h + y
  const int64_t col = i % row_len;
  const int64_t b = out_row / a.out_h;
  const int y = static_cast<int>(out_row % a.out_h);
  const float* p = a.tmp + (b * a.rows + (a.y_start[y] - a.row_lo)) * row_len + col;
  const float* w = a.y_weight + static_cast<int64_t>(y) * a.y_width;
  float acc = 0.0f;
  for (int j = 0; j < a.y_width; ++j) acc = add_rn(acc, mul_rn(w[j], p[j * row_len]));
  return round_to_u8(acc);
}

}  // namespace sluice::image::cuda_kernels
