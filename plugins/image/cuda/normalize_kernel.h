// The normalize kernel's launcher: the arithmetic is image/cuda/normalize_math.h.
#pragma once

#include "image/cuda/normalize_math.h"

#include <sluice/status.hpp>

#include <cuda_runtime_api.h>

namespace sluice::image::cuda_kernels {

// Queues the kernel on `stream` (device pointers in `a`); a launch error names this file and the
// launch's line.
Status launch_normalize(const NormalizeArgs& a, cudaStream_t stream);

}  // namespace sluice::image::cuda_kernels
