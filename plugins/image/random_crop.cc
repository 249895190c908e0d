// image.random_crop: torchvision's RandomCrop (padding, pad_if_needed), from the record's seed.
#include "image/image_field.h"
#include "image/ops.h"

namespace sluice::image {
namespace {

class RandomCrop : public ImageMapOp {
 public:
  static OpSchema schema() {
    return OpSchema("image.random_crop")
        .doc(
            "torchvision's RandomCrop: pads by `padding` ([all], [left/right, top/bottom] or "
            "[left, top, right, bottom]) in `padding_mode`, with `pad_if_needed` pads a side "
            "shorter than the crop by the difference on both ends, then crops `height` x "
            "`width` (height defaults to width) at a uniform position drawn from the record's "
            "seed. An image still smaller than the crop is rejected. With `report`, "
            "`crop_box` gets [top, left, height, width] in the padded image (int32).")
        .input("image", SLUICE_KIND_TENSOR, "(H, W, C) image")
        .output("image", SLUICE_KIND_TENSOR, "The crop")
        .output("crop_box", SLUICE_KIND_TENSOR,
                "With report: [top, left, height, width] in the padded image", SLUICE_DTYPE_INT32)
        .param(side_param("width", "Crop width"))
        .param(side_param("height", "Crop height (default: width)").optional())
        .param(ParamSpec::List("padding", SLUICE_PTYPE_INT, "Padding: 1, 2 or 4 values")
                   .range(0, static_cast<double>(kMaxSide))
                   .default_yaml("[0]"))
        .param(ParamSpec::Bool("pad_if_needed", "Pad sides shorter than the crop")
                   .default_value(false))
        .param(ParamSpec::String("padding_mode", "constant, edge, reflect or symmetric")
                   .choices({"constant", "edge", "reflect", "symmetric"})
                   .default_value("constant"))
        .param(fill_param("Value of padded pixels with padding_mode constant"))
        .param(report_param());
  }

  static Status check(const Params& params) {
    const auto p = params.get<std::vector<int64_t>>("padding");
    if (p.size() != 1 && p.size() != 2 && p.size() != 4) {
      return Status::Invalid("param 'padding': expected 1, 2 or 4 values, found " +
                             std::to_string(p.size()));
    }
    return check_area(crop_size(params));
  }

  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    return infer_report_fields(params, ctx, fields, "crop_box");
  }

 protected:
  Status configure(Context& ctx, const Params& params) override {
    const cv::Size size = crop_size(params);
    width_ = size.width;
    height_ = size.height;
    const auto p = params.get<std::vector<int64_t>>("padding");
    if (p.size() == 1) {
      padding_ = {int(p[0]), int(p[0]), int(p[0]), int(p[0])};
    } else if (p.size() == 2) {
      padding_ = {int(p[0]), int(p[1]), int(p[0]), int(p[1])};
    } else {
      padding_ = {int(p[0]), int(p[1]), int(p[2]), int(p[3])};
    }
    pad_if_needed_ = params.get<bool>("pad_if_needed");
    mode_ = *parse_pad_mode(params.get<std::string>("padding_mode"));
    fill_ = fill_scalar(params);
    report_ = params.get<bool>("report");
    crop_box_ = ctx.port("crop_box");
    return {};
  }

  Expected<cv::Mat> transform(const cv::Mat& src, Record& record, core::Rng& rng) const override {
    auto [left, top, right, bottom] = padding_;
    const int h = src.rows + top + bottom, w = src.cols + left + right;
    if (pad_if_needed_ && w < width_) {
      left += width_ - w;
      right += width_ - w;
    }
    if (pad_if_needed_ && h < height_) {
      top += height_ - h;
      bottom += height_ - h;
    }
    const int64_t added =
        int64_t{src.cols + left + right} * (src.rows + top + bottom) - int64_t{src.cols} * src.rows;
    if (added > kMaxArea) {
      return Status::BadRecord("field '" + std::string(image_.name()) +
                               "': expected padding that adds at most 2^28 pixels, found " +
                               std::to_string(added) + " added to the " + std::to_string(src.cols) +
                               "x" + std::to_string(src.rows) + " image");
    }
    cv::Mat padded = src;
    if (left || top || right || bottom) padded = pad(src, left, top, right, bottom, mode_, fill_);
    if (padded.rows < height_ || padded.cols < width_) {
      return Status::BadRecord("field '" + std::string(image_.name()) +
                               "': expected an image at least as large as the crop, " +
                               std::to_string(width_) + "x" + std::to_string(height_) + ", found " +
                               std::to_string(padded.cols) + "x" + std::to_string(padded.rows) +
                               " after padding");
    }
    const Box box = sample_crop(rng, padded.rows, padded.cols, height_, width_);
    if (report_) {
      SLUICE_RETURN_IF_ERROR(set_box(record, crop_box_, box));
    }
    return padded(cv::Rect(box.left, box.top, box.width, box.height));
  }

 private:
  int width_ = 0, height_ = 0;
  std::array<int, 4> padding_{};  // left, top, right, bottom
  bool pad_if_needed_ = false, report_ = false;
  PadMode mode_ = PadMode::kConstant;
  cv::Scalar fill_;
  Field crop_box_;
};

}  // namespace

void add_random_crop(PluginBuilder& plugin) { plugin.op<RandomCrop>(); }

}  // namespace sluice::image
