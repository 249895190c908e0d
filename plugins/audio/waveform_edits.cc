#include "audio/waveform_edits.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sluice::audio {
namespace {

double power_of(const Waveform& w) {
  double sum = 0.0;
  for (float v : w.samples) sum += static_cast<double>(v) * v;
  return w.samples.empty() ? 0.0 : sum / static_cast<double>(w.samples.size());
}

}  // namespace

Span non_silent_span(const Waveform& audio, float top_db, int frame_length, int hop_length) {
  const int64_t n = audio.frames;
  if (n == 0) return {};
  const int64_t n_windows =
      n <= frame_length ? 1 : 1 + (n - frame_length + hop_length - 1) / hop_length;
  std::vector<double> ms(static_cast<size_t>(n_windows), 0.0);
  double peak = 0.0;
  for (int64_t w = 0; w < n_windows; ++w) {
    const int64_t b = w * hop_length, e = std::min(n, b + frame_length);
    double sum = 0.0;
    for (int c = 0; c < audio.channels; ++c) {
      const float* x = audio.channel(c);
      for (int64_t t = b; t < e; ++t) sum += static_cast<double>(x[t]) * x[t];
    }
    ms[w] = sum / static_cast<double>((e - b) * audio.channels);
    peak = std::max(peak, ms[w]);
  }
  if (peak <= 0.0) return {};
  const double threshold = peak * std::pow(10.0, -top_db / 10.0);
  int64_t first = -1, last = -1;
  for (int64_t w = 0; w < n_windows; ++w) {
    if (ms[w] >= threshold) {
      if (first < 0) first = w;
      last = w;
    }
  }
  return {first * hop_length, std::min(n, last * hop_length + frame_length)};
}

Waveform slice(const Waveform& audio, Span span) {
  Waveform out;
  out.channels = audio.channels;
  out.frames = span.end - span.begin;
  out.samples.resize(static_cast<size_t>(out.frames * out.channels));
  for (int c = 0; c < audio.channels; ++c) {
    std::copy(audio.channel(c) + span.begin, audio.channel(c) + span.end, out.channel(c));
  }
  return out;
}

Waveform fit_length(const Waveform& audio, int64_t length, int64_t offset, int64_t pad_before) {
  if (audio.frames >= length) return slice(audio, {offset, offset + length});
  Waveform out;
  out.channels = audio.channels;
  out.frames = length;
  out.samples.assign(static_cast<size_t>(length * audio.channels), 0.0f);
  for (int c = 0; c < audio.channels; ++c) {
    std::copy(audio.channel(c), audio.channel(c) + audio.frames, out.channel(c) + pad_before);
  }
  return out;
}

void apply_gain(Waveform& audio, double db) {
  const auto g = static_cast<float>(std::pow(10.0, db / 20.0));
  for (float& v : audio.samples) v *= g;
}

void mix_at_snr(Waveform& audio, const Waveform& noise, double snr_db) {
  const double ps = power_of(audio), pn = power_of(noise);
  if (ps <= 0.0 || pn <= 0.0) return;
  const auto scale = static_cast<float>(std::sqrt(ps / (pn * std::pow(10.0, snr_db / 10.0))));
  for (size_t i = 0; i < audio.samples.size(); ++i) audio.samples[i] += scale * noise.samples[i];
}

void shift_frames(Waveform& audio, int64_t shift, bool roll) {
  const int64_t n = audio.frames;
  if (n == 0 || shift == 0) return;
  for (int c = 0; c < audio.channels; ++c) {
    float* x = audio.channel(c);
    if (roll) {
      int64_t k = ((shift % n) + n) % n;
      std::rotate(x, x + (n - k), x + n);
    } else if (shift >= n || -shift >= n) {
      std::fill(x, x + n, 0.0f);
    } else if (shift > 0) {
      std::copy_backward(x, x + n - shift, x + n);
      std::fill(x, x + shift, 0.0f);
    } else {
      std::copy(x - shift, x + n, x);
      std::fill(x + n + shift, x + n, 0.0f);
    }
  }
}

}  // namespace sluice::audio
