#include "cuda/cuda_status.h"

#include <cstring>
#include <string>

namespace sluice::cuda {

Status to_status(cudaError_t error, const char* call, const char* file, int line) {
  if (error == cudaSuccess) return {};
  (void)cudaGetLastError();
  const char* slash = std::strrchr(file, '/');
  const std::string message = std::string("CUDA error in ") + call + " at " +
                              (slash != nullptr ? slash + 1 : file) + ":" + std::to_string(line) +
                              ": " + cudaGetErrorString(error) + " (" + cudaGetErrorName(error) +
                              ")";
  return error == cudaErrorMemoryAllocation ? Status::OutOfMemory(message)
                                            : Status::Internal(message);
}

}  // namespace sluice::cuda
