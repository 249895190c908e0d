// image.encode: an image to JPEG/PNG bytes, or to a file under the run directory.
#include "image/codec.h"
#include "image/image_field.h"
#include "image/ops.h"
#include "io/path_template.h"

#include <filesystem>
#include <fstream>

namespace sluice::image {
namespace {

class Encode : public MapOp {
 public:
  static OpSchema schema() {
    return OpSchema("image.encode")
        .doc(
            "Encodes a uint8 image (1, 3 or 4 channels; `mode` says whether 3/4 channels are "
            "R G B (A) or B G R (A)) as JPEG (`quality` 0..100, default 95) or PNG (`quality` is "
            "the zlib level 0..9, default 3). Without `path` the result goes to `bytes`; with "
            "`path`, a template such as \"images/{label}/{id}.png\" filled from string and int "
            "fields and resolved against the run directory, the file is written (directories "
            "made) and `file` gets its path.")
        .input("image", SLUICE_KIND_TENSOR, "(H, W, C) uint8 image", SLUICE_DTYPE_UINT8)
        .output("bytes", SLUICE_KIND_BYTES, "The encoded image (without path)")
        .output("file", SLUICE_KIND_STRING, "The file written (with path)")
        .param(ParamSpec::String("format", "jpeg or png")
                   .choices({"jpeg", "png"})
                   .default_value("png"))
        .param(ParamSpec::Int("quality", "JPEG quality 0..100 or PNG compression 0..9")
                   .range(0, 100)
                   .optional())
        .param(ParamSpec::String("mode", "Channel order of the input: rgb or bgr")
                   .choices({"rgb", "bgr"})
                   .default_value("rgb"))
        .param(ParamSpec::String("path", "File path template, relative to the run directory")
                   .optional());
  }

  static Status check(const Params& params) {
    if (params.has("path")) {
      Expected<io::PathTemplate> t = io::PathTemplate::parse(params.get<std::string>("path"));
      if (!t.ok()) return Status::Invalid("param 'path': " + t.status().message());
    }
    const auto q = params.get_optional<int64_t>("quality");
    if (q && params.get<std::string>("format") == "png" && *q > 9) {
      return Status::Invalid("param 'quality': PNG compression is 0..9");
    }
    return {};
  }

  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    fields.put(ctx.port(params.has("path") ? "file" : "bytes"),
               params.has("path") ? SLUICE_KIND_STRING : SLUICE_KIND_BYTES);
    return {};
  }

  Status open(Context& ctx, const Params& params) override {
    image_ = ctx.port("image");
    bytes_ = ctx.port("bytes");
    file_ = ctx.port("file");
    format_ =
        params.get<std::string>("format") == "jpeg" ? EncodeFormat::kJpeg : EncodeFormat::kPng;
    quality_ = static_cast<int>(
        params.get_optional<int64_t>("quality").value_or(format_ == EncodeFormat::kJpeg ? 95 : 3));
    rgb_ = params.get<std::string>("mode") == "rgb";
    if (params.has("path")) {
      Expected<io::PathTemplate> t = io::PathTemplate::parse(params.get<std::string>("path"));
      if (!t.ok()) return t.status();
      path_.emplace(std::move(*t));
      ctx_ = &ctx;
    }
    return {};
  }

  // Called from several threads at once: reads members only.
  Status map(Record& record) override {
    Expected<ImageView> in = read_image(record, image_);
    if (!in.ok()) return in.status();
    Expected<std::string> data = encode_image(in->mat, format_, quality_, rgb_);
    if (!data.ok()) return data.status();
    if (!path_) {
      record.set_bytes(bytes_, *data);
      return {};
    }
    Expected<std::string> rel =
        path_->render([&](const std::string& name) -> Expected<std::string> {
          const Field f = Field::named(name);
          if (Expected<std::string_view> s = record.get_string(f); s.ok()) return std::string(*s);
          if (Expected<int64_t> i = record.get_int(f); i.ok()) return std::to_string(*i);
          return Status::BadRecord("path template field '" + name + "': expected a string or int");
        });
    if (!rel.ok()) return rel.status();
    const std::string file = ctx_->output_path(*rel);
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(file).parent_path(), ec);
    std::ofstream out(file, std::ios::binary);
    out.write(data->data(), static_cast<std::streamsize>(data->size()));
    if (!out) return Status::IoError("cannot write '" + file + "'");
    record.set_string(file_, file);
    return {};
  }

 private:
  Field image_, bytes_, file_;
  EncodeFormat format_ = EncodeFormat::kPng;
  int quality_ = 3;
  bool rgb_ = true;
  std::optional<io::PathTemplate> path_;
  const Context* ctx_ = nullptr;
};

}  // namespace

void add_encode(PluginBuilder& plugin) { plugin.op<Encode>(); }

}  // namespace sluice::image
