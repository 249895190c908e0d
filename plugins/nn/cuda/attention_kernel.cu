// Attention's head copies (grid-stride, one thread per value) and the causal softmax's backward
// pass (one warp per row: the row's dot product, then its gradient).
#include "cuda/cuda_status.h"
#include "cuda/host_device.h"
#include "cuda/launch.h"
#include "nn/cuda/attention_kernel.h"

#include <string>

namespace sluice::nn::cuda_kernels {
namespace {

using ::sluice::cuda::for_each_index;
using ::sluice::cuda::kWarp;
using ::sluice::cuda::launch_over;
using ::sluice::cuda::mul_rn;
using ::sluice::cuda::Sum;
using ::sluice::cuda::warp_reduce;

constexpr int kRows = 8;  // rows per block of the softmax backward, one per warp

// dst: (B, H, T, hs), from rows: (B, T, W).
__global__ void heads_from_rows(const float* rows, int64_t W, int64_t column, float* dst,
                                HeadShape s) {
  for_each_index(s.count(), [&](int64_t i) {
    dst[i] = rows[row_index(head_value(i, s.H, s.T, s.hs), s.T, W, column, s.hs)];
  });
}

// rows: (B, T, W), from heads: (B, H, T, hs).
__global__ void rows_from_heads(const float* heads, float* rows, int64_t W, int64_t column,
                                HeadShape s) {
  for_each_index(s.count(), [&](int64_t i) {
    rows[row_index(head_value(i, s.H, s.T, s.hs), s.T, W, column, s.hs)] = heads[i];
  });
}

// d: (N, T) in place, from att: (N, T).
__global__ void causal_softmax_backward(const float* att, float* d, int64_t N, int64_t T,
                                        float scale) {
  const int lane = threadIdx.x % kWarp;
  const int64_t n = blockIdx.x * int64_t{kRows} + threadIdx.x / kWarp;
  if (n >= N) return;  // the whole warp
  const int64_t length = n % T + 1;
  const float* p = att + n * T;
  float* g = d + n * T;
  float dot = 0.0f;
  for (int64_t j = lane; j < length; j += kWarp) dot += mul_rn(p[j], g[j]);
  dot = warp_reduce(dot, Sum());
  for (int64_t j = lane; j < T; j += kWarp) {
    g[j] = j < length ? mul_rn(mul_rn(p[j], g[j] - dot), scale) : 0.0f;
  }
}

Status check_shape(const char* what, const HeadShape& s, int64_t W, int64_t column) {
  if (s.B >= 0 && s.T >= 1 && s.H >= 1 && s.hs >= 1 && column >= 0 && column + s.H * s.hs <= W) {
    return {};
  }
  return Status::Invalid(std::string(what) + ": expected B >= 0, T, H, hs >= 1 and the part " +
                         "within the rows, found B " + std::to_string(s.B) + ", T " +
                         std::to_string(s.T) + ", H " + std::to_string(s.H) + ", hs " +
                         std::to_string(s.hs) + ", columns " + std::to_string(column) + " of " +
                         std::to_string(W));
}

}  // namespace

Status launch_heads_from_rows(const float* rows, int64_t W, int64_t column, float* dst,
                              const HeadShape& s, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_shape("heads from rows", s, W, column));
  return SLUICE_CUDA_CHECK(
      launch_over(heads_from_rows, s.count(), stream, rows, W, column, dst, s));
}

Status launch_rows_from_heads(const float* heads, float* rows, int64_t W, int64_t column,
                              const HeadShape& s, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_shape("rows from heads", s, W, column));
  return SLUICE_CUDA_CHECK(
      launch_over(rows_from_heads, s.count(), stream, heads, rows, W, column, s));
}

Status launch_causal_softmax_backward(const float* att, float* d, int64_t N, int64_t T, float scale,
                                      cudaStream_t stream) {
  constexpr int64_t kMaxN = int64_t{INT32_MAX} * kRows;
  if (N < 0 || N > kMaxN || T < 1 || N % T != 0) {
    return Status::Invalid("causal softmax backward: expected 0 <= N <= " + std::to_string(kMaxN) +
                           " a multiple of T >= 1, found N " + std::to_string(N) + ", T " +
                           std::to_string(T));
  }
  if (N == 0) return {};
  const auto blocks = static_cast<unsigned int>((N + kRows - 1) / kRows);
  causal_softmax_backward<<<blocks, kRows * kWarp, 0, stream>>>(att, d, N, T, scale);
  return SLUICE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace sluice::nn::cuda_kernels
