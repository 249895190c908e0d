#include "cuda/probe.h"

namespace sluice::cuda {
namespace {

__global__ void probe_kernel() {}

}  // namespace

cudaError_t load_probe_kernel() {
  cudaFuncAttributes attributes;
  return cudaFuncGetAttributes(&attributes, probe_kernel);
}

}  // namespace sluice::cuda
