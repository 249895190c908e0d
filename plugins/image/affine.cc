// image.affine: torchvision's RandomAffine (rotation, translation, scale, shear).
#include "image/image_field.h"
#include "image/ops.h"

namespace sluice::image {
namespace {

class Affine : public ImageMapOp {
 public:
  static OpSchema schema() {
    OpSchema s("image.affine");
    s.doc(
         "torchvision's RandomAffine on tensors, about the image centre, keeping its size: "
         "angle uniform in `degrees` (clockwise, as F.affine), translation "
         "round(U(-f * W, f * W)) and likewise for H with `translate` [fx, fy], scale "
         "uniform in `scale`, shear x uniform in shear[0..1] and shear y in shear[2..3] "
         "(degrees). Each range may be [a, a] for a fixed value; drawn from the record's "
         "seed. With `report`, `affine` gets [angle, tx, ty, scale, shear_x, shear_y] "
         "(float64).")
        .input("image", SLUICE_KIND_TENSOR, "(H, W, C) image")
        .output("image", SLUICE_KIND_TENSOR, "The transformed image")
        .output("affine", SLUICE_KIND_TENSOR,
                "With report: [angle, tx, ty, scale, shear_x, shear_y]", SLUICE_DTYPE_FLOAT64)
        .param(ParamSpec::List("degrees", SLUICE_PTYPE_FLOAT, "[min, max] angle in degrees")
                   .default_yaml("[0, 0]"))
        .param(ParamSpec::List("translate", SLUICE_PTYPE_FLOAT,
                               "[fx, fy]: largest shift as a fraction of width and height")
                   .default_yaml("[]"))
        .param(ParamSpec::List("scale", SLUICE_PTYPE_FLOAT, "[min, max] scale factor")
                   .default_yaml("[]"))
        .param(ParamSpec::List("shear", SLUICE_PTYPE_FLOAT,
                               "[min, max] x shear, or [xmin, xmax, ymin, ymax], in degrees")
                   .default_yaml("[]"));
    return add_warp_params(s);
  }

  static Status check(const Params& params) {
    SLUICE_RETURN_IF_ERROR(check_pair(params, "degrees", false));
    const auto translate = params.get<std::vector<double>>("translate");
    if (!translate.empty() && (translate.size() != 2 || translate[0] < 0 || translate[0] > 1 ||
                               translate[1] < 0 || translate[1] > 1)) {
      return Status::Invalid("param 'translate': expected [] or [fx, fy] in [0, 1]");
    }
    if (!params.get<std::vector<double>>("scale").empty()) {
      SLUICE_RETURN_IF_ERROR(check_pair(params, "scale", true));
    }
    const auto shear = params.get<std::vector<double>>("shear");
    if (!shear.empty() && shear.size() != 2 && shear.size() != 4) {
      return Status::Invalid("param 'shear': expected [], 2 or 4 values");
    }
    return {};
  }

  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    return infer_report_fields(params, ctx, fields, "affine");
  }

 protected:
  Status configure(Context& ctx, const Params& params) override {
    degrees_ = pair_param(params, "degrees");
    translate_ = params.get<std::vector<double>>("translate");
    scale_ = params.get<std::vector<double>>("scale");
    shear_ = params.get<std::vector<double>>("shear");
    warp_.read(params);
    affine_ = ctx.port("affine");
    return {};
  }

  Expected<cv::Mat> transform(const cv::Mat& src, Record& record, core::Rng& rng) const override {
    const AffineParams p =
        sample_affine(rng, src.rows, src.cols, degrees_, translate_, scale_, shear_);
    if (warp_.report) {
      SLUICE_RETURN_IF_ERROR(set_values(record, affine_,
                                        std::vector<double>{p.angle, p.translate_x, p.translate_y,
                                                            p.scale, p.shear_x, p.shear_y}));
    }
    return warp_affine(src, p, warp_.bilinear, warp_.fill);
  }

 private:
  std::array<double, 2> degrees_{};
  std::vector<double> translate_, scale_, shear_;
  WarpParams warp_;
  Field affine_;
};

}  // namespace

void add_affine(PluginBuilder& plugin) { plugin.op<Affine>(); }

}  // namespace sluice::image
