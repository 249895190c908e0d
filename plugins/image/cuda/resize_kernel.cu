// The resize kernel: the row pass into float, then the column pass, one thread per value
// (grid-stride); per-value arithmetic in resize_math.h.
#include "cuda/cuda_status.h"
#include "cuda/launch.h"
#include "image/cuda/resize_kernel.h"

namespace sluice::image::cuda_kernels {
namespace {

// tmp: (count, rows, out_w, C), from in: (count, in_h, in_w, C).
__global__ void resize_rows(ResizeArgs a) {
  cuda::for_each_index(a.tmp_size(), [&](int64_t i) { a.tmp[i] = resize_row_value(a, i); });
}

// out: (count, out_h, out_w, C), from tmp.
__global__ void resize_columns(ResizeArgs a) {
  cuda::for_each_index(a.out_size(), [&](int64_t i) { a.out[i] = resize_column_value(a, i); });
}

}  // namespace

Status launch_resize(const ResizeArgs& a, cudaStream_t stream) {
  if (a.tmp_size() <= 0 || a.out_size() <= 0) return {};
  resize_rows<<<cuda::grid_blocks(a.tmp_size()), cuda::kThreads, 0, stream>>>(a);
  SLUICE_CUDA_RETURN_IF_ERROR(cudaGetLastError());
  resize_columns<<<cuda::grid_blocks(a.out_size()), cuda::kThreads, 0, stream>>>(a);
  return SLUICE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace sluice::image::cuda_kernels
