#include "nn/kernels/loss.h"

#include "nn/kernels/parallel.h"
#include "nn/kernels/vector_math.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sluice::nn {
namespace {

constexpr int64_t kGrainWork = 1 << 14;  // about this many values per parallel chunk

int64_t grain(int64_t row) { return std::max<int64_t>(1, kGrainWork / std::max<int64_t>(row, 1)); }

// e (C) = exp(z - top) of the row z, top its largest value; returns their sum, in double, in
// column order.
double row_exponentials(const float* z, float top, float* e, int64_t C) {
  for (int64_t c = 0; c < C; ++c) e[c] = z[c] - top;
  exp_values(e, e, C);
  double sum = 0;
  for (int64_t c = 0; c < C; ++c) sum += e[c];
  return sum;
}

}  // namespace

void softmax(const float* logits, float* probs, int64_t B, int64_t C) {
  parallel_chunks(B, grain(C), [&](int64_t from, int64_t to) {
    for (int64_t b = from; b < to; ++b) {
      const float* z = logits + b * C;
      float* p = probs + b * C;
      const double sum = row_exponentials(z, *std::max_element(z, z + C), p, C);
      const auto inv = static_cast<float>(1.0 / sum);
      for (int64_t c = 0; c < C; ++c) p[c] *= inv;
    }
  });
}

double cross_entropy(const float* logits, const int64_t* targets, int64_t B, int64_t C,
                     int64_t ignore_index, float* dlogits) {
  int64_t counted = 0;
  for (int64_t b = 0; b < B; ++b) counted += targets[b] != ignore_index;
  const double scale = counted > 0 ? 1.0 / static_cast<double>(counted) : 0.0;
  std::vector<double> row_loss(static_cast<size_t>(B), 0.0);
  parallel_chunks(B, grain(C), [&](int64_t from, int64_t to) {
    std::vector<float> scratch(dlogits == nullptr ? static_cast<size_t>(C) : 0);
    for (int64_t b = from; b < to; ++b) {
      const float* z = logits + b * C;
      float* dz = dlogits != nullptr ? dlogits + b * C : nullptr;
      if (targets[b] == ignore_index) {
        if (dz != nullptr) std::fill(dz, dz + C, 0.0f);
        continue;
      }
      float* e = dz != nullptr ? dz : scratch.data();
      const float top = *std::max_element(z, z + C);
      const double sum = row_exponentials(z, top, e, C);
      row_loss[b] = std::log(sum) + top - z[targets[b]];
      if (dz != nullptr) {
        for (int64_t c = 0; c < C; ++c) {
          dz[c] = static_cast<float>(
              (static_cast<double>(e[c]) / sum - (c == targets[b] ? 1.0 : 0.0)) * scale);
        }
      }
    }
  });
  double total = 0;  // row after row, as on one thread
  for (int64_t b = 0; b < B; ++b) {
    if (targets[b] != ignore_index) total += row_loss[b];
  }
  return total * scale;
}

double mse(const float* pred, const float* target, int64_t n, float* dpred) {
  double total = 0;
  const double scale = n > 0 ? 1.0 / static_cast<double>(n) : 0.0;
  for (int64_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(pred[i]) - target[i];
    total += d * d;
    if (dpred != nullptr) dpred[i] = static_cast<float>(2.0 * d * scale);
  }
  return total * scale;
}

}  // namespace sluice::nn
