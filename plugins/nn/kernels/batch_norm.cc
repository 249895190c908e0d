#include "nn/kernels/batch_norm.h"

namespace sluice::nn {

void batch_norm_statistics(const BatchNormShape& s, const float* x, float* mean, float* var) {
  const int64_t C = s.channels, S = s.spatial;
  const auto count = static_cast<double>(s.count());
  for (int64_t c = 0; c < C; ++c) {
    double sum = 0;
    for (int64_t n = 0; n < s.batch; ++n) {
      const float* xs = x + (n * C + c) * S;
      for (int64_t i = 0; i < S; ++i) sum += xs[i];
    }
    const double m = sum / count;
    double squares = 0;
    for (int64_t n = 0; n < s.batch; ++n) {
      const float* xs = x + (n * C + c) * S;
      for (int64_t i = 0; i < S; ++i) squares += (xs[i] - m) * (xs[i] - m);
    }
    mean[c] = static_cast<float>(m);
    var[c] = static_cast<float>(squares / count);
  }
}

void update_running_statistics(const float* mean, const float* var, int64_t channels, int64_t count,
                               double momentum, float* running_mean, float* running_var) {
  const double unbiased = count > 1 ? static_cast<double>(count) / (count - 1) : 1.0;
  for (int64_t c = 0; c < channels; ++c) {
    running_mean[c] = static_cast<float>(momentum * mean[c] + (1.0 - momentum) * running_mean[c]);
    running_var[c] =
        static_cast<float>(momentum * var[c] * unbiased + (1.0 - momentum) * running_var[c]);
  }
}

void batch_norm_forward(const BatchNormShape& s, const float* x, const float* mean,
                        const float* rstd, const float* weight, const float* bias, float* y) {
  const int64_t C = s.channels, S = s.spatial;
  for (int64_t n = 0; n < s.batch; ++n) {
    for (int64_t c = 0; c < C; ++c) {
      // y = x · scale + shift, folded per channel
      const float scale = rstd[c] * (weight != nullptr ? weight[c] : 1.0f);
      const float shift = (bias != nullptr ? bias[c] : 0.0f) - mean[c] * scale;
      const float* xs = x + (n * C + c) * S;
      float* ys = y + (n * C + c) * S;
      for (int64_t i = 0; i < S; ++i) ys[i] = xs[i] * scale + shift;
    }
  }
}

void batch_norm_backward(const BatchNormShape& s, const float* x, const float* dy,
                         const float* mean, const float* rstd, const float* weight,
                         bool batch_statistics, float* dx, float* dweight, float* dbias) {
  const int64_t C = s.channels, S = s.spatial;
  const auto count = static_cast<double>(s.count());
  for (int64_t c = 0; c < C; ++c) {
    double dy_sum = 0, dy_xhat_sum = 0;  // Σ dy, Σ dy · x̂ over the channel
    for (int64_t n = 0; n < s.batch; ++n) {
      const float* xs = x + (n * C + c) * S;
      const float* dys = dy + (n * C + c) * S;
      for (int64_t i = 0; i < S; ++i) {
        dy_sum += dys[i];
        dy_xhat_sum += static_cast<double>(dys[i]) * ((xs[i] - mean[c]) * rstd[c]);
      }
    }
    if (dweight != nullptr) dweight[c] += static_cast<float>(dy_xhat_sum);
    if (dbias != nullptr) dbias[c] += static_cast<float>(dy_sum);
    if (dx == nullptr) continue;
    const float w = weight != nullptr ? weight[c] : 1.0f;
    const float scale = w * rstd[c];
    // with batch statistics: dx = scale · (dy - mean(dy) - x̂ · mean(dy · x̂))
    const auto dy_mean = batch_statistics ? static_cast<float>(dy_sum / count) : 0.0f;
    const auto dy_xhat_mean = batch_statistics ? static_cast<float>(dy_xhat_sum / count) : 0.0f;
    for (int64_t n = 0; n < s.batch; ++n) {
      const float* xs = x + (n * C + c) * S;
      const float* dys = dy + (n * C + c) * S;
      float* dxs = dx + (n * C + c) * S;
      for (int64_t i = 0; i < S; ++i) {
        const float xhat = (xs[i] - mean[c]) * rstd[c];
        dxs[i] = scale * (dys[i] - dy_mean - xhat * dy_xhat_mean);
      }
    }
  }
}

}  // namespace sluice::nn
