// The normalisation layers with running statistics: batch_norm, PyTorch's nn.BatchNorm1d on
// (B, C) and (B, C, L) inputs and nn.BatchNorm2d on (B, C, H, W) ones (same state_dict names:
// weight, bias, running_mean, running_var, num_batches_tracked).
#include "nn/kernels/batch_norm.h"
#include "nn/layer_support.h"

#include <cmath>
#include <sstream>

namespace sluice::nn {
namespace {

// Training (ctx.training) normalises each channel with the batch's mean and biased variance;
// inference with the running ones. The batch statistics enter the running ones, as PyTorch's
// training forward pass does, when backward() runs (see Layer): running = (1 - momentum) ·
// running + momentum · batch, with the unbiased variance (n / (n - 1) times the biased one, n
// values per channel; the biased one when n is 1), and num_batches_tracked counts those updates.
// Saved by forward: [0] the batch mean, [1] the batch variance (training), [2] the rstd used.
class BatchNorm final : public Layer {
 public:
  BatchNorm(int64_t features, double eps, double momentum, bool affine, bool allocate)
      : features_(features),
        eps_(eps),
        momentum_(momentum),
        running_mean_(static_cast<size_t>(features), 0.0f),
        running_var_(static_cast<size_t>(features), 1.0f) {
    if (!affine) return;
    weight_ = make_parameter("weight", {features}, allocate);
    bias_ = make_parameter("bias", {features}, allocate);
    std::fill(weight_.value.begin(), weight_.value.end(), 1.0f);
  }
  const char* type() const override { return "batch_norm"; }
  Expected<std::vector<int64_t>> output_shape(const std::vector<int64_t>& in) const override {
    if (in.size() < 2 || in.size() > 4 || in[1] != features_) {
      const std::string c = std::to_string(features_);
      return wrong_input(
          type(),
          "(batch, " + c + "), (batch, " + c + ", length) or (batch, " + c + ", height, width)",
          in);
    }
    return in;
  }
  void forward(const Buffer& in, Buffer& out, const ForwardContext& ctx) const override {
    const BatchNormShape s = shape(in);
    std::vector<Buffer>& saved = *ctx.saved;
    saved.resize(3);
    for (Buffer& b : saved) b.values.resize(static_cast<size_t>(features_));
    const float* mean = running_mean_.data();
    const float* var = running_var_.data();
    if (ctx.training) {
      batch_norm_statistics(s, in.values.data(), saved[0].values.data(), saved[1].values.data());
      mean = saved[0].values.data();
      var = saved[1].values.data();
    }
    float* rstd = saved[2].values.data();
    for (int64_t c = 0; c < features_; ++c) {
      rstd[c] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(var[c]) + eps_));
    }
    batch_norm_forward(s, in.values.data(), mean, rstd, affine() ? weight_.value.data() : nullptr,
                       affine() ? bias_.value.data() : nullptr, out.values.data());
  }
  void backward(const Buffer& in, const Buffer&, const Buffer& dout, Buffer* din,
                const ForwardContext& ctx) override {
    const BatchNormShape s = shape(in);
    const std::vector<Buffer>& saved = *ctx.saved;
    batch_norm_backward(s, in.values.data(), dout.values.data(),
                        ctx.training ? saved[0].values.data() : running_mean_.data(),
                        saved[2].values.data(), affine() ? weight_.value.data() : nullptr,
                        ctx.training, din != nullptr ? din->values.data() : nullptr,
                        affine() ? weight_.grad.data() : nullptr,
                        affine() ? bias_.grad.data() : nullptr);
    if (ctx.training) {
      update_running_statistics(saved[0].values.data(), saved[1].values.data(), features_,
                                s.count(), momentum_, running_mean_.data(), running_var_.data());
      ++num_batches_tracked_;
    }
  }
  std::vector<Parameter*> parameters() override {
    if (affine()) return {&weight_, &bias_};
    return {};
  }
  std::vector<StateTensor> buffers() override {
    const size_t bytes = running_mean_.size() * sizeof(float);
    return {{"running_mean", SLUICE_DTYPE_FLOAT32, {features_}, running_mean_.data(), bytes},
            {"running_var", SLUICE_DTYPE_FLOAT32, {features_}, running_var_.data(), bytes},
            {"num_batches_tracked",
             SLUICE_DTYPE_INT64,
             {},
             &num_batches_tracked_,
             sizeof(num_batches_tracked_)}};
  }

 private:
  BatchNormShape shape(const Buffer& in) const {
    return {in.shape[0], features_, in.row_size() / features_};
  }
  bool affine() const { return !weight_.shape.empty(); }
  int64_t features_;
  double eps_, momentum_;
  Parameter weight_, bias_;
  std::vector<float> running_mean_, running_var_;
  int64_t num_batches_tracked_ = 0;
};

// The argument `name` of `spec` in [min, max] (min excluded when `open_min`), or `fallback`.
Expected<double> real_arg(const LayerSpec& spec, const char* name, double min, bool open_min,
                          double max, double fallback) {
  auto it = spec.args.find(name);
  if (it == spec.args.end()) return fallback;
  const double v = it->second;
  if (!(open_min ? v > min : v >= min) || !(v <= max)) {
    std::ostringstream text;
    text << "layer " << spec.type << ": expected '" << name << "' in " << (open_min ? "(" : "[")
         << min << ", " << max << "], found " << v;
    return Status::Invalid(text.str());
  }
  return v;
}

}  // namespace

void add_norm_layers(LayerTypes& types) {
  types["batch_norm"] = {
      {"num_features", "eps", "momentum", "affine"},
      [](const LayerSpec& s, const ParameterInit& init) -> Expected<std::unique_ptr<Layer>> {
        auto features = int_arg(s, "num_features", 1);
        auto eps = real_arg(s, "eps", 0.0, true, 1.0, 1e-5);
        auto momentum = real_arg(s, "momentum", 0.0, false, 1.0, 0.1);
        auto affine = int_arg(s, "affine", 0, 1);
        if (!features.ok()) return features.status();
        if (!eps.ok()) return eps.status();
        if (!momentum.ok()) return momentum.status();
        if (!affine.ok()) return affine.status();
        return std::unique_ptr<Layer>(
            new BatchNorm(*features, *eps, *momentum, *affine != 0, init.allocates()));
      }};
}

}  // namespace sluice::nn
