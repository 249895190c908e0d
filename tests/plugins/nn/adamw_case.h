// AdamW on one parameter of n values through nn's Optimizer (the CPU reference), for the tests
// that check another implementation of it step by step (the host/device math, the CUDA kernel):
// the parameter's initial values, each step's gradient, learning rate and kernel constants, and
// the reference's values and moments after the last step.
#pragma once

#include "nn/cuda/adamw_math.h"
#include "nn/optimizer.h"
#include "plugins/nn/random_inputs.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

namespace sluice::test {

struct AdamWCase {
  nn::OptimizerConfig config;
  std::vector<float> initial;
  std::vector<std::vector<float>> grads;  // step s's gradient at grads[s - 1]
  std::vector<double> lrs;
  std::vector<float> w, m, v;  // the reference after the last step: values, exp_avg, exp_avg_sq

  int64_t steps() const { return static_cast<int64_t>(grads.size()); }
  // Step s's constants (1-based), as the kernels take them.
  nn::cuda_kernels::AdamWStep constants(int64_t s) const {
    return nn::cuda_kernels::adamw_step(lrs[s - 1], config.beta1, config.beta2, config.eps,
                                        config.weight_decay, s);
  }
};

// One step per learning rate of `lrs` on n values (weight decay 0.1, beta2 0.95).
inline AdamWCase adamw_case(int64_t n, const std::vector<double>& lrs) {
  AdamWCase c;
  c.config.kind = "adamw";
  c.config.weight_decay = 0.1;
  c.config.beta2 = 0.95;
  c.initial = normal_values(n, 16);
  c.lrs = lrs;
  nn::Parameter p{"weight", {n}, c.initial, {}};
  auto opt = nn::Optimizer::make(c.config, {&p});
  REQUIRE(opt.ok());
  for (size_t s = 1; s <= lrs.size(); ++s) {
    c.grads.push_back(normal_values(n, 100 + s, 0.0f, 0.5f));
    p.grad = c.grads.back();
    opt->step(lrs[s - 1]);
  }
  const auto state = opt->state();  // exp_avg, exp_avg_sq
  REQUIRE(state.size() == 2);
  c.w = p.value;
  c.m = *state[0].second;
  c.v = *state[1].second;
  return c;
}

}  // namespace sluice::test
