// The layers made of other layers: residual, out = in + body(in) (a ResNet block's identity
// shortcut), its body a sequence of layers that keeps the input's shape. Its state_dict names
// are those of a PyTorch module holding the body as an nn.Sequential named `body`:
// "body.<index>.<name>" ("3.body.0.weight" in a model).
#include "nn/layer_support.h"
#include "nn/sequence.h"

namespace sluice::nn {
namespace {

// Keeps the body's pass in ctx.nested[0].
class Residual final : public Layer {
 public:
  explicit Residual(Sequence body) : body_(std::move(body)) {
    // The body's parameters are this layer's, named relative to it.
    for (const auto& [name, p] : body_.parameters()) {
      p->name = "body." + name;
      params_.push_back(p);
    }
  }
  const char* type() const override { return "residual"; }
  bool decodes() const override { return body_.decodes(); }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    Expected<std::vector<int64_t>> out = body_.output_shape(in);
    if (!out.ok()) return Status::Invalid("layer residual: body " + out.status().message());
    if (*out != in) {
      return Status::Invalid("layer residual: expected its body to keep the input's shape " +
                             shape_text(in) + ", found " + shape_text(*out));
    }
    return in;
  }
  void forward(const Buffer& in, Buffer& out, const ForwardContext& ctx) const override {
    ctx.nested->resize(1);
    SequencePass& pass = (*ctx.nested)[0];
    body_.forward(in, ctx, pass);
    const std::vector<float>& body = pass.output().values;
    for (size_t i = 0; i < out.values.size(); ++i) out.values[i] = in.values[i] + body[i];
  }
  void backward(const Buffer& in, const Buffer&, const Buffer& dout, Buffer* din,
                const ForwardContext& ctx) override {
    body_.backward(in, dout, din, ctx, (*ctx.nested)[0]);
    if (din == nullptr) return;
    for (size_t i = 0; i < din->values.size(); ++i) din->values[i] += dout.values[i];
  }
  std::vector<Parameter*> parameters() override { return params_; }
  std::vector<StateTensor> buffers() override {
    std::vector<StateTensor> out = body_.buffers();
    for (StateTensor& b : out) b.name = "body." + b.name;
    return out;
  }

 private:
  Sequence body_;
  std::vector<Parameter*> params_;
};

Expected<std::unique_ptr<Layer>> make_residual(const LayerSpec& spec, const ParameterInit& init) {
  auto it = spec.lists.find("body");
  if (it == spec.lists.end()) {
    return Status::Invalid(
        "layer residual: expected argument 'body' (a list of layers), found none");
  }
  if (it->second.empty()) {
    return Status::Invalid(
        "layer residual: expected 'body' to hold at least one layer, found none");
  }
  Expected<Sequence> body = Sequence::build(it->second, init);
  if (!body.ok()) return Status::Invalid("layer residual: body " + body.status().message());
  for (size_t i = 0; i < body->layers().size(); ++i) {
    if (body->layers()[i]->takes_ids()) {
      return Status::Invalid("layer residual: body layer " + std::to_string(i) + " (" +
                             it->second[i].type +
                             "): expected a layer of features, found one that reads the "
                             "model's input ids");
    }
  }
  return std::unique_ptr<Layer>(new Residual(std::move(*body)));
}

}  // namespace

void add_composite_layers(LayerTypes& types) { types["residual"] = {{}, make_residual, {"body"}}; }

}  // namespace sluice::nn
