// A test plugin adding layer types through the C++ SDK (ABI 1.2, buffers 1.3):
//   testlayers.swish {features, init_scale: 1}: y = scale * x * sigmoid(x) over the last
//     dimension, `scale` a learned per-feature parameter (features), sigmoid(x) saved for the
//     backward pass; with a CUDA path too (forward_cuda, backward_cuda: testlayers_cuda.cu)
//     when the build has CUDA (SLUICE_TESTLAYERS_CUDA);
//   testlayers.center {features, momentum: 0.1}: y = x - mean over the last dimension's
//     features, with a buffer (ABI 1.3) `running_mean` (features): a training pass subtracts the
//     batch's mean (all rows) and its backward pass folds it into running_mean as BatchNorm does,
//     running_mean = (1 - momentum) running_mean + momentum batch_mean; inference subtracts
//     running_mean; with a CUDA path too, when the build has CUDA;
//   testlayers.fail {when: create|forward|backward}: the identity, except that it fails there
//     (forward returns an error status, backward and create throw), to test that a layer's
//     errors reach the run as statuses naming the layer.
#include <sluice/sdk.hpp>

#ifdef SLUICE_TESTLAYERS_CUDA
#include "testlayers_cuda.h"
#endif

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using sluice::Expected;
using sluice::FloatView;
using sluice::LayerPass;
using sluice::ParamSpec;
using sluice::Shape;
using sluice::Status;

std::string shape_text(const Shape& s) {
  std::string out = "(";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + ")";
}

#ifdef SLUICE_TESTLAYERS_CUDA
// OK when a launch of `layer`'s kernels was queued, else its CUDA error (text: "" when none).
Status cuda_status(const char* layer, const std::string& error) {
  if (error.empty()) return {};
  return Status::Internal(std::string(layer) + ": CUDA launch failed: " + error);
}
#endif

// A layer over inputs (batch, ..., features): the `features` arg and the shape check.
class PerFeature : public sluice::Layer {
 public:
  Status open(const sluice::Params& args, uint64_t) override {
    features_ = args.get<int64_t>("features");
    return {};
  }
  Expected<Shape> output_shape(const Shape& in) const override {
    if (in.size() < 2 || in.back() != features_) {
      return Status::Invalid("expected an input of shape (batch, ..., " +
                             std::to_string(features_) + "), found " + shape_text(in));
    }
    return in;
  }

 protected:
  static ParamSpec features_arg() {
    return ParamSpec::Int("features", "Size of the last dimension").min(1);
  }
  int64_t features_ = 0;
};

class Swish : public PerFeature {
 public:
  static sluice::LayerSchema schema() {
    return sluice::LayerSchema("testlayers.swish")
        .doc("y = scale * x * sigmoid(x) over the last dimension; `scale` is learned")
        .arg(features_arg())
        .arg(ParamSpec::Float("init_scale", "Initial value of every scale").default_value(1.0));
  }
  Status open(const sluice::Params& args, uint64_t seed) override {
    init_scale_ = args.get<float>("init_scale");
    return PerFeature::open(args, seed);
  }
  std::vector<sluice::LayerParameter> parameters() const override {
    return {{"scale", {features_}}};
  }
  Status init_parameters(const std::vector<FloatView>& values) override {
    for (int64_t i = 0; i < values[0].size(); ++i) values[0][i] = init_scale_;
    return {};
  }
  std::vector<Shape> saved_shapes(const Shape& in) const override { return {in}; }

  Status forward(const LayerPass& pass, const FloatView& in, FloatView& out) const override {
    const FloatView scale = pass.value(0);
    const FloatView sig = pass.saved(0);
    for (int64_t i = 0; i < in.size(); ++i) {
      sig[i] = 1.0f / (1.0f + std::exp(-in[i]));
      out[i] = scale[i % features_] * in[i] * sig[i];
    }
    return {};
  }
  Status backward(const LayerPass& pass, const FloatView& in, const FloatView&,
                  const FloatView& dout, FloatView* din) const override {
    const FloatView scale = pass.value(0);
    const FloatView dscale = pass.grad(0);
    const FloatView sig = pass.saved(0);
    for (int64_t i = 0; i < in.size(); ++i) {
      const int64_t f = i % features_;
      dscale[f] += dout[i] * in[i] * sig[i];
      if (din != nullptr) {
        (*din)[i] = dout[i] * scale[f] * (sig[i] + in[i] * sig[i] * (1.0f - sig[i]));
      }
    }
    return {};
  }
#ifdef SLUICE_TESTLAYERS_CUDA
  Status forward_cuda(const LayerPass& pass, const FloatView& in, FloatView& out) const {
    return cuda_status(
        "testlayers.swish",
        testlayers::swish_forward_cuda(in.data(), pass.value(0).data(), out.data(),
                                       pass.saved(0).data(), in.size(), features_, pass.stream()));
  }
  Status backward_cuda(const LayerPass& pass, const FloatView& in, const FloatView&,
                       const FloatView& dout, FloatView* din) const {
    return cuda_status(
        "testlayers.swish",
        testlayers::swish_backward_cuda(
            in.data(), pass.value(0).data(), pass.saved(0).data(), dout.data(), pass.grad(0).data(),
            din != nullptr ? din->data() : nullptr, in.size(), features_, pass.stream()));
  }
#endif

