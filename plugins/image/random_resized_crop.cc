// image.random_resized_crop: torchvision's RandomResizedCrop, from the record's seed.
#include "image/image_field.h"
#include "image/ops.h"

namespace sluice::image {
namespace {

class RandomResizedCrop : public ImageMapOp {
 public:
  static OpSchema schema() {
    return OpSchema("image.random_resized_crop")
        .doc(
            "torchvision's RandomResizedCrop: a window with area fraction uniform in `scale` "
            "and aspect ratio (w/h) log-uniform in `ratio` (up to 10 tries, then the largest "
            "centred window with the aspect clamped to `ratio`), resized to `width` x `height` "
            "(height defaults to width). Drawn from the record's seed: the same for any thread "
            "count. With `report`, `crop_box` gets [top, left, height, width] (int32).")
        .input("image", SLUICE_KIND_TENSOR, "(H, W, C) uint8 image", SLUICE_DTYPE_UINT8)
        .output("image", SLUICE_KIND_TENSOR, "The resized crop", SLUICE_DTYPE_UINT8)
        .output("crop_box", SLUICE_KIND_TENSOR, "With report: [top, left, height, width]",
                SLUICE_DTYPE_INT32)
        .param(ParamSpec::Int("width", "Output width").min(1))
        .param(ParamSpec::Int("height", "Output height (default: width)").min(1).optional())
        .param(ParamSpec::List("scale", SLUICE_PTYPE_FLOAT, "[min, max] fraction of the area")
                   .default_yaml("[0.08, 1.0]"))
        .param(ParamSpec::List("ratio", SLUICE_PTYPE_FLOAT, "[min, max] aspect ratio w/h")
                   .default_yaml("[0.75, 1.3333333333333333]"))
        .param(ParamSpec::String("interpolation", "nearest, bilinear, bicubic, area or lanczos")
                   .choices({"nearest", "bilinear", "bicubic", "area", "lanczos"})
                   .default_value("bilinear"))
        .param(ParamSpec::Bool("antialias", "Antialiased resize (as image.resize)")
                   .default_value(true))
        .param(report_param());
  }

  static Status check(const Params& params) {
    SLUICE_RETURN_IF_ERROR(check_pair(params, "scale", true));
    return check_pair(params, "ratio", true);
  }

  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    return infer_report_fields(params, ctx, fields, "crop_box");
  }

 protected:
  Status configure(Context& ctx, const Params& params) override {
    width_ = static_cast<int>(params.get<int64_t>("width"));
    height_ = static_cast<int>(params.get_optional<int64_t>("height").value_or(width_));
    scale_ = pair_param(params, "scale");
    ratio_ = pair_param(params, "ratio");
    interpolation_ = *parse_interpolation(params.get<std::string>("interpolation"));
    antialias_ = params.get<bool>("antialias");
    report_ = params.get<bool>("report");
    crop_box_ = ctx.port("crop_box");
    return {};
  }

  Expected<cv::Mat> transform(const cv::Mat& src, Record& record, core::Rng& rng) const override {
    const Box box = sample_resized_crop(rng, src.rows, src.cols, scale_, ratio_);
    if (report_) {
      SLUICE_RETURN_IF_ERROR(set_box(record, crop_box_, box));
    }
    const cv::Mat window = src(cv::Rect(box.left, box.top, box.width, box.height));
    return resize_image(window, width_, height_, interpolation_, antialias_);
  }

 private:
  int width_ = 0, height_ = 0;
  std::array<double, 2> scale_{}, ratio_{};
  Interpolation interpolation_ = Interpolation::kBilinear;
  bool antialias_ = true, report_ = false;
  Field crop_box_;
};

}  // namespace

void add_random_resized_crop(PluginBuilder& plugin) { plugin.op<RandomResizedCrop>(); }

}  // namespace sluice::image
