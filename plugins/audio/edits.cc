// Waveform edits and augmentations: audio.trim_silence, audio.pad_or_crop, audio.gain,
// audio.add_noise, audio.time_shift, audio.speed. Each reads `audio`, changes it, writes it back;
// random choices come from the record's seed (record_random), never from shared state.
#include "audio/audio_field.h"
#include "audio/ops.h"
#include "audio/resample_quality.h"
#include "audio/resampler.h"
#include "audio/waveform_edits.h"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace sluice::audio {
namespace {

OpSchema waveform_schema(const char* name, const std::string& doc) {
  return OpSchema(name)
      .doc(doc)
      .input("audio", SLUICE_KIND_TENSOR, "float32 (channels, frames)", SLUICE_DTYPE_FLOAT32)
      .output("audio", SLUICE_KIND_TENSOR, "float32 (channels, frames')", SLUICE_DTYPE_FLOAT32);
}

// Reads `audio`, calls edit(), stores the result. Subclasses set up their params in setup().
class WaveformOp : public MapOp {
 public:
  Status open(Context& ctx, const Params& params) override {
    node_seed_ = ctx.seed();
    audio_ = ctx.port("audio");
    return setup(ctx, params);
  }
  Status map(Record& record) override {
    Expected<Waveform> w = read_waveform(record, audio_);
    if (!w.ok()) return w.status();
    SLUICE_RETURN_IF_ERROR(edit(record, *w));
    Expected<Tensor> t = waveform_tensor(std::move(*w));
    if (!t.ok()) return t.status();
    record.set_tensor(audio_, *t);
    return {};
  }

 protected:
  virtual Status setup(Context& ctx, const Params& params) = 0;
  virtual Status edit(Record& record, Waveform& audio) const = 0;
  Random random(const Record& record) const { return record_random(record, node_seed_); }

 private:
  uint64_t node_seed_ = 0;
  Field audio_;
};

// A value drawn uniformly from [lo, hi] per record, or fixed when hi is unset.
struct Draw {
  double lo = 0;
  std::optional<double> hi;
  double pick(Random& rng) const { return hi ? rng.uniform(lo, *hi) : lo; }
};

Draw read_draw(const Params& params, const char* lo, const char* hi) {
  return Draw{params.get<double>(lo), params.get_optional<double>(hi)};
}

Status check_draw(const Params& params, const char* lo, const char* hi) {
  auto top = params.get_optional<double>(hi);
  if (top && *top < params.get<double>(lo)) {
    return Status::Invalid(std::string("param '") + hi + "' must be at least '" + lo + "'");
  }
  return {};
}

class TrimSilence : public WaveformOp {
 public:
  static OpSchema schema() {
    return waveform_schema(
               "audio.trim_silence",
               "Trims leading and trailing silence, as librosa.effects.trim: frames of "
               "`frame_length` samples every `hop_length` are silent when their RMS over all "
               "channels is more than `top_db` below the loudest frame's; the audio is kept from "
               "the first non-silent frame to the end of the last. All-zero audio becomes empty "
               "(0 frames).")
        .param(ParamSpec::Float("top_db", "Threshold below the peak, in dB")
                   .min(0)
                   .default_value(60.0))
        .param(ParamSpec::Int("frame_length", "Analysis frame in samples")
                   .range(1, INT32_MAX)
                   .default_value(2048))
        .param(ParamSpec::Int("hop_length", "Frame step in samples")
                   .range(1, INT32_MAX)
                   .default_value(512));
  }

 protected:
  Status setup(Context&, const Params& params) override {
    top_db_ = static_cast<float>(params.get<double>("top_db"));
    frame_ = params.get<int>("frame_length");
    hop_ = params.get<int>("hop_length");
    return {};
  }
  Status edit(Record&, Waveform& audio) const override {
    audio = slice(audio, non_silent_span(audio, top_db_, frame_, hop_));
    return {};
  }

 private:
  float top_db_ = 60;
  int frame_ = 2048, hop_ = 512;
};

class PadOrCrop : public WaveformOp {
 public:
  static OpSchema schema() {
    return waveform_schema("audio.pad_or_crop",
                           "Makes `audio` exactly `length` frames: longer audio is cropped (a "
                           "window at a random offset drawn from the record's seed, or the centre "
                           "one), shorter audio padded with zeros (at the end, or split evenly "
                           "around it with pad: both).")
        .param(ParamSpec::Int("length", "Frames out").range(1, INT32_MAX))
        .param(ParamSpec::String("crop", "Where to crop")
                   .choices({"random", "center"})
                   .default_value("random"))
        .param(ParamSpec::String("pad", "Where the zeros go")
                   .choices({"end", "both"})
                   .default_value("end"));
  }

 protected:
  Status setup(Context&, const Params& params) override {
    length_ = params.get<int64_t>("length");
    random_crop_ = params.get<std::string>("crop") == "random";
    pad_both_ = params.get<std::string>("pad") == "both";
    return {};
  }
  Status edit(Record& record, Waveform& audio) const override {
    const int64_t extra = audio.frames - length_;
    int64_t offset = 0, pad_before = 0;
    if (extra > 0) {
      Random rng = random(record);
      offset = random_crop_ ? static_cast<int64_t>(rng.uniform() * static_cast<double>(extra + 1))
                            : extra / 2;
    } else if (pad_both_) {
      pad_before = -extra / 2;
    }
    audio = fit_length(audio, length_, offset, pad_before);
    return {};
  }

