// The audio kernels on their own: windows, mel scales and filterbanks, the DCT, decibels,
// resampling (a sine keeps its frequency and amplitude), waveform edits and masks.
#include "audio/dct.h"
#include "audio/decibels.h"
#include "audio/masking.h"
#include "audio/mel_filterbank.h"
#include "audio/resampler.h"
#include "audio/stft.h"
#include "audio/waveform_edits.h"
#include "audio/window.h"
#include "audio_test_util.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace sluice::audio;  // NOLINT
using sluice::audio::test::amplitude_at;
using sluice::audio::test::tone;

TEST_CASE("windows are periodic hann and hamming", "[audio]") {
  auto h = make_window(WindowKind::kHann, 4);
  CHECK(h[0] == Approx(0.0).margin(1e-7));
  CHECK(h[1] == Approx(0.5));
  CHECK(h[2] == Approx(1.0));
  auto m = make_window(WindowKind::kHamming, 4);
  CHECK(m[0] == Approx(0.08));
  CHECK(m[2] == Approx(1.0));
}

TEST_CASE("mel scales: htk and slaney", "[audio]") {
  CHECK(hz_to_mel(1000.0, MelScale::kHtk) == Approx(999.9855).epsilon(1e-6));
  CHECK(hz_to_mel(1000.0, MelScale::kSlaney) == Approx(15.0));
  CHECK(hz_to_mel(500.0, MelScale::kSlaney) == Approx(7.5));
  for (double hz : {0.0, 300.0, 1000.0, 4000.0, 11025.0}) {
    for (auto s : {MelScale::kHtk, MelScale::kSlaney}) {
      CHECK(mel_to_hz(hz_to_mel(hz, s), s) == Approx(hz).margin(1e-9));
    }
  }
}

TEST_CASE("mel filterbank: triangles that peak at 1 and cover the band", "[audio]") {
  auto fb = MelFilterbank::create(201, 0.0, 8000.0, 40, 16000, MelNorm::kNone, MelScale::kHtk);
  REQUIRE(fb.ok());
  REQUIRE(fb->weights().size() == 40u * 201u);
  for (int m = 0; m < 40; ++m) {
    float peak = 0;
    for (int k = 0; k < 201; ++k) peak = std::max(peak, fb->weights()[m * 201 + k]);
    CHECK(peak > 0.5f);
    CHECK(peak <= 1.0f);
  }
  CHECK_FALSE(
      MelFilterbank::create(201, 100.0, 9000.0, 40, 16000, MelNorm::kNone, MelScale::kHtk).ok());
  CHECK_FALSE(
      MelFilterbank::create(201, 500.0, 400.0, 40, 16000, MelNorm::kNone, MelScale::kHtk).ok());
}

TEST_CASE("ortho DCT-II is orthonormal", "[audio]") {
  Dct d(16, 16, true);
  const auto& m = d.matrix();
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 16; ++j) {
      double dot = 0;
      for (int n = 0; n < 16; ++n) dot += double(m[i * 16 + n]) * m[j * 16 + n];
      CHECK(dot == Approx(i == j ? 1.0 : 0.0).margin(1e-6));
    }
  }
}

TEST_CASE("decibels: 10 log10, amin and top_db over the whole array", "[audio]") {
  std::vector<float> x{1.0f, 0.1f, 1e-12f, 100.0f};
  to_decibels(x.data(), 4, 10.0f, std::nullopt);
  CHECK(x[0] == Approx(0.0).margin(1e-6));
  CHECK(x[1] == Approx(-10.0));
  CHECK(x[2] == Approx(-100.0));
  CHECK(x[3] == Approx(20.0));
  std::vector<float> y{1.0f, 1e-9f, 100.0f};
  to_decibels(y.data(), 3, 10.0f, 80.0f);
  CHECK(y[1] == Approx(-60.0));
}

TEST_CASE("STFT frames and a cosine's peak bin", "[audio]") {
  StftConfig c;
  c.n_fft = 400;
  c.win_length = 400;
  c.hop_length = 160;
  auto stft = Stft::create(c);
  REQUIRE(stft.ok());
  CHECK((*stft)->frames(8000) == 1 + 8000 / 160);
  Waveform w = tone(16000, 0.5, {1000.0}, {1.0});  // bin 1000 / (16000 / 400) = 25
  std::vector<float> out(static_cast<size_t>((*stft)->frames(w.frames) * 201));
  REQUIRE((*stft)->compute(w.channel(0), w.frames, out.data()).ok());
  const float* row = out.data() + 10 * 201;
  int best = 0;
  for (int k = 0; k < 201; ++k) {
    if (row[k] > row[best]) best = k;
  }
  CHECK(best == 25);
  // periodic hann: |X[25]| = N/4 for a unit cosine
  CHECK(std::sqrt(row[25]) == Approx(100.0).epsilon(1e-3));
  std::vector<float> short_out(1000);
  CHECK((*stft)->compute(w.channel(0), 100, short_out.data()).code() == SLUICE_BAD_RECORD);
  c.win_length = 500;
  CHECK_FALSE(Stft::create(c).ok());
}

