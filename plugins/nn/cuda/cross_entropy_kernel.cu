// Softmax + cross entropy's kernels. Per-value arithmetic in cross_entropy_math.h.
#include "cuda/cuda_status.h"
#include "cuda/launch.h"
#include "nn/cuda/cross_entropy_kernel.h"

#include <string>

namespace sluice::nn::cuda_kernels {
namespace {

using ::sluice::cuda::block_reduce;
using ::sluice::cuda::Max;
using ::sluice::cuda::Sum;

constexpr int kThreads = 256;         // per row block
constexpr int kReduceThreads = 1024;  // of the one-block count and mean

// counted: (1) = the targets (B) that are not ignore_index.
__global__ void count_rows(CrossEntropyArgs a) {
  int64_t n = 0;
  for (int64_t b = threadIdx.x; b < a.B; b += blockDim.x) n += a.targets[b] != a.ignore_index;
  n = block_reduce(n, Sum(), int64_t{0});
  if (threadIdx.x == 0) *a.counted = n;
}

// row_losses: (B), dlogits: (B, C) when not null, from logits: (B, C) and targets: (B); one
// block per row.
__global__ void loss_rows(CrossEntropyArgs a) {
  const int64_t b = blockIdx.x;
  const float* z = a.logits + b * a.C;
  float* dz = a.dlogits != nullptr ? a.dlogits + b * a.C : nullptr;
  const int64_t target = a.targets[b];
  if (target == a.ignore_index) {  // the whole block
    if (threadIdx.x == 0) a.row_losses[b] = 0.0;
    if (dz != nullptr) {
      for (int64_t c = threadIdx.x; c < a.C; c += blockDim.x) dz[c] = 0.0f;
    }
    return;
  }
  float top = -INFINITY;
  for (int64_t c = threadIdx.x; c < a.C; c += blockDim.x) top = fmaxf(top, z[c]);
  top = block_reduce(top, Max(), -INFINITY);
  double sum = 0;
  for (int64_t c = threadIdx.x; c < a.C; c += blockDim.x) sum += softmax_exp(z[c], top);
  sum = block_reduce(sum, Sum(), 0.0);
  if (threadIdx.x == 0) a.row_losses[b] = row_loss(log_sum_exp(sum, top), z[target]);
  if (dz != nullptr) {
    const double scale = loss_scale(*a.counted);
    for (int64_t c = threadIdx.x; c < a.C; c += blockDim.x) {
      dz[c] = logit_gradient(softmax_exp(z[c], top), sum, c == target, scale);
    }
  }
}

// loss: (1) = the mean of row_losses (B) over the counted rows.
__global__ void mean_loss(CrossEntropyArgs a) {
  double total = 0;
  for (int64_t b = threadIdx.x; b < a.B; b += blockDim.x) total += a.row_losses[b];
  total = block_reduce(total, Sum(), 0.0);
  if (threadIdx.x == 0) *a.loss = total * loss_scale(*a.counted);
}

}  // namespace

Status launch_cross_entropy(const CrossEntropyArgs& a, cudaStream_t stream) {
  if (a.B < 0 || a.C < 1 || a.B > int64_t{INT32_MAX}) {
    return Status::Invalid("cross entropy: expected 0 <= B <= 2^31 - 1 and C >= 1, found B " +
                           std::to_string(a.B) + ", C " + std::to_string(a.C));
  }
  count_rows<<<1, kReduceThreads, 0, stream>>>(a);
  SLUICE_CUDA_RETURN_IF_ERROR(cudaGetLastError());
  if (a.B > 0) {
    loss_rows<<<static_cast<unsigned int>(a.B), kThreads, 0, stream>>>(a);
    SLUICE_CUDA_RETURN_IF_ERROR(cudaGetLastError());
  }
  mean_loss<<<1, kReduceThreads, 0, stream>>>(a);
  return SLUICE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace sluice::nn::cuda_kernels
