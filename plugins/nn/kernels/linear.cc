#include "nn/kernels/linear.h"

#include "nn/kernels/gemm.h"

#include <algorithm>

namespace sluice::nn {

void linear_forward(const float* x, const float* w, const float* b, float* y, int64_t B, int64_t I,
                    int64_t O) {
  if (b != nullptr) {
    for (int64_t r = 0; r < B; ++r) std::copy(b, b + O, y + r * O);
  }
  gemm(false, true, B, O, I, 1.0f, x, I, w, I, b != nullptr ? 1.0f : 0.0f, y, O);
}

void linear_backward(const float* dy, const float* x, const float* w, float* dx, float* dw,
                     float* db, int64_t B, int64_t I, int64_t O) {
  if (dx != nullptr) gemm(false, false, B, I, O, 1.0f, dy, O, w, I, 0.0f, dx, I);
  gemm(true, false, O, I, B, 1.0f, dy, O, x, I, 1.0f, dw, I);
  if (db != nullptr) {
    for (int64_t r = 0; r < B; ++r) {
      for (int64_t o = 0; o < O; ++o) db[o] += dy[r * O + o];
    }
  }
}

}  // namespace sluice::nn
