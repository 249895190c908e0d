#include "audio/stft.h"

#include <fftw3.h>

#include <cmath>
#include <cstring>
#include <mutex>
#include <string>

namespace sluice::audio {
namespace {

std::mutex& planner_mutex() {
  static std::mutex mu;
  return mu;
}

struct FftwFree {
  void operator()(void* p) const { fftwf_free(p); }
};
template <class T>
using FftwBuffer = std::unique_ptr<T[], FftwFree>;

template <class T>
FftwBuffer<T> fftw_buffer(size_t n) {
  return FftwBuffer<T>(static_cast<T*>(fftwf_malloc(n * sizeof(T))));
}

// This thread's frame and spectrum buffers, at least n_fft reals and n_fft / 2 + 1 complex
// values, aligned by fftwf_malloc as the plan's were.
struct FrameBuffers {
  size_t capacity = 0;
  FftwBuffer<float> frame;
  FftwBuffer<fftwf_complex> spectrum;
};

FrameBuffers& frame_buffers(int n_fft) {
  thread_local FrameBuffers b;
  if (b.capacity < static_cast<size_t>(n_fft)) {
    b.capacity = static_cast<size_t>(n_fft);
    b.frame = fftw_buffer<float>(b.capacity);
    b.spectrum = fftw_buffer<fftwf_complex>(b.capacity / 2 + 1);
  }
  return b;
}

// Index into the padded signal, mapped back onto x (reflection without repeating the edge);
// -1 for a zero (constant padding).
int64_t source_index(int64_t i, int64_t length, int64_t pad, PadMode mode) {
  int64_t j = i - pad;
  if (j >= 0 && j < length) return j;
  if (mode == PadMode::kConstant) return -1;
  if (j < 0) return -j;
  return 2 * (length - 1) - j;
}

}  // namespace

Expected<std::shared_ptr<const Stft>> Stft::create(const StftConfig& c) {
  if (c.n_fft < 2 || c.n_fft > (1 << 20)) return Status::Invalid("n_fft must be in [2, 2^20]");
  if (c.win_length < 1 || c.win_length > c.n_fft) {
    return Status::Invalid("win_length must be in [1, n_fft], found " +
                           std::to_string(c.win_length));
  }
  if (c.hop_length < 1) return Status::Invalid("hop_length must be at least 1");
  if (!(c.power > 0)) return Status::Invalid("power must be positive");
  return std::shared_ptr<const Stft>(new Stft(c));
}

Stft::Stft(const StftConfig& c) : config_(c), window_(static_cast<size_t>(c.n_fft), 0.0f) {
  std::vector<float> w = make_window(c.window, c.win_length);
  window_begin_ = (c.n_fft - c.win_length) / 2;
  window_end_ = window_begin_ + c.win_length;
  std::memcpy(window_.data() + window_begin_, w.data(), w.size() * sizeof(float));
  auto in = fftw_buffer<float>(static_cast<size_t>(c.n_fft));
  auto out = fftw_buffer<fftwf_complex>(static_cast<size_t>(c.n_fft / 2 + 1));
  std::lock_guard<std::mutex> lock(planner_mutex());
  // r2c runs about 3x faster than the halfcomplex r2r plan for n_fft 400 (FFTW's r2r codelets
  // cover fewer sizes); ESTIMATE plans as fast as MEASURE here.
  plan_ = fftwf_plan_dft_r2c_1d(c.n_fft, in.get(), out.get(), FFTW_ESTIMATE);
}

Stft::~Stft() {
  std::lock_guard<std::mutex> lock(planner_mutex());
  fftwf_destroy_plan(static_cast<fftwf_plan>(plan_));
}

int64_t Stft::frames(int64_t length) const {
  const int64_t padded = config_.center ? length + 2 * (config_.n_fft / 2) : length;
  if (padded < config_.n_fft) return 0;
  return 1 + (padded - config_.n_fft) / config_.hop_length;
}

Status Stft::compute(const float* x, int64_t length, float* out) const {
  const int n_fft = config_.n_fft;
  const int64_t pad = config_.center ? n_fft / 2 : 0;
  const int64_t n_frames = frames(length);
  if (n_frames == 0) {
    return Status::BadRecord("audio of " + std::to_string(length) +
                             " samples is shorter than one frame (n_fft " + std::to_string(n_fft) +
                             (config_.center ? ", centred)" : ")"));
  }
  if (config_.center && config_.pad_mode == PadMode::kReflect && pad >= length) {
    return Status::BadRecord("reflection padding of " + std::to_string(pad) +
                             " needs more samples than the audio's " + std::to_string(length));
  }
  const int nf = n_freq();
  FrameBuffers& buffers = frame_buffers(n_fft);
  float* frame = buffers.frame.get();
  fftwf_complex* spectrum = buffers.spectrum.get();
  // Outside [window_begin_, window_end_) the frame stays zero.
  std::memset(frame, 0, sizeof(float) * static_cast<size_t>(n_fft));
  const float power = config_.power;
  for (int64_t t = 0; t < n_frames; ++t) {
    const int64_t start = t * config_.hop_length;  // in padded coordinates
    const int64_t lo = start + window_begin_, hi = start + window_end_;
    if (lo >= pad && hi <= pad + length) {  // inside the signal: no padding to look up
      const float* __restrict src = x + (lo - pad) - window_begin_;
      const float* __restrict window = window_.data();
      float* __restrict dst = frame;
#pragma omp simd
      for (int i = window_begin_; i < window_end_; ++i) dst[i] = src[i] * window[i];
    } else {
      for (int i = window_begin_; i < window_end_; ++i) {
        int64_t j = source_index(start + i, length, pad, config_.pad_mode);
        frame[i] = j < 0 ? 0.0f : x[j] * window_[i];
      }
    }
    fftwf_execute_dft_r2c(static_cast<fftwf_plan>(plan_), frame, spectrum);
    float* __restrict row = out + t * nf;
    const float* __restrict bins = spectrum[0];  // (re, im) pairs
#pragma omp simd
    for (int k = 0; k < nf; ++k)
      row[k] = bins[2 * k] * bins[2 * k] + bins[2 * k + 1] * bins[2 * k + 1];
    if (power == 1.0f) {
      for (int k = 0; k < nf; ++k) row[k] = std::sqrt(row[k]);
    } else if (power != 2.0f) {
      for (int k = 0; k < nf; ++k) row[k] = std::pow(std::sqrt(row[k]), power);
    }
  }
  return {};
}

}  // namespace sluice::audio