 private:
  float init_scale_ = 1;
};

class Center : public PerFeature {
 public:
  static sluice::LayerSchema schema() {
    return sluice::LayerSchema("testlayers.center")
        .doc("y = x - mean per feature: the batch's when training, running_mean at inference")
        .arg(features_arg())
        .arg(ParamSpec::Float("momentum", "Weight of a batch in running_mean").default_value(0.1));
  }
  Status open(const sluice::Params& args, uint64_t seed) override {
    momentum_ = args.get<float>("momentum");
    return PerFeature::open(args, seed);
  }
  std::vector<sluice::LayerParameter> buffers() const override {
    return {{"running_mean", {features_}}};
  }
  // running_mean starts at zero, as the engine hands it over.
  Status init_buffers(const std::vector<FloatView>&) override { return {}; }
  std::vector<Shape> saved_shapes(const Shape&) const override { return {{features_}}; }

  Status forward(const LayerPass& pass, const FloatView& in, FloatView& out) const override {
    const FloatView mean = pass.saved(0);
    const int64_t rows = in.size() / features_;
    if (pass.training()) {
      for (int64_t i = 0; i < in.size(); ++i) mean[i % features_] += in[i];
      for (int64_t f = 0; f < features_; ++f) mean[f] /= static_cast<float>(rows);
    } else {
      const FloatView running = pass.buffer(0);
      for (int64_t f = 0; f < features_; ++f) mean[f] = running[f];
    }
    for (int64_t i = 0; i < in.size(); ++i) out[i] = in[i] - mean[i % features_];
    return {};
  }
  Status backward(const LayerPass& pass, const FloatView& in, const FloatView&,
                  const FloatView& dout, FloatView* din) const override {
    const int64_t rows = in.size() / features_;
    if (din != nullptr) {  // d(x - batch mean)/dx: dout less its mean over the rows, per feature
      std::vector<float> dmean(static_cast<size_t>(features_), 0.0f);
      for (int64_t i = 0; i < in.size(); ++i) dmean[i % features_] += dout[i];
      for (int64_t i = 0; i < in.size(); ++i) {
        (*din)[i] = dout[i] - dmean[i % features_] / static_cast<float>(rows);
      }
    }
    if (pass.training()) {
      const FloatView running = pass.buffer(0), mean = pass.saved(0);
      for (int64_t f = 0; f < features_; ++f) {
        running[f] = (1.0f - momentum_) * running[f] + momentum_ * mean[f];
      }
    }
    return {};
  }
#ifdef SLUICE_TESTLAYERS_CUDA
  Status forward_cuda(const LayerPass& pass, const FloatView& in, FloatView& out) const {
    return cuda_status("testlayers.center",
                       testlayers::center_forward_cuda(in.data(), pass.buffer(0).data(),
                                                       pass.saved(0).data(), out.data(), in.size(),
                                                       features_, pass.training(), pass.stream()));
  }
  Status backward_cuda(const LayerPass& pass, const FloatView&, const FloatView&,
                       const FloatView& dout, FloatView* din) const {
    return cuda_status(
        "testlayers.center",
        testlayers::center_backward_cuda(dout.data(), pass.saved(0).data(), pass.buffer(0).data(),
                                         din != nullptr ? din->data() : nullptr, dout.size(),
                                         features_, momentum_, pass.training(), pass.stream()));
  }
#endif

 private:
  float momentum_ = 0.1f;
};

class Fail : public sluice::Layer {
 public:
  static sluice::LayerSchema schema() {
    return sluice::LayerSchema("testlayers.fail")
        .doc("The identity, failing in `when`")
        .arg(
            ParamSpec::String("when", "Where it fails").choices({"create", "forward", "backward"}));
  }
  Status open(const sluice::Params& args, uint64_t) override {
    when_ = args.get<std::string>("when");
    if (when_ == "create") throw std::runtime_error("cannot create");
    return {};
  }
  Expected<Shape> output_shape(const Shape& in) const override { return in; }
  Status forward(const LayerPass&, const FloatView& in, FloatView& out) const override {
    if (when_ == "forward") return Status::Invalid("forward failed on purpose");
    for (int64_t i = 0; i < in.size(); ++i) out[i] = in[i];
    return {};
  }
  Status backward(const LayerPass&, const FloatView&, const FloatView&, const FloatView& dout,
                  FloatView* din) const override {
    if (when_ == "backward") throw std::runtime_error("backward failed on purpose");
    for (int64_t i = 0; din != nullptr && i < dout.size(); ++i) (*din)[i] = dout[i];
    return {};
  }

 private:
  std::string when_;
};

}  // namespace

SLUICE_PLUGIN("testlayers", "1.0.0", "Layer types for the tests") {
  plugin.layer<Swish>();
  plugin.layer<Center>();
  plugin.layer<Fail>();
}
