// Layer norm's kernels: the forward pass one warp per row, the backward pass one block per group
// of rows plus a column pass over the groups' partial sums. Per-value arithmetic in
// layer_norm_math.h.
#include "cuda/cuda_status.h"
#include "cuda/launch.h"
#include "nn/cuda/layer_norm_kernel.h"
#include "nn/cuda/row_values.h"

#include <algorithm>
#include <cstdint>
#include <string>

namespace sluice::nn::cuda_kernels {
namespace {

using ::sluice::cuda::block_reduce;
using ::sluice::cuda::kWarp;
using ::sluice::cuda::Sum;
using ::sluice::cuda::warp_reduce;

constexpr int kForwardRows = 8;           // rows per forward block, one per warp
constexpr int kBackwardThreads = 256;     // threads per backward block, sharing each row
constexpr int kBackwardRows = 8;          // rows per backward block (a group)
constexpr int kColumnWarps = 8;           // warps per block of the column pass
constexpr int64_t kMaxBackwardC = 16384;  // the groups' column sums fit in shared memory

int64_t groups(int64_t N) { return (N + kBackwardRows - 1) / kBackwardRows; }

// y: (N, C), mean, rstd: (N), from x: (N, C), weight, bias: (C).
__global__ void forward_rows(const float* __restrict__ x, const float* __restrict__ weight,
                             const float* __restrict__ bias, float* __restrict__ y,
                             float* __restrict__ mean, float* __restrict__ rstd, int64_t N,
                             int64_t C, float eps, bool vec) {
  const int lane = threadIdx.x % kWarp;
  const int64_t n = blockIdx.x * int64_t{kForwardRows} + threadIdx.x / kWarp;
  if (n >= N) return;  // the whole warp
  const float* const row[1] = {x + n * C};
  double sum = 0;
  for_row_values(row, C, vec, lane, kWarp, [&](int64_t, const float(&v)[1]) { sum += v[0]; });
  const double m = row_mean(warp_reduce(sum, Sum()), C);
  double squares = 0;
  for_row_values(row, C, vec, lane, kWarp,
                 [&](int64_t, const float(&v)[1]) { squares += squared_deviation(v[0], m); });
  const float s = row_rstd(warp_reduce(squares, Sum()), C, eps);
  const auto mf = static_cast<float>(m);
  float* yr = y + n * C;
  for_row_values(row, C, vec, lane, kWarp, [&](int64_t c, const float(&v)[1]) {
    yr[c] = layer_norm_value(v[0], mf, s, weight[c], bias[c]);
  });
  if (lane == 0) {
    mean[n] = mf;
    rstd[n] = s;
  }
}

// dx: (N, C) +=, partial: (groups, 2, C) = each group's Σ dy · x̂, then Σ dy, over its rows in
// order; from dy, x: (N, C), weight: (C), mean, rstd: (N).
__global__ void backward_rows(const float* __restrict__ dy, const float* __restrict__ x,
                              const float* __restrict__ weight, const float* __restrict__ mean,
                              const float* __restrict__ rstd, float* __restrict__ dx,
                              float* __restrict__ partial, int64_t N, int64_t C, bool vec) {
  extern __shared__ float sums[];  // (2, C): the group's column sums; a column is one thread's
  const int t = threadIdx.x;
  for (int64_t i = t; i < 2 * C; i += blockDim.x) sums[i] = 0.0f;
  __syncthreads();
  const int64_t first = blockIdx.x * int64_t{kBackwardRows};
  const int64_t last = first + kBackwardRows < N ? first + kBackwardRows : N;
  for (int64_t n = first; n < last; ++n) {
    const float m = mean[n], s = rstd[n];
    const float* const rows[2] = {dy + n * C, x + n * C};
    double g_sum = 0, gx_sum = 0;
    for_row_values(rows, C, vec, t, blockDim.x, [&](int64_t c, const float(&v)[2]) {
      const float g = weighted_gradient(weight[c], v[0]);
      g_sum += g;
      gx_sum += mul_rn(g, normalized(v[1], m, s));
    });
    const float g_mean = row_term_mean(block_reduce(g_sum, Sum(), 0.0), C);
    const float gx_mean = row_term_mean(block_reduce(gx_sum, Sum(), 0.0), C);
    float* dxr = dx + n * C;
    for_row_values(rows, C, vec, t, blockDim.x, [&](int64_t c, const float(&v)[2]) {
      const float xhat = normalized(v[1], m, s);
      dxr[c] = input_gradient(dxr[c], weighted_gradient(weight[c], v[0]), xhat, g_mean, gx_mean, s);
      sums[c] = add_rn(sums[c], mul_rn(xhat, v[0]));
      sums[C + c] = add_rn(sums[C + c], v[0]);
    });
  }
  __syncthreads();
  float* out = partial + blockIdx.x * 2 * C;
  for (int64_t i = t; i < 2 * C; i += blockDim.x) out[i] = sums[i];
}

// dweight, dbias: (C) += the sums of partial: (groups, 2, C) over the groups. A block takes 32
// columns, one per lane; its warps sum every kColumnWarps-th group in order, then the warps' sums
// are added in warp order.
__global__ void backward_columns(const float* __restrict__ partial, int64_t group_count,
                                 float* __restrict__ dweight, float* __restrict__ dbias,
                                 int64_t C) {
  __shared__ float warp_sums[2][kColumnWarps][kWarp];
  const int lane = threadIdx.x % kWarp, warp = threadIdx.x / kWarp;
  const int64_t c = blockIdx.x * int64_t{kWarp} + lane;
  float w = 0.0f, b = 0.0f;
  if (c < C) {
    for (int64_t g = warp; g < group_count; g += kColumnWarps) {
      w = add_rn(w, partial[g * 2 * C + c]);
      b = add_rn(b, partial[g * 2 * C + C + c]);
    }
  }
  warp_sums[0][warp][lane] = w;
  warp_sums[1][warp][lane] = b;
  __syncthreads();
  if (warp == 0 && c < C) {
    for (int k = 1; k < kColumnWarps; ++k) {
      w = add_rn(w, warp_sums[0][k][lane]);
      b = add_rn(b, warp_sums[1][k][lane]);
    }
    dweight[c] = add_rn(dweight[c], w);
    dbias[c] = add_rn(dbias[c], b);
  }
}

// N rows of C: every row's block fits in a grid (2^31 - 1 blocks of `rows_per_block`), C in
// [1, max_c].
Status check_sizes(const char* what, int64_t N, int64_t C, int64_t rows_per_block, int64_t max_c) {
  const int64_t max_n = int64_t{INT32_MAX} * rows_per_block;
  if (N >= 0 && N <= max_n && C >= 1 && C <= max_c) return {};
  return Status::Invalid(std::string(what) + ": expected 0 <= N <= " + std::to_string(max_n) +
                         " and 1 <= C <= " + std::to_string(max_c) + ", found N " +
                         std::to_string(N) + ", C " + std::to_string(C));
}

// The dynamic shared memory backward_rows may take on this device (2 * kMaxBackwardC floats, or
// less where the device allows less), set as the kernel's attribute.
Expected<size_t> set_backward_shared_limit() {
  int device = 0, optin = 0;
  cudaFuncAttributes attributes{};
  SLUICE_CUDA_RETURN_IF_ERROR(cudaGetDevice(&device));
  SLUICE_CUDA_RETURN_IF_ERROR(
      cudaDeviceGetAttribute(&optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, device));
  SLUICE_CUDA_RETURN_IF_ERROR(cudaFuncGetAttributes(&attributes, backward_rows));
  const size_t limit = std::min<size_t>(2 * static_cast<size_t>(kMaxBackwardC) * sizeof(float),
                                        static_cast<size_t>(optin) - attributes.sharedSizeBytes);
  SLUICE_CUDA_RETURN_IF_ERROR(cudaFuncSetAttribute(
      backward_rows, cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(limit)));
  return limit;
}

// set_backward_shared_limit's result, from its one call per process: the attribute is never
// lowered afterwards, so launches on several host threads do not race on it (device 0, the one
// the nn models use).
Expected<size_t> backward_shared_limit() {
  static const Expected<size_t> limit = set_backward_shared_limit();
  return limit;
}

}  // namespace

Status launch_layer_norm_forward(const float* x, const float* weight, const float* bias, float* y,
                                 float* mean, float* rstd, int64_t N, int64_t C, float eps,
                                 cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_sizes("layer norm forward", N, C, kForwardRows, INT64_MAX));
  if (N == 0) return {};
  const auto blocks = static_cast<unsigned int>((N + kForwardRows - 1) / kForwardRows);
  forward_rows<<<blocks, kForwardRows * kWarp, 0, stream>>>(x, weight, bias, y, mean, rstd, N, C,
                                                            eps, aligned4({x}, C));
  return SLUICE_CUDA_CHECK(cudaGetLastError());
}

