// image.decode: encoded image bytes (or the file at `path`) to a uint8 HWC tensor.
#include "image/codec.h"
#include "image/encoded_input.h"
#include "image/image_field.h"
#include "image/ops.h"

namespace sluice::image {
namespace {

class Decode : public MapOp {
 public:
  static OpSchema schema() {
    OpSchema s("image.decode");
    add_decode_schema(s, true);
    return s
        .doc(
            "Decodes a JPEG, PNG, BMP, WebP or TIFF image from `bytes`, or else from the file "
            "at `path`, into a uint8 (H, W, C) tensor. The format and size are read from the "
            "header first: an image whose width * height exceeds `max_pixels` is rejected "
            "before any pixel buffer is allocated; a JPEG without its end-of-image marker is "
            "rejected as truncated; data the codec refuses (a bad checksum, cut-off data) is "
            "rejected. Every rejection names the file (`path`, when the record has one). EXIF "
            "orientation is ignored, as PIL and torchvision do. `reduce` (2, 4, 8) decodes at "
            "that fraction of the size, ceil(side / f) (libjpeg-turbo's scaled DCT for JPEG; other "
            "formats are decoded whole and shrunk by area interpolation); "
            "`target_size` picks the largest such factor that keeps both sides >= target_size, "
            "for pipelines that shrink the image afterwards.")
        .output("image", SLUICE_KIND_TENSOR,
                "(H, W, C) uint8 pixels (uint16 possible with "
                "mode unchanged)")
        .param(ParamSpec::Int("reduce", "Decode at 1/reduce of the size: 1, 2, 4 or 8")
                   .default_value(1))
        .param(side_param("target_size",
                          "When set: the largest reduce (2, 4, 8) keeping both sides at least "
                          "this; overrides reduce")
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
    input_.open(ctx);
    image_ = ctx.port("image");
    options_.mode = parse_color_mode(params.get<std::string>("mode"));
    options_.max_pixels = params.get<int64_t>("max_pixels");
    options_.reduce = static_cast<int>(params.get<int64_t>("reduce"));
    options_.target_size =
        static_cast<int>(params.get_optional<int64_t>("target_size").value_or(0));
    return {};
  }

  // Called from several threads at once: reads members only.
  Status map(Record& record) override {
    std::string storage, name;
    Expected<std::string_view> bytes = input_.read(record, storage, name);
    if (!bytes.ok()) return bytes.status();
    Expected<cv::Mat> image = decode_image(*bytes, options_);
    if (!image.ok()) return Status::BadRecord(name + ": " + image.status().message());
    Expected<Tensor> t = image_tensor(*image);
    if (!t.ok()) return t.status();
    record.set_tensor(image_, *t);
    return {};
  }

 private:
  EncodedInput input_;
  Field image_;
  DecodeOptions options_;
};

}  // namespace

void add_decode(PluginBuilder& plugin) { plugin.op<Decode>(); }

}  // namespace sluice::image
