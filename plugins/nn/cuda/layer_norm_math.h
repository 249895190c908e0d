// Layer norm's per-value arithmetic (nn/cuda/layer_norm_kernel.cu), for the device and the host:
// the formulas and precisions of nn/kernels/layer_norm.cc (row sums in double, values in float),
// so that, given the same row sums, a kernel's values are layer_norm_forward's and
// layer_norm_backward's bit for bit. Only the order of the sums differs on the device (across
// lanes, then a fixed butterfly), and the parameters' gradients, which the CPU sums row after row
// in float, are summed in row blocks, then block after block.
#pragma once

#include "common/cuda/host_device.h"

#include <math.h>

#include <cstdint>

namespace sluice::nn::cuda_kernels {

using ::sluice::cuda::add_rn;
using ::sluice::cuda::mul_rn;

// The mean of a row of C values from their sum, in double for the variance's deviations.
SLUICE_HOST_DEVICE inline double row_mean(double sum, int64_t C) {
  return sum / static_cast<double>(C);
}

// What one value adds to its row's sum of squared deviations.
SLUICE_HOST_DEVICE inline double squared_deviation(float x, double mean) {
  const double d = x - mean;
  return d * d;
}

// rstd = 1 / sqrt(var + eps), var the biased variance: the sum of squared deviations over C.
SLUICE_HOST_DEVICE inline float row_rstd(double squared_deviations, int64_t C, float eps) {
  return static_cast<float>(1.0 / sqrt(squared_deviations / static_cast<double>(C) + eps));
}

// x̂ = (x - mean) · rstd
SLUICE_HOST_DEVICE inline float normalized(float x, float mean, float rstd) {
  return mul_rn(x - mean, rstd);
}

// y = x̂ · weight + bias
SLUICE_HOST_DEVICE inline float layer_norm_value(float x, float mean, float rstd, float weight,
                                                 float bias) {
  return add_rn(mul_rn(normalized(x, mean, rstd), weight), bias);
}

// The mean, in float, of a row's sum of C gradient terms (g or g · x̂ below).
SLUICE_HOST_DEVICE inline float row_term_mean(double sum, int64_t C) {
  return static_cast<float>(sum / static_cast<double>(C));
}

// g = weight · dy, the term whose row sums (of g and of g · x̂) the input gradient needs.
SLUICE_HOST_DEVICE inline float weighted_gradient(float weight, float dy) {
  return mul_rn(weight, dy);
}

// dx + (g - mean(g) - x̂ · mean(g · x̂)) · rstd, for dx accumulating.
SLUICE_HOST_DEVICE inline float input_gradient(float dx, float g, float xhat, float g_mean,
                                               float gx_mean, float rstd) {
  return add_rn(dx, mul_rn(add_rn(g - g_mean, -mul_rn(xhat, gx_mean)), rstd));
}

}  // namespace sluice::nn::cuda_kernels
