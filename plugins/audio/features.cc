// audio.spectrogram, audio.mel_spectrogram, audio.log_mel, audio.mfcc: the glue between
// torchaudio-named params and FeatureExtractor, built once per node in open().
#include "audio/audio_field.h"
#include "audio/feature_extractor.h"
#include "audio/ops.h"

#include <memory>
#include <string>

namespace sluice::audio {
namespace {

void add_stft_params(OpSchema& s) {
  s.param(ParamSpec::Int("n_fft", "FFT size").range(2, 1 << 20).default_value(400))
      .param(ParamSpec::Int("win_length", "Window size, <= n_fft (default n_fft)")
                 .range(1, 1 << 20)
                 .optional())
      .param(ParamSpec::Int("hop_length", "Frame step (default win_length / 2)")
                 .range(1, INT32_MAX)
                 .optional())
      .param(ParamSpec::String("window", "Periodic window")
                 .choices({"hann", "hamming"})
                 .default_value("hann"))
      .param(ParamSpec::Bool("center", "Pad n_fft / 2 on both sides first").default_value(true))
      .param(ParamSpec::String("pad_mode", "Padding with center")
                 .choices({"reflect", "constant"})
                 .default_value("reflect"))
      .param(ParamSpec::Float("power", "Exponent of the magnitude: 1 energy, 2 power")
                 .min(0.01)
                 .default_value(2.0));
}

// `norm_name`: the filterbank norm's param, `norm` as torchaudio's MelSpectrogram, `mel_norm` for
// audio.mfcc (whose `norm` is the DCT's, as torchaudio's MFCC).
void add_mel_params(OpSchema& s, int n_mels, const char* norm_name) {
  s.param(ParamSpec::Int("sample_rate",
                         "The audio's rate; a record whose `sample_rate` differs "
                         "is rejected")
              .range(1, 768000)
              .default_value(16000))
      .param(ParamSpec::Int("n_mels", "Mel filters").range(1, 4096).default_value(n_mels))
      .param(ParamSpec::Float("f_min", "Lowest frequency, Hz").min(0).default_value(0.0))
      .param(
          ParamSpec::Float("f_max", "Highest frequency, Hz (default sample_rate / 2)").optional())
      .param(ParamSpec::String("mel_scale", "Mel scale")
                 .choices({"htk", "slaney"})
                 .default_value("htk"))
      .param(ParamSpec::String(norm_name, "Mel filter normalisation (slaney: equal area)")
                 .choices({"none", "slaney"})
                 .default_value("none"));
}

struct Kind {
  const char* op;
  FeatureKind kind;
  const char* doc;
};

OpSchema feature_schema(const Kind& k) {
  OpSchema s =
      OpSchema(k.op)
          .doc(k.doc)
          .input("audio", SLUICE_KIND_TENSOR, "float32 (channels, frames)", SLUICE_DTYPE_FLOAT32)
          .optional_input("sample_rate", SLUICE_KIND_INT,
                          "The audio's rate, checked against the param when present")
          .output("features", SLUICE_KIND_TENSOR,
                  "float32 (bins, frames) for mono audio, (channels, bins, frames) "
                  "otherwise",
                  SLUICE_DTYPE_FLOAT32);
  add_stft_params(s);
  if (k.kind != FeatureKind::kSpectrogram) {
    add_mel_params(s, 128, k.kind == FeatureKind::kMfcc ? "mel_norm" : "norm");
  }
  if (k.kind == FeatureKind::kLogMel) {
    s.param(ParamSpec::String("stype",
                              "What the mel holds: power (10 log10) or magnitude "
                              "(20 log10), as AmplitudeToDB")
                .choices({"power", "magnitude"})
                .default_value("power"))
        .param(ParamSpec::Float("top_db", "Floor at the record's maximum minus this")
                   .min(0)
                   .optional());
  }
  if (k.kind == FeatureKind::kMfcc) {
    s.param(
         ParamSpec::Int("n_mfcc", "Coefficients kept, <= n_mels").range(1, 4096).default_value(40))
        .param(ParamSpec::Int("dct_type", "DCT type (only 2)").range(2, 2).default_value(2))
        .param(ParamSpec::String("norm",
                                 "DCT normalisation, as torchaudio MFCC's norm (ortho, or none: "
                                 "unscaled DCT-II times 2)")
                   .choices({"ortho", "none"})
                   .default_value("ortho"))
        .param(
            ParamSpec::Bool("log_mels", "log(mel + 1e-6) instead of decibels").default_value(false))
        .param(ParamSpec::Float("top_db", "Decibel floor below the maximum")
                   .min(0)
                   .default_value(80.0));
  }
  return s;
}

Expected<FeatureConfig> feature_config(FeatureKind kind, const Params& params) {
  FeatureConfig c;
  c.kind = kind;
  StftConfig& s = c.stft;
  s.n_fft = params.get<int>("n_fft");
  s.win_length = params.get_optional<int>("win_length").value_or(s.n_fft);
  s.hop_length = params.get_optional<int>("hop_length").value_or(s.win_length / 2);
  if (s.hop_length < 1) s.hop_length = 1;
  s.window =
      params.get<std::string>("window") == "hamming" ? WindowKind::kHamming : WindowKind::kHann;
  s.center = params.get<bool>("center");
  s.pad_mode =
      params.get<std::string>("pad_mode") == "constant" ? PadMode::kConstant : PadMode::kReflect;
  s.power = static_cast<float>(params.get<double>("power"));
  if (s.win_length > s.n_fft) {
    return Status::Invalid("param 'win_length': expected at most n_fft (" +
                           std::to_string(s.n_fft) + "), found " + std::to_string(s.win_length));
  }
  if (kind == FeatureKind::kSpectrogram) return c;
  c.sample_rate = params.get<int>("sample_rate");
  c.n_mels = params.get<int>("n_mels");
  c.f_min = params.get<double>("f_min");
  c.f_max = params.get_optional<double>("f_max");
  c.mel_scale =
      params.get<std::string>("mel_scale") == "slaney" ? MelScale::kSlaney : MelScale::kHtk;
  const char* mel_norm = kind == FeatureKind::kMfcc ? "mel_norm" : "norm";
  c.mel_norm = params.get<std::string>(mel_norm) == "slaney" ? MelNorm::kSlaney : MelNorm::kNone;
  if (kind == FeatureKind::kLogMel) {
    c.db_multiplier = params.get<std::string>("stype") == "magnitude" ? 20.0f : 10.0f;
    if (auto top = params.get_optional<double>("top_db")) c.top_db = static_cast<float>(*top);
  }
  if (kind == FeatureKind::kMfcc) {
    c.n_mfcc = params.get<int>("n_mfcc");
    c.dct_ortho = params.get<std::string>("norm") == "ortho";
    c.log_mels = params.get<bool>("log_mels");
    c.top_db = static_cast<float>(params.get<double>("top_db"));
    if (c.n_mfcc > c.n_mels) {
      return Status::Invalid("param 'n_mfcc': expected at most n_mels (" +
                             std::to_string(c.n_mels) + "), found " + std::to_string(c.n_mfcc));
    }
  }
  return c;
}

template <FeatureKind K>
class FeatureOp : public MapOp {
 public:
  static const Kind& kind();
  static OpSchema schema() { return feature_schema(kind()); }
  static Status check(const Params& params) {
    Expected<FeatureConfig> c = feature_config(K, params);
    if (!c.ok()) return c.status();
    if (K == FeatureKind::kSpectrogram) return {};
    const double f_max = c->f_max.value_or(c->sample_rate / 2);
    if (c->f_min >= f_max || f_max > c->sample_rate / 2) {
      return Status::Invalid(
          "params 'f_min' and 'f_max': expected f_min < f_max <= sample_rate / 2 (" +
          shortest_number_text(c->sample_rate / 2.0) + "), found f_min " +
          shortest_number_text(c->f_min) + ", f_max " + shortest_number_text(f_max));
    }
    return {};
  }

