// audio.resample: `audio` at its `sample_rate` to the param `sample_rate`, with libsoxr.
#include "audio/audio_field.h"
#include "audio/ops.h"
#include "audio/resample_quality.h"
#include "audio/resampler.h"

namespace sluice::audio {
namespace {

class Resample : public MapOp {
 public:
  static OpSchema schema() {
    return OpSchema("audio.resample")
        .doc(
            "Resamples `audio` from the record's `sample_rate` to the param `sample_rate` with "
            "libsoxr (band-limited, linear phase); the output has round(frames * new / old) "
            "frames and `sample_rate` is set to the new rate. Audio already at the rate passes "
            "unchanged.")
        .input("audio", SLUICE_KIND_TENSOR, "float32 (channels, frames)", SLUICE_DTYPE_FLOAT32)
        .input("sample_rate", SLUICE_KIND_INT, "The audio's rate")
        .output("audio", SLUICE_KIND_TENSOR, "float32 (channels, frames')", SLUICE_DTYPE_FLOAT32)
        .output("sample_rate", SLUICE_KIND_INT, "The new rate")
        .param(ParamSpec::Int("sample_rate", "Target rate in Hz").range(1, 768000))
        .param(quality_param());
  }

  Status open(Context& ctx, const Params& params) override {
    audio_ = ctx.port("audio");
    rate_field_ = ctx.port("sample_rate");
    rate_ = params.get<int>("sample_rate");
    quality_ = parse_quality(params.get<std::string>("quality"));
    return {};
  }

  Status map(Record& record) override {
    Expected<int> from = read_sample_rate(record, rate_field_);
    if (!from.ok()) return from.status();
    if (*from == rate_) return {};
    Expected<WaveformRef> in = read_waveform_view(record, audio_);
    if (!in.ok()) return in.status();
    Expected<Waveform> out = resample(in->view, *from, rate_, quality_);
    if (!out.ok()) return out.status();
    Expected<Tensor> t = waveform_tensor(std::move(*out));
    if (!t.ok()) return t.status();
    record.set_tensor(audio_, *t);
    record.set_int(rate_field_, rate_);
    return {};
  }

 private:
  Field audio_, rate_field_;
  int rate_ = 0;
  ResampleQuality quality_ = ResampleQuality::kHigh;
};

}  // namespace

void add_resample(PluginBuilder& plugin) { plugin.op<Resample>(); }

}  // namespace sluice::audio
