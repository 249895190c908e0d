// Launch shapes shared by the image kernels: a 1-D grid-stride loop over n elements.
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

}  // namespace sluice::image::cuda_kernels
