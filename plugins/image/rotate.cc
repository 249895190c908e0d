// image.rotate: torchvision's RandomRotation (angle uniform in a range), from the record's seed.
#include "image/image_field.h"
#include "image/ops.h"

namespace sluice::image {
namespace {

class Rotate : public ImageMapOp {
 public:
  static OpSchema schema() {
    return OpSchema("image.rotate")
        .doc(
            "Rotates the image counter-clockwise by an angle uniform in `degrees` ([min, max]; "
            "[a, a] for a fixed angle) about its centre, keeping its size, as torchvision's "
            "F.rotate / RandomRotation on tensors; pixels from outside are `fill`. With "
            "`report`, `angle` gets the angle drawn (float).")
        .input("image", SLUICE_KIND_TENSOR, "(H, W, C) image")
        .output("image", SLUICE_KIND_TENSOR, "The rotated image")
        .output("angle", SLUICE_KIND_FLOAT, "With report: the angle in degrees")
        .param(ParamSpec::List("degrees", SLUICE_PTYPE_FLOAT, "[min, max] angle in degrees"))
        .param(ParamSpec::String("interpolation", "nearest or bilinear")
                   .choices({"nearest", "bilinear"})
                   .default_value("nearest"))
        .param(fill_param("Value of pixels from outside the image: one, or one per channel"))
        .param(report_param());
  }

  static Status check(const Params& params) { return check_pair(params, "degrees", false); }

  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    return infer_report_fields(params, ctx, fields, "angle", SLUICE_KIND_FLOAT);
  }

 protected:
  Status configure(Context& ctx, const Params& params) override {
    degrees_ = pair_param(params, "degrees");
    bilinear_ = params.get<std::string>("interpolation") == "bilinear";
    fill_ = fill_scalar(params);
    report_ = params.get<bool>("report");
    angle_ = ctx.port("angle");
    return {};
  }

  Expected<cv::Mat> transform(const cv::Mat& src, Record& record, core::Rng& rng) const override {
    const double angle = uniform(rng, degrees_[0], degrees_[1]);
    if (report_) record.set_float(angle_, angle);
    return warp_affine(src, rotation(angle), bilinear_, fill_);
  }

 private:
  std::array<double, 2> degrees_{};
  bool bilinear_ = false, report_ = false;
  cv::Scalar fill_;
  Field angle_;
};

}  // namespace

void add_rotate(PluginBuilder& plugin) { plugin.op<Rotate>(); }

}  // namespace sluice::image
