// Short-time Fourier transform power spectra, with torch.stft's framing as torchaudio's
// Spectrogram uses it (onesided, not normalized).
//
// A frame is n_fft samples, frames start every hop_length samples; the window of win_length
// samples (<= n_fft) sits in the middle of the frame (zero-padded by (n_fft - win_length) / 2 on
// the left). With center, the signal is first padded by n_fft / 2 on both sides, by reflection
// (which needs more than n_fft / 2 samples) or with zeros. Each bin is |X|^power.
//
// The FFTW plan (real-to-complex, FFTW_ESTIMATE: FFTW_MEASURE costs ~0.1 s per plan at startup
// and runs no faster for audio frame sizes) is made once in create(), serialised by a
// process-wide mutex as FFTW's planner is not thread-safe. compute() runs it with FFTW's
// new-array execute function on thread-local aligned buffers, so one Stft may be used from many
// threads at once and a record allocates nothing.
#pragma once

#include "audio/window.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <memory>
#include <vector>

namespace sluice::audio {

enum class PadMode { kReflect, kConstant };

struct StftConfig {
  int n_fft = 400;
  int win_length = 400;  // <= n_fft
  int hop_length = 200;  // >= 1
  WindowKind window = WindowKind::kHann;
  bool center = true;
  PadMode pad_mode = PadMode::kReflect;
  float power = 2.0f;  // > 0: 1 magnitude, 2 power
};

class Stft {
 public:
  // INVALID_ARGUMENT for sizes out of range.
  static Expected<std::shared_ptr<const Stft>> create(const StftConfig& config);
  ~Stft();
  Stft(const Stft&) = delete;
  Stft& operator=(const Stft&) = delete;

  const StftConfig& config() const { return config_; }
  int n_freq() const { return config_.n_fft / 2 + 1; }
  // Frames for a signal of `length` samples; 0 when it is too short for one.
  int64_t frames(int64_t length) const;
  // x: (length,); out: (frames(length), n_freq), row-major (time major). BAD_RECORD when the
  // signal is too short (no frame, or reflection padding longer than the signal).
  Status compute(const float* x, int64_t length, float* out) const;

 private:
  explicit Stft(const StftConfig& config);
  StftConfig config_;
  std::vector<float> window_;  // (n_fft,): the win_length window centred, zeros around it
  int window_begin_ = 0, window_end_ = 0;
  void* plan_ = nullptr;  // fftwf_plan
};

}  // namespace sluice::audio
