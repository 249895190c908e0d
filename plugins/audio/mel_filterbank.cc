#include "audio/mel_filterbank.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace sluice::audio {
namespace {

constexpr double kSlaneyHzPerMel = 200.0 / 3.0;
constexpr double kSlaneyLogHz = 1000.0;  // linear below, logarithmic above
const double kSlaneyLogStep = std::log(6.4) / 27.0;

// `steps` float32 values evenly from `a` to `b` inclusive, computed as torch.linspace does (from
// both ends towards the middle), so the filterbank matches torchaudio's to the last bit.
std::vector<float> linspace(float a, float b, int steps) {
  std::vector<float> v(static_cast<size_t>(steps));
  if (steps == 1) {
    v[0] = a;
    return v;
  }
  const float step = (b - a) / static_cast<float>(steps - 1);
  const int halfway = steps / 2;
  for (int i = 0; i < steps; ++i) {
    v[i] = i < halfway ? a + step * static_cast<float>(i)
                       : b - step * static_cast<float>(steps - i - 1);
  }
  return v;
}

// mel_to_hz in float32, as torchaudio applies it to its float32 tensor of mel points.
float mel_to_hz_f32(float mel, MelScale scale) {
  if (scale == MelScale::kHtk) return 700.0f * (std::pow(10.0f, mel / 2595.0f) - 1.0f);
  const auto min_log_mel = static_cast<float>(kSlaneyLogHz / kSlaneyHzPerMel);
  if (mel >= min_log_mel) {
    return static_cast<float>(kSlaneyLogHz) *
           std::exp(static_cast<float>(kSlaneyLogStep) * (mel - min_log_mel));
  }
  return static_cast<float>(kSlaneyHzPerMel) * mel;
}

}  // namespace

double hz_to_mel(double hz, MelScale scale) {
  if (scale == MelScale::kHtk) return 2595.0 * std::log10(1.0 + hz / 700.0);
  const double min_log_mel = kSlaneyLogHz / kSlaneyHzPerMel;
  if (hz >= kSlaneyLogHz) return min_log_mel + std::log(hz / kSlaneyLogHz) / kSlaneyLogStep;
  return hz / kSlaneyHzPerMel;
}

double mel_to_hz(double mel, MelScale scale) {
  if (scale == MelScale::kHtk) return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
  const double min_log_mel = kSlaneyLogHz / kSlaneyHzPerMel;
  if (mel >= min_log_mel) return kSlaneyLogHz * std::exp(kSlaneyLogStep * (mel - min_log_mel));
  return mel * kSlaneyHzPerMel;
}

Expected<MelFilterbank> MelFilterbank::create(int n_freq, double f_min, double f_max, int n_mels,
                                              int sample_rate, MelNorm norm, MelScale scale) {
  if (n_freq < 2 || n_mels < 1) return Status::Invalid("need at least 2 bins and 1 mel");
  if (!(f_min >= 0) || !(f_min < f_max)) {
    return Status::Invalid("expected 0 <= f_min < f_max, found f_min " + std::to_string(f_min) +
                           ", f_max " + std::to_string(f_max));
  }
  if (f_max > sample_rate / 2) {
    return Status::Invalid("f_max " + std::to_string(f_max) + " is above the Nyquist frequency " +
                           std::to_string(sample_rate / 2));
  }
  MelFilterbank fb;
  fb.n_freq_ = n_freq;
  fb.n_mels_ = n_mels;
  // float32 throughout, in torchaudio's order of operations (melscale_fbanks and
  // _create_triangular_filterbank); only the mel range ends are double, as there.
  std::vector<float> freqs = linspace(0.0f, static_cast<float>(sample_rate / 2), n_freq);
  std::vector<float> f_pts = linspace(static_cast<float>(hz_to_mel(f_min, scale)),
                                      static_cast<float>(hz_to_mel(f_max, scale)), n_mels + 2);
  for (float& m : f_pts) m = mel_to_hz_f32(m, scale);
  fb.weights_.assign(static_cast<size_t>(n_mels) * n_freq, 0.0f);
  for (int m = 0; m < n_mels; ++m) {
    const float lo = f_pts[m], mid = f_pts[m + 1], hi = f_pts[m + 2];
    const float scale_by = norm == MelNorm::kSlaney ? 2.0f / (hi - lo) : 1.0f;
    for (int k = 0; k < n_freq; ++k) {
      const float down = (-1.0f * (lo - freqs[k])) / (mid - lo);
      const float up = (hi - freqs[k]) / (hi - mid);
      const float w = std::max(0.0f, std::min(down, up));
      fb.weights_[static_cast<size_t>(m) * n_freq + k] =
          norm == MelNorm::kSlaney ? w * scale_by : w;
    }
  }
  fb.find_bands();
  return fb;
}

void MelFilterbank::find_bands() {
  const int per_band = (n_mels_ + kBands - 1) / kBands;
  for (int row = 0; row < n_mels_; row += per_band) {
    Band b;
    b.row = row;
    b.rows = std::min(per_band, n_mels_ - row);
    int lo = n_freq_, hi = -1;
    for (int m = row; m < row + b.rows; ++m) {
      for (int k = 0; k < n_freq_; ++k) {
        if (weights_[static_cast<size_t>(m) * n_freq_ + k] != 0.0f) {
          lo = std::min(lo, k);
          hi = std::max(hi, k);
        }
      }
    }
    if (hi >= lo) b.col = lo, b.cols = hi - lo + 1;
    bands_.push_back(b);
  }
}

void MelFilterbank::apply(const float* spec, int64_t frames, float* out) const {
  // out (n_mels, frames) = W (n_mels, n_freq) x spec^T (n_freq, frames), band by band:
  // out[rows] = W[rows, cols] x spec^T[cols, :]
  const int n = static_cast<int>(frames);
  for (const Band& b : bands_) {
    float* dst = out + static_cast<int64_t>(b.row) * frames;
    if (b.cols == 0) {
      std::fill(dst, dst + static_cast<int64_t>(b.rows) * frames, 0.0f);
      continue;
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, b.rows, n, b.cols, 1.0f,
                weights_.data() + static_cast<size_t>(b.row) * n_freq_ + b.col, n_freq_,
                spec + b.col, n_freq_, 0.0f, dst, n);
  }
}

void use_single_threaded_blas() { openblas_set_num_threads(1); }

}  // namespace sluice::audio
