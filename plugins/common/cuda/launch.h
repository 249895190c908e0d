// Launch shapes and reductions shared by the plugins' kernels: a 1-D grid-stride loop over n
// elements, sums and maxima across a warp or a block. Included by .cu files only.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

namespace sluice::cuda {

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

// Queues kernel(args...) on `stream` with grid_blocks(n) blocks of kThreads, for a kernel that
// loops over n > 0 elements with for_each_index; nothing for n == 0. Returns the launch's error
// (cudaGetLastError), for the caller's SLUICE_CUDA_CHECK.
template <class... KernelArgs, class... Args>
cudaError_t launch_over(void (*kernel)(KernelArgs...), int64_t n, cudaStream_t stream,
                        Args... args) {
  if (n == 0) return cudaSuccess;
  kernel<<<grid_blocks(n), kThreads, 0, stream>>>(args...);
  return cudaGetLastError();
}

constexpr int kWarp = 32;
constexpr unsigned int kFullMask = 0xffffffffu;

struct Sum {
  template <class T>
  __device__ T operator()(T a, T b) const {
    return a + b;
  }
};
struct Max {
  __device__ float operator()(float a, float b) const { return fmaxf(a, b); }
};

// op (Sum, Max) over v of the calling warp's 32 lanes, in every lane: a butterfly of shuffles,
// whose pairings are the same every run and, op being commutative, leave the same bits in every
// lane. All 32 lanes must call it.
template <class T, class Op>
__device__ T warp_reduce(T v, Op op) {
  for (int offset = kWarp / 2; offset > 0; offset /= 2) {
    v = op(v, __shfl_xor_sync(kFullMask, v, offset));
  }
  return v;
}

// op over v of the calling block (blockDim.x a multiple of 32, at most 1024), in every thread:
// each warp's result, then the warps' results in the same butterfly. `identity` is op's (0 for
// Sum, -infinity for Max). Every thread of the block must call it; it synchronises the block.
template <class T, class Op>
__device__ T block_reduce(T v, Op op, T identity) {
  __shared__ T warp_results[kWarp];
  const int lane = threadIdx.x % kWarp, warp = threadIdx.x / kWarp;
  v = warp_reduce(v, op);
  __syncthreads();  // the previous call's readers are done with warp_results
  if (lane == 0) warp_results[warp] = v;
  __syncthreads();
  return warp_reduce(lane < static_cast<int>(blockDim.x / kWarp) ? warp_results[lane] : identity,
                     op);
}

}  // namespace sluice::cuda
