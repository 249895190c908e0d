// Element-wise and per-column kernels of the device model: grid-stride loops, one thread per
// value (per column for the column sums).
#include "cuda/cuda_status.h"
#include "cuda/host_device.h"
#include "cuda/launch.h"
#include "nn/cuda/elementwise_kernel.h"

#include <string>

namespace sluice::nn::cuda_kernels {
namespace {

using ::sluice::cuda::add_rn;
using ::sluice::cuda::for_each_index;
using ::sluice::cuda::launch_over;
using ::sluice::cuda::mul_rn;

// y: (rows, O), from b: (O).
__global__ void broadcast_rows(const float* b, float* y, int64_t rows, int64_t O) {
  for_each_index(rows * O, [&](int64_t i) { y[i] = b[i % O]; });
}

// db: (O) +=, from dy: (rows, O); thread o sums column o in row order.
__global__ void column_sums(const float* dy, float* db, int64_t rows, int64_t O) {
  for_each_index(O, [&](int64_t o) {
    float sum = db[o];
    for (int64_t r = 0; r < rows; ++r) sum = add_rn(sum, dy[r * O + o]);
    db[o] = sum;
  });
}

// y: (n) = a + b.
__global__ void add_values(const float* a, const float* b, float* y, int64_t n) {
  for_each_index(n, [&](int64_t i) { y[i] = add_rn(a[i], b[i]); });
}

__global__ void relu_forward(const float* x, float* y, int64_t n) {
  for_each_index(n, [&](int64_t i) { y[i] = x[i] > 0.0f ? x[i] : 0.0f; });
}

__global__ void relu_backward(const float* x, const float* dy, float* dx, int64_t n) {
  for_each_index(n, [&](int64_t i) { dx[i] = x[i] > 0.0f ? dy[i] : 0.0f; });
}

__global__ void tanh_forward(const float* x, float* y, int64_t n) {
  for_each_index(n, [&](int64_t i) { y[i] = tanhf(x[i]); });
}

// dx: (n) = dy · (1 - y·y), in activation.cc's order.
__global__ void tanh_backward(const float* y, const float* dy, float* dx, int64_t n) {
  for_each_index(n, [&](int64_t i) { dx[i] = mul_rn(dy[i], 1.0f - mul_rn(y[i], y[i])); });
}

__global__ void divide_values(float* x, float divisor, int64_t n) {
  for_each_index(n, [&](int64_t i) { x[i] = __fdiv_rn(x[i], divisor); });
}

__global__ void dropout_values(const float* x, const uint8_t* dropped, float scale, float* y,
                               int64_t n) {
  for_each_index(n, [&](int64_t i) { y[i] = dropped[i] != 0 ? 0.0f : mul_rn(x[i], scale); });
}

__global__ void scale_values(float* x, float factor, int64_t n) {
  for_each_index(n, [&](int64_t i) { x[i] = mul_rn(x[i], factor); });
}

Status check_size(const char* what, int64_t n) {
  if (n >= 0) return {};
  return Status::Invalid(std::string(what) + ": expected a size >= 0, found " + std::to_string(n));
}

}  // namespace

Status launch_broadcast_rows(const float* b, float* y, int64_t rows, int64_t O,
                             cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_size("broadcast rows", rows < 0 || O < 0 ? -1 : rows * O));
  return SLUICE_CUDA_CHECK(launch_over(broadcast_rows, rows * O, stream, b, y, rows, O));
}

Status launch_column_sums(const float* dy, float* db, int64_t rows, int64_t O,
                          cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_size("column sums", rows < 0 || O < 0 ? -1 : O));
  return SLUICE_CUDA_CHECK(launch_over(column_sums, rows == 0 ? 0 : O, stream, dy, db, rows, O));
}

Status launch_add(const float* a, const float* b, float* y, int64_t n, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_size("add", n));
  return SLUICE_CUDA_CHECK(launch_over(add_values, n, stream, a, b, y, n));
}

Status launch_relu_forward(const float* x, float* y, int64_t n, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_size("relu forward", n));
  return SLUICE_CUDA_CHECK(launch_over(relu_forward, n, stream, x, y, n));
}

Status launch_relu_backward(const float* x, const float* dy, float* dx, int64_t n,
                            cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_size("relu backward", n));
  return SLUICE_CUDA_CHECK(launch_over(relu_backward, n, stream, x, dy, dx, n));
}

Status launch_tanh_forward(const float* x, float* y, int64_t n, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_size("tanh forward", n));
  return SLUICE_CUDA_CHECK(launch_over(tanh_forward, n, stream, x, y, n));
}

Status launch_tanh_backward(const float* y, const float* dy, float* dx, int64_t n,
                            cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_size("tanh backward", n));
  return SLUICE_CUDA_CHECK(launch_over(tanh_backward, n, stream, y, dy, dx, n));
}

Status launch_divide(float* x, float divisor, int64_t n, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_size("divide", n));
  return SLUICE_CUDA_CHECK(launch_over(divide_values, n, stream, x, divisor, n));
}

Status launch_dropout(const float* x, const uint8_t* dropped, float scale, float* y, int64_t n,
                      cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_size("dropout", n));
  return SLUICE_CUDA_CHECK(launch_over(dropout_values, n, stream, x, dropped, scale, y, n));
}

Status launch_scale(float* x, float factor, int64_t n, cudaStream_t stream) {
  SLUICE_RETURN_IF_ERROR(check_size("scale", n));
  return SLUICE_CUDA_CHECK(launch_over(scale_values, n, stream, x, factor, n));
}

}  // namespace sluice::nn::cuda_kernels