int64_t layer_norm_backward_scratch(int64_t N, int64_t C) { return groups(N) * 2 * C; }

Status launch_layer_norm_backward(const float* dy, const float* x, const float* weight,
                                  const float* mean, const float* rstd, float* dx, float* dweight,
                                  float* dbias, float* scratch, int64_t N, int64_t C,
                                  cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_sizes("layer norm backward", N, C, kBackwardRows, kMaxBackwardC));
  if (N == 0) return {};
  const size_t shared = 2 * static_cast<size_t>(C) * sizeof(float);
  Expected<size_t> limit = backward_shared_limit();
  if (!limit.ok()) return limit.status();
  if (shared > *limit) {
    return Status::Invalid(
        "layer norm backward: expected C <= " + std::to_string(*limit / (2 * sizeof(float))) +
        " (the device's shared memory per block), found C " + std::to_string(C));
  }
  const int64_t group_count = groups(N);
  backward_rows<<<static_cast<unsigned int>(group_count), kBackwardThreads, shared, stream>>>(
      dy, x, weight, mean, rstd, dx, scratch, N, C, aligned4({dy, x}, C));
  SLUICE_CUDA_RETURN_IF_ERROR(cudaGetLastError());
  const auto column_blocks = static_cast<unsigned int>((C + kWarp - 1) / kWarp);
  backward_columns<<<column_blocks, kColumnWarps * kWarp, 0, stream>>>(scratch, group_count,
                                                                       dweight, dbias, C);
  return SLUICE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace sluice::nn::cuda_kernels
