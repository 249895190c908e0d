#include "nn/kernels/layer_norm.h"

#include "nn/kernels/parallel.h"

#include <algorithm>
#include <cmath>

namespace sluice::nn {
namespace {

constexpr int64_t kGrainWork = 1 << 14;  // about this many values per parallel chunk

int64_t grain(int64_t row) { return std::max<int64_t>(1, kGrainWork / std::max<int64_t>(row, 1)); }

// The backward pass of one row of C values (plain loops over pointer arguments and scalars,
// which GCC vectorises where the order of the sums allows): dx += its input gradient.
void input_gradient_row(const float* dy, const float* x, const float* weight, float mean,
                        float rstd, float* dx, int64_t C) {
  double g_mean = 0, gx_mean = 0;
  for (int64_t c = 0; c < C; ++c) {
    const float xhat = (x[c] - mean) * rstd;
    const float g = weight[c] * dy[c];
    g_mean += g;
    gx_mean += g * xhat;
  }
  const auto gm = static_cast<float>(g_mean / static_cast<double>(C));
  const auto gxm = static_cast<float>(gx_mean / static_cast<double>(C));
  for (int64_t c = 0; c < C; ++c) {
    const float xhat = (x[c] - mean) * rstd;
    const float g = weight[c] * dy[c];
    dx[c] += (g - gm - xhat * gxm) * rstd;
  }
}

// dweight and dbias (n values from one column on) += the row's share.
void parameter_gradient_row(const float* dy, const float* x, float mean, float rstd, float* dweight,
                            float* dbias, int64_t n) {
  for (int64_t c = 0; c < n; ++c) {
    const float xhat = (x[c] - mean) * rstd;
    dbias[c] += dy[c];
    dweight[c] += xhat * dy[c];
  }
}

}  // namespace

void layer_norm_forward(const float* x, const float* weight, const float* bias, float* y,
                        float* mean, float* rstd, int64_t N, int64_t C, float eps) {
  parallel_chunks(N, grain(C), [&](int64_t from, int64_t to) {
    for (int64_t n = from; n < to; ++n) {
      const float* xr = x + n * C;
      float* yr = y + n * C;
      double sum = 0;
      for (int64_t c = 0; c < C; ++c) sum += xr[c];
      const double m = sum / static_cast<double>(C);
      double var = 0;
      for (int64_t c = 0; c < C; ++c) var += (xr[c] - m) * (xr[c] - m);
      const auto s = static_cast<float>(1.0 / std::sqrt(var / static_cast<double>(C) + eps));
      const auto mf = static_cast<float>(m);
      for (int64_t c = 0; c < C; ++c) yr[c] = (xr[c] - mf) * s * weight[c] + bias[c];
      mean[n] = mf;
      rstd[n] = s;
    }
  });
}

void layer_norm_backward(const float* dy, const float* x, const float* weight, const float* mean,
                         const float* rstd, float* dx, float* dweight, float* dbias, int64_t N,
                         int64_t C) {
  // dx = rstd · (g - mean(g) - x̂ · mean(g · x̂)), g = weight · dy: rows spread over the threads
  parallel_chunks(N, grain(C), [&](int64_t from, int64_t to) {
    for (int64_t n = from; n < to; ++n) {
      input_gradient_row(dy + n * C, x + n * C, weight, mean[n], rstd[n], dx + n * C, C);
    }
  });
  // dweight, dbias: column blocks spread over the threads, each summed row after row
  const int64_t columns = std::max<int64_t>(64, kGrainWork / std::max<int64_t>(N, 1));
  parallel_chunks(C, columns, [&](int64_t from, int64_t to) {
    for (int64_t n = 0; n < N; ++n) {
      parameter_gradient_row(dy + n * C + from, x + n * C + from, mean[n], rstd[n], dweight + from,
                             dbias + from, to - from);
    }
  });
}

}  // namespace sluice::nn
