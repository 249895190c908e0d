// image.grayscale: torchvision's Grayscale / RandomGrayscale.
#include "image/color.h"
#include "image/image_field.h"
#include "image/ops.h"

namespace sluice::image {
namespace {

class Grayscale : public ImageMapOp {
 public:
  static OpSchema schema() {
    return OpSchema("image.grayscale")
        .doc(
            "torchvision's rgb_to_grayscale on uint8 RGB tensors: 0.2989 R + 0.587 G + 0.114 B, "
            "truncated, as 1 or 3 (equal) channels; with `probability` < 1 applied to that "
            "fraction of records (RandomGrayscale; a skipped image keeps its channels), drawn "
            "from the record's seed.")
        .input("image", SLUICE_KIND_TENSOR, "(H, W, 3) uint8 RGB image", SLUICE_DTYPE_UINT8)
        .output("image", SLUICE_KIND_TENSOR, "(H, W, channels) grey image", SLUICE_DTYPE_UINT8)
        .param(ParamSpec::Int("channels", "Output channels: 1 or 3").range(1, 3).default_value(1))
        .param(
            ParamSpec::Float("probability", "Chance of converting").range(0, 1).default_value(1.0));
  }

  static Status check(const Params& params) {
    if (params.get<int64_t>("channels") == 2) return Status::Invalid("param 'channels': 1 or 3");
    return {};
  }

 protected:
  Status configure(Context&, const Params& params) override {
    channels_ = static_cast<int>(params.get<int64_t>("channels"));
    probability_ = params.get<double>("probability");
    return {};
  }

  Expected<cv::Mat> transform(const cv::Mat& src, Record&, core::Rng& rng) const override {
    if (probability_ < 1.0 && !(uniform(rng, 0, 1) < probability_)) return src;
    SLUICE_RETURN_IF_ERROR(require_channels(src, image_, 3, "grayscale"));
    return to_grayscale(src, channels_);
  }

 private:
  int channels_ = 1;
  double probability_ = 1.0;
};

}  // namespace

void add_grayscale(PluginBuilder& plugin) { plugin.op<Grayscale>(); }

}  // namespace sluice::image
