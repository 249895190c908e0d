// The convolution's and pooling's kernels on a CUDA device (NCHW float32, as nn/kernels/conv.h):
// unfolding images into columns and folding column gradients back (the products between them are
// cuBLAS's, in the device model), a convolution's bias and its gradient, and max and average
// pooling with their gradients. Per-value arithmetic in conv_math.h: the same bits as the CPU
// kernels. Pointers are device memory. A launcher checks its sizes (INVALID_ARGUMENT, nothing
// queued), queues one kernel on `stream` and returns; a launch error is a Status naming this
// file's line. Thread-safe.
#pragma once

#include "nn/cuda/conv_math.h"

#include <sluice/status.hpp>

#include <cuda_runtime_api.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

// col (B, C·K·K, OH·OW) = the unfolded images of x (B, C, H, W).
Status launch_im2col(const ConvGeometry& g, const float* x, float* col, int64_t batch,
                     cudaStream_t stream);

// dx (B, C, H, W) = dcol (B, C·K·K, OH·OW) folded back onto the images.
Status launch_col2im(const ConvGeometry& g, const float* dcol, float* dx, int64_t batch,
                     cudaStream_t stream);

// y (B, O, S): every value of channel o = b[o], or 0 when b is null.
Status launch_channel_fill(const float* b, float* y, int64_t batch, int64_t O, int64_t S,
                           cudaStream_t stream);

// db (O) += the sums of dy (B, O, S) over images and positions, image after image and position
// after position (conv2d_backward's order). One thread per channel.
Status launch_channel_sums(const float* dy, float* db, int64_t batch, int64_t O, int64_t S,
                           cudaStream_t stream);

// y (planes, OH, OW) = the maximum of each window of x (planes, H, W); dx (planes, H, W) = the
// window gradients dy routed to each window's first maximum (given the forward's y).
Status launch_max_pool_forward(const PoolGeometry& g, const float* x, float* y, int64_t planes,
                               cudaStream_t stream);
Status launch_max_pool_backward(const PoolGeometry& g, const float* x, const float* y,
                                const float* dy, float* dx, int64_t planes, cudaStream_t stream);

// y (planes, OH, OW) = the mean of each window; dx (planes, H, W) = dy spread evenly over each
// window, summed where windows overlap.
Status launch_avg_pool_forward(const PoolGeometry& g, const float* x, float* y, int64_t planes,
                               cudaStream_t stream);
Status launch_avg_pool_backward(const PoolGeometry& g, const float* dy, float* dx, int64_t planes,
                                cudaStream_t stream);

}  // namespace sluice::nn::cuda_kernels