// Bounds: the output has round(frames * ratio) frames; a sine well inside the band keeps its
// frequency (the least-squares amplitude peaks within 0.5 Hz of it) and its amplitude within
// 0.5%; a sine above the new Nyquist frequency is attenuated by more than 60 dB.
TEST_CASE("resampling keeps a sine's frequency and amplitude", "[audio]") {
  for (auto q : {ResampleQuality::kHigh, ResampleQuality::kVeryHigh, ResampleQuality::kMedium}) {
    for (auto [from, to, freq] :
         {std::tuple{8000, 16000, 440.0}, std::tuple{16000, 8000, 1234.0},
          std::tuple{44100, 16000, 3000.0}, std::tuple{8000, 22050, 2500.0}}) {
      INFO(from << " -> " << to << " at " << freq << " Hz");
      Waveform in = tone(from, 1.0, {freq}, {0.5});
      auto out = resample(in, from, to, q);
      REQUIRE(out.ok());
      CHECK(out->frames == to);
      const float* y = out->channel(0);
      const int64_t b = to / 4, e = 3 * to / 4;  // away from the edges
      CHECK(amplitude_at(y, b, e, freq, to) == Approx(0.5).epsilon(0.005));
      double best_f = 0, best_a = 0;
      for (double f = freq - 5; f <= freq + 5; f += 0.25) {
        double a = amplitude_at(y, b, e, f, to);
        if (a > best_a) best_a = a, best_f = f;
      }
      CHECK(std::abs(best_f - freq) <= 0.5);
    }
  }
  Waveform high = tone(16000, 1.0, {5000.0}, {0.5});
  auto down = resample(high, 16000, 8000, ResampleQuality::kHigh);
  REQUIRE(down.ok());
  double ms = 0;
  for (int64_t n = 2000; n < 6000; ++n) ms += double(down->channel(0)[n]) * down->channel(0)[n];
  CHECK(std::sqrt(ms / 4000) < 0.5 / std::sqrt(2.0) * 1e-3);
}

TEST_CASE("trim_silence keeps the non-silent span", "[audio]") {
  Waveform w;
  w.channels = 1;
  w.frames = 10000;
  w.samples.assign(10000, 0.0f);
  for (int n = 4000; n < 6000; ++n) w.samples[n] = (n % 2) ? 0.5f : -0.5f;
  Span s = non_silent_span(w, 60.0f, 1024, 256);
  CHECK(s.begin <= 4000);
  CHECK(s.begin > 4000 - 1024);
  CHECK(s.end >= 6000);
  CHECK(s.end < 6000 + 1024);
  Waveform zeros = w;
  std::fill(zeros.samples.begin(), zeros.samples.end(), 0.0f);
  CHECK(non_silent_span(zeros, 60.0f, 1024, 256).end == 0);
}

TEST_CASE("fit_length crops and pads, shift_frames shifts and rolls", "[audio]") {
  Waveform w;
  w.channels = 2;
  w.frames = 4;
  w.samples = {1, 2, 3, 4, 5, 6, 7, 8};
  Waveform c = fit_length(w, 2, 1, 0);
  CHECK(c.samples == std::vector<float>{2, 3, 6, 7});
  Waveform p = fit_length(w, 6, 0, 1);
  CHECK(p.samples == std::vector<float>{0, 1, 2, 3, 4, 0, 0, 5, 6, 7, 8, 0});
  Waveform s = w;
  shift_frames(s, 1, false);
  CHECK(s.samples == std::vector<float>{0, 1, 2, 3, 0, 5, 6, 7});
  s = w;
  shift_frames(s, -1, true);
  CHECK(s.samples == std::vector<float>{2, 3, 4, 1, 6, 7, 8, 5});
}

TEST_CASE("mix_at_snr gives the asked SNR; gain scales", "[audio]") {
  Waveform sig = tone(8000, 1.0, {300.0}, {0.5});
  Waveform noise = tone(8000, 1.0, {1700.0}, {3.0});
  Waveform mixed = sig;
  mix_at_snr(mixed, noise, 10.0);
  double ps = 0, pn = 0;
  for (size_t i = 0; i < sig.samples.size(); ++i) {
    ps += double(sig.samples[i]) * sig.samples[i];
    double d = double(mixed.samples[i]) - sig.samples[i];
    pn += d * d;
  }
  CHECK(10 * std::log10(ps / pn) == Approx(10.0).margin(0.01));
  Waveform g = sig;
  apply_gain(g, -6.0);
  CHECK(g.samples[100] == Approx(sig.samples[100] * std::pow(10.0, -0.3)));
}

TEST_CASE("masks stay inside the features and follow the generator", "[audio]") {
  Random a(42), b(42);
  for (int i = 0; i < 100; ++i) {
    MaskSpan m = draw_mask(a, 27, 80);
    MaskSpan n = draw_mask(b, 27, 80);
    CHECK(m.begin == n.begin);
    CHECK(m.end - m.begin <= 27);
    CHECK(m.begin >= 0);
    CHECK(m.end <= 80);
  }
  std::vector<float> f(2 * 3 * 4, 1.0f);
  mask_bins(f.data(), 2, 3, 4, {1, 2}, 0.0f);
  mask_frames(f.data(), 2, 3, 4, {3, 4}, -1.0f);
  CHECK(f[4] == 0.0f);       // channel 0, bin 1, frame 0
  CHECK(f[3] == -1.0f);      // channel 0, bin 0, frame 3
  CHECK(f[12 + 5] == 0.0f);  // channel 1, bin 1, frame 1
  CHECK(f[12] == 1.0f);
}