 private:
  int64_t length_ = 0;
  bool random_crop_ = true, pad_both_ = false;
};

class Gain : public WaveformOp {
 public:
  static OpSchema schema() {
    return waveform_schema("audio.gain",
                           "Scales `audio` by `db` decibels (x 10^(db/20)), or by a gain drawn "
                           "uniformly from [db, max_db] per record when max_db is set.")
        .param(ParamSpec::Float("db", "Gain in dB (the lower end with max_db)"))
        .param(ParamSpec::Float("max_db", "Upper end of a random gain").optional());
  }
  static Status check(const Params& params) { return check_draw(params, "db", "max_db"); }

 protected:
  Status setup(Context&, const Params& params) override {
    db_ = read_draw(params, "db", "max_db");
    return {};
  }
  Status edit(Record& record, Waveform& audio) const override {
    Random rng = random(record);
    apply_gain(audio, db_.pick(rng));
    return {};
  }

 private:
  Draw db_;
};

class AddNoise : public WaveformOp {
 public:
  static OpSchema schema() {
    return waveform_schema("audio.add_noise",
                           "Adds white Gaussian noise drawn from the record's seed at a "
                           "signal-to-noise ratio of `snr_db` (or one drawn uniformly from "
                           "[snr_db, max_snr_db] per record), measured over the whole record. "
                           "Silent audio is left unchanged.")
        .param(ParamSpec::Float("snr_db",
                                "Signal-to-noise ratio in dB (the lower end with "
                                "max_snr_db)"))
        .param(ParamSpec::Float("max_snr_db", "Upper end of a random SNR").optional());
  }
  static Status check(const Params& params) { return check_draw(params, "snr_db", "max_snr_db"); }

 protected:
  Status setup(Context&, const Params& params) override {
    snr_ = read_draw(params, "snr_db", "max_snr_db");
    return {};
  }
  Status edit(Record& record, Waveform& audio) const override {
    Random rng = random(record);
    const double snr = snr_.pick(rng);
    Waveform noise = audio;
    for (float& v : noise.samples) v = static_cast<float>(rng.normal());
    mix_at_snr(audio, noise, snr);
    return {};
  }

 private:
  Draw snr_;
};

class TimeShift : public WaveformOp {
 public:
  static OpSchema schema() {
    return waveform_schema("audio.time_shift",
                           "Shifts `audio` in time by a whole number of frames drawn uniformly "
                           "from [-max_shift, max_shift] seconds per record (at the record's "
                           "`sample_rate`): positive delays. Frames shifted out are dropped and "
                           "the gap is zeros, or with roll: true they wrap around.")
        .input("sample_rate", SLUICE_KIND_INT, "The audio's rate")
        .param(ParamSpec::Float("max_shift", "Largest shift in seconds").min(0))
        .param(ParamSpec::Bool("roll", "Wrap around instead of zero-filling").default_value(false));
  }

 protected:
  Status setup(Context& ctx, const Params& params) override {
    rate_ = ctx.port("sample_rate");
    max_shift_ = params.get<double>("max_shift");
    roll_ = params.get<bool>("roll");
    return {};
  }
  Status edit(Record& record, Waveform& audio) const override {
    Expected<int> rate = read_sample_rate(record, rate_);
    if (!rate.ok()) return rate.status();
    const auto limit = static_cast<int64_t>(std::floor(max_shift_ * *rate));
    Random rng = random(record);
    const int64_t shift =
        static_cast<int64_t>(rng.uniform() * static_cast<double>(2 * limit + 1)) - limit;
    shift_frames(audio, shift, roll_);
    return {};
  }

 private:
  Field rate_;
  double max_shift_ = 0;
  bool roll_ = false;
};

class Speed : public WaveformOp {
 public:
  static OpSchema schema() {
    return waveform_schema("audio.speed",
                           "Plays `audio` `factor` times faster (pitch changes with it, as "
                           "torchaudio.transforms.Speed): resampled with libsoxr from rate "
                           "factor x r to r, so it has round(frames / factor) frames at the same "
                           "sample rate. With max_factor, the factor is drawn uniformly from "
                           "[factor, max_factor] per record.")
        .param(ParamSpec::Float("factor", "Speed factor (the lower end with max_factor)")
                   .range(0.1, 10))
        .param(ParamSpec::Float("max_factor", "Upper end of a random factor")
                   .range(0.1, 10)
                   .optional())
        .param(quality_param());
  }
  static Status check(const Params& params) { return check_draw(params, "factor", "max_factor"); }

 protected:
  Status setup(Context&, const Params& params) override {
    factor_ = read_draw(params, "factor", "max_factor");
    quality_ = parse_quality(params.get<std::string>("quality"));
    return {};
  }
  Status edit(Record& record, Waveform& audio) const override {
    Random rng = random(record);
    const double f = factor_.pick(rng);
    if (f == 1.0) return {};
    Expected<Waveform> out = resample(audio, f, 1.0, quality_);
    if (!out.ok()) return out.status();
    audio = std::move(*out);
    return {};
  }

 private:
  Draw factor_;
  ResampleQuality quality_ = ResampleQuality::kHigh;
};

}  // namespace

void add_edits(PluginBuilder& plugin) {
  plugin.op<TrimSilence>();
  plugin.op<PadOrCrop>();
  plugin.op<Gain>();
  plugin.op<AddNoise>();
  plugin.op<TimeShift>();
  plugin.op<Speed>();
}

}  // namespace sluice::audio
