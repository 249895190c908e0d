// AdamW on a CUDA device: Optimizer::step of nn/optimizer.h for kind adamw on one parameter, with
// the per-value arithmetic and constants of adamw_math.h (adamw_step gives the constants of an
// update). Pointers are device memory of n floats. The launcher queues the kernel on `stream` and
// returns (n < 0 is INVALID_ARGUMENT, nothing queued); a launch error is a Status naming this
// file's line. Thread-safe.
#pragma once

#include "nn/cuda/adamw_math.h"

#include <sluice/status.hpp>

#include <cuda_runtime_api.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

// w, m, v (n) updated in place from grad (n) with the constants `step`.
Status launch_adamw(const AdamWStep& step, const float* grad, float* w, float* m, float* v,
                    int64_t n, cudaStream_t stream);

}  // namespace sluice::nn::cuda_kernels
