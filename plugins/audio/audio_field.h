// Glue between records and the kernels' Waveform: the `audio` tensor (float32, (channels, frames)
// or (frames,) for mono) in and out, the `sample_rate` field, and per-record random generators.
#pragma once

#include "audio/random.h"
#include "audio/waveform.h"

#include <sluice/sdk.hpp>

#include <cstdint>
#include <vector>

namespace sluice::audio {

// The float32 tensor in field `f` as (channels, frames), borrowed: `view` is valid while
// `tensor` (a reference to the record's) lives. BAD_RECORD naming the field for another dtype or
// rank.
struct WaveformRef {
  Tensor tensor;
  WaveformView view;
};
Expected<WaveformRef> read_waveform_view(const Record& record, Field f);

// A copy of it, for ops that change the samples.
Expected<Waveform> read_waveform(const Record& record, Field f);

// A float32 tensor (channels, frames) that takes over `audio`'s samples.
Expected<Tensor> waveform_tensor(Waveform&& audio);

// A float32 tensor of `shape` that takes over `values`.
Expected<Tensor> float_tensor(std::vector<float>&& values, const std::vector<int64_t>& shape);

// The positive int field `f` (a sample rate); BAD_RECORD otherwise.
Expected<int> read_sample_rate(const Record& record, Field f);

// The record's generator at this node: the same for the same record and node on any thread.
// `node_seed` is Context::seed() from open().
inline Random record_random(const Record& record, uint64_t node_seed) {
  return Random::for_record(record.seed(), node_seed);
}

}  // namespace sluice::audio
