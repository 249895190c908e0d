// Fully connected layer in PyTorch's nn.Linear layout: weight (O, I), bias (O). Row-major
// float32 buffers; the products run on gemm() (gemm.h: large ones in parallel on the calling
// arena's threads). Pure functions, thread-safe.
#pragma once

#include <cstdint>

namespace sluice::nn {

// y (B, O) = x (B, I) · wᵀ + b; `b` may be null (no bias).
void linear_forward(const float* x, const float* w, const float* b, float* y, int64_t B, int64_t I,
                    int64_t O);

// Given dy (B, O): dx (B, I) = dy · w (skipped when `dx` is null); dw (O, I) += dyᵀ · x;
// db (O) += Σ_b dy (skipped when `db` is null). Gradients accumulate.
void linear_backward(const float* dy, const float* x, const float* w, float* dx, float* dw,
                     float* db, int64_t B, int64_t I, int64_t O);

}  // namespace sluice::nn
