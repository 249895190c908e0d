#include "audio/dct.h"

#include <cblas.h>

#include <cmath>

namespace sluice::audio {

Dct::Dct(int n_mfcc, int n_mels, bool ortho)
    : n_mfcc_(n_mfcc), n_mels_(n_mels), matrix_(static_cast<size_t>(n_mfcc) * n_mels) {
  for (int k = 0; k < n_mfcc; ++k) {
    double scale = ortho ? std::sqrt(2.0 / n_mels) * (k == 0 ? 1.0 / std::sqrt(2.0) : 1.0) : 2.0;
    for (int n = 0; n < n_mels; ++n) {
      matrix_[static_cast<size_t>(k) * n_mels + n] =
          static_cast<float>(scale * std::cos(M_PI / n_mels * (n + 0.5) * k));
    }
  }
}

void Dct::apply(const float* mel, int64_t frames, float* out) const {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n_mfcc_, static_cast<int>(frames), n_mels_,
              1.0f, matrix_.data(), n_mels_, mel, static_cast<int>(frames), 0.0f, out,
              static_cast<int>(frames));
}

}  // namespace sluice::audio
