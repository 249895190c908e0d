// A kernel that does nothing, loaded to learn whether the device runs this build's code.
#pragma once

#include <cuda_runtime_api.h>

namespace sluice::cuda {

// cudaFuncGetAttributes of the probe kernel on the current device: cudaSuccess when the build
// has code (SASS or PTX) the device runs.
cudaError_t load_probe_kernel();

}  // namespace sluice::cuda
