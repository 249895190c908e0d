#include "audio/feature_extractor.h"

#include "audio/decibels.h"

#include <string>

namespace sluice::audio {

Expected<std::shared_ptr<const FeatureExtractor>> FeatureExtractor::create(
    const FeatureConfig& config) {
  auto fx = std::make_shared<FeatureExtractor>();
  fx->config_ = config;
  auto stft = Stft::create(config.stft);
  if (!stft.ok()) return stft.status();
  fx->stft_ = *stft;
  if (config.kind != FeatureKind::kSpectrogram) {
    const double f_max = config.f_max.value_or(config.sample_rate / 2);
    auto mel = MelFilterbank::create(fx->stft_->n_freq(), config.f_min, f_max, config.n_mels,
                                     config.sample_rate, config.mel_norm, config.mel_scale);
    if (!mel.ok()) return mel.status();
    fx->mel_ = std::move(*mel);
    use_single_threaded_blas();
  }
  if (config.kind == FeatureKind::kMfcc) {
    if (config.n_mfcc < 1 || config.n_mfcc > config.n_mels) {
      return Status::Invalid("n_mfcc must be in [1, n_mels], found " +
                             std::to_string(config.n_mfcc));
    }
    fx->dct_.emplace(config.n_mfcc, config.n_mels, config.dct_ortho);
  }
  return std::shared_ptr<const FeatureExtractor>(std::move(fx));
}

int FeatureExtractor::bins() const {
  switch (config_.kind) {
    case FeatureKind::kSpectrogram:
      return stft_->n_freq();
    case FeatureKind::kMel:
    case FeatureKind::kLogMel:
      return config_.n_mels;
    case FeatureKind::kMfcc:
      return config_.n_mfcc;
  }
  return 0;
}

Expected<Features> FeatureExtractor::compute(WaveformView audio) const {
  const int64_t frames = stft_->frames(audio.frames);
  const int n_freq = stft_->n_freq();
  const int channels = audio.channels;
  // (frames, n_freq) power spectra of one channel: this thread's scratch, kept between records.
  thread_local std::vector<float> spec;
  if (spec.size() < static_cast<size_t>(frames * n_freq)) {
    spec.resize(static_cast<size_t>(frames * n_freq));
  }
  const bool spectrogram = config_.kind == FeatureKind::kSpectrogram;
  const int rows = spectrogram ? n_freq : config_.n_mels;
  std::vector<float> out(static_cast<size_t>(channels * rows * frames));
  for (int c = 0; c < channels; ++c) {
    SLUICE_RETURN_IF_ERROR(stft_->compute(audio.channel(c), audio.frames, spec.data()));
    float* dst = out.data() + static_cast<int64_t>(c) * rows * frames;
    if (spectrogram) {  // (frames, n_freq) -> (n_freq, frames)
      for (int64_t t = 0; t < frames; ++t) {
        for (int k = 0; k < n_freq; ++k) dst[k * frames + t] = spec[t * n_freq + k];
      }
    } else {
      mel_->apply(spec.data(), frames, dst);
    }
  }
  const auto total = static_cast<int64_t>(out.size());
  if (config_.kind == FeatureKind::kLogMel) {
    to_decibels(out.data(), total, config_.db_multiplier, config_.top_db);
  }
  if (config_.kind == FeatureKind::kMfcc) {
    if (config_.log_mels) {
      to_log(out.data(), total, 1e-6f);
    } else {
      to_decibels(out.data(), total, 10.0f, config_.top_db);
    }
    std::vector<float> mfcc(static_cast<size_t>(channels * config_.n_mfcc * frames));
    for (int c = 0; c < channels; ++c) {
      dct_->apply(out.data() + static_cast<int64_t>(c) * rows * frames, frames,
                  mfcc.data() + static_cast<int64_t>(c) * config_.n_mfcc * frames);
    }
    out = std::move(mfcc);
  }
  Features f;
  f.values = std::move(out);
  const int64_t b = bins();
  f.shape =
      channels == 1 ? std::vector<int64_t>{b, frames} : std::vector<int64_t>{channels, b, frames};
  return f;
}

}  // namespace sluice::audio
