// image.gaussian_blur: torchvision's GaussianBlur (sigma uniform in a range).
#include "image/color.h"
#include "image/image_field.h"
#include "image/ops.h"

namespace sluice::image {
namespace {

class GaussianBlur : public ImageMapOp {
 public:
  static OpSchema schema() {
    return OpSchema("image.gaussian_blur")
        .doc(
            "torchvision's GaussianBlur on tensors: a `kernel_size` ([k] or [kx, ky], odd) "
            "Gaussian with sigma uniform in `sigma` ([min, max]; [s, s] for a fixed sigma) "
            "drawn from the record's seed, the same sigma on both axes, reflect padding, "
            "results rounded. With `report`, `sigma` gets the sigma drawn (float).")
        .input("image", SLUICE_KIND_TENSOR, "(H, W, C) uint8 image", SLUICE_DTYPE_UINT8)
        .output("image", SLUICE_KIND_TENSOR, "The blurred image", SLUICE_DTYPE_UINT8)
        .output("sigma", SLUICE_KIND_FLOAT, "With report: the sigma drawn")
        .param(ParamSpec::List("kernel_size", SLUICE_PTYPE_INT, "[k] or [kx, ky], odd")
                   .range(1, static_cast<double>(kMaxSide)))
        .param(ParamSpec::List("sigma", SLUICE_PTYPE_FLOAT, "[min, max] sigma, > 0")
                   .default_yaml("[0.1, 2.0]"))
        .param(report_param());
  }

  static Status check(const Params& params) {
    const auto k = params.get<std::vector<int64_t>>("kernel_size");
    if (k.empty() || k.size() > 2) {
      return Status::Invalid("param 'kernel_size': expected 1 or 2 values, found " +
                             std::to_string(k.size()));
    }
    for (int64_t v : k) {
      if (v % 2 == 0) {
        return Status::Invalid("param 'kernel_size': expected odd values, found " +
                               std::to_string(v));
      }
    }
    return check_pair(params, "sigma", true);
  }

  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    return infer_report_fields(params, ctx, fields, "sigma", SLUICE_KIND_FLOAT);
  }

 protected:
  Status configure(Context& ctx, const Params& params) override {
    const auto k = params.get<std::vector<int64_t>>("kernel_size");
    kx_ = static_cast<int>(k[0]);
    ky_ = static_cast<int>(k.size() == 2 ? k[1] : k[0]);
    sigma_ = pair_param(params, "sigma");
    report_ = params.get<bool>("report");
    sigma_field_ = ctx.port("sigma");
    return {};
  }

  Expected<cv::Mat> transform(const cv::Mat& src, Record& record, core::Rng& rng) const override {
    const double sigma = uniform(rng, sigma_[0], sigma_[1]);
    if (report_) record.set_float(sigma_field_, sigma);
    return gaussian_blur(src, kx_, ky_, sigma, sigma);
  }

 private:
  int kx_ = 3, ky_ = 3;
  std::array<double, 2> sigma_{};
  bool report_ = false;
  Field sigma_field_;
};

}  // namespace

void add_gaussian_blur(PluginBuilder& plugin) { plugin.op<GaussianBlur>(); }

}  // namespace sluice::image
