// The dense layer family: linear, embedding, masked_mean, relu/gelu/tanh and dropout.
#include "nn/kernels/activation.h"
#include "nn/kernels/embedding.h"
#include "nn/kernels/linear.h"
#include "nn/layer_support.h"

#include <cmath>
#include <random>

namespace sluice::nn {
namespace {

class Linear final : public Layer {
 public:
  Linear(int64_t in, int64_t out, bool bias, const ParameterInit& init)
      : in_(in), out_(out), weight_(make_parameter("weight", {out, in}, init.allocates())) {
    if (bias) bias_ = make_parameter("bias", {out}, init.allocates());
    InitialDraws(init).uniform(weight_, bias ? &bias_ : nullptr, in);
  }
  const char* type() const override { return "linear"; }
  bool decodes() const override { return true; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    if (in.size() < 2 || in.back() != in_) {
      return wrong_input("linear", "(batch, ..., " + std::to_string(in_) + ")", in);
    }
    std::vector<int64_t> out = in;
    out.back() = out_;
    return out;
  }
  void forward(const Buffer& in, Buffer& out, const ForwardContext&) const override {
    linear_forward(in.values.data(), weight_.value.data(),
                   has_bias() ? bias_.value.data() : nullptr, out.values.data(), rows(in), in_,
                   out_);
  }
  void backward(const Buffer& in, const Buffer&, const Buffer& dout, Buffer* din,
                const ForwardContext&) override {
    linear_backward(dout.values.data(), in.values.data(), weight_.value.data(),
                    din != nullptr ? din->values.data() : nullptr, weight_.grad.data(),
                    has_bias() ? bias_.grad.data() : nullptr, rows(in), in_, out_);
  }
  std::vector<Parameter*> parameters() override {
    if (has_bias()) return {&weight_, &bias_};
    return {&weight_};
  }

 private:
  bool has_bias() const { return !bias_.shape.empty(); }
  // The leading dimensions are rows: (B, T, I) is B·T rows of I.
  int64_t rows(const Buffer& in) const { return static_cast<int64_t>(in.values.size()) / in_; }
  int64_t in_, out_;
  Parameter weight_, bias_;
};

class Embedding final : public Layer {
 public:
  Embedding(int64_t count, int64_t dim, const ParameterInit& init)
      : count_(count),
        dim_(dim),
        weight_(make_parameter("weight", {count, dim}, init.allocates())) {
    InitialDraws(init).normal(weight_);
  }
  const char* type() const override { return "embedding"; }
  bool takes_ids() const override { return true; }
  bool decodes() const override { return true; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    if (in.size() != 2) return wrong_input("embedding", "(batch, length) of ids", in);
    return std::vector<int64_t>{in[0], in[1], dim_};
  }
  void forward(const Buffer&, Buffer& out, const ForwardContext& ctx) const override {
    embedding_forward(ctx.ids, weight_.value.data(), out.values.data(), ids_count(ctx), dim_);
  }
  void backward(const Buffer&, const Buffer&, const Buffer& dout, Buffer*,
                const ForwardContext& ctx) override {
    embedding_backward(ctx.ids, dout.values.data(), weight_.grad.data(), ids_count(ctx), dim_);
  }
  std::vector<Parameter*> parameters() override { return {&weight_}; }
  int64_t count() const { return count_; }

 private:
  static int64_t ids_count(const ForwardContext& ctx) {
    return ctx.ids_shape.at(0) * ctx.ids_shape.at(1);
  }
  int64_t count_, dim_;
  Parameter weight_;
};

class MaskedMean final : public Layer {
 public:
  const char* type() const override { return "masked_mean"; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    if (in.size() != 3) return wrong_input("masked_mean", "(batch, length, dim)", in);
    return std::vector<int64_t>{in[0], in[2]};
  }
  void forward(const Buffer& in, Buffer& out, const ForwardContext& ctx) const override {
    masked_mean_forward(in.values.data(), ctx.mask.data(), out.values.data(), in.shape[0],
                        in.shape[1], in.shape[2]);
  }
  void backward(const Buffer& in, const Buffer&, const Buffer& dout, Buffer* din,
                const ForwardContext& ctx) override {
    if (din == nullptr) return;
    masked_mean_backward(dout.values.data(), ctx.mask.data(), din->values.data(), in.shape[0],
                         in.shape[1], in.shape[2]);
  }
};

// relu, gelu, tanh. When training, gelu keeps Φ(x) (ctx.saved[0]) for its backward pass.
class Elementwise final : public Layer {
 public:
  Elementwise(const char* type, Nonlinearity f) : type_(type), f_(f) {}
  const char* type() const override { return type_; }
  bool decodes() const override { return true; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    return in;
  }
  void forward(const Buffer& in, Buffer& out, const ForwardContext& ctx) const override {
    const auto n = static_cast<int64_t>(in.values.size());
    float* cdf = nullptr;
    if (f_ == Nonlinearity::kGelu && ctx.training) {
      if (ctx.saved->empty()) ctx.saved->resize(1);
      (*ctx.saved)[0].values.resize(in.values.size());
      cdf = (*ctx.saved)[0].values.data();
    }
    activation_forward(f_, in.values.data(), out.values.data(), n, cdf);
  }
  void backward(const Buffer& in, const Buffer& out, const Buffer& dout, Buffer* din,
                const ForwardContext& ctx) override {
    if (din == nullptr) return;
    const float* cdf = f_ == Nonlinearity::kGelu && ctx.training && !ctx.saved->empty()
                           ? (*ctx.saved)[0].values.data()
                           : nullptr;
    activation_backward(f_, in.values.data(), out.values.data(), cdf, dout.values.data(),
                        din->values.data(), static_cast<int64_t>(in.values.size()));
  }

