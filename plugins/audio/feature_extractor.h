// Spectrogram, mel spectrogram, log-mel and MFCC of a waveform, with torchaudio's transforms'
// semantics (Spectrogram, MelSpectrogram, AmplitudeToDB, MFCC). Built once from its config
// (FFTW plan, filterbank, DCT matrix); compute() is thread-safe.
#pragma once

#include "audio/dct.h"
#include "audio/mel_filterbank.h"
#include "audio/stft.h"
#include "audio/waveform.h"

#include <sluice/status.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace sluice::audio {

enum class FeatureKind { kSpectrogram, kMel, kLogMel, kMfcc };

struct FeatureConfig {
  FeatureKind kind = FeatureKind::kMel;
  StftConfig stft;
  int sample_rate = 16000;
  int n_mels = 128;
  double f_min = 0.0;
  std::optional<double> f_max;  // default sample_rate / 2
  MelScale mel_scale = MelScale::kHtk;
  MelNorm mel_norm = MelNorm::kNone;
  // log-mel: 10 log10 for power, 20 log10 for magnitude; floor max - top_db when set.
  float db_multiplier = 10.0f;
  std::optional<float> top_db;
  // MFCC: n_mfcc DCT-II coefficients of log(mel + 1e-6) (log_mels) or of the mel in dB with
  // top_db (torchaudio: AmplitudeToDB("power", 80)).
  int n_mfcc = 40;
  bool dct_ortho = true;
  bool log_mels = false;
};

struct Features {
  std::vector<float> values;
  std::vector<int64_t> shape;  // (bins, frames) for one channel, else (channels, bins, frames)
};

class FeatureExtractor {
 public:
  static Expected<std::shared_ptr<const FeatureExtractor>> create(const FeatureConfig& config);
  const FeatureConfig& config() const { return config_; }
  // Rows per channel of the output: n_freq, n_mels or n_mfcc.
  int bins() const;
  // BAD_RECORD when the audio is too short for one frame.
  Expected<Features> compute(WaveformView audio) const;

 private:
  FeatureConfig config_;
  std::shared_ptr<const Stft> stft_;
  std::optional<MelFilterbank> mel_;
  std::optional<Dct> dct_;
};

}  // namespace sluice::audio
