// image.center_crop: the centred window of a fixed size, padded when the image is smaller.
#include "image/image_field.h"
#include "image/ops.h"

namespace sluice::image {
namespace {

class CenterCrop : public ImageMapOp {
 public:
  static OpSchema schema() {
    return OpSchema("image.center_crop")
        .doc(
            "Crops the centred `height` x `width` window (height defaults to width), as "
            "torchvision's center_crop: top = round((H - height) / 2) with ties to even, left "
            "likewise; a window larger than the image is padded with `fill` (the odd pixel at "
            "the bottom/right).")
        .input("image", SLUICE_KIND_TENSOR, "(H, W, C) image")
        .output("image", SLUICE_KIND_TENSOR, "The cropped image")
        .param(side_param("width", "Crop width"))
        .param(side_param("height", "Crop height (default: width)").optional())
        .param(fill_param("Value of padded pixels: one, or one per channel"));
  }

  static Status check(const Params& params) {
    const int64_t width = params.get<int64_t>("width");
    return check_area(width, params.get_optional<int64_t>("height").value_or(width));
  }

 protected:
  Status configure(Context&, const Params& params) override {
    width_ = static_cast<int>(params.get<int64_t>("width"));
    height_ = static_cast<int>(params.get_optional<int64_t>("height").value_or(width_));
    fill_ = fill_scalar(params);
    return {};
  }

  Expected<cv::Mat> transform(const cv::Mat& src, Record&, core::Rng&) const override {
    return crop(src, center_crop_box(src.rows, src.cols, height_, width_), fill_);
  }

 private:
  int width_ = 0, height_ = 0;
  cv::Scalar fill_;
};

}  // namespace

void add_center_crop(PluginBuilder& plugin) { plugin.op<CenterCrop>(); }

}  // namespace sluice::image