  Status open(Context& ctx, const Params& params) override {
    audio_ = ctx.port("audio");
    rate_ = ctx.port("sample_rate");
    features_ = ctx.port("features");
    Expected<FeatureConfig> c = feature_config(K, params);
    if (!c.ok()) return c.status();
    auto fx = FeatureExtractor::create(*c);
    if (!fx.ok()) return fx.status();
    fx_ = *fx;
    return {};
  }

  Status map(Record& record) override {
    if (K != FeatureKind::kSpectrogram && record.has(rate_)) {
      Expected<int> rate = read_sample_rate(record, rate_);
      if (!rate.ok()) return rate.status();
      if (*rate != fx_->config().sample_rate) {
        return Status::BadRecord("audio at " + std::to_string(*rate) +
                                 " Hz, expected the param "
                                 "sample_rate " +
                                 std::to_string(fx_->config().sample_rate) + " (resample first)");
      }
    }
    Expected<WaveformRef> w = read_waveform_view(record, audio_);
    if (!w.ok()) return w.status();
    Expected<Features> f = fx_->compute(w->view);
    if (!f.ok()) return f.status();
    Expected<Tensor> t = float_tensor(std::move(f->values), f->shape);
    if (!t.ok()) return t.status();
    record.set_tensor(features_, *t);
    return {};
  }

