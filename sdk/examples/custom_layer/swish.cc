// An out-of-tree layer type: mylayers.swish, y = x * sigmoid(beta * x) over the last dimension
// with `beta` learned per feature (Swish with a trainable beta, Ramachandran et al. 2017), on the
// CPU. A model names it in its layer list: {type: mylayers.swish, features: 32}.
#include <sluice/sdk.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace {

using sluice::FloatView;
using sluice::LayerPass;
using sluice::ParamSpec;
using sluice::Shape;
using sluice::Status;

float sigmoid(float v) { return 1.0f / (1.0f + std::exp(-v)); }

class Swish : public sluice::Layer {
 public:
  static sluice::LayerSchema schema() {
    return sluice::LayerSchema("mylayers.swish")
        .doc("y = x * sigmoid(beta * x) over the last dimension, `beta` (features) learned")
        .arg(ParamSpec::Int("features", "Size of the input's last dimension").min(1))
        .arg(ParamSpec::Float("beta", "Initial beta of every feature").default_value(1.0));
  }

  Status open(const sluice::Params& args, uint64_t /*seed*/) override {
    features_ = args.get<int64_t>("features");
    beta_ = args.get<float>("beta");
    return {};
  }
  sluice::Expected<Shape> output_shape(const Shape& in) const override {
    if (in.size() < 2 || in.back() != features_) {
      std::string found = "(";
      for (size_t i = 0; i < in.size(); ++i) found += (i ? ", " : "") + std::to_string(in[i]);
      return Status::Invalid("expected an input of shape (batch, ..., " +
                             std::to_string(features_) + "), found " + found + ")");
    }
    return in;
  }
  // state_dict name "<layer index>.beta".
  std::vector<sluice::LayerParameter> parameters() const override {
    return {{"beta", {features_}}};
  }
  Status init_parameters(const std::vector<FloatView>& values) override {
    for (int64_t f = 0; f < features_; ++f) values[0][f] = beta_;
    return {};
  }

  // x: (N, features) flattened; y = x * sigmoid(beta[f] * x).
  Status forward(const LayerPass& pass, const FloatView& x, FloatView& y) const override {
    const FloatView beta = pass.value(0);
    for (int64_t i = 0; i < x.size(); ++i) y[i] = x[i] * sigmoid(beta[i % features_] * x[i]);
    return {};
  }
  // dy/dx = s + beta x s (1 - s), dy/dbeta = x^2 s (1 - s), with s = sigmoid(beta x).
  Status backward(const LayerPass& pass, const FloatView& x, const FloatView& /*y*/,
                  const FloatView& dy, FloatView* dx) const override {
    const FloatView beta = pass.value(0);
    const FloatView dbeta = pass.grad(0);
    for (int64_t i = 0; i < x.size(); ++i) {
      const int64_t f = i % features_;
      const float s = sigmoid(beta[f] * x[i]);
      const float ds = s * (1.0f - s);
      dbeta[f] += dy[i] * x[i] * x[i] * ds;
      if (dx != nullptr) (*dx)[i] = dy[i] * (s + beta[f] * x[i] * ds);
    }
    return {};
  }

 private:
  int64_t features_ = 0;
  float beta_ = 1;
};

}  // namespace

SLUICE_PLUGIN("mylayers", "1.0.0", "Example layer types for nn.model.") { plugin.layer<Swish>(); }
