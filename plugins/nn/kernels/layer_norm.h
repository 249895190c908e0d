// Layer normalisation over the last dimension, as PyTorch's nn.LayerNorm(C, eps): each of N rows
// of C values becomes y = (x - mean) · rstd · weight + bias, with rstd = 1 / sqrt(var + eps) and
// var the biased variance of the row. Rows (and, for the parameters' gradients, columns) are
// spread over the calling arena's threads (parallel.h), each summed in the same order as on one
// thread. Pure functions, thread-safe.
#pragma once

#include <cstdint>

namespace sluice::nn {

// y (N, C) from x (N, C), weight (C), bias (C); mean (N) and rstd (N) are kept for the backward
// pass.
void layer_norm_forward(const float* x, const float* weight, const float* bias, float* y,
                        float* mean, float* rstd, int64_t N, int64_t C, float eps);

// Given dy (N, C): dx (N, C) += the gradient of the input, dweight (C) += Σ dy · x̂,
// dbias (C) += Σ dy. Everything accumulates, so a residual's gradient may already be in dx.
void layer_norm_backward(const float* dy, const float* x, const float* weight, const float* mean,
                         const float* rstd, float* dx, float* dweight, float* dbias, int64_t N,
                         int64_t C);

}  // namespace sluice::nn
