// image.color_jitter: torchvision's ColorJitter, from the record's seed.
#include "image/color.h"
#include "image/image_field.h"
#include "image/ops.h"

#include <algorithm>
#include <optional>

namespace sluice::image {
namespace {

// torchvision ColorJitter._check_input: v >= 0 means [max(0, center - v), center + v]; a range that
// is just {center} means the adjustment is off.
std::optional<std::array<double, 2>> jitter_range(const Params& params, const char* name,
                                                  double center) {
  const double v = params.get<double>(name);
  std::array<double, 2> r{std::max(0.0, center - v), center + v};
  if (center == 0.0) r[0] = -v;
  if (r[0] == center && r[1] == center) return std::nullopt;
  return r;
}

class ColorJitter : public ImageMapOp {
 public:
  static OpSchema schema() {
    return OpSchema("image.color_jitter")
        .doc(
            "torchvision's ColorJitter on uint8 RGB tensors: brightness, contrast and "
            "saturation factors uniform in [max(0, 1 - v), 1 + v], hue shift uniform in "
            "[-v, v] (v <= 0.5), each drawn (in that order) after a uniform order of the four "
            "adjustments, all from the record's seed; an adjustment with v = 0 is skipped. "
            "With `report`, `jitter` gets [brightness, contrast, saturation, hue, then the "
            "order as indices 0..3] (float64; 1 or 0 for skipped ones).")
        .input("image", SLUICE_KIND_TENSOR, "(H, W, 3) uint8 RGB image", SLUICE_DTYPE_UINT8)
        .output("image", SLUICE_KIND_TENSOR, "The adjusted image", SLUICE_DTYPE_UINT8)
        .output("jitter", SLUICE_KIND_TENSOR, "With report: factors, then order",
                SLUICE_DTYPE_FLOAT64)
        .param(ParamSpec::Float("brightness", "Brightness jitter").min(0).default_value(0.0))
        .param(ParamSpec::Float("contrast", "Contrast jitter").min(0).default_value(0.0))
        .param(ParamSpec::Float("saturation", "Saturation jitter").min(0).default_value(0.0))
        .param(ParamSpec::Float("hue", "Hue jitter, in turns").range(0, 0.5).default_value(0.0))
        .param(report_param());
  }

  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    return infer_report_fields(params, ctx, fields, "jitter");
  }

 protected:
  Status configure(Context& ctx, const Params& params) override {
    ranges_[0] = jitter_range(params, "brightness", 1.0);
    ranges_[1] = jitter_range(params, "contrast", 1.0);
    ranges_[2] = jitter_range(params, "saturation", 1.0);
    ranges_[3] = jitter_range(params, "hue", 0.0);
    report_ = params.get<bool>("report");
    jitter_ = ctx.port("jitter");
    return {};
  }

  Expected<cv::Mat> transform(const cv::Mat& src, Record& record, core::Rng& rng) const override {
    SLUICE_RETURN_IF_ERROR(require_channels(src, image_, 3, "colour jitter"));
    const std::array<int, 4> order = sample_order(rng);
    std::vector<double> drawn{1.0, 1.0, 1.0, 0.0};
    for (int i = 0; i < 4; ++i) {
      if (ranges_[i]) drawn[i] = uniform(rng, (*ranges_[i])[0], (*ranges_[i])[1]);
    }
    cv::Mat out = src;
    for (int i : order) {
      if (!ranges_[i]) continue;
      const auto f = static_cast<float>(drawn[i]);
      switch (i) {
        case 0:
          out = adjust_brightness(out, f);
          break;
        case 1:
          out = adjust_contrast(out, f);
          break;
        case 2:
          out = adjust_saturation(out, f);
          break;
        default:
          out = adjust_hue(out, f);
          break;
      }
    }
    if (report_) {
      for (int i : order) drawn.push_back(i);
      SLUICE_RETURN_IF_ERROR(set_values(record, jitter_, drawn));
    }
    return out;
  }

 private:
  std::array<std::optional<std::array<double, 2>>, 4> ranges_;
  bool report_ = false;
  Field jitter_;
};

}  // namespace

void add_color_jitter(PluginBuilder& plugin) { plugin.op<ColorJitter>(); }

}  // namespace sluice::image
