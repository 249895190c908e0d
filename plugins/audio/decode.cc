// audio.decode: a sound file (from `path`, or from `bytes` when the record has them) to an
// `audio` tensor and its `sample_rate`.
#include "audio/audio_field.h"
#include "audio/ops.h"
#include "audio/sound_file.h"

namespace sluice::audio {
namespace {

class Decode : public MapOp {
 public:
  static OpSchema schema() {
    return OpSchema("audio.decode")
        .doc(
            "Decodes a sound file with libsndfile (WAV, FLAC, OGG/Vorbis, AIFF and the other "
            "formats it reads) from `bytes` when the record has them, else from the file at "
            "`path`. Integer samples are scaled to [-1, 1) (16-bit: divided by 32768, as "
            "torchaudio.load). The header is checked before any sample is read: channels, "
            "sample rate, the frame count against `max_seconds` and a hard limit of 2^28 "
            "samples; empty, truncated and non-audio files are rejected with a reason naming "
            "the file.")
        .optional_input("path", SLUICE_KIND_STRING,
                        "File to read; also names the bytes in error messages")
        .optional_input("bytes", SLUICE_KIND_BYTES, "The file's contents, read instead of path")
        .output("audio", SLUICE_KIND_TENSOR, "float32 (channels, frames)", SLUICE_DTYPE_FLOAT32)
        .output("sample_rate", SLUICE_KIND_INT, "Samples per second")
        .param(ParamSpec::Bool("mono", "Average the channels into one").default_value(false))
        .param(ParamSpec::Float("max_seconds",
                                "Reject files longer than this, from their header (0: no limit)")
                   .min(0)
                   .default_value(0.0));
  }

  Status open(Context& ctx, const Params& params) override {
    path_ = ctx.port("path");
    bytes_ = ctx.port("bytes");
    audio_ = ctx.port("audio");
    rate_ = ctx.port("sample_rate");
    options_.mono = params.get<bool>("mono");
    options_.max_seconds = params.get<double>("max_seconds");
    return {};
  }

  Status map(Record& record) override {
    Expected<Decoded> d = decode(record);
    if (!d.ok()) return d.status();
    Expected<Tensor> t = waveform_tensor(std::move(d->audio));
    if (!t.ok()) return t.status();
    record.set_tensor(audio_, *t);
    record.set_int(rate_, d->sample_rate);
    return {};
  }

 private:
  Expected<Decoded> decode(const Record& record) const {
    std::string name = "<bytes>";
    if (record.kind(path_) == SLUICE_KIND_STRING) name = std::string(*record.get_string(path_));
    if (record.has(bytes_)) {
      Expected<std::string_view> bytes = record.get_bytes(bytes_);
      if (!bytes.ok()) return bytes.status();
      return decode_bytes(*bytes, name, options_);
    }
    if (!record.has(path_)) {
      return Status::BadRecord(std::string("expected a '") + path_.name() + "' or '" +
                               bytes_.name() + "' field, found neither");
    }
    Expected<std::string_view> path = record.get_string(path_);
    if (!path.ok()) return path.status();
    return decode_file(std::string(*path), options_);
  }

  Field path_, bytes_, audio_, rate_;
  DecodeOptions options_;
};

}  // namespace

void add_decode(PluginBuilder& plugin) { plugin.op<Decode>(); }

}  // namespace sluice::audio
