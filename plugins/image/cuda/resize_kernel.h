// The resize kernel's launcher: the arithmetic is image/cuda/resize_math.h.
#pragma once

#include "image/cuda/resize_math.h"

#include <sluice/status.hpp>

#include <cuda_runtime_api.h>

namespace sluice::image::cuda_kernels {

// Queues both passes on `stream` (device pointers in `a`); a launch error names this file and the
// launch's line.
Status launch_resize(const ResizeArgs& a, cudaStream_t stream);

}  // namespace sluice::image::cuda_kernels
