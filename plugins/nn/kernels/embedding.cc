#include "nn/kernels/embedding.h"

#include <algorithm>

namespace sluice::nn {
namespace {

float inverse_count(const uint8_t* mask_row, int64_t T) {
  int64_t count = 0;
  for (int64_t t = 0; t < T; ++t) count += mask_row[t] != 0;
  return 1.0f / static_cast<float>(std::max<int64_t>(count, 1));
}

}  // namespace

void embedding_forward(const int32_t* ids, const float* table, float* out, int64_t N, int64_t D) {
  for (int64_t n = 0; n < N; ++n) {
    const float* row = table + static_cast<int64_t>(ids[n]) * D;
    std::copy(row, row + D, out + n * D);
  }
}

void embedding_backward(const int32_t* ids, const float* dout, float* dtable, int64_t N,
                        int64_t D) {
  for (int64_t n = 0; n < N; ++n) {
    float* row = dtable + static_cast<int64_t>(ids[n]) * D;
    const float* g = dout + n * D;
    for (int64_t d = 0; d < D; ++d) row[d] += g[d];
  }
}

void masked_mean_forward(const float* x, const uint8_t* mask, float* y, int64_t B, int64_t T,
                         int64_t D) {
  for (int64_t b = 0; b < B; ++b) {
    float* yb = y + b * D;
    std::fill(yb, yb + D, 0.0f);
    const uint8_t* m = mask + b * T;
    for (int64_t t = 0; t < T; ++t) {
      if (m[t] == 0) continue;
      const float* xt = x + (b * T + t) * D;
      for (int64_t d = 0; d < D; ++d) yb[d] += xt[d];
    }
    const float scale = inverse_count(m, T);
    for (int64_t d = 0; d < D; ++d) yb[d] *= scale;
  }
}

void masked_mean_backward(const float* dy, const uint8_t* mask, float* dx, int64_t B, int64_t T,
                          int64_t D) {
  for (int64_t b = 0; b < B; ++b) {
    const uint8_t* m = mask + b * T;
    const float scale = inverse_count(m, T);
    for (int64_t t = 0; t < T; ++t) {
      float* dxt = dx + (b * T + t) * D;
      if (m[t] == 0) {
        std::fill(dxt, dxt + D, 0.0f);
        continue;
      }
      for (int64_t d = 0; d < D; ++d) dxt[d] = dy[b * D + d] * scale;
    }
  }
}

}  // namespace sluice::nn
