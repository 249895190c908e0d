// image.rotate: torchvision's RandomRotation (angle uniform in a range), from the record's seed.
#include "image/image_field.h"
#include "image/ops.h"

namespace sluice::image {
namespace {

class Rotate : public ImageMapOp {
 public:
  static OpSchema schema() {
    OpSchema s("image.rotate");
    s.doc(
         "Rotates the image counter-clockwise by an angle uniform in `degrees` ([min, max]; "
         "[a, a] for a fixed angle) about its centre, as torchvision's F.rotate / "
         "RandomRotation on tensors; pixels from outside are `fill`. The output keeps the "
         "input's size, or with `expand` grows to hold the whole rotated image (torchvision's "
         "expand=True sizes). With `report`, `angle` gets the angle drawn (float).")
        .input("image", SLUICE_KIND_TENSOR, "(H, W, C) image")
        .output("image", SLUICE_KIND_TENSOR, "The rotated image")
        .output("angle", SLUICE_KIND_FLOAT, "With report: the angle in degrees")
        .param(ParamSpec::List("degrees", SLUICE_PTYPE_FLOAT, "[min, max] angle in degrees"))
        .param(ParamSpec::Bool("expand", "Grow the output to hold the whole rotated image")
                   .default_value(false));
    return add_warp_params(s);
  }

  static Status check(const Params& params) { return check_pair(params, "degrees", false); }

  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    return infer_report_fields(params, ctx, fields, "angle", SLUICE_KIND_FLOAT);
  }

 protected:
  Status configure(Context& ctx, const Params& params) override {
    degrees_ = pair_param(params, "degrees");
    warp_.read(params);
    expand_ = params.get<bool>("expand");
    angle_ = ctx.port("angle");
    return {};
  }

  Expected<cv::Mat> transform(const cv::Mat& src, Record& record, core::Rng& rng) const override {
    const double angle = uniform(rng, degrees_[0], degrees_[1]);
    if (warp_.report) record.set_float(angle_, angle);
    const AffineParams p = rotation(angle);
    return warp_affine(src, p, warp_.bilinear, warp_.fill,
                       expand_ ? expanded_size(p, src.size()) : cv::Size());
  }

 private:
  std::array<double, 2> degrees_{};
  WarpParams warp_;
  bool expand_ = false;
  Field angle_;
};

}  // namespace

void add_rotate(PluginBuilder& plugin) { plugin.op<Rotate>(); }

}  // namespace sluice::image
