// testlayers.swish's kernels: one thread per value forward and for the input's gradient, one
// thread per feature for the scale's gradient (a fixed row order, so every run gives the same
// sums). testlayers.center's: one thread per feature (its column's sums in row order, as the CPU
// sums them), one per value for the output.
#include "testlayers_cuda.h"

#include <cuda_runtime.h>

namespace testlayers {
namespace {

constexpr int kThreads = 256;

unsigned int blocks_for(int64_t n) {
  return static_cast<unsigned int>((n + kThreads - 1) / kThreads);
}

std::string launched() {
  const cudaError_t e = cudaGetLastError();
  return e == cudaSuccess ? std::string() : std::string(cudaGetErrorString(e));
}

// y, sig: (n) from x: (n), scale: (features)
__global__ void forward_values(const float* x, const float* scale, float* y, float* sig, int64_t n,
                               int64_t features) {
  const int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x;
  if (i >= n) return;
  const float s = 1.0f / (1.0f + expf(-x[i]));
  sig[i] = s;
  y[i] = scale[i % features] * x[i] * s;
}

// dx: (n) from dy, x, sig: (n), scale: (features)
__global__ void input_gradient(const float* x, const float* scale, const float* sig,
                               const float* dy, float* dx, int64_t n, int64_t features) {
  const int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x;
  if (i >= n) return;
  const float s = sig[i];
  dx[i] = dy[i] * scale[i % features] * (s + x[i] * s * (1.0f - s));
}

// dscale: (features) += Σ_rows dy * x * sig
__global__ void scale_gradient(const float* x, const float* sig, const float* dy, float* dscale,
                               int64_t rows, int64_t features) {
  const int64_t f = blockIdx.x * int64_t{blockDim.x} + threadIdx.x;
  if (f >= features) return;
  float sum = dscale[f];
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t i = r * features + f;
    sum += dy[i] * x[i] * sig[i];
  }
  dscale[f] = sum;
}

// mean: (features) = column means of x: (rows, features), or running copied
__global__ void center_means(const float* x, const float* running, float* mean, int64_t rows,
                             int64_t features, bool training) {
  const int64_t f = blockIdx.x * int64_t{blockDim.x} + threadIdx.x;
  if (f >= features) return;
  if (!training) {
    mean[f] = running[f];
    return;
  }
  float sum = 0.0f;
  for (int64_t r = 0; r < rows; ++r) sum += x[r * features + f];
  mean[f] = sum / static_cast<float>(rows);
}

__global__ void center_values(const float* x, const float* mean, float* y, int64_t n,
                              int64_t features) {
  const int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x;
  if (i >= n) return;
  y[i] = x[i] - mean[i % features];
}

// dx: column c of dy less its mean; running updated from mean in training
__global__ void center_gradients(const float* dy, const float* mean, float* running, float* dx,
                                 int64_t rows, int64_t features, float momentum, bool training) {
  const int64_t f = blockIdx.x * int64_t{blockDim.x} + threadIdx.x;
  if (f >= features) return;
  if (dx != nullptr) {
    float sum = 0.0f;
    for (int64_t r = 0; r < rows; ++r) sum += dy[r * features + f];
    for (int64_t r = 0; r < rows; ++r) {
      dx[r * features + f] = dy[r * features + f] - sum / static_cast<float>(rows);
    }
  }
  if (training) running[f] = (1.0f - momentum) * running[f] + momentum * mean[f];
}

}  // namespace

std::string center_forward_cuda(const float* x, const float* running, float* mean, float* y,
                                int64_t n, int64_t features, bool training, void* stream) {
  auto s = static_cast<cudaStream_t>(stream);
  center_means<<<blocks_for(features), kThreads, 0, s>>>(x, running, mean, n / features, features,
                                                         training);
  if (std::string e = launched(); !e.empty() || n == 0) return e;
  center_values<<<blocks_for(n), kThreads, 0, s>>>(x, mean, y, n, features);
  return launched();
}

std::string center_backward_cuda(const float* dy, const float* mean, float* running, float* dx,
                                 int64_t n, int64_t features, float momentum, bool training,
                                 void* stream) {
  center_gradients<<<blocks_for(features), kThreads, 0, static_cast<cudaStream_t>(stream)>>>(
      dy, mean, running, dx, n / features, features, momentum, training);
  return launched();
}

std::string swish_forward_cuda(const float* x, const float* scale, float* y, float* sig, int64_t n,
                               int64_t features, void* stream) {
  if (n == 0) return {};
  forward_values<<<blocks_for(n), kThreads, 0, static_cast<cudaStream_t>(stream)>>>(
      x, scale, y, sig, n, features);
  return launched();
}

std::string swish_backward_cuda(const float* x, const float* scale, const float* sig,
                                const float* dy, float* dscale, float* dx, int64_t n,
                                int64_t features, void* stream) {
  if (n == 0) return {};
  auto s = static_cast<cudaStream_t>(stream);
  scale_gradient<<<blocks_for(features), kThreads, 0, s>>>(x, sig, dy, dscale, n / features,
                                                           features);
  if (std::string e = launched(); !e.empty()) return e;
  if (dx == nullptr) return {};
  input_gradient<<<blocks_for(n), kThreads, 0, s>>>(x, scale, sig, dy, dx, n, features);
  return launched();
}

}  // namespace testlayers
