// The normalize kernel: one thread per output value (grid-stride); per-value arithmetic in
// normalize_math.h.
#include "cuda/cuda_status.h"
#include "cuda/launch.h"
#include "image/cuda/normalize_kernel.h"

namespace sluice::image::cuda_kernels {
namespace {

// out: (count, C, H, W), from in: (count, H, W, C).
__global__ void normalize_chw(NormalizeArgs a) {
  cuda::for_each_index(a.out_size(), [&](int64_t i) { a.out[i] = normalize_value(a, i); });
}

}  // namespace

Status launch_normalize(const NormalizeArgs& a, cudaStream_t stream) {
  if (a.out_size() <= 0) return {};
  normalize_chw<<<cuda::grid_blocks(a.out_size()), cuda::kThreads, 0, stream>>>(a);
  return SLUICE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace sluice::image::cuda_kernels
