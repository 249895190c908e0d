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

  static Status check(const Params& params) { return check_area(crop_size(params)); }

 protected:
  Status configure(Context&, const Params& params) override {
    size_ = crop_size(params);
    fill_ = fill_scalar(params);
    return {};
  }

  Expected<cv::Mat> transform(const cv::Mat& src, Record&, core::Rng&) const override {
    return crop(src, center_crop_box(src.rows, src.cols, size_.height, size_.width), fill_);
  }

 private:
  cv::Size size_;
  cv::Scalar fill_;
};

}  // namespace

void add_center_crop(PluginBuilder& plugin) { plugin.op<CenterCrop>(); }

}  // namespace sluice::image
