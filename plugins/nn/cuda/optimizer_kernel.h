// The optimizers on a CUDA device: Optimizer::step of nn/optimizer.h on one parameter, with the
// per-value arithmetic of optimizer_math.h and the constants of Optimizer::update_step. Pointers
// are device memory of n floats. The launcher queues the kernel on `stream` and returns (n < 0,
// or v null for adam or adamw, is INVALID_ARGUMENT, nothing queued); a launch error is a Status
// naming this file's line. Thread-safe.
#pragma once

#include "nn/cuda/optimizer_math.h"

#include <sluice/status.hpp>

#include <cuda_runtime_api.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

// w (n) updated in place from grad (n) by step.rule with the constants `step`; m (n) is sgd's
// momentum buffer or Adam's first moment, v (n) Adam's second moment (unused by sgd: may be null).
Status launch_optimizer_update(const UpdateStep& step, const float* grad, float* w, float* m,
                               float* v, int64_t n, cudaStream_t stream);

}  // namespace sluice::nn::cuda_kernels
