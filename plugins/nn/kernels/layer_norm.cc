#include "nn/kernels/layer_norm.h"

#include <cmath>

namespace sluice::nn {

void layer_norm_forward(const float* x, const float* weight, const float* bias, float* y,
                        float* mean, float* rstd, int64_t N, int64_t C, float eps) {
  for (int64_t n = 0; n < N; ++n) {
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
}

void layer_norm_backward(const float* dy, const float* x, const float* weight, const float* mean,
                         const float* rstd, float* dx, float* dweight, float* dbias, int64_t N,
                         int64_t C) {
  for (int64_t n = 0; n < N; ++n) {
    const float* dyr = dy + n * C;
    const float* xr = x + n * C;
    float* dxr = dx + n * C;
    // dx = rstd · (g - mean(g) - x̂ · mean(g · x̂)), g = weight · dy
    double g_mean = 0, gx_mean = 0;
    for (int64_t c = 0; c < C; ++c) {
      const float xhat = (xr[c] - mean[n]) * rstd[n];
      const float g = weight[c] * dyr[c];
      g_mean += g;
      gx_mean += g * xhat;
      dbias[c] += dyr[c];
      dweight[c] += xhat * dyr[c];
    }
    g_mean /= static_cast<double>(C);
    gx_mean /= static_cast<double>(C);
    for (int64_t c = 0; c < C; ++c) {
      const float xhat = (xr[c] - mean[n]) * rstd[n];
      const float g = weight[c] * dyr[c];
      dxr[c] += (g - static_cast<float>(g_mean) - xhat * static_cast<float>(gx_mean)) * rstd[n];
    }
  }
}

}  // namespace sluice::nn
