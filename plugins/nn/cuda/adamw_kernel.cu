// AdamW's kernel: one thread per value (grid-stride). Per-value arithmetic in adamw_math.h.
#include "cuda/cuda_status.h"
#include "cuda/launch.h"
#include "nn/cuda/adamw_kernel.h"

#include <string>

namespace sluice::nn::cuda_kernels {
namespace {

// w, m, v: (n) in place, from grad: (n).
__global__ void adamw_values(AdamWStep step, const float* grad, float* w, float* m, float* v,
                             int64_t n) {
  ::sluice::cuda::for_each_index(n,
                                 [&](int64_t i) { adamw_update(step, grad[i], w[i], m[i], v[i]); });
}

}  // namespace

Status launch_adamw(const AdamWStep& step, const float* grad, float* w, float* m, float* v,
                    int64_t n, cudaStream_t stream) {
  if (n < 0) return Status::Invalid("adamw: expected n >= 0, found " + std::to_string(n));
  if (n == 0) return {};
  adamw_values<<<::sluice::cuda::grid_blocks(n), ::sluice::cuda::kThreads, 0, stream>>>(step, grad,
                                                                                        w, m, v, n);
  return SLUICE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace sluice::nn::cuda_kernels
