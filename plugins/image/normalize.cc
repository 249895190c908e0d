// image.normalize and image.to_tensor: uint8 (H, W, C) images to float32 (C, H, W) tensors, and
// (B, H, W, C) batches to (B, C, H, W).
#include "image/device_param.h"
#include "image/image_batch.h"
#include "image/image_field.h"
#include "image/ops.h"
#include "image/tensor_layout.h"

#include <memory>
#include <string>
#include <vector>

namespace sluice::image {
namespace {

void free_floats(void*, void* ctx) { delete[] static_cast<float*>(ctx); }

// Both ops: the image in, a float32 CHW tensor out, optionally mean/std normalised. A
// (B, H, W, C) batch becomes (B, C, H, W).
class ToFloatChw : public MapOp {
 public:
  Status open(Context& ctx, const Params& params) override {
    image_ = ctx.port("image");
    if (params.has("mean")) {
      for (double v : params.get<std::vector<double>>("mean")) mean_.push_back(float(v));
      for (double v : params.get<std::vector<double>>("std")) std_.push_back(float(v));
    }
    return {};
  }

  // Called from several threads at once: reads members only. Batches, and everything on the GPU,
  // go through map_images.
  Status map(Record& record) override {
    if (gpu_ != nullptr || holds_batch(record, image_)) return map_images(record);
    Expected<ImageView> in = read_image(record, image_);
    if (!in.ok()) return in.status();
    const cv::Mat& m = in->mat;
    if (m.depth() != CV_8U)
      return Status::BadRecord(std::string("field '") + image_.name() +
                               "': expected a uint8 image");
    SLUICE_RETURN_IF_ERROR(check_channels(m.channels()));
    // Every value is written: no need for tensor_new's zeroing.
    auto* data = new float[m.total() * m.channels()];
    to_chw_float(m, mean_, std_, data);
    Expected<Tensor> out = Tensor::wrap(SLUICE_DTYPE_FLOAT32, {m.channels(), m.rows, m.cols}, data,
                                        &free_floats, data);
    if (!out.ok()) {
      delete[] data;
      return out.status();
    }
    record.set_tensor(image_, *out);
    return {};
  }

 protected:
  Status map_images(Record& record) const {
    Expected<ImageBatch> in = read_image_batch(record, image_);
    if (!in.ok()) return in.status();
    const ImageBatchView& v = in->view;
    SLUICE_RETURN_IF_ERROR(check_channels(v.channels));
    Expected<Tensor> out =
        Tensor::zeros(SLUICE_DTYPE_FLOAT32, in->result_shape({v.channels, v.height, v.width}));
    if (!out.ok()) return out.status();
    float* dst = out->data_as<float>();
    if (gpu_ != nullptr) {
      std::vector<float> scale(v.channels), shift(v.channels);
      chw_coefficients(mean_, std_, v.channels, scale.data(), shift.data());
      SLUICE_RETURN_IF_ERROR(gpu_->to_chw_float(v, scale.data(), shift.data(), dst));
    } else {
      const size_t values = static_cast<size_t>(v.height) * v.width * v.channels;
      for (int64_t i = 0; i < v.count; ++i) {
        to_chw_float(in->image(i), mean_, std_, dst + static_cast<size_t>(i) * values);
      }
    }
    record.set_tensor(image_, *out);
    return {};
  }

  Status check_channels(int channels) const {
    if (mean_.empty() || static_cast<int>(mean_.size()) == channels) return {};
    return Status::BadRecord(std::string("field '") + image_.name() + "': " +
                             std::to_string(channels) + " channels, but mean/std have " +
                             std::to_string(mean_.size()) + " values");
  }

  Field image_;
  std::vector<float> mean_, std_;
  std::unique_ptr<Gpu> gpu_;  // null: on the CPU (always for image.to_tensor)
};

class Normalize : public ToFloatChw {
 public:
  static OpSchema schema() {
    return OpSchema("image.normalize")
        .doc(
            "torchvision's ToTensor then Normalize: a uint8 (H, W, C) image becomes float32 "
            "(C, H, W) with (x / 255 - mean[c]) / std[c] (computed as x * (1 / (255 std)) - "
            "mean / std; within 1e-6 of torchvision). A (B, H, W, C) batch (as core.batch "
            "stacks images) becomes (B, C, H, W), in one kernel launch on a CUDA device "
            "(`device`).")
        .device()
        .input("image", SLUICE_KIND_TENSOR, "(H, W, C) uint8 image or (B, H, W, C) batch",
               SLUICE_DTYPE_UINT8)
        .output("image", SLUICE_KIND_TENSOR, "(C, H, W) or (B, C, H, W) float32",
                SLUICE_DTYPE_FLOAT32)
        .param(ParamSpec::List("mean", SLUICE_PTYPE_FLOAT, "Per-channel mean (of x / 255)")
                   .default_yaml("[0.485, 0.456, 0.406]"))
        .param(ParamSpec::List("std", SLUICE_PTYPE_FLOAT, "Per-channel standard deviation")
                   .default_yaml("[0.229, 0.224, 0.225]"))
        .param(device_param());
  }

  static Status check(const Params& params) {
    SLUICE_RETURN_IF_ERROR(check_device(params));
    const auto mean = params.get<std::vector<double>>("mean");
    const auto std = params.get<std::vector<double>>("std");
    if (mean.empty() || mean.size() != std.size()) {
      return Status::Invalid("params 'mean' and 'std': one value per channel, as many of each");
    }
    for (double s : std) {
      if (!(s > 0)) return Status::Invalid("param 'std': values must be > 0");
    }
    return {};
  }

  Status open(Context& ctx, const Params& params) override {
    SLUICE_RETURN_IF_ERROR(ToFloatChw::open(ctx, params));
    Expected<std::unique_ptr<Gpu>> gpu = open_device(ctx, params, true);
    if (!gpu.ok()) return gpu.status();
    gpu_ = std::move(*gpu);
    return {};
  }
};

class ToTensor : public ToFloatChw {
 public:
  static OpSchema schema() {
    return OpSchema("image.to_tensor")
        .doc("torchvision's ToTensor: a uint8 (H, W, C) image becomes float32 (C, H, W) x / 255.")
        .input("image", SLUICE_KIND_TENSOR, "(H, W, C) uint8 image", SLUICE_DTYPE_UINT8)
        .output("image", SLUICE_KIND_TENSOR, "(C, H, W) float32 in [0, 1]", SLUICE_DTYPE_FLOAT32);
  }
};

}  // namespace

void add_normalize(PluginBuilder& plugin) {
  plugin.op<Normalize>();
  plugin.op<ToTensor>();
}

}  // namespace sluice::image
