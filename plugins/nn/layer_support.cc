#include "nn/layer_support.h"

#include <sluice/schema.hpp>

#include <cmath>

namespace sluice::nn {

Status wrong_input(const char* layer, const std::string& expected,
                   const std::vector<int64_t>& found) {
  return Status::Invalid(std::string("layer ") + layer + ": expected an input of shape " +
                         expected + ", found " + shape_text(found));
}

Status check_value_count(const std::string& what, const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (__builtin_mul_overflow(n, d, &n) || n > kMaxTensorValues) {
      return Status::Invalid(what + ": expected at most 2^40 values, found shape " +
                             shape_text(shape));
    }
  }
  return {};
}

Parameter make_parameter(std::string name, std::vector<int64_t> shape, bool allocate) {
  if (Status s = check_value_count("parameter '" + name + "'", shape); !s.ok()) throw Error(s);
  Parameter p{std::move(name), std::move(shape), {}, {}};
  if (allocate) p.value.assign(static_cast<size_t>(numel(p.shape)), 0.0f);
  return p;
}

InitialDraws::InitialDraws(const ParameterInit& init) : allocate_(init.allocates()) {
  if (init.draws()) rng_.emplace(init.seed);
}

void InitialDraws::uniform(Parameter& weight, Parameter* bias, int64_t fan_in) {
  if (!rng_) return;
  const float bound = 1.0f / std::sqrt(static_cast<float>(fan_in));
  std::uniform_real_distribution<float> uniform(-bound, bound);
  for (float& w : weight.value) w = uniform(*rng_);
  if (bias == nullptr) return;
  for (float& b : bias->value) b = uniform(*rng_);
}

void InitialDraws::normal(Parameter& weight) {
  if (!rng_) return;
  for (float& w : weight.value) w = normal_(*rng_);
}

Expected<int64_t> int_arg(const LayerSpec& spec, const char* name, int64_t min, int64_t fallback) {
  auto it = spec.args.find(name);
  if (it == spec.args.end()) {
    if (fallback >= 0) return fallback;
    return Status::Invalid("layer " + spec.type + ": expected argument '" + name + "', found none");
  }
  const double v = it->second;
  if (v != std::floor(v) || v < static_cast<double>(min) || v > 1e12) {
    return Status::Invalid("layer " + spec.type + ": expected '" + name +
                           "' to be a whole number in [" + std::to_string(min) +
                           ", 10^12], found " + shortest_number_text(v));
  }
  return static_cast<int64_t>(v);
}

}  // namespace sluice::nn
