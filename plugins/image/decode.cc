// image.decode: encoded image bytes (or the file at `path`) to a uint8 HWC tensor.
#include "image/codec.h"
#include "image/image_field.h"
#include "image/ops.h"

#include <fstream>
#include <sstream>

namespace sluice::image {
namespace {

ColorMode parse_mode(const std::string& m) {
  return m == "bgr"         ? ColorMode::kBgr
         : m == "gray"      ? ColorMode::kGray
         : m == "unchanged" ? ColorMode::kUnchanged
                            : ColorMode::kRgb;
}

Expected<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::BadRecord("cannot open the file");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return Status::BadRecord("cannot read the file");
  return std::move(s).str();
}

class Decode : public MapOp {
 public:
  static OpSchema schema() {
    return OpSchema("image.decode")
        .doc(
            "Decodes a JPEG, PNG, BMP, WebP or TIFF image from `bytes`, or else from the file "
            "at `path`, into a uint8 (H, W, C) tensor. The format and size are read from the "
            "header first: an image whose width * height exceeds `max_pixels` is rejected "
            "before any pixel buffer is allocated; a JPEG without its end-of-image marker is "
            "rejected as truncated; data the codec refuses (a bad checksum, cut-off data) is "
            "rejected. Every rejection names the file (`path`, when the record has one). EXIF "
            "orientation is ignored, as PIL and torchvision do. `reduce` (2, 4, 8) decodes at "
            "that fraction of the size (libjpeg-turbo's scaled DCT for JPEG: ceil(side / f)); "
            "`target_size` picks the largest such factor that keeps both sides >= target_size, "
            "for pipelines that shrink the image afterwards.")
        .optional_input("bytes", SLUICE_KIND_BYTES, "The encoded image")
        .optional_input("path", SLUICE_KIND_STRING,
                        "The image file, read when there is no `bytes`; names the input in "
                        "rejections")
        .output("image", SLUICE_KIND_TENSOR,
                "(H, W, C) uint8 pixels (uint16 possible with "
                "mode unchanged)")
        .param(ParamSpec::String("mode",
                                 "rgb, bgr (3 channels), gray (1) or unchanged (as stored: "
                                 "OpenCV's B G R (A) order, 8 or 16 bits)")
                   .choices({"rgb", "bgr", "gray", "unchanged"})
                   .default_value("rgb"))
        .param(ParamSpec::Int("max_pixels", "Largest width * height accepted")
                   .min(1)
                   .default_value(int64_t{1} << 28))
        .param(ParamSpec::Int("reduce", "Decode at 1/reduce of the size: 1, 2, 4 or 8")
                   .default_value(1))
        .param(ParamSpec::Int("target_size",
                              "When set: the largest reduce (2, 4, 8) keeping both sides at "
                              "least this; overrides reduce")
                   .min(1)
                   .optional());
  }

  static Status check(const Params& params) {
    const auto reduce = params.get<int64_t>("reduce");
    if (reduce != 1 && reduce != 2 && reduce != 4 && reduce != 8) {
      return Status::Invalid("param 'reduce': expected 1, 2, 4 or 8, found " +
                             std::to_string(reduce));
    }
    const bool reducing = reduce != 1 || params.has("target_size");
    if (reducing && params.get<std::string>("mode") == "unchanged") {
      return Status::Invalid("params 'reduce'/'target_size' need mode rgb, bgr or gray");
    }
    return {};
  }

  Status open(Context& ctx, const Params& params) override {
    bytes_ = ctx.port("bytes");
    path_ = ctx.port("path");
    image_ = ctx.port("image");
    options_.mode = parse_mode(params.get<std::string>("mode"));
    options_.max_pixels = params.get<int64_t>("max_pixels");
    options_.reduce = static_cast<int>(params.get<int64_t>("reduce"));
    options_.target_size =
        static_cast<int>(params.get_optional<int64_t>("target_size").value_or(0));
    return {};
  }

  // Called from several threads at once: reads members only.
  Status map(Record& record) override {
    std::string name = "the image in field 'bytes'";
    Expected<std::string_view> path = record.get_string(path_);
    if (path.ok()) name = std::string(*path);
    Expected<cv::Mat> image = Status::BadRecord("");
    if (record.has(bytes_)) {
      Expected<std::string_view> bytes = record.get_bytes(bytes_);
      if (!bytes.ok()) return bytes.status();
      image = decode_image(*bytes, options_);
    } else if (path.ok()) {
      Expected<std::string> data = read_whole_file(name);
      if (!data.ok()) return Status::BadRecord(name + ": " + data.status().message());
      image = decode_image(*data, options_);
    } else {
      return Status::BadRecord("the record has neither field '" + std::string(bytes_.name()) +
                               "' nor '" + path_.name() + "'");
    }
    if (!image.ok()) return Status::BadRecord(name + ": " + image.status().message());
    Expected<Tensor> t = image_tensor(*image);
    if (!t.ok()) return t.status();
    record.set_tensor(image_, *t);
    return {};
  }

 private:
  Field bytes_, path_, image_;
  DecodeOptions options_;
};

}  // namespace

void add_decode(PluginBuilder& plugin) { plugin.op<Decode>(); }

}  // namespace sluice::image
