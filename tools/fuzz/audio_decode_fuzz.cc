// libFuzzer target: any bytes as a sound file (audio/sound_file.h: libsndfile through
// sf_open_virtual). decode_bytes must refuse what it cannot read with a status and never crash
// or allocate what an unchecked header claims; what it decodes has the shape and limits the header
// promises (channels, sample rate, frames, samples), mono averaging keeps the frames, and the
// samples written as a float WAV decode to the same bits.
#include "audio/sound_file.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

using sluice::audio::Decoded;
using sluice::audio::DecodeOptions;

void check_shape(const Decoded& d) {
  const auto& a = d.audio;
  if (a.channels < 1 || a.channels > sluice::audio::kMaxChannels || a.frames < 1 ||
      d.sample_rate < 1 || d.sample_rate > sluice::audio::kMaxSampleRate ||
      a.frames * a.channels > sluice::audio::kMaxSamples ||
      a.samples.size() != static_cast<size_t>(a.frames * a.channels)) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  sluice::Expected<Decoded> decoded = sluice::audio::decode_bytes(bytes, "fuzz", DecodeOptions{});
  if (!decoded.ok()) return 0;
  check_shape(*decoded);
  sluice::Expected<Decoded> mono =
      sluice::audio::decode_bytes(bytes, "fuzz", DecodeOptions{.mono = true});
  if (!mono.ok()) std::abort();
  check_shape(*mono);
  if (mono->audio.channels != 1 || mono->audio.frames != decoded->audio.frames) std::abort();

  const sluice::audio::EncodeFormat float_wav{.container = sluice::audio::FileFormat::kWav,
                                              .samples = sluice::audio::SampleFormat::kFloat};
  sluice::Expected<std::string> wav =
      sluice::audio::encode_bytes(decoded->audio, decoded->sample_rate, float_wav);
  if (!wav.ok()) return 0;  // a rate or size WAV cannot hold
  sluice::Expected<Decoded> again = sluice::audio::decode_bytes(*wav, "again", DecodeOptions{});
  if (!again.ok() || again->sample_rate != decoded->sample_rate ||
      again->audio.channels != decoded->audio.channels ||
      again->audio.frames != decoded->audio.frames ||
      std::memcmp(again->audio.samples.data(), decoded->audio.samples.data(),
                  decoded->audio.samples.size() * sizeof(float)) != 0) {
    std::abort();
  }
  return 0;
}