 private:
  Field audio_, rate_, features_;
  std::shared_ptr<const FeatureExtractor> fx_;
};

template <>
const Kind& FeatureOp<FeatureKind::kSpectrogram>::kind() {
  static const Kind k{"audio.spectrogram", FeatureKind::kSpectrogram,
                      "Spectrogram as torchaudio.transforms.Spectrogram: |STFT|^power with a "
                      "periodic window of win_length centred in n_fft, onesided, "
                      "(n_fft / 2 + 1, frames) per channel; FFTW3."};
  return k;
}
template <>
const Kind& FeatureOp<FeatureKind::kMel>::kind() {
  static const Kind k{"audio.mel_spectrogram", FeatureKind::kMel,
                      "Mel spectrogram as torchaudio.transforms.MelSpectrogram: the spectrogram "
                      "projected by triangular mel filters (melscale_fbanks) in one matrix "
                      "product, (n_mels, frames) per channel."};
  return k;
}
template <>
const Kind& FeatureOp<FeatureKind::kLogMel>::kind() {
  static const Kind k{"audio.log_mel", FeatureKind::kLogMel,
                      "Log-mel spectrogram: the mel spectrogram in decibels as "
                      "torchaudio.transforms.AmplitudeToDB(stype, top_db) (amin 1e-10, ref 1; "
                      "top_db floors at the record's maximum minus top_db)."};
  return k;
}
template <>
const Kind& FeatureOp<FeatureKind::kMfcc>::kind() {
  static const Kind k{"audio.mfcc", FeatureKind::kMfcc,
                      "MFCCs as torchaudio.transforms.MFCC: the DCT-II (`norm` ortho or none, "
                      "as MFCC's norm) of the mel spectrogram in dB (AmplitudeToDB power, "
                      "top_db) or of log(mel + 1e-6) with log_mels, (n_mfcc, frames) per "
                      "channel. The mel params are torchaudio's melkwargs, with the filterbank's "
                      "norm named `mel_norm` (melkwargs' norm)."};
  return k;
}

}  // namespace

void add_features(PluginBuilder& plugin) {
  plugin.op<FeatureOp<FeatureKind::kSpectrogram>>();
  plugin.op<FeatureOp<FeatureKind::kMel>>();
  plugin.op<FeatureOp<FeatureKind::kLogMel>>();
  plugin.op<FeatureOp<FeatureKind::kMfcc>>();
}

}  // namespace sluice::audio
