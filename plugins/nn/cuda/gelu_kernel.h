// GELU on a CUDA device: activation_forward/activation_backward of nn/kernels/activation.h for
// Nonlinearity::kGelu (the exact erf form), with the per-value arithmetic of gelu_math.h. Pointers
// are device memory of n floats. A launcher queues the kernel on `stream` and returns (n < 0 is
// INVALID_ARGUMENT, nothing queued); a launch error is a Status naming this file's line.
// Thread-safe.
#pragma once

#include "nn/cuda/gelu_math.h"

#include <sluice/status.hpp>

#include <cuda_runtime_api.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

// y (n) = x Φ(x); y may be x.
Status launch_gelu_forward(const float* x, float* y, int64_t n, cudaStream_t stream);

// dx (n) = dy · GELU'(x), Φ(x) computed again from x (the CPU's path with a null cdf); dx may be
// dy.
Status launch_gelu_backward(const float* x, const float* dy, float* dx, int64_t n,
                            cudaStream_t stream);

}  // namespace sluice::nn::cuda_kernels
