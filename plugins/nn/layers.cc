// The built-in layer types (see make_layer in layer.h).
#include "nn/kernels/activation.h"
#include "nn/kernels/embedding.h"
#include "nn/kernels/linear.h"
#include "nn/layer.h"

#include <cmath>
#include <functional>
#include <random>
#include <set>

namespace sluice::nn {
namespace {

Status wrong_input(const char* layer, const std::string& expected,
                   const std::vector<int64_t>& found) {
  return Status::Invalid(std::string("layer ") + layer + ": expected an input of shape " +
                         expected + ", found " + shape_text(found));
}

Parameter make_parameter(std::string name, std::vector<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  Parameter p{std::move(name), std::move(shape), {}, {}};
  p.value.assign(static_cast<size_t>(n), 0.0f);
  p.grad.assign(static_cast<size_t>(n), 0.0f);
  return p;
}

class Linear final : public Layer {
 public:
  Linear(int64_t in, int64_t out, bool bias, uint64_t seed)
      : in_(in), out_(out), weight_(make_parameter("weight", {out, in})) {
    std::mt19937_64 rng(seed);
    const float bound = 1.0f / std::sqrt(static_cast<float>(in));
    std::uniform_real_distribution<float> uniform(-bound, bound);
    for (float& w : weight_.value) w = uniform(rng);
    if (bias) {
      bias_ = make_parameter("bias", {out});
      for (float& b : bias_.value) b = uniform(rng);
    }
  }
  const char* type() const override { return "linear"; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    if (in.size() != 2 || in[1] != in_) {
      return wrong_input("linear", "(batch, " + std::to_string(in_) + ")", in);
    }
    return std::vector<int64_t>{in[0], out_};
  }
  void forward(const Buffer& in, Buffer& out, const ForwardContext&) const override {
    linear_forward(in.values.data(), weight_.value.data(),
                   has_bias() ? bias_.value.data() : nullptr, out.values.data(), in.rows(), in_,
                   out_);
  }
  void backward(const Buffer& in, const Buffer&, const Buffer& dout, Buffer* din,
                const ForwardContext&) override {
    linear_backward(dout.values.data(), in.values.data(), weight_.value.data(),
                    din != nullptr ? din->values.data() : nullptr, weight_.grad.data(),
                    has_bias() ? bias_.grad.data() : nullptr, in.rows(), in_, out_);
  }
  std::vector<Parameter*> parameters() override {
    if (has_bias()) return {&weight_, &bias_};
    return {&weight_};
  }

