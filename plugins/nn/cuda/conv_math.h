// The per-value arithmetic of the convolution's unfolding and folding (im2col, col2im) and of
// max and average pooling, for the device kernels (nn/cuda/conv_kernel.cu) and their host checks.
// Each function gives one output value from its inputs, reading and summing in the order the CPU
// kernels (nn/kernels/conv.cc) accumulate that value, with no contracted multiply-adds, so the
// device gives the CPU's bits: col2im and the pooling gradients are gathers (each output value
// sums the contributions that reach it, in the order the CPU's scatter adds them).
#pragma once

#include "common/cuda/host_device.h"

#include <cstdint>

namespace sluice::nn::cuda_kernels {

using ::sluice::cuda::add_rn;
using ::sluice::cuda::mul_rn;

// One image's convolution geometry: input (C, H, W), square kernel K, stride, zero padding, output
// (OH, OW) (Conv2dShape's out_height(), out_width()).
struct ConvGeometry {
  int64_t C, H, W, K, stride, pad, OH, OW;
};

// Value i of the unfolded image (C·K·K rows of OH·OW columns) of x (C, H, W): the input value the
// column reads, 0 in the padding.
SLUICE_HOST_DEVICE inline float unfolded_value(const ConvGeometry& g, const float* x, int64_t i) {
  const int64_t spatial = g.OH * g.OW;
  const int64_t row = i / spatial, at = i % spatial;
  const int64_t c = row / (g.K * g.K), ki = row / g.K % g.K, kj = row % g.K;
  const int64_t y = at / g.OW * g.stride - g.pad + ki, x_at = at % g.OW * g.stride - g.pad + kj;
  return y >= 0 && y < g.H && x_at >= 0 && x_at < g.W ? x[(c * g.H + y) * g.W + x_at] : 0.0f;
}

// Value i of the image gradient (C, H, W) folded from dcol (C·K·K, OH·OW): the sum of the columns
// that read input value i, in col2im's order (kernel row, then kernel column), from 0.
SLUICE_HOST_DEVICE inline float folded_value(const ConvGeometry& g, const float* dcol, int64_t i) {
  const int64_t c = i / (g.H * g.W), y = i / g.W % g.H, x = i % g.W;
  float sum = 0.0f;
  for (int64_t ki = 0; ki < g.K; ++ki) {
    const int64_t ty = y + g.pad - ki;  // = output row · stride
    if (ty < 0 || ty % g.stride != 0 || ty / g.stride >= g.OH) continue;
    for (int64_t kj = 0; kj < g.K; ++kj) {
      const int64_t tx = x + g.pad - kj;
      if (tx < 0 || tx % g.stride != 0 || tx / g.stride >= g.OW) continue;
      const int64_t row = (c * g.K + ki) * g.K + kj;
      sum = add_rn(sum, dcol[(row * g.OH + ty / g.stride) * g.OW + tx / g.stride]);
    }
  }
  return sum;
}

// One plane's pooling geometry: input (H, W), square window K, stride, no padding, output (OH,
// OW) (Pool2dShape's).
struct PoolGeometry {
  int64_t H, W, K, stride, OH, OW;
};

// The maximum of window o of plane x (the first one kept on ties and against NaN).
SLUICE_HOST_DEVICE inline float window_max(const PoolGeometry& g, const float* x, int64_t o) {
  const float* win = x + o / g.OW * g.stride * g.W + o % g.OW * g.stride;
  float best = win[0];
  for (int64_t a = 0; a < g.K; ++a) {
    for (int64_t b = 0; b < g.K; ++b) {
      const float v = win[a * g.W + b];
      best = v > best ? v : best;
    }
  }
  return best;
}

// The mean of window o of plane x: its values summed in order, times 1 / K² (`scale`).
SLUICE_HOST_DEVICE inline float window_mean(const PoolGeometry& g, const float* x, float scale,
                                            int64_t o) {
  const float* win = x + o / g.OW * g.stride * g.W + o % g.OW * g.stride;
  float sum = 0.0f;
  for (int64_t a = 0; a < g.K; ++a) {
    for (int64_t b = 0; b < g.K; ++b) sum = add_rn(sum, win[a * g.W + b]);
  }
  return mul_rn(sum, scale);
}

// The windows that contain input row (or column) y: [first, last], empty when first > last.
struct WindowRange {
  int64_t first, last;
};
SLUICE_HOST_DEVICE inline WindowRange windows_over(int64_t y, int64_t K, int64_t stride,
                                                   int64_t out) {
  const int64_t first = y < K ? 0 : (y - K) / stride + 1;
  const int64_t last = y / stride < out - 1 ? y / stride : out - 1;
  return {first, last};
}

// Value p of a plane's max-pooling input gradient: the sum of dy over the windows whose first
// value equal to their maximum y is input value p, windows in order (as max_pool2d_backward
// routes them).
SLUICE_HOST_DEVICE inline float max_pool_gradient(const PoolGeometry& g, const float* x,
                                                  const float* y, const float* dy, int64_t p) {
  const int64_t py = p / g.W, px = p % g.W;
  const WindowRange rows = windows_over(py, g.K, g.stride, g.OH);
  const WindowRange cols = windows_over(px, g.K, g.stride, g.OW);
  float sum = 0.0f;
  for (int64_t i = rows.first; i <= rows.last; ++i) {
    for (int64_t j = cols.first; j <= cols.last; ++j) {
      const int64_t o = i * g.OW + j, start = i * g.stride * g.W + j * g.stride;
      int64_t first = 0;  // as the CPU finds it: the first in the window equal to the maximum
      for (int64_t a = g.K; a-- > 0;) {
        for (int64_t b = g.K; b-- > 0;) {
          const int64_t at = a * g.W + b;
          first = x[start + at] == y[o] ? at : first;
        }
      }
      if (start + first == p) sum = add_rn(sum, dy[o]);
    }
  }
  return sum;
}

// Value p of a plane's average-pooling input gradient: dy · scale of each window over it, added
// in window order.
SLUICE_HOST_DEVICE inline float avg_pool_gradient(const PoolGeometry& g, const float* dy,
                                                  float scale, int64_t p) {
  const WindowRange rows = windows_over(p / g.W, g.K, g.stride, g.OH);
  const WindowRange cols = windows_over(p % g.W, g.K, g.stride, g.OW);
  float sum = 0.0f;
  for (int64_t i = rows.first; i <= rows.last; ++i) {
    for (int64_t j = cols.first; j <= cols.last; ++j) {
      sum = add_rn(sum, mul_rn(dy[i * g.OW + j], scale));
    }
  }
  return sum;
}

}  // namespace sluice::nn::cuda_kernels
