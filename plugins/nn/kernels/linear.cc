#include "nn/kernels/linear.h"

#include <cblas.h>

#include <algorithm>

namespace sluice::nn {

void linear_forward(const float* x, const float* w, const float* b, float* y, int64_t B, int64_t I,
                    int64_t O) {
  if (b != nullptr) {
    for (int64_t r = 0; r < B; ++r) std::copy(b, b + O, y + r * O);
  }
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(B), static_cast<int>(O),
              static_cast<int>(I), 1.0f, x, static_cast<int>(I), w, static_cast<int>(I),
              b != nullptr ? 1.0f : 0.0f, y, static_cast<int>(O));
}

void linear_backward(const float* dy, const float* x, const float* w, float* dx, float* dw,
                     float* db, int64_t B, int64_t I, int64_t O) {
  if (dx != nullptr) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(B), static_cast<int>(I),
                static_cast<int>(O), 1.0f, dy, static_cast<int>(O), w, static_cast<int>(I), 0.0f,
                dx, static_cast<int>(I));
  }
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, static_cast<int>(O), static_cast<int>(I),
              static_cast<int>(B), 1.0f, dy, static_cast<int>(O), x, static_cast<int>(I), 1.0f, dw,
              static_cast<int>(I));
  if (db != nullptr) {
    for (int64_t r = 0; r < B; ++r) {
      for (int64_t o = 0; o < O; ++o) db[o] += dy[r * O + o];
    }
  }
}

}  // namespace sluice::nn
