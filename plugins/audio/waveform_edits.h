// Edits of waveforms: silence trimming, fixed length, gain, noise at an SNR, time shift. Pure
// functions of their arguments (random choices are made by the caller and passed in), so they
// are deterministic and thread-safe. All take and give (channels, frames).
#pragma once

#include "audio/waveform.h"

#include <cstdint>

namespace sluice::audio {

// The span [begin, end) of frames kept by trim_silence.
struct Span {
  int64_t begin = 0, end = 0;
};

// Frames of `frame_length` every `hop_length` whose RMS (over all channels) is within `top_db`
// of the loudest frame's are non-silent; keeps from the first non-silent frame's start to the last
// one's end (as librosa.effects.trim). A signal that is all zeros keeps nothing (empty span).
Span non_silent_span(const Waveform& audio, float top_db, int frame_length, int hop_length);
Waveform slice(const Waveform& audio, Span span);

// Crops to `length` frames starting at `offset` (0 <= offset <= frames - length) when longer;
// pads with zeros when shorter, `pad_before` zeros first and the rest after.
Waveform fit_length(const Waveform& audio, int64_t length, int64_t offset, int64_t pad_before);

// Multiplies every sample by 10^(db / 20), in place.
void apply_gain(Waveform& audio, double db);

// Adds `noise` (same shape, any scale) scaled so that signal power / noise power = 10^(snr_db/10),
// in place. An all-zero signal or noise is left unchanged.
void mix_at_snr(Waveform& audio, const Waveform& noise, double snr_db);

// Delays by `shift` frames (negative: advances); frames shifted out are dropped and the gap is
// filled with zeros, or with `roll` the frames wrap around.
void shift_frames(Waveform& audio, int64_t shift, bool roll);

}  // namespace sluice::audio
