#include "audio/audio_field.h"

#include <string>
#include <utility>

namespace sluice::audio {
namespace {

void delete_floats(void* data, void* ctx) {
  (void)data;
  delete static_cast<std::vector<float>*>(ctx);
}

}  // namespace

Expected<WaveformRef> read_waveform_view(const Record& record, Field f) {
  Expected<Tensor> t = record.get_tensor(f);
  if (!t.ok()) return t.status();
  const std::string name = f.name();
  if (t->dtype() != SLUICE_DTYPE_FLOAT32 || !t->on_cpu()) {
    return Status::BadRecord("field '" + name + "': expected a float32 CPU tensor, found " +
                             dtype_name(t->dtype()));
  }
  if (t->ndim() != 1 && t->ndim() != 2) {
    return Status::BadRecord("field '" + name + "': expected (channels, frames) or (frames,), " +
                             "found " + std::to_string(t->ndim()) + " dimensions");
  }
  WaveformView w;
  w.channels = t->ndim() == 1 ? 1 : static_cast<int>(t->dim(0));
  w.frames = t->ndim() == 1 ? t->dim(0) : t->dim(1);
  if (w.channels < 1) return Status::BadRecord("field '" + name + "': no channels");
  w.samples = static_cast<const float*>(t->data());
  return WaveformRef{std::move(*t), w};
}

Expected<Waveform> read_waveform(const Record& record, Field f) {
  Expected<WaveformRef> ref = read_waveform_view(record, f);
  if (!ref.ok()) return ref.status();
  const WaveformView& v = ref->view;
  return Waveform{v.channels, v.frames,
                  std::vector<float>(v.samples, v.samples + v.channels * v.frames)};
}

Expected<Tensor> float_tensor(std::vector<float>&& values, const std::vector<int64_t>& shape) {
  auto* owned = new std::vector<float>(std::move(values));
  static float empty = 0.0f;
  void* data = owned->empty() ? &empty : owned->data();
  Expected<Tensor> t = Tensor::wrap(SLUICE_DTYPE_FLOAT32, shape, data, delete_floats, owned);
  if (!t.ok()) delete owned;
  return t;
}

Expected<Tensor> waveform_tensor(Waveform&& audio) {
  const std::vector<int64_t> shape{audio.channels, audio.frames};
  return float_tensor(std::move(audio.samples), shape);
}

Expected<int> read_sample_rate(const Record& record, Field f) {
  Expected<int64_t> rate = record.get_int(f);
  if (!rate.ok()) return rate.status();
  if (*rate < 1 || *rate > 10'000'000) {
    return Status::BadRecord(std::string("field '") + f.name() +
                             "': expected a sample rate, found " + std::to_string(*rate));
  }
  return static_cast<int>(*rate);
}

}  // namespace sluice::audio
