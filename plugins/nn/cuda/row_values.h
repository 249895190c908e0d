// Reading rows of float matrices in the nn kernels: the values of K rows at the same columns,
// one float4 load per row for four columns where the rows are 16-byte aligned. Included by .cu
// files only.
#pragma once

#include <cstdint>
#include <initializer_list>

namespace sluice::nn::cuda_kernels {

// Whether every pointer is 16-byte aligned and rows of `C` floats stay so (C % 4 == 0): then
// for_row_values may load four columns at once.
inline bool aligned4(std::initializer_list<const void*> pointers, int64_t C) {
  for (const void* p : pointers) {
    if (reinterpret_cast<uintptr_t>(p) % 16 != 0) return false;
  }
  return C % 4 == 0;
}

// f(c, v) for the columns c in [0, n) that thread `rank` of `ranks` cooperating on the rows
// visits, v[k] = rows[k][c]. With `vec` (every rows[k] 16-byte aligned) a thread takes four
// consecutive columns at a time, one float4 load per row, and the last n % 4 columns one by one;
// otherwise one column at a time. Either way a column is visited by the same thread for the same
// (n, vec, ranks), so per-column state a thread keeps across rows is its own.
template <int K, class F>
__device__ void for_row_values(const float* const (&rows)[K], int64_t n, bool vec, int rank,
                               int ranks, F f) {
  int64_t c = rank;
  if (vec) {
    const int64_t n4 = n - n % 4;
    for (c = 4 * int64_t{rank}; c < n4; c += 4 * int64_t{ranks}) {
      float4 q[K];
      for (int k = 0; k < K; ++k) q[k] = *reinterpret_cast<const float4*>(rows[k] + c);
      float v[K];
      for (int k = 0; k < K; ++k) v[k] = q[k].x;
      f(c, v);
      for (int k = 0; k < K; ++k) v[k] = q[k].y;
      f(c + 1, v);
      for (int k = 0; k < K; ++k) v[k] = q[k].z;
      f(c + 2, v);
      for (int k = 0; k < K; ++k) v[k] = q[k].w;
      f(c + 3, v);
    }
    c = n4 + rank;
  }
  for (; c < n; c += ranks) {
    float v[K];
    for (int k = 0; k < K; ++k) v[k] = rows[k][c];
    f(c, v);
  }
}

}  // namespace sluice::nn::cuda_kernels
