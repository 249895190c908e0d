// Row softmax: one warp per row, three passes over it (the maximum, the sum of exponentials, the
// output). Per-value arithmetic in softmax_math.h.
#include "cuda/cuda_status.h"
#include "cuda/launch.h"
#include "nn/cuda/row_values.h"
#include "nn/cuda/softmax_kernel.h"

#include <cstdint>
#include <string>

namespace sluice::nn::cuda_kernels {
namespace {

using ::sluice::cuda::kWarp;
using ::sluice::cuda::Max;
using ::sluice::cuda::Sum;
using ::sluice::cuda::warp_reduce;

constexpr int kRows = 8;  // rows per block, one per warp

// probs: (N, C), from logits: (N, C); causal rows cover softmax_length(n, C, causal) values.
__global__ void softmax_rows(const float* logits, float* probs, int64_t N, int64_t C, bool causal,
                             bool vec) {
  const int lane = threadIdx.x % kWarp;
  const int64_t n = blockIdx.x * int64_t{kRows} + threadIdx.x / kWarp;
  if (n >= N) return;  // the whole warp
  const int64_t length = softmax_length(n, C, causal);
  const float* const row[1] = {logits + n * C};
  float top = -INFINITY;
  for_row_values(row, length, vec, lane, kWarp,
                 [&](int64_t, const float(&v)[1]) { top = fmaxf(top, v[0]); });
  top = warp_reduce(top, Max());
  double sum = 0;
  for_row_values(row, length, vec, lane, kWarp,
                 [&](int64_t, const float(&v)[1]) { sum += softmax_exp(v[0], top); });
  const float scale = softmax_scale(warp_reduce(sum, Sum()));
  float* p = probs + n * C;
  for_row_values(row, length, vec, lane, kWarp, [&](int64_t c, const float(&v)[1]) {
    p[c] = softmax_value(softmax_exp(v[0], top), scale);
  });
  for (int64_t c = length + lane; c < C; c += kWarp) p[c] = 0.0f;
}

}  // namespace

Status launch_softmax(const float* logits, float* probs, int64_t N, int64_t C, bool causal,
                      cudaStream_t stream) {
  constexpr int64_t kMaxN = int64_t{INT32_MAX} * kRows;  // a block per kRows rows
  if (N < 0 || N > kMaxN || C < 1 || (causal && N % C != 0)) {
    return Status::Invalid("softmax: expected 0 <= N <= " + std::to_string(kMaxN) + ", C >= 1" +
                           std::string(causal ? " and N a multiple of C (B·H·T rows of T)" : "") +
                           ", found N " + std::to_string(N) + ", C " + std::to_string(C));
  }
  if (N == 0) return {};
  const auto blocks = static_cast<unsigned int>((N + kRows - 1) / kRows);
  softmax_rows<<<blocks, kRows * kWarp, 0, stream>>>(logits, probs, N, C, causal,
                                                     aligned4({logits}, C));
  return SLUICE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace sluice::nn::cuda_kernels
