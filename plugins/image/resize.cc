// image.resize: to a fixed size, one side with the aspect kept, or the shorter side.
#include "image/device_param.h"
#include "image/image_batch.h"
#include "image/image_field.h"
#include "image/ops.h"
#include "image/resize_plan.h"

#include <cmath>
#include <memory>
#include <string>

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
            "as PIL with antialias, OpenCV's Lanczos-4 without). A (B, H, W, C) batch (as "
            "core.batch stacks images) is resized image by image. On a CUDA device (`device`): "
            "nearest, and bilinear, bicubic and lanczos with antialias, one kernel launch per "
            "image or batch.")
        .device()
        .input("image", SLUICE_KIND_TENSOR, "(H, W, C) uint8 image or (B, H, W, C) batch",
               SLUICE_DTYPE_UINT8)
        .output("image", SLUICE_KIND_TENSOR, "The resized image or batch", SLUICE_DTYPE_UINT8)
        .param(side_param("width", "Output width").optional())
        .param(side_param("height", "Output height").optional())
        .param(side_param("shorter_side", "Output shorter side (aspect kept)").optional())
        .param(side_param("max_size", "With shorter_side: the longest the longer side may be")
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
    const std::string interpolation = params.get<std::string>("interpolation");
    const bool antialias = params.get<bool>("antialias");
    Expected<Interpolation> interp = parse_interpolation(interpolation);
    if (!interp.ok()) return interp.status();
    if (params.get<std::string>("device") == "cuda" && !gpu_resizes(*interp, antialias)) {
      return Status::Invalid(
          "param 'device': cuda resizes with interpolation nearest, or bilinear, bicubic or "
          "lanczos with antialias: true; found interpolation " + interpolation +
          (antialias ? "" : " with antialias: false") + "; use device: cpu or auto");
    }
    SLUICE_RETURN_IF_ERROR(check_device(params));
    const bool sized = params.has("width") || params.has("height");
    if (sized == params.has("shorter_side")) {
      return Status::Invalid("set width and/or height, or shorter_side (exactly one way)");
    }
    if (params.has("max_size") && !params.has("shorter_side")) {
      return Status::Invalid("param 'max_size' applies with shorter_side only");
    }
    if (params.has("width") && params.has("height")) {
      return check_area({params.get<int>("width"), params.get<int>("height")});
    }
    return {};
  }

 protected:
  Status configure(Context& ctx, const Params& params) override {
    width_ = params.get_optional<int64_t>("width").value_or(0);
    height_ = params.get_optional<int64_t>("height").value_or(0);
    shorter_ = params.get_optional<int64_t>("shorter_side").value_or(0);
    max_size_ = params.get_optional<int64_t>("max_size").value_or(0);
    interpolation_ = *parse_interpolation(params.get<std::string>("interpolation"));
    antialias_ = params.get<bool>("antialias");
    Expected<std::unique_ptr<Gpu>> gpu =
        open_device(ctx, params, gpu_resizes(interpolation_, antialias_));
    if (!gpu.ok()) return gpu.status();
    gpu_ = std::move(*gpu);
    if (gpu_) plans_ = std::make_unique<ResizePlanCache>(interpolation_);
    return {};
  }

  // Batches, and everything on the GPU, go through map_images; single images on the CPU through
  // ImageMapOp (transform).
  Status map(Record& record) override {
    if (gpu_ == nullptr && !holds_batch(record, image_)) return ImageMapOp::map(record);
    return map_images(record);
  }

  Expected<cv::Mat> transform(const cv::Mat& src, Record&, core::Rng&) const override {
    const Expected<cv::Size> size = output_size(src.size());
    if (!size.ok()) return size.status();
    if (*size == src.size()) return src;
    return resize_image(src, size->width, size->height, interpolation_, antialias_);
  }

 private:
  // The size for an image of `src`; an error when keeping its aspect makes it too large.
  Expected<cv::Size> output_size(cv::Size src) const {
    OutputSize size{width_, height_};
    // The other side keeping the aspect, rounded; clamped where checked_size refuses it anyway.
    auto kept = [](int64_t side, int to, int from) {
      return std::max<int64_t>(1, std::llround(std::min(double(side) * to / from, 0x1p62)));
    };
    if (shorter_ > 0) {
      size = shorter_side_size(src, shorter_, max_size_);
    } else if (width_ == 0) {
      size.width = kept(height_, src.width, src.height);
    } else if (height_ == 0) {
      size.height = kept(width_, src.height, src.width);
    }
    return checked_size(size);
  }

  Status map_images(Record& record) const {
    Expected<ImageBatch> in = read_image_batch(record, image_);
    if (!in.ok()) return in.status();
    const ImageBatchView& v = in->view;
    const cv::Size src(v.width, v.height);
    const Expected<cv::Size> checked = output_size(src);
    if (!checked.ok()) return checked.status();
    const cv::Size size = *checked;
    if (size == src) return {};  // unchanged: the input tensor stays
    Expected<Tensor> out =
        Tensor::zeros(SLUICE_DTYPE_UINT8, in->result_shape({size.height, size.width, v.channels}));
    if (!out.ok()) return out.status();
    uint8_t* dst = out->data_as<uint8_t>();
    if (gpu_ != nullptr) {
      SLUICE_RETURN_IF_ERROR(gpu_->resize(v, *plans_->get(src, size), dst));
    } else {
      const size_t bytes = static_cast<size_t>(size.area()) * v.channels;
      for (int64_t i = 0; i < v.count; ++i) {
        resize_image(in->image(i), size.width, size.height, interpolation_, antialias_)
            .copyTo(cv::Mat(size, CV_8UC(v.channels), dst + static_cast<size_t>(i) * bytes));
      }
    }
    record.set_tensor(image_, *out);
    return {};
  }

  int64_t width_ = 0, height_ = 0, shorter_ = 0, max_size_ = 0;  // 0: not set
  Interpolation interpolation_ = Interpolation::kBilinear;
  bool antialias_ = true;
  std::unique_ptr<Gpu> gpu_;                // null: on the CPU
  std::unique_ptr<ResizePlanCache> plans_;  // with gpu_
};

}  // namespace

void add_resize(PluginBuilder& plugin) { plugin.op<Resize>(); }

}  // namespace sluice::image
