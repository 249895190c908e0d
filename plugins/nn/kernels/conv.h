// 2-D convolution and pooling over NCHW float32 tensors, as PyTorch's nn.Conv2d (weight
// (O, C, K, K), bias (O), square kernel, stride, zero padding), nn.MaxPool2d and nn.AvgPool2d
// (square window, stride, no padding, floor mode). The convolution unfolds each image (im2col),
// keeps the columns for the backward pass and multiplies with gemm() (gemm.h). Images and planes
// are spread over the calling arena's threads (parallel.h); the weight and bias gradients are
// summed image after image, so results do not depend on the thread count. Pure functions,
// thread-safe.
#pragma once

#include <cstdint>

namespace sluice::nn {

struct Conv2dShape {
  int64_t batch, in_channels, height, width;  // input (B, C, H, W)
  int64_t out_channels, kernel, stride, padding;
  int64_t out_height() const { return (height + 2 * padding - kernel) / stride + 1; }
  int64_t out_width() const { return (width + 2 * padding - kernel) / stride + 1; }
  // The size of the unfolded input: B · C·K·K · H'·W' floats.
  int64_t columns() const {
    return batch * in_channels * kernel * kernel * out_height() * out_width();
  }
};

// y (B, O, H', W') = conv(x, w) + b; `b` may be null. `col` (s.columns() floats) gets the
// unfolded input, for conv2d_backward.
void conv2d_forward(const Conv2dShape& s, const float* x, const float* w, const float* b, float* y,
                    float* col);
// Given dy (B, O, H', W') and the `col` of the forward pass: dw += ..., db += ... (db may be
// null), dx = ... (skipped when null).
void conv2d_backward(const Conv2dShape& s, const float* col, const float* w, const float* dy,
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
// dx (B, C, H, W) = the window gradients routed back (max: to the window's first maximum, found
// as its first value equal to y, the forward output; avg: spread evenly), summed where windows
// overlap.
void max_pool2d_backward(const Pool2dShape& s, const float* x, const float* y, const float* dy,
                         float* dx);
void avg_pool2d_backward(const Pool2dShape& s, const float* dy, float* dx);

}  // namespace sluice::nn
