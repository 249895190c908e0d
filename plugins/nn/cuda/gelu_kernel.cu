// GELU's kernels: one thread per value (grid-stride). Per-value arithmetic in gelu_math.h.
#include "cuda/cuda_status.h"
#include "cuda/launch.h"
#include "nn/cuda/gelu_kernel.h"

#include <string>

namespace sluice::nn::cuda_kernels {
namespace {

using ::sluice::cuda::for_each_index;
using ::sluice::cuda::grid_blocks;
using ::sluice::cuda::kThreads;

// y: (n), from x: (n).
__global__ void gelu_forward_values(const float* x, float* y, int64_t n) {
  for_each_index(n, [&](int64_t i) { y[i] = gelu_value(x[i]); });
}

// dx: (n), from x, dy: (n).
__global__ void gelu_backward_values(const float* x, const float* dy, float* dx, int64_t n) {
  for_each_index(n, [&](int64_t i) { dx[i] = gelu_gradient(x[i], dy[i]); });
}

Status check_size(const char* what, int64_t n) {
  if (n >= 0) return {};
  return Status::Invalid(std::string(what) + ": expected n >= 0, found " + std::to_string(n));
}

}  // namespace

Status launch_gelu_forward(const float* x, float* y, int64_t n, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_size("gelu forward", n));
  if (n == 0) return {};
  gelu_forward_values<<<grid_blocks(n), kThreads, 0, stream>>>(x, y, n);
  return SLUICE_CUDA_CHECK(cudaGetLastError());
}

Status launch_gelu_backward(const float* x, const float* dy, float* dx, int64_t n,
                            cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_size("gelu backward", n));
  if (n == 0) return {};
  gelu_backward_values<<<grid_blocks(n), kThreads, 0, stream>>>(x, dy, dx, n);
  return SLUICE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace sluice::nn::cuda_kernels