 private:
  bool has_bias() const { return !bias_.value.empty(); }
  int64_t in_, out_;
  Parameter weight_, bias_;
};

class Embedding final : public Layer {
 public:
  Embedding(int64_t count, int64_t dim, uint64_t seed)
      : count_(count), dim_(dim), weight_(make_parameter("weight", {count, dim})) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (float& w : weight_.value) w = normal(rng);
  }
  const char* type() const override { return "embedding"; }
  bool takes_ids() const override { return true; }
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

class Elementwise final : public Layer {
 public:
  Elementwise(const char* type, Nonlinearity f) : type_(type), f_(f) {}
  const char* type() const override { return type_; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    return in;
  }
  void forward(const Buffer& in, Buffer& out, const ForwardContext&) const override {
    activation_forward(f_, in.values.data(), out.values.data(),
                       static_cast<int64_t>(in.values.size()));
  }
  void backward(const Buffer& in, const Buffer& out, const Buffer& dout, Buffer* din,
                const ForwardContext&) override {
    if (din == nullptr) return;
    activation_backward(f_, in.values.data(), out.values.data(), dout.values.data(),
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

// The argument `name` of `spec` as a whole number >= min, or `fallback` when absent (< 0: none).
Expected<int64_t> int_arg(const LayerSpec& spec, const char* name, int64_t min,
                          int64_t fallback = -1) {
  auto it = spec.args.find(name);
  if (it == spec.args.end()) {
    if (fallback >= 0) return fallback;
    return Status::Invalid("layer " + spec.type + ": expected argument '" + name + "', found none");
  }
  const double v = it->second;
  if (v != std::floor(v) || v < static_cast<double>(min) || v > 1e12) {
    return Status::Invalid("layer " + spec.type + ": expected '" + name +
                           "' to be a whole number >= " + std::to_string(min) + ", found " +
                           std::to_string(v));
  }
  return static_cast<int64_t>(v);
}

Status check_args(const LayerSpec& spec, const std::set<std::string>& known) {
  for (const auto& [name, value] : spec.args) {
    if (known.count(name) == 0) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      return Status::Invalid("layer " + spec.type + ": expected arguments among {" + list +
                             "}, found '" + name + "'");
    }
  }
  return {};
}

using Factory = std::function<Expected<std::unique_ptr<Layer>>(const LayerSpec&, uint64_t)>;

const std::map<std::string, std::pair<std::set<std::string>, Factory>>& factories() {
  static const auto* table = new std::map<std::string, std::pair<std::set<std::string>, Factory>>{
      {"linear",
       {{"in", "out", "bias"},
        [](const LayerSpec& s, uint64_t seed) -> Expected<std::unique_ptr<Layer>> {
          auto in = int_arg(s, "in", 1);
          auto out = int_arg(s, "out", 1);
          auto bias = int_arg(s, "bias", 0, 1);
          if (!in.ok()) return in.status();
          if (!out.ok()) return out.status();
          if (!bias.ok()) return bias.status();
          return std::unique_ptr<Layer>(new Linear(*in, *out, *bias != 0, seed));
        }}},
      {"embedding",
       {{"num_embeddings", "dim"},
        [](const LayerSpec& s, uint64_t seed) -> Expected<std::unique_ptr<Layer>> {
          auto count = int_arg(s, "num_embeddings", 1);
          auto dim = int_arg(s, "dim", 1);
          if (!count.ok()) return count.status();
          if (!dim.ok()) return dim.status();
          return std::unique_ptr<Layer>(new Embedding(*count, *dim, seed));
        }}},
      {"masked_mean",
       {{},
        [](const LayerSpec&, uint64_t) -> Expected<std::unique_ptr<Layer>> {
          return std::unique_ptr<Layer>(new MaskedMean());
        }}},
      {"relu",
       {{},
        [](const LayerSpec&, uint64_t) -> Expected<std::unique_ptr<Layer>> {
          return std::unique_ptr<Layer>(new Elementwise("relu", Nonlinearity::kRelu));
        }}},
      {"gelu",
       {{},
        [](const LayerSpec&, uint64_t) -> Expected<std::unique_ptr<Layer>> {
          return std::unique_ptr<Layer>(new Elementwise("gelu", Nonlinearity::kGelu));
        }}},
      {"tanh",
       {{},
        [](const LayerSpec&, uint64_t) -> Expected<std::unique_ptr<Layer>> {
          return std::unique_ptr<Layer>(new Elementwise("tanh", Nonlinearity::kTanh));
        }}},
      {"dropout",
       {{"p"},
        [](const LayerSpec& s, uint64_t) -> Expected<std::unique_ptr<Layer>> {
          auto it = s.args.find("p");
          const double p = it == s.args.end() ? 0.5 : it->second;
          if (!(p >= 0.0 && p < 1.0)) {
            return Status::Invalid("layer dropout: expected 'p' in [0, 1), found " +
                                   std::to_string(p));
          }
          return std::unique_ptr<Layer>(new Dropout(p));
        }}},
  };
  return *table;
}

}  // namespace

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
}

void Buffer::resize(std::vector<int64_t> new_shape) {
  shape = std::move(new_shape);
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  values.assign(static_cast<size_t>(n), 0.0f);
}

int64_t Buffer::row_size() const {
  int64_t n = 1;
  for (size_t i = 1; i < shape.size(); ++i) n *= shape[i];
  return n;
}

const std::vector<std::string>& layer_types() {
  static const auto* types = [] {
    auto* v = new std::vector<std::string>();
    for (const auto& [name, entry] : factories()) v->push_back(name);
    return v;
  }();
  return *types;
}

Expected<std::unique_ptr<Layer>> make_layer(const LayerSpec& spec, uint64_t seed) {
  auto it = factories().find(spec.type);
  if (it == factories().end()) {
    std::string list;
    for (const auto& t : layer_types()) list += (list.empty() ? "" : ", ") + t;
    return Status::Invalid("expected a layer type among {" + list + "}, found '" + spec.type + "'");
  }
  SLUICE_RETURN_IF_ERROR(check_args(spec, it->second.first));
  return it->second.second(spec, seed);
}

}  // namespace sluice::nn
