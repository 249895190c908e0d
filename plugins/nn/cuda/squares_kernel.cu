// Sums of squares: kSquareSumBlocks blocks of kThreads, each thread striding over the grid in a
// fixed order, then block_reduce.
#include "cuda/cuda_status.h"
#include "cuda/launch.h"
#include "nn/cuda/squares_kernel.h"

#include <string>

namespace sluice::nn::cuda_kernels {
namespace {

using ::sluice::cuda::block_reduce;
using ::sluice::cuda::kThreads;
using ::sluice::cuda::Sum;

// partials[block] = the sum of value(i) over the block's share of [0, n).
template <class Value>
__device__ void block_partial(int64_t n, double* partials, Value value) {
  double sum = 0;
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    sum += value(i);
  }
  sum = block_reduce(sum, Sum{}, 0.0);
  if (threadIdx.x == 0) partials[blockIdx.x] = sum;
}

__global__ void square_sums(const float* x, int64_t n, double* partials) {
  block_partial(n, partials, [&](int64_t i) {
    const double v = x[i];
    return v * v;
  });
}

__global__ void mse_values(const float* pred, const float* target, int64_t n, double scale,
                           float* dpred, double* partials) {
  block_partial(n, partials, [&](int64_t i) {
    const double d = static_cast<double>(pred[i]) - target[i];
    dpred[i] = static_cast<float>(2.0 * d * scale);
    return d * d;
  });
}

}  // namespace

Status launch_square_sums(const float* x, int64_t n, double* partials, cudaStream_t stream) {
  if (n < 0) return Status::Invalid("square sums: expected n >= 0, found " + std::to_string(n));
  square_sums<<<kSquareSumBlocks, kThreads, 0, stream>>>(x, n, partials);
  return SLUICE_CUDA_CHECK(cudaGetLastError());
}

Status launch_mse(const float* pred, const float* target, int64_t n, double scale, float* dpred,
                  double* partials, cudaStream_t stream) {
  if (n < 0) return Status::Invalid("mse: expected n >= 0, found " + std::to_string(n));
  mse_values<<<kSquareSumBlocks, kThreads, 0, stream>>>(pred, target, n, scale, dpred, partials);
  return SLUICE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace sluice::nn::cuda_kernels
