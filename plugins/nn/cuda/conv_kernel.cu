// Convolution and pooling kernels: grid-stride loops, one thread per output value (per channel
// for the bias gradient). Per-value arithmetic in conv_math.h.
#include "cuda/cuda_status.h"
#include "cuda/launch.h"
#include "nn/cuda/conv_kernel.h"

#include <string>

namespace sluice::nn::cuda_kernels {
namespace {

using ::sluice::cuda::for_each_index;
using ::sluice::cuda::launch_over;

__global__ void im2col_values(ConvGeometry g, const float* x, float* col, int64_t n) {
  const int64_t image = g.C * g.H * g.W, unfolded = g.C * g.K * g.K * g.OH * g.OW;
  for_each_index(
      n, [&](int64_t i) { col[i] = unfolded_value(g, x + i / unfolded * image, i % unfolded); });
}

__global__ void col2im_values(ConvGeometry g, const float* dcol, float* dx, int64_t n) {
  const int64_t image = g.C * g.H * g.W, unfolded = g.C * g.K * g.K * g.OH * g.OW;
  for_each_index(
      n, [&](int64_t i) { dx[i] = folded_value(g, dcol + i / image * unfolded, i % image); });
}

__global__ void channel_fill(const float* b, float* y, int64_t O, int64_t S, int64_t n) {
  for_each_index(n, [&](int64_t i) { y[i] = b != nullptr ? b[i / S % O] : 0.0f; });
}

__global__ void channel_sums(const float* dy, float* db, int64_t batch, int64_t O, int64_t S) {
  for_each_index(O, [&](int64_t o) {
    float sum = db[o];
    for (int64_t n = 0; n < batch; ++n) {
      const float* row = dy + (n * O + o) * S;
      for (int64_t k = 0; k < S; ++k) sum = add_rn(sum, row[k]);
    }
    db[o] = sum;
  });
}

__global__ void max_pool_values(PoolGeometry g, const float* x, float* y, int64_t n) {
  const int64_t plane = g.H * g.W, out = g.OH * g.OW;
  for_each_index(n, [&](int64_t i) { y[i] = window_max(g, x + i / out * plane, i % out); });
}

__global__ void max_pool_gradients(PoolGeometry g, const float* x, const float* y, const float* dy,
                                   float* dx, int64_t n) {
  const int64_t plane = g.H * g.W, out = g.OH * g.OW;
  for_each_index(n, [&](int64_t i) {
    const int64_t p = i / plane;
    dx[i] = max_pool_gradient(g, x + p * plane, y + p * out, dy + p * out, i % plane);
  });
}

__global__ void avg_pool_values(PoolGeometry g, const float* x, float scale, float* y, int64_t n) {
  const int64_t plane = g.H * g.W, out = g.OH * g.OW;
  for_each_index(n, [&](int64_t i) { y[i] = window_mean(g, x + i / out * plane, scale, i % out); });
}

__global__ void avg_pool_gradients(PoolGeometry g, const float* dy, float scale, float* dx,
                                   int64_t n) {
  const int64_t plane = g.H * g.W, out = g.OH * g.OW;
  for_each_index(
      n, [&](int64_t i) { dx[i] = avg_pool_gradient(g, dy + i / plane * out, scale, i % plane); });
}

// 1 / K², as the CPU's pooling computes it.
float window_scale(const PoolGeometry& g) { return 1.0f / static_cast<float>(g.K * g.K); }

Status check_conv(const char* what, const ConvGeometry& g, int64_t batch) {
  if (batch >= 0 && g.C > 0 && g.H > 0 && g.W > 0 && g.K > 0 && g.stride > 0 && g.pad >= 0 &&
      g.OH > 0 && g.OW > 0) {
    return {};
  }
  return Status::Invalid(
      std::string(what) + ": expected a batch >= 0 and positive sizes, found batch " +
      std::to_string(batch) + ", C " + std::to_string(g.C) + ", H " + std::to_string(g.H) + ", W " +
      std::to_string(g.W) + ", K " + std::to_string(g.K) + ", OH " + std::to_string(g.OH) +
      ", OW " + std::to_string(g.OW));
}

Status check_pool(const char* what, const PoolGeometry& g, int64_t planes) {
  if (planes >= 0 && g.H > 0 && g.W > 0 && g.K > 0 && g.stride > 0 && g.OH > 0 && g.OW > 0) {
    return {};
  }
  return Status::Invalid(std::string(what) +
                         ": expected planes >= 0 and positive sizes, found planes " +
                         std::to_string(planes) + ", H " + std::to_string(g.H) + ", W " +
                         std::to_string(g.W) + ", K " + std::to_string(g.K) + ", OH " +
                         std::to_string(g.OH) + ", OW " + std::to_string(g.OW));
}

Status check_channels(const char* what, int64_t batch, int64_t O, int64_t S) {
  if (batch >= 0 && O >= 0 && S >= 0) return {};
  return Status::Invalid(std::string(what) + ": expected sizes >= 0, found batch " +
                         std::to_string(batch) + ", O " + std::to_string(O) + ", S " +
                         std::to_string(S));
}

}  // namespace

Status launch_im2col(const ConvGeometry& g, const float* x, float* col, int64_t batch,
                     cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_conv("im2col", g, batch));
  const int64_t n = batch * g.C * g.K * g.K * g.OH * g.OW;
  return SLUICE_CUDA_CHECK(launch_over(im2col_values, n, stream, g, x, col, n));
}

