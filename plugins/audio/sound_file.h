// Reading and writing sound files with libsndfile: WAV, FLAC, OGG/Vorbis and the other formats it
// reads, from a path or from bytes in memory (sf_open_virtual).
//
// Every size the header claims is checked before any sample buffer is allocated: channels in
// [1, kMaxChannels], sample rate in [1, kMaxSampleRate], frames > 0, frames / rate against
// `max_seconds` and frames * channels against kMaxSamples. A file whose data ends before the
// frames its header claims is rejected as truncated. Errors are BAD_RECORD statuses whose message
// starts with the file's name. Thread-safe (no shared state).
#pragma once

#include "audio/waveform.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::audio {

inline constexpr int kMaxChannels = 256;
inline constexpr int kMaxSampleRate = 768000;
inline constexpr int64_t kMaxSamples = int64_t{1} << 28;  // 1 GiB of float32

struct DecodeOptions {
  bool mono = false;         // average the channels into one
  double max_seconds = 0.0;  // 0: no limit but kMaxSamples
};

struct Decoded {
  Waveform audio;  // (channels, frames), samples in [-1, 1] for integer formats
  int sample_rate = 0;
};

// `name` is used in error messages only.
Expected<Decoded> decode_file(const std::string& path, const DecodeOptions& options);
Expected<Decoded> decode_bytes(std::string_view bytes, const std::string& name,
                               const DecodeOptions& options);

enum class FileFormat { kWav, kFlac, kOggVorbis };
enum class SampleFormat { kPcm16, kPcm24, kFloat };

struct EncodeFormat {
  FileFormat container = FileFormat::kWav;
  SampleFormat samples = SampleFormat::kPcm16;  // WAV and FLAC (FLAC: PCM16/PCM24 only)
  double vorbis_quality = 0.5;                  // OGG/Vorbis VBR quality in [0, 1]
};

// Writes `audio` (clipped to [-1, 1] for PCM and Vorbis) to `path`, or returns the file's bytes.
// IO_ERROR naming the path on failure; INVALID_ARGUMENT for a format libsndfile cannot write.
Status encode_file(const Waveform& audio, int sample_rate, const EncodeFormat& format,
                   const std::string& path);
Expected<std::string> encode_bytes(const Waveform& audio, int sample_rate,
                                   const EncodeFormat& format);

}  // namespace sluice::audio
