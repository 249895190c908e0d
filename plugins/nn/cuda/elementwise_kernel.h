// The device model's element-wise and per-column kernels: a linear map's bias (broadcast to its
// rows, and its gradient summed over them), residual sums, ReLU and tanh with their gradients
// (nn/kernels/activation.h's formulas), dropout with a mask drawn by the caller, and dividing or
// scaling a gradient (train.fit's accumulate, clip_grad_norm). Pointers
// are device memory. A launcher checks the sizes (INVALID_ARGUMENT, nothing queued), queues one
// kernel on `stream` and returns; a launch error is a Status naming this file's line.
// Thread-safe.
#pragma once

#include <sluice/status.hpp>

#include <cuda_runtime_api.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

// y (rows, O): every row = b (O).
Status launch_broadcast_rows(const float* b, float* y, int64_t rows, int64_t O,
                             cudaStream_t stream);

// db (O) += the column sums of dy (rows, O), each column summed in row order from db's value (as
// linear_backward does: the same bits). One thread per column.
Status launch_column_sums(const float* dy, float* db, int64_t rows, int64_t O, cudaStream_t stream);

// y (n) = a + b; y may be a or b.
Status launch_add(const float* a, const float* b, float* y, int64_t n, cudaStream_t stream);

// y (n) = max(x, 0); dx (n) = x > 0 ? dy : 0 (dx may be dy).
Status launch_relu_forward(const float* x, float* y, int64_t n, cudaStream_t stream);
Status launch_relu_backward(const float* x, const float* dy, float* dx, int64_t n,
                            cudaStream_t stream);

// y (n) = tanh(x); dx (n) = dy · (1 - y²) from the forward output y (dx may be dy).
Status launch_tanh_forward(const float* x, float* y, int64_t n, cudaStream_t stream);
Status launch_tanh_backward(const float* y, const float* dy, float* dx, int64_t n,
                            cudaStream_t stream);

// Inverted dropout with a given mask, forward or backward (dense_layers.cc's formula):
// y (n) = dropped ? 0 : x · scale (y may be x).
Status launch_dropout(const float* x, const uint8_t* dropped, float scale, float* y, int64_t n,
                      cudaStream_t stream);

// x (n) /= divisor, in place.
Status launch_divide(float* x, float divisor, int64_t n, cudaStream_t stream);

// x (n) *= factor, in place.
Status launch_scale(float* x, float factor, int64_t n, cudaStream_t stream);

}  // namespace sluice::nn::cuda_kernels
