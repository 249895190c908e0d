// The optimizers' kernels: one thread per value (grid-stride). Per-value arithmetic in
// optimizer_math.h.
#include "cuda/cuda_status.h"
#include "cuda/launch.h"
#include "nn/cuda/optimizer_kernel.h"

#include <string>

namespace sluice::nn::cuda_kernels {
namespace {

__global__ void sgd_values(UpdateStep step, const float* grad, float* w, float* m, int64_t n) {
  ::sluice::cuda::for_each_index(n, [&](int64_t i) { sgd_update(step, grad[i], w[i], m[i]); });
}

__global__ void adam_values(UpdateStep step, const float* grad, float* w, float* m, float* v,
                            int64_t n) {
  ::sluice::cuda::for_each_index(n,
                                 [&](int64_t i) { adam_update(step, grad[i], w[i], m[i], v[i]); });
}

}  // namespace

Status launch_optimizer_update(const UpdateStep& step, const float* grad, float* w, float* m,
                               float* v, int64_t n, cudaStream_t stream) {
  using ::sluice::cuda::launch_over;
  if (n < 0) return Status::Invalid("optimizer: expected n >= 0, found " + std::to_string(n));
  if (step.rule == UpdateRule::kSgd) {
    return SLUICE_CUDA_CHECK(launch_over(sgd_values, n, stream, step, grad, w, m, n));
  }
  if (v == nullptr) {
    return Status::Invalid("optimizer: expected a second-moment buffer for adam and adamw");
  }
  return SLUICE_CUDA_CHECK(launch_over(adam_values, n, stream, step, grad, w, m, v, n));
}

}  // namespace sluice::nn::cuda_kernels
