// image.flip: mirror left-right and/or top-bottom, each with a probability.
#include "image/image_field.h"
#include "image/ops.h"

namespace sluice::image {
namespace {

class Flip : public ImageMapOp {
 public:
  static OpSchema schema() {
    return OpSchema("image.flip")
        .doc(
            "Mirrors the image left-right (`horizontal`) and/or top-bottom (`vertical`), each "
            "with `probability`, drawn (horizontal first) from the record's seed, as "
            "torchvision's RandomHorizontalFlip / RandomVerticalFlip; probability 1 always "
            "flips. With `report`, `flipped` gets [horizontal, vertical] as 0/1 (int32).")
        .input("image", SLUICE_KIND_TENSOR, "(H, W, C) image")
        .output("image", SLUICE_KIND_TENSOR, "The image, flipped or not")
        .output("flipped", SLUICE_KIND_TENSOR, "With report: [horizontal, vertical] as 0/1",
                SLUICE_DTYPE_INT32)
        .param(ParamSpec::Bool("horizontal", "Mirror left-right").default_value(true))
        .param(ParamSpec::Bool("vertical", "Mirror top-bottom").default_value(false))
        .param(
            ParamSpec::Float("probability", "Chance of each flip").range(0, 1).default_value(0.5))
        .param(report_param());
  }

  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    return infer_report_fields(params, ctx, fields, "flipped");
  }

 protected:
  Status configure(Context& ctx, const Params& params) override {
    horizontal_ = params.get<bool>("horizontal");
    vertical_ = params.get<bool>("vertical");
    probability_ = params.get<double>("probability");
    report_ = params.get<bool>("report");
    flipped_ = ctx.port("flipped");
    return {};
  }

  Expected<cv::Mat> transform(const cv::Mat& src, Record& record, core::Rng& rng) const override {
    const bool h = horizontal_ && uniform(rng, 0, 1) < probability_;
    const bool v = vertical_ && uniform(rng, 0, 1) < probability_;
    if (report_) SLUICE_RETURN_IF_ERROR(set_values(record, flipped_, std::vector<int32_t>{h, v}));
    return flip(src, h, v);
  }

 private:
  bool horizontal_ = true, vertical_ = false, report_ = false;
  double probability_ = 0.5;
  Field flipped_;
};

}  // namespace

void add_flip(PluginBuilder& plugin) { plugin.op<Flip>(); }

}  // namespace sluice::image
