// CUDA runtime errors as Status. Every CUDA call in sluice goes through SLUICE_CUDA_CHECK, so a
// failure names the call and where it was made; nothing exits or throws.
#pragma once

#include <sluice/status.hpp>

#include <cuda_runtime_api.h>

namespace sluice::cuda {

// OK for cudaSuccess. Otherwise OUT_OF_MEMORY for cudaErrorMemoryAllocation and INTERNAL for
// anything else, with the message "CUDA error in <call> at <file>:<line>: <description>
// (<error name>)"; file is reduced to its name. An error also resets the calling thread's last
// CUDA error (cudaGetLastError), so a recoverable one is reported once, where it happened, and not
// again by the next launch check on the thread (sticky errors stay: every later call reports them).
Status to_status(cudaError_t error, const char* call, const char* file, int line);

}  // namespace sluice::cuda

// The Status of one CUDA runtime call, naming it and its place in the source.
#define SLUICE_CUDA_CHECK(call) ::sluice::cuda::to_status((call), #call, __FILE__, __LINE__)
// Returns the Status from the enclosing function when the CUDA call fails.
#define SLUICE_CUDA_RETURN_IF_ERROR(call) SLUICE_RETURN_IF_ERROR(SLUICE_CUDA_CHECK(call))
