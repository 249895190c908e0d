// Helpers for the audio plugin's tests: synthetic signals, records holding audio as JSON lines,
// and tensors read back from op outputs.
#pragma once

#include "audio/waveform.h"

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace sluice::audio::test {

// Sum of sines at `rate`: x[n] = sum_i amps[i] sin(2 pi freqs[i] n / rate), one channel, plus
// `noise` times a uniform [-1, 1) sequence from a 31-bit LCG; with quantize, round(32767 x) / 32768
// (as tools/refgen/audio_features.py makes its tones).
Waveform tone(int rate, double seconds, const std::vector<double>& freqs,
              const std::vector<double>& amps, bool quantize = false, double noise = 0.0);

// {"audio": float32 tensor (channels, frames), "sample_rate": rate} as a JSON line.
std::string audio_record(const Waveform& audio, int rate);

struct JsonTensor {
  std::vector<int64_t> shape;
  std::vector<double> data;
};
// The tensor field `field` of a parsed output record.
JsonTensor tensor_of(const boost::json::object& record, const std::string& field);
Waveform waveform_of(const boost::json::object& record, const std::string& field = "audio");

// Amplitude of the sinusoid at `freq` in x (least-squares fit of sin and cos over [begin, end)).
double amplitude_at(const float* x, int64_t begin, int64_t end, double freq, int rate);

// A little-endian RIFF/WAVE file with the given header fields and `data_bytes` of PCM after the
// header; `data_size` is what the data chunk's header claims.
std::string wav_bytes(int channels, uint32_t rate, int bits, uint32_t data_size,
                      const std::string& data);

}  // namespace sluice::audio::test
