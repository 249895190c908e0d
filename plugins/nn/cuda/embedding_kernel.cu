// Embedding and masked-mean kernels: grid-stride loops, one thread per output value (per column
// for the table's gradient).
#include "cuda/cuda_status.h"
#include "cuda/host_device.h"
#include "cuda/launch.h"
#include "nn/cuda/embedding_kernel.h"

#include <string>

namespace sluice::nn::cuda_kernels {
namespace {

using ::sluice::cuda::add_rn;
using ::sluice::cuda::for_each_index;
using ::sluice::cuda::launch_over;
using ::sluice::cuda::mul_rn;

// out: (N, D), from ids: (N), table: (count, D), positions: (T, D) or null.
__global__ void gather_rows(const int32_t* ids, const float* table, const float* positions,
                            float* out, int64_t N, int64_t T, int64_t D) {
  for_each_index(N * D, [&](int64_t i) {
    const int64_t n = i / D, d = i % D;
    const float v = table[static_cast<int64_t>(ids[n]) * D + d];
    out[i] = positions != nullptr ? add_rn(v, positions[(n % T) * D + d]) : v;
  });
}

// dtable: (count, D) +=, from dout: (N, D); thread d walks column d through the rows in order.
__global__ void scatter_rows(const int32_t* ids, const float* dout, float* dtable, int64_t N,
                             int64_t D) {
  for_each_index(D, [&](int64_t d) {
    for (int64_t n = 0; n < N; ++n) {
      float* g = dtable + static_cast<int64_t>(ids[n]) * D + d;
      *g = add_rn(*g, dout[n * D + d]);
    }
  });
}

// dpositions: (T, D) +=, from dout: (B, T, D).
__global__ void position_sums(const float* dout, float* dpositions, int64_t B, int64_t T,
                              int64_t D) {
  for_each_index(T * D, [&](int64_t i) {
    float sum = dpositions[i];
    for (int64_t b = 0; b < B; ++b) sum = add_rn(sum, dout[b * T * D + i]);
    dpositions[i] = sum;
  });
}

// 1 / (the positions of mask row m (T) that are set), 1 when none is.
__device__ float inverse_count(const uint8_t* m, int64_t T) {
  int64_t count = 0;
  for (int64_t t = 0; t < T; ++t) count += m[t] != 0;
  return __fdiv_rn(1.0f, static_cast<float>(count > 1 ? count : 1));
}

// y: (B, D), from x: (B, T, D), mask: (B, T).
__global__ void masked_mean_forward(const float* x, const uint8_t* mask, float* y, int64_t B,
                                    int64_t T, int64_t D) {
  for_each_index(B * D, [&](int64_t i) {
    const int64_t b = i / D, d = i % D;
    const uint8_t* m = mask + b * T;
    float sum = 0.0f;
    for (int64_t t = 0; t < T; ++t) {
      if (m[t] != 0) sum = add_rn(sum, x[(b * T + t) * D + d]);
    }
    y[i] = mul_rn(sum, inverse_count(m, T));
  });
}

// dx: (B, T, D), from dy: (B, D), mask: (B, T).
__global__ void masked_mean_backward(const float* dy, const uint8_t* mask, float* dx, int64_t B,
                                     int64_t T, int64_t D) {
  for_each_index(B * T * D, [&](int64_t i) {
    const int64_t d = i % D, bt = i / D, b = bt / T;
    dx[i] = mask[bt] != 0 ? mul_rn(dy[b * D + d], inverse_count(mask + b * T, T)) : 0.0f;
  });
}

Status check_sizes(const char* what, int64_t a, int64_t b, int64_t c) {
  if (a >= 0 && b >= 0 && c >= 0) return {};
  return Status::Invalid(std::string(what) + ": expected sizes >= 0, found " + std::to_string(a) +
                         ", " + std::to_string(b) + ", " + std::to_string(c));
}

}  // namespace

Status launch_embedding_forward(const int32_t* ids, const float* table, const float* positions,
                                float* out, int64_t N, int64_t T, int64_t D, cudaStream_t stream) {
  // T divides the positions' rows; without positions or rows it is unused (and may be 0).
  const bool uses_t = positions != nullptr && N > 0;
  SLUICE_RETURN_IF_ERROR(check_sizes("embedding forward", N, uses_t && T < 1 ? -1 : 0, D));
  return SLUICE_CUDA_CHECK(
      launch_over(gather_rows, N * D, stream, ids, table, positions, out, N, T, D));
}

Status launch_embedding_backward(const int32_t* ids, const float* dout, float* dtable, int64_t N,
                                 int64_t D, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_sizes("embedding backward", N, D, 0));
  return SLUICE_CUDA_CHECK(
      launch_over(scatter_rows, N == 0 ? 0 : D, stream, ids, dout, dtable, N, D));
}

Status launch_position_backward(const float* dout, float* dpositions, int64_t B, int64_t T,
                                int64_t D, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_sizes("position backward", B, T, D));
  return SLUICE_CUDA_CHECK(
      launch_over(position_sums, B == 0 ? 0 : T * D, stream, dout, dpositions, B, T, D));
}

Status launch_masked_mean_forward(const float* x, const uint8_t* mask, float* y, int64_t B,
                                  int64_t T, int64_t D, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_sizes("masked mean forward", B, T, D));
  return SLUICE_CUDA_CHECK(launch_over(masked_mean_forward, B * D, stream, x, mask, y, B, T, D));
}

Status launch_masked_mean_backward(const float* dy, const uint8_t* mask, float* dx, int64_t B,
                                   int64_t T, int64_t D, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_sizes("masked mean backward", B, T, D));
  return SLUICE_CUDA_CHECK(
      launch_over(masked_mean_backward, B * T * D, stream, dy, mask, dx, B, T, D));
}

}  // namespace sluice::nn::cuda_kernels
