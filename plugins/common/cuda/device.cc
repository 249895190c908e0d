#include "cuda/device.h"

#include "cuda/cuda_status.h"
#include "cuda/probe.h"

#include <cuda_runtime_api.h>

namespace sluice::cuda {
namespace {

struct Answer {
  Status status;
  std::string description;
};

std::string describe(cudaError_t error) {
  return std::string(cudaGetErrorString(error)) + " (" + cudaGetErrorName(error) + ")";
}

Answer ask_runtime() {
  Answer a;
  int count = 0;
  cudaError_t error = cudaGetDeviceCount(&count);
  if (error != cudaSuccess) {
    (void)cudaGetLastError();  // clear it: later calls on this thread must not see it
    a.status = Status::Unsupported("no CUDA device: cudaGetDeviceCount: " + describe(error));
    return a;
  }
  if (count <= 0) {
    a.status = Status::Unsupported("no CUDA device: cudaGetDeviceCount found 0 devices");
    return a;
  }
  cudaDeviceProp prop{};
  if (Status s = SLUICE_CUDA_CHECK(cudaGetDeviceProperties(&prop, 0)); !s.ok()) {
    a.status = Status::Unsupported("no CUDA device: " + s.message());
    return a;
  }
  const std::string name = std::string(prop.name) + ", compute " + std::to_string(prop.major) +
                           "." + std::to_string(prop.minor);
  error = cudaSetDevice(0);
  if (error == cudaSuccess) error = load_probe_kernel();
  if (error != cudaSuccess) {
    (void)cudaGetLastError();
    const bool no_code = error == cudaErrorNoKernelImageForDevice ||
                         error == cudaErrorInvalidDeviceFunction ||
                         error == cudaErrorUnsupportedPtxVersion;
    a.status = Status::Unsupported(
        "no CUDA device: cuda:0 (" + name +
        ") cannot run this build's kernels: " + describe(error) +
        (no_code ? "; rebuild with its architecture in CMAKE_CUDA_ARCHITECTURES" : ""));
    return a;
  }
  a.description = "cuda:0 (" + name + ", " + std::to_string(prop.totalGlobalMem >> 20) + " MiB)";
  return a;
}

const Answer& answer() {
  static const Answer a = ask_runtime();
  return a;
}

}  // namespace

Status device_status() { return answer().status; }

const std::string& device_description() { return answer().description; }

}  // namespace sluice::cuda