Status launch_col2im(const ConvGeometry& g, const float* dcol, float* dx, int64_t batch,
                     cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_conv("col2im", g, batch));
  const int64_t n = batch * g.C * g.H * g.W;
  return SLUICE_CUDA_CHECK(launch_over(col2im_values, n, stream, g, dcol, dx, n));
}

Status launch_channel_fill(const float* b, float* y, int64_t batch, int64_t O, int64_t S,
                           cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_channels("channel fill", batch, O, S));
  const int64_t n = batch * O * S;
  return SLUICE_CUDA_CHECK(launch_over(channel_fill, n, stream, b, y, O, S, n));
}

Status launch_channel_sums(const float* dy, float* db, int64_t batch, int64_t O, int64_t S,
                           cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_channels("channel sums", batch, O, S));
  return SLUICE_CUDA_CHECK(launch_over(channel_sums, O, stream, dy, db, batch, O, S));
}

Status launch_max_pool_forward(const PoolGeometry& g, const float* x, float* y, int64_t planes,
                               cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_pool("max pool", g, planes));
  const int64_t n = planes * g.OH * g.OW;
  return SLUICE_CUDA_CHECK(launch_over(max_pool_values, n, stream, g, x, y, n));
}

Status launch_max_pool_backward(const PoolGeometry& g, const float* x, const float* y,
                                const float* dy, float* dx, int64_t planes, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_pool("max pool backward", g, planes));
  const int64_t n = planes * g.H * g.W;
  return SLUICE_CUDA_CHECK(launch_over(max_pool_gradients, n, stream, g, x, y, dy, dx, n));
}

Status launch_avg_pool_forward(const PoolGeometry& g, const float* x, float* y, int64_t planes,
                               cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_pool("avg pool", g, planes));
  const int64_t n = planes * g.OH * g.OW;
  return SLUICE_CUDA_CHECK(launch_over(avg_pool_values, n, stream, g, x, window_scale(g), y, n));
}

Status launch_avg_pool_backward(const PoolGeometry& g, const float* dy, float* dx, int64_t planes,
                                cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_pool("avg pool backward", g, planes));
  const int64_t n = planes * g.H * g.W;
  return SLUICE_CUDA_CHECK(
      launch_over(avg_pool_gradients, n, stream, g, dy, window_scale(g), dx, n));
}

}  // namespace sluice::nn::cuda_kernels
