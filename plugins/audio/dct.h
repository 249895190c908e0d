// The DCT-II matrix of torchaudio.functional.create_dct, and MFCCs from log-mel features as one
// matrix product. Immutable after construction; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace sluice::audio {

class Dct {
 public:
  // n_mfcc <= n_mels. Entry (k, n) = s_k cos(pi / n_mels (n + 0.5) k); ortho: s_0 =
  // sqrt(1 / n_mels), s_k = sqrt(2 / n_mels); otherwise s_k = 2 (torchaudio's norm=None).
  Dct(int n_mfcc, int n_mels, bool ortho);
  int n_mfcc() const { return n_mfcc_; }
  int n_mels() const { return n_mels_; }
  // (n_mfcc, n_mels), row-major: the transpose of torchaudio's (n_mels, n_mfcc) matrix.
  const std::vector<float>& matrix() const { return matrix_; }
  // mel: (n_mels, frames); out: (n_mfcc, frames).
  void apply(const float* mel, int64_t frames, float* out) const;

 private:
  int n_mfcc_, n_mels_;
  std::vector<float> matrix_;
};

}  // namespace sluice::audio
