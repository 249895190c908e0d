// audio.encode: `audio` written as a WAV, FLAC or OGG/Vorbis file under the run directory, or as
// bytes.
#include "audio/audio_field.h"
#include "audio/ops.h"
#include "audio/sound_file.h"

#include <filesystem>
#include <string>
#include <system_error>

namespace sluice::audio {
namespace {

class Encode : public MapOp {
 public:
  static OpSchema schema() {
    return OpSchema("audio.encode")
        .doc(
            "Encodes `audio` at `sample_rate` as WAV, FLAC or OGG/Vorbis (libsndfile; PCM and "
            "Vorbis samples are clipped to [-1, 1]). With to: file, writes <dir>/<name>.<format> "
            "under the run "
            "directory, where <name> is the stem of the record's `path` field when it has one "
            "(so converted files keep their names), else its position as 8 digits; the file's "
            "path goes to `file`. With to: bytes, the encoded file goes to `encoded`.")
        .input("audio", SLUICE_KIND_TENSOR, "float32 (channels, frames)", SLUICE_DTYPE_FLOAT32)
        .input("sample_rate", SLUICE_KIND_INT, "The audio's rate")
        .optional_input("path", SLUICE_KIND_STRING, "The source file, whose stem names the output")
        .output("file", SLUICE_KIND_STRING, "Path of the written file (to: file)")
        .output("encoded", SLUICE_KIND_BYTES, "The encoded file (to: bytes)")
        .param(ParamSpec::String("format", "Container: wav, flac, or ogg (Vorbis, lossy)")
                   .choices({"wav", "flac", "ogg"})
                   .default_value("wav"))
        .param(ParamSpec::String("subtype", "Sample format of wav and flac (flac: pcm16 or pcm24)")
                   .choices({"pcm16", "pcm24", "float"})
                   .default_value("pcm16"))
        .param(ParamSpec::Float("quality",
                                "ogg: Vorbis VBR quality, 0 (smallest) to 1 (best); "
                                "0.5 is about 160 kbit/s for stereo at 44.1 kHz")
                   .range(0.0, 1.0)
                   .default_value(0.5))
        .param(ParamSpec::String("to", "Where the encoded audio goes")
                   .choices({"file", "bytes"})
                   .default_value("file"))
        .param(ParamSpec::String("dir", "Directory under the run directory (to: file)")
                   .default_value("audio"));
  }

  static Status check(const Params& params) {
    if (params.get<std::string>("format") == "flac" &&
        params.get<std::string>("subtype") == "float") {
      return Status::Invalid("param 'subtype': FLAC holds pcm16 or pcm24, not float");
    }
    return {};
  }

  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    const bool bytes = params.get<std::string>("to") == "bytes";
    fields.put(ctx.port(bytes ? "encoded" : "file"),
               bytes ? SLUICE_KIND_BYTES : SLUICE_KIND_STRING);
    return {};
  }

  Status open(Context& ctx, const Params& params) override {
    audio_ = ctx.port("audio");
    rate_ = ctx.port("sample_rate");
    path_ = ctx.port("path");
    file_ = ctx.port("file");
    encoded_ = ctx.port("encoded");
    const std::string format = params.get<std::string>("format");
    format_.container = format == "flac"  ? FileFormat::kFlac
                        : format == "ogg" ? FileFormat::kOggVorbis
                                          : FileFormat::kWav;
    extension_ = "." + format;
    const std::string subtype = params.get<std::string>("subtype");
    format_.samples = subtype == "pcm24"   ? SampleFormat::kPcm24
                      : subtype == "float" ? SampleFormat::kFloat
                                           : SampleFormat::kPcm16;
    format_.vorbis_quality = params.get<double>("quality");
    to_bytes_ = params.get<std::string>("to") == "bytes";
    if (!to_bytes_) {
      dir_ = ctx.output_path(params.get<std::string>("dir"));
      std::error_code ec;
      std::filesystem::create_directories(dir_, ec);
      if (ec) return Status::IoError("cannot create '" + dir_ + "': " + ec.message());
    }
    return {};
  }

  Status map(Record& record) override {
    Expected<Waveform> w = read_waveform(record, audio_);
    if (!w.ok()) return w.status();
    Expected<int> rate = read_sample_rate(record, rate_);
    if (!rate.ok()) return rate.status();
    if (to_bytes_) {
      Expected<std::string> bytes = encode_bytes(*w, *rate, format_);
      if (!bytes.ok()) return bytes.status();
      record.set_bytes(encoded_, *bytes);
      return {};
    }
    std::string stem;
    if (record.kind(path_) == SLUICE_KIND_STRING) {
      stem = std::filesystem::path(std::string(*record.get_string(path_))).stem().string();
    }
    if (stem.empty()) {
      std::string pos = std::to_string(record.position());
      stem = std::string(pos.size() < 8 ? 8 - pos.size() : 0, '0') + pos;
    }
    const std::string file = dir_ + "/" + stem + extension_;
    SLUICE_RETURN_IF_ERROR(encode_file(*w, *rate, format_, file));
    record.set_string(file_, file);
    return {};
  }

 private:
  Field audio_, rate_, path_, file_, encoded_;
  EncodeFormat format_;
  std::string extension_, dir_;
  bool to_bytes_ = false;
};

}  // namespace

void add_encode(PluginBuilder& plugin) { plugin.op<Encode>(); }

}  // namespace sluice::audio