 private:
  const char* type_;
  Nonlinearity f_;
};

// Inverted dropout: when training, each element is zeroed with probability p and the rest are
// scaled by 1 / (1 - p); the identity otherwise. The mask is drawn from the pass's seed, so the
// backward pass redraws the same one.
class Dropout final : public Layer {
 public:
  explicit Dropout(double p) : p_(p) {}
  const char* type() const override { return "dropout"; }
  bool decodes() const override { return true; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    return in;
  }
  void forward(const Buffer& in, Buffer& out, const ForwardContext& ctx) const override {
    apply(in.values, out.values, ctx);
  }
  void backward(const Buffer&, const Buffer&, const Buffer& dout, Buffer* din,
                const ForwardContext& ctx) override {
    if (din != nullptr) apply(dout.values, din->values, ctx);
  }

 private:
  void apply(const std::vector<float>& x, std::vector<float>& y, const ForwardContext& ctx) const {
    if (!ctx.training || p_ == 0.0) {
      y = x;
      return;
    }
    std::mt19937_64 rng(ctx.seed);
    std::bernoulli_distribution drop(p_);
    const auto scale = static_cast<float>(1.0 / (1.0 - p_));
    for (size_t i = 0; i < x.size(); ++i) y[i] = drop(rng) ? 0.0f : x[i] * scale;
  }
  double p_;
};

}  // namespace

void add_dense_layers(LayerTypes& types) {
  const LayerTypes dense{
      {"linear",
       {{"in", "out", "bias"},
        [](const LayerSpec& s, const ParameterInit& init) -> Expected<std::unique_ptr<Layer>> {
          auto in = int_arg(s, "in", 1);
          auto out = int_arg(s, "out", 1);
          auto bias = int_arg(s, "bias", 0, 1);
          if (!in.ok()) return in.status();
          if (!out.ok()) return out.status();
          if (!bias.ok()) return bias.status();
          return std::unique_ptr<Layer>(new Linear(*in, *out, *bias != 0, init));
        }}},
      {"embedding",
       {{"num_embeddings", "dim"},
        [](const LayerSpec& s, const ParameterInit& init) -> Expected<std::unique_ptr<Layer>> {
          auto count = int_arg(s, "num_embeddings", 1);
          auto dim = int_arg(s, "dim", 1);
          if (!count.ok()) return count.status();
          if (!dim.ok()) return dim.status();
          return std::unique_ptr<Layer>(new Embedding(*count, *dim, init));
        }}},
      {"masked_mean",
       {{},
        [](const LayerSpec&, const ParameterInit&) -> Expected<std::unique_ptr<Layer>> {
          return std::unique_ptr<Layer>(new MaskedMean());
        }}},
      {"relu",
       {{},
        [](const LayerSpec&, const ParameterInit&) -> Expected<std::unique_ptr<Layer>> {
          return std::unique_ptr<Layer>(new Elementwise("relu", Nonlinearity::kRelu));
        }}},
      {"gelu",
       {{},
        [](const LayerSpec&, const ParameterInit&) -> Expected<std::unique_ptr<Layer>> {
          return std::unique_ptr<Layer>(new Elementwise("gelu", Nonlinearity::kGelu));
        }}},
      {"tanh",
       {{},
        [](const LayerSpec&, const ParameterInit&) -> Expected<std::unique_ptr<Layer>> {
          return std::unique_ptr<Layer>(new Elementwise("tanh", Nonlinearity::kTanh));
        }}},
      {"dropout",
       {{"p"},
        [](const LayerSpec& s, const ParameterInit&) -> Expected<std::unique_ptr<Layer>> {
          auto it = s.args.find("p");
          const double p = it == s.args.end() ? 0.5 : it->second;
          if (!(p >= 0.0 && p < 1.0)) {
            return Status::Invalid("layer dropout: expected 'p' in [0, 1), found " +
                                   std::to_string(p));
          }
          return std::unique_ptr<Layer>(new Dropout(p));
        }}},
  };
  types.insert(dense.begin(), dense.end());
}

}  // namespace sluice::nn
