// Triangular mel filterbanks as torchaudio.functional.melscale_fbanks, and their projection of a
// spectrogram as a matrix product over all frames at once (OpenBLAS sgemm). Each filter is
// non-zero over a few bins only, so the product skips the filterbank's zero blocks: the filters
// are cut into kBands bands of consecutive rows, and each band's sgemm spans only the columns
// where the band is non-zero (7x fewer multiplications for 80 mels over 201 bins; the terms
// skipped are exact zeros). Immutable after construction; thread-safe.
#pragma once

#include <sluice/status.hpp>

#include <cstdint>
#include <vector>

namespace sluice::audio {

enum class MelScale { kHtk, kSlaney };
enum class MelNorm { kNone, kSlaney };

double hz_to_mel(double hz, MelScale scale);
double mel_to_hz(double mel, MelScale scale);

class MelFilterbank {
 public:
  // n_freq bins spaced evenly over [0, sample_rate / 2] (integer division, as torchaudio),
  // n_mels filters with centres evenly spaced in mels over [f_min, f_max]. kSlaney norm scales
  // each filter by 2 / (its upper - lower edge in Hz) (equal area). INVALID_ARGUMENT when
  // f_min >= f_max or f_max > sample_rate / 2.
  static Expected<MelFilterbank> create(int n_freq, double f_min, double f_max, int n_mels,
                                        int sample_rate, MelNorm norm, MelScale scale);

  int n_freq() const { return n_freq_; }
  int n_mels() const { return n_mels_; }
  // (n_mels, n_freq), row-major: the transpose of torchaudio's (n_freq, n_mels) matrix.
  const std::vector<float>& weights() const { return weights_; }

  // spec: (frames, n_freq), row-major; out: (n_mels, frames), row-major.
  void apply(const float* spec, int64_t frames, float* out) const;

  static constexpr int kBands = 8;

 private:
  struct Band {
    int row = 0, rows = 0;  // filters [row, row + rows)
    int col = 0, cols = 0;  // bins [col, col + cols) where any of them is non-zero
  };
  void find_bands();

  int n_freq_ = 0, n_mels_ = 0;
  std::vector<float> weights_;
  std::vector<Band> bands_;
};

// Sets OpenBLAS to one thread: sluice runs records in parallel already.
void use_single_threaded_blas();

}  // namespace sluice::audio
