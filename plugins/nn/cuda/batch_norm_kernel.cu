// Batch norm's kernels: one block of kThreads per channel for the statistics and the backward
// pass (each thread strides over the channel's N·S values, then block_reduce), one thread per
// value for the forward pass.
#include "cuda/cuda_status.h"
#include "cuda/launch.h"
#include "nn/cuda/batch_norm_kernel.h"

#include <cstdint>
#include <string>

namespace sluice::nn::cuda_kernels {
namespace {

using ::sluice::cuda::block_reduce;
using ::sluice::cuda::for_each_index;
using ::sluice::cuda::kThreads;
using ::sluice::cuda::launch_over;
using ::sluice::cuda::Sum;

// Index of value i (of N·S) of channel c in (N, C, S) data.
__device__ int64_t channel_value(int64_t i, int64_t c, int64_t C, int64_t S) {
  return (i / S * C + c) * S + i % S;
}

__global__ void channel_statistics(const float* x, int64_t N, int64_t C, int64_t S, double eps,
                                   float* mean, float* var, float* rstd) {
  const int64_t c = blockIdx.x, count = N * S;
  double sum = 0;
  for (int64_t i = threadIdx.x; i < count; i += blockDim.x) sum += x[channel_value(i, c, C, S)];
  sum = block_reduce(sum, Sum{}, 0.0);
  const double m = sum / static_cast<double>(count);
  double squares = 0;
  for (int64_t i = threadIdx.x; i < count; i += blockDim.x) {
    const double d = x[channel_value(i, c, C, S)] - m;
    squares += d * d;
  }
  squares = block_reduce(squares, Sum{}, 0.0);
  if (threadIdx.x == 0) {
    mean[c] = static_cast<float>(m);
    var[c] = static_cast<float>(squares / static_cast<double>(count));
    rstd[c] = batch_norm_rstd(var[c], eps);
  }
}

__global__ void normalized_values(const float* x, const float* mean, const float* rstd,
                                  const float* weight, const float* bias, float* y, int64_t C,
                                  int64_t S, int64_t n) {
  for_each_index(n, [&](int64_t i) {
    const int64_t c = i / S % C;
    const float scale = batch_norm_scale(rstd[c], weight != nullptr ? weight[c] : 1.0f);
    const float shift = batch_norm_shift(bias != nullptr ? bias[c] : 0.0f, mean[c], scale);
    y[i] = batch_norm_value(x[i], scale, shift);
  });
}

__global__ void channel_gradients(const float* x, const float* dy, const float* mean,
                                  const float* rstd, const float* weight, bool batch_statistics,
                                  float* dx, float* dweight, float* dbias, int64_t N, int64_t C,
                                  int64_t S) {
  const int64_t c = blockIdx.x, count = N * S;
  double dy_sum = 0, dy_xhat_sum = 0;
  for (int64_t i = threadIdx.x; i < count; i += blockDim.x) {
    const int64_t at = channel_value(i, c, C, S);
    dy_sum += dy[at];
    dy_xhat_sum += dy_xhat_term(dy[at], batch_norm_xhat(x[at], mean[c], rstd[c]));
  }
  dy_sum = block_reduce(dy_sum, Sum{}, 0.0);
  dy_xhat_sum = block_reduce(dy_xhat_sum, Sum{}, 0.0);
  if (threadIdx.x == 0) {
    if (dweight != nullptr) dweight[c] = add_rn(dweight[c], static_cast<float>(dy_xhat_sum));
    if (dbias != nullptr) dbias[c] = add_rn(dbias[c], static_cast<float>(dy_sum));
  }
  if (dx == nullptr) return;
  const float scale = mul_rn(weight != nullptr ? weight[c] : 1.0f, rstd[c]);
  const float dy_mean = batch_statistics ? channel_mean(dy_sum, count) : 0.0f;
  const float dy_xhat_mean = batch_statistics ? channel_mean(dy_xhat_sum, count) : 0.0f;
  for (int64_t i = threadIdx.x; i < count; i += blockDim.x) {
    const int64_t at = channel_value(i, c, C, S);
    dx[at] = batch_norm_gradient(dy[at], batch_norm_xhat(x[at], mean[c], rstd[c]), scale, dy_mean,
                                 dy_xhat_mean);
  }
}

Status check_sizes(const char* what, int64_t N, int64_t C, int64_t S) {
  if (N >= 0 && C >= 0 && C <= INT32_MAX && S >= 0) return {};
  return Status::Invalid(std::string(what) + ": expected N, S >= 0 and C in [0, 2^31), found N " +
                         std::to_string(N) + ", C " + std::to_string(C) + ", S " +
                         std::to_string(S));
}

}  // namespace

Status launch_batch_norm_statistics(const float* x, int64_t N, int64_t C, int64_t S, double eps,
                                    float* mean, float* var, float* rstd, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_sizes("batch norm statistics", N, C, S));
  if (C == 0) return {};
  channel_statistics<<<static_cast<unsigned int>(C), kThreads, 0, stream>>>(x, N, C, S, eps, mean,
                                                                            var, rstd);
  return SLUICE_CUDA_CHECK(cudaGetLastError());
}

Status launch_batch_norm_forward(const float* x, const float* mean, const float* rstd,
                                 const float* weight, const float* bias, float* y, int64_t N,
                                 int64_t C, int64_t S, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_sizes("batch norm forward", N, C, S));
  const int64_t n = N * C * S;
  return SLUICE_CUDA_CHECK(
      launch_over(normalized_values, n, stream, x, mean, rstd, weight, bias, y, C, S, n));
}

Status launch_batch_norm_backward(const float* x, const float* dy, const float* mean,
                                  const float* rstd, const float* weight, bool batch_statistics,
                                  float* dx, float* dweight, float* dbias, int64_t N, int64_t C,
                                  int64_t S, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_sizes("batch norm backward", N, C, S));
  if (C == 0) return {};
  channel_gradients<<<static_cast<unsigned int>(C), kThreads, 0, stream>>>(
      x, dy, mean, rstd, weight, batch_statistics, dx, dweight, dbias, N, C, S);
  return SLUICE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace sluice::nn::cuda_kernels
