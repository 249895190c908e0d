// audio.spec_augment: frequency and time masks on a feature tensor, drawn from the record's seed.
#include "audio/audio_field.h"
#include "audio/masking.h"
#include "audio/ops.h"

#include <string>
#include <vector>

namespace sluice::audio {
namespace {

class SpecAugment : public MapOp {
 public:
  static OpSchema schema() {
    return OpSchema("audio.spec_augment")
        .doc(
            "SpecAugment masking: `freq_masks` bands of bins, each up to `freq_mask_param` wide, "
            "and `time_masks` spans of frames, each up to `time_mask_param` long, set to "
            "`mask_value`; widths and starts as torchaudio's FrequencyMasking and TimeMasking "
            "(width = floor(u * param), start = floor(v * (size - width))), with u and v drawn "
            "from the record's seed, the same masks on every channel.")
        .input("features", SLUICE_KIND_TENSOR,
               "float32 (bins, frames) or (channels, bins, "
               "frames)",
               SLUICE_DTYPE_FLOAT32)
        .output("features", SLUICE_KIND_TENSOR, "The masked features", SLUICE_DTYPE_FLOAT32)
        .param(ParamSpec::Int("freq_mask_param", "Widest frequency mask, in bins")
                   .min(0)
                   .default_value(27))
        .param(ParamSpec::Int("time_mask_param", "Longest time mask, in frames")
                   .min(0)
                   .default_value(40))
        .param(ParamSpec::Int("freq_masks", "Frequency masks").range(0, 64).default_value(1))
        .param(ParamSpec::Int("time_masks", "Time masks").range(0, 64).default_value(1))
        .param(ParamSpec::Float("mask_value", "Value of masked cells").default_value(0.0));
  }

  Status open(Context& ctx, const Params& params) override {
    features_ = ctx.port("features");
    node_seed_ = ctx.seed();
    freq_param_ = params.get<int64_t>("freq_mask_param");
    time_param_ = params.get<int64_t>("time_mask_param");
    freq_masks_ = params.get<int>("freq_masks");
    time_masks_ = params.get<int>("time_masks");
    value_ = static_cast<float>(params.get<double>("mask_value"));
    return {};
  }

  Status map(Record& record) override {
    Expected<Tensor> t = record.get_tensor(features_);
    if (!t.ok()) return t.status();
    if (t->dtype() != SLUICE_DTYPE_FLOAT32 || !t->on_cpu() || (t->ndim() != 2 && t->ndim() != 3)) {
      return Status::BadRecord(std::string("field '") + features_.name() +
                               "': expected a float32 (bins, frames) or (channels, bins, frames) "
                               "tensor");
    }
    const int64_t channels = t->ndim() == 3 ? t->dim(0) : 1;
    const int64_t bins = t->dim(t->ndim() - 2), frames = t->dim(t->ndim() - 1);
    const auto* src = static_cast<const float*>(t->data());
    std::vector<float> v(src, src + t->numel());
    Random rng = record_random(record, node_seed_);
    for (int i = 0; i < freq_masks_; ++i) {
      mask_bins(v.data(), channels, bins, frames, draw_mask(rng, freq_param_, bins), value_);
    }
    for (int i = 0; i < time_masks_; ++i) {
      mask_frames(v.data(), channels, bins, frames, draw_mask(rng, time_param_, frames), value_);
    }
    Expected<Tensor> out = float_tensor(std::move(v), t->shape());
    if (!out.ok()) return out.status();
    record.set_tensor(features_, *out);
    return {};
  }

 private:
  Field features_;
  uint64_t node_seed_ = 0;
  int64_t freq_param_ = 0, time_param_ = 0;
  int freq_masks_ = 0, time_masks_ = 0;
  float value_ = 0;
};

}  // namespace

void add_spec_augment(PluginBuilder& plugin) { plugin.op<SpecAugment>(); }

}  // namespace sluice::audio
