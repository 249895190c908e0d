// What layer implementations share: argument parsing, parameter creation, error messages, and
// the table of layer types that make_layer() reads (each family of layers adds its types).
#pragma once

#include "nn/layer.h"

#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>

namespace sluice::nn {

using LayerFactory =
    std::function<Expected<std::unique_ptr<Layer>>(const LayerSpec&, const ParameterInit&)>;

struct LayerType {
  std::set<std::string> args;     // the numeric arguments it takes
  LayerFactory make;              // called after the arguments were checked against these sets
  std::set<std::string> lists{};  // the arguments it takes that are lists of layers
};
using LayerTypes = std::map<std::string, LayerType>;

// The families of layers, each in its own file.
void add_dense_layers(LayerTypes& types);  // linear, embedding, masked_mean, activations, dropout
void add_conv_layers(LayerTypes& types);   // conv2d, max_pool2d, avg_pool2d, flatten
// token_position_embedding, layer_norm, causal_self_attention, transformer_block
void add_transformer_layers(LayerTypes& types);
void add_norm_layers(LayerTypes& types);       // batch_norm
void add_composite_layers(LayerTypes& types);  // residual

// "layer <type>: expected an input of shape <expected>, found <found>".
Status wrong_input(const char* layer, const std::string& expected,
                   const std::vector<int64_t>& found);
// The most values a layer's tensor may hold (4 TiB of float32), so that sizes stay far from
// int64's limit: an error naming `what` and the shape for one of more.
constexpr int64_t kMaxTensorValues = int64_t{1} << 40;
Status check_value_count(const std::string& what, const std::vector<int64_t>& shape);
// A parameter of `shape`, value zero (empty when not `allocate`: ParameterInit::allocates()), grad
// empty (Parameter::grad). Throws sluice::Error (make_layer returns its status) for a shape of
// more than kMaxTensorValues values.
Parameter make_parameter(std::string name, std::vector<int64_t> shape, bool allocate);
// The draws of one layer's initial parameters, one after another from an mt19937_64 seeded with
// init.seed when init.draws(), else none: the parameters keep the zeros (or the no values)
// make_parameter gave them.
class InitialDraws {
 public:
  explicit InitialDraws(const ParameterInit& init);
  // init.allocates(): whether the layer's parameters get values (make_parameter's `allocate`).
  bool allocates() const { return allocate_; }
  // PyTorch's default initialisation of a weighted layer (nn.Linear, nn.Conv2d): every value of
  // `weight`, then of `bias` when not null, drawn in that order from U(-1/sqrt(fan_in),
  // 1/sqrt(fan_in)).
  void uniform(Parameter& weight, Parameter* bias, int64_t fan_in);
  // nn.Embedding's: every value of `weight` from N(0, 1).
  void normal(Parameter& weight);

 private:
  std::optional<std::mt19937_64> rng_;  // none when nothing is drawn
  std::normal_distribution<float> normal_{0.0f, 1.0f};
  bool allocate_;
};
// The argument `name` of `spec` as a whole number in [min, 10^12], or `fallback` when absent (< 0:
// the argument is required).
Expected<int64_t> int_arg(const LayerSpec& spec, const char* name, int64_t min,
                          int64_t fallback = -1);

}  // namespace sluice::nn
