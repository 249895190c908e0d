// Launch shapes shared by the image kernels: a 1-D grid-stride loop over n elements. Included by
// .cu files only.
#pragma once

#include <cstdint>

namespace sluice::image::cuda_kernels {

constexpr int kThreads = 256;

// Blocks for n > 0 elements: one per kThreads, capped (the loop strides over the rest).
inline unsigned int grid_blocks(int64_t n) {
  constexpr int64_t kMaxBlocks = int64_t{1} << 20;
  const int64_t blocks = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned int>(blocks < kMaxBlocks ? blocks : kMaxBlocks);
}

// In a kernel: f(i) for every i in [0, n), each thread striding by the grid's size.
template <class F>
__device__ void for_each_index(int64_t n, F f) {
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    f(i);
  }
}

}  // namespace sluice::image::cuda_kernels
