// The convolutional layer family: conv2d, max_pool2d, avg_pool2d and flatten, on NCHW inputs.
#include "nn/kernels/conv.h"
#include "nn/layer_support.h"

#include <cmath>
#include <random>

namespace sluice::nn {
namespace {

constexpr const char* kImages = "(batch, channels, height, width)";

class Conv2d final : public Layer {
 public:
  Conv2d(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding, bool bias,
         const ParameterInit& init)
      : in_(in),
        out_(out),
        kernel_(kernel),
        stride_(stride),
        padding_(padding),
        weight_(make_parameter("weight", {out, in, kernel, kernel}, init.allocates())) {
    if (bias) bias_ = make_parameter("bias", {out}, init.allocates());
    InitialDraws(init).uniform(weight_, bias ? &bias_ : nullptr, in * kernel * kernel);  // C*K*K
  }
  const char* type() const override { return "conv2d"; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    if (in.size() != 4 || in[1] != in_ || in[2] + 2 * padding_ < kernel_ ||
        in[3] + 2 * padding_ < kernel_) {
      return wrong_input("conv2d",
                         "(batch, " + std::to_string(in_) +
                             ", height, width) with height and "
                             "width + 2 * padding >= " +
                             std::to_string(kernel_),
                         in);
    }
    const Conv2dShape s = shape(in);
    return std::vector<int64_t>{in[0], out_, s.out_height(), s.out_width()};
  }
  // Keeps the unfolded input (ctx.saved[0]) for the backward pass.
  void forward(const Buffer& in, Buffer& out, const ForwardContext& ctx) const override {
    const Conv2dShape s = shape(in.shape);
    if (ctx.saved->empty()) ctx.saved->resize(1);
    std::vector<float>& col = (*ctx.saved)[0].values;
    col.resize(static_cast<size_t>(s.columns()));
    conv2d_forward(s, in.values.data(), weight_.value.data(),
                   has_bias() ? bias_.value.data() : nullptr, out.values.data(), col.data());
  }
  void backward(const Buffer& in, const Buffer&, const Buffer& dout, Buffer* din,
                const ForwardContext& ctx) override {
    conv2d_backward(shape(in.shape), (*ctx.saved)[0].values.data(), weight_.value.data(),
                    dout.values.data(), din != nullptr ? din->values.data() : nullptr,
                    weight_.grad.data(), has_bias() ? bias_.grad.data() : nullptr);
  }
  std::vector<Parameter*> parameters() override {
    if (has_bias()) return {&weight_, &bias_};
    return {&weight_};
  }

 private:
  Conv2dShape shape(const std::vector<int64_t>& in) const {
    return {in[0], in_, in[2], in[3], out_, kernel_, stride_, padding_};
  }
  bool has_bias() const { return !bias_.shape.empty(); }
  int64_t in_, out_, kernel_, stride_, padding_;
  Parameter weight_, bias_;
};

class Pool2d final : public Layer {
 public:
  Pool2d(bool max, int64_t kernel, int64_t stride) : max_(max), kernel_(kernel), stride_(stride) {}
  const char* type() const override { return max_ ? "max_pool2d" : "avg_pool2d"; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    if (in.size() != 4 || in[2] < kernel_ || in[3] < kernel_) {
      return wrong_input(
          type(), std::string(kImages) + " with height and width >= " + std::to_string(kernel_),
          in);
    }
    const Pool2dShape s = shape(in);
    return std::vector<int64_t>{in[0], in[1], s.out_height(), s.out_width()};
  }
  void forward(const Buffer& in, Buffer& out, const ForwardContext&) const override {
    if (max_) {
      max_pool2d_forward(shape(in.shape), in.values.data(), out.values.data());
    } else {
      avg_pool2d_forward(shape(in.shape), in.values.data(), out.values.data());
    }
  }
  void backward(const Buffer& in, const Buffer& out, const Buffer& dout, Buffer* din,
                const ForwardContext&) override {
    if (din == nullptr) return;
    if (max_) {
      max_pool2d_backward(shape(in.shape), in.values.data(), out.values.data(), dout.values.data(),
                          din->values.data());
    } else {
      avg_pool2d_backward(shape(in.shape), dout.values.data(), din->values.data());
    }
  }

 private:
  Pool2dShape shape(const std::vector<int64_t>& in) const {
    return {in[0], in[1], in[2], in[3], kernel_, stride_};
  }
  bool max_;
  int64_t kernel_, stride_;
};

// (B, d1, d2, ...) -> (B, d1 * d2 * ...), as nn.Flatten().
class Flatten final : public Layer {
 public:
  const char* type() const override { return "flatten"; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    if (in.size() < 2) return wrong_input("flatten", "(batch, ...)", in);
    int64_t n = 1;
    for (size_t i = 1; i < in.size(); ++i) n *= in[i];
    return std::vector<int64_t>{in[0], n};
  }
  void forward(const Buffer& in, Buffer& out, const ForwardContext&) const override {
    out.values = in.values;
  }
  void backward(const Buffer&, const Buffer&, const Buffer& dout, Buffer* din,
                const ForwardContext&) override {
    if (din != nullptr) din->values = dout.values;
  }
};

Expected<std::unique_ptr<Layer>> make_pool(bool max, const LayerSpec& s) {
  auto kernel = int_arg(s, "kernel_size", 1);
  if (!kernel.ok()) return kernel.status();
  auto stride = int_arg(s, "stride", 1, *kernel);
  if (!stride.ok()) return stride.status();
  return std::unique_ptr<Layer>(new Pool2d(max, *kernel, *stride));
}

}  // namespace

void add_conv_layers(LayerTypes& types) {
  types["conv2d"] = {
      {"in_channels", "out_channels", "kernel_size", "stride", "padding", "bias"},
      [](const LayerSpec& s, const ParameterInit& init) -> Expected<std::unique_ptr<Layer>> {
        auto in = int_arg(s, "in_channels", 1);
        auto out = int_arg(s, "out_channels", 1);
        auto kernel = int_arg(s, "kernel_size", 1);
        auto stride = int_arg(s, "stride", 1, 1);
        auto padding = int_arg(s, "padding", 0, 0);
        auto bias = int_arg(s, "bias", 0, 1);
        for (const auto* a : {&in, &out, &kernel, &stride, &padding, &bias}) {
          if (!a->ok()) return a->status();
        }
        return std::unique_ptr<Layer>(
            new Conv2d(*in, *out, *kernel, *stride, *padding, *bias != 0, init));
      }};
  types["max_pool2d"] = {{"kernel_size", "stride"}, [](const LayerSpec& s, const ParameterInit&) {
                           return make_pool(true, s);
                         }};
  types["avg_pool2d"] = {{"kernel_size", "stride"}, [](const LayerSpec& s, const ParameterInit&) {
                           return make_pool(false, s);
                         }};
  types["flatten"] = {
      {}, [](const LayerSpec&, const ParameterInit&) -> Expected<std::unique_ptr<Layer>> {
        return std::unique_ptr<Layer>(new Flatten());
      }};
}

}  // namespace sluice::nn
