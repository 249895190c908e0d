// image.resize: to a fixed size, one side with the aspect kept, or the shorter side.
#include "image/image_field.h"
#include "image/ops.h"

#include <cmath>

namespace sluice::image {
namespace {

class Resize : public ImageMapOp {
 public:
  static OpSchema schema() {
    return OpSchema("image.resize")
        .doc(
            "Resizes an image: to `width` x `height`; to `width` or `height` alone with the "
            "other side keeping the aspect (rounded to nearest); or, with `shorter_side`, as "
            "torchvision's Resize(int): the shorter side becomes shorter_side, the longer "
            "int(shorter_side * long / short), capped at `max_size` when set. Interpolation as "
            "torchvision's tensor resize (uint8 results rounded): nearest, bilinear and bicubic "
            "(with `antialias`, the PIL/torchvision antialiased filters; without, OpenCV's, as "
            "torchvision with antialias=False), area (pixel-area mean) and lanczos (Lanczos-3 "
            "as PIL with antialias, OpenCV's Lanczos-4 without).")
        .input("image", SLUICE_KIND_TENSOR, "(H, W, C) uint8 image", SLUICE_DTYPE_UINT8)
        .output("image", SLUICE_KIND_TENSOR, "The resized image", SLUICE_DTYPE_UINT8)
        .param(ParamSpec::Int("width", "Output width").min(1).optional())
        .param(ParamSpec::Int("height", "Output height").min(1).optional())
        .param(
            ParamSpec::Int("shorter_side", "Output shorter side (aspect kept)").min(1).optional())
        .param(ParamSpec::Int("max_size", "With shorter_side: the longest the longer side may be")
                   .min(1)
                   .optional())
        .param(ParamSpec::String("interpolation", "nearest, bilinear, bicubic, area or lanczos")
                   .choices({"nearest", "bilinear", "bicubic", "area", "lanczos"})
                   .default_value("bilinear"))
        .param(ParamSpec::Bool("antialias",
                               "Antialiased bilinear/bicubic/lanczos (as PIL and "
                               "torchvision antialias=True)")
                   .default_value(true))
        .param(device_param());
  }

  static Status check(const Params& params) {
    SLUICE_RETURN_IF_ERROR(check_device(params));
    const bool sized = params.has("width") || params.has("height");
    if (sized == params.has("shorter_side")) {
      return Status::Invalid("set width and/or height, or shorter_side (exactly one way)");
    }
    if (params.has("max_size") && !params.has("shorter_side")) {
      return Status::Invalid("param 'max_size' applies with shorter_side only");
    }
    return {};
  }

 protected:
  Status configure(Context&, const Params& params) override {
    width_ = static_cast<int>(params.get_optional<int64_t>("width").value_or(0));
    height_ = static_cast<int>(params.get_optional<int64_t>("height").value_or(0));
    shorter_ = static_cast<int>(params.get_optional<int64_t>("shorter_side").value_or(0));
    max_size_ = static_cast<int>(params.get_optional<int64_t>("max_size").value_or(0));
    interpolation_ = *parse_interpolation(params.get<std::string>("interpolation"));
    antialias_ = params.get<bool>("antialias");
    return {};
  }

  Expected<cv::Mat> transform(const cv::Mat& src, Record&, core::Rng&) const override {
    cv::Size size(width_, height_);
    if (shorter_ > 0) {
      size = shorter_side_size(src.size(), shorter_, max_size_);
    } else if (width_ == 0) {
      size.width =
          std::max(1, static_cast<int>(std::lround(double(height_) * src.cols / src.rows)));
    } else if (height_ == 0) {
      size.height =
          std::max(1, static_cast<int>(std::lround(double(width_) * src.rows / src.cols)));
    }
    if (size == src.size()) return src;
    return resize_image(src, size.width, size.height, interpolation_, antialias_);
  }

 private:
  int width_ = 0, height_ = 0, shorter_ = 0, max_size_ = 0;
  Interpolation interpolation_ = Interpolation::kBilinear;
  bool antialias_ = true;
};

}  // namespace

void add_resize(PluginBuilder& plugin) { plugin.op<Resize>(); }

}  // namespace sluice::image
