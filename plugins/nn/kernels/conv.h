// 2-D convolution and pooling over NCHW float32 tensors, as PyTorch's nn.Conv2d (weight
// (O, C, K, K), bias (O), square kernel, stride, zero padding), nn.MaxPool2d and nn.AvgPool2d
// (square window, stride, no padding, floor mode). The convolution unfolds each image (im2col)
// and multiplies with OpenBLAS sgemm. Pure functions, thread-safe.
#pragma once

#include <cstdint>

namespace sluice::nn {

struct Conv2dShape {
  int64_t batch, in_channels, height, width;  // input (B, C, H, W)
  int64_t out_channels, kernel, stride, padding;
  int64_t out_height() const { return (height + 2 * padding - kernel) / stride + 1; }
  int64_t out_width() const { return (width + 2 * padding - kernel) / stride + 1; }
};

// y (B, O, H', W') = conv(x, w) + b; `b` may be null.
void conv2d_forward(const Conv2dShape& s, const float* x, const float* w, const float* b, float* y);
// Given dy (B, O, H', W'): dw += ..., db += ... (db may be null), dx = ... (skipped when null).
void conv2d_backward(const Conv2dShape& s, const float* x, const float* w, const float* dy,
                     float* dx, float* dw, float* db);

struct Pool2dShape {
  int64_t batch, channels, height, width;  // input (B, C, H, W)
  int64_t kernel, stride;
  int64_t out_height() const { return (height - kernel) / stride + 1; }
  int64_t out_width() const { return (width - kernel) / stride + 1; }
};

// y (B, C, H', W'): the maximum (the first one, on ties) or the mean of each window.
void max_pool2d_forward(const Pool2dShape& s, const float* x, float* y);
void avg_pool2d_forward(const Pool2dShape& s, const float* x, float* y);
// dx (B, C, H, W) = the window gradients routed back (max: to the first maximum; avg: spread
// evenly), summed where windows overlap.
void max_pool2d_backward(const Pool2dShape& s, const float* x, const float* dy, float* dx);
void avg_pool2d_backward(const Pool2dShape& s, const float* dy, float* dx);

}  // namespace sluice::nn
