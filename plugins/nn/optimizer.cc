#include "nn/optimizer.h"

#include "nn/kernels/parallel.h"

#include <cmath>

namespace sluice::nn {
namespace {

constexpr int64_t kGrain = 16384;  // values per parallel chunk of an update

using cuda_kernels::UpdateRule;
using cuda_kernels::UpdateStep;

// Updates n values (plain loops over pointer arguments and a copy of the constants, which GCC
// vectorises).
void sgd_values(UpdateStep c, float* w, const float* g, float* m, int64_t n) {
  for (int64_t i = 0; i < n; ++i) cuda_kernels::sgd_update(c, g[i], w[i], m[i]);
}

void adam_values(UpdateStep c, float* w, const float* g, float* m, float* v, int64_t n) {
  for (int64_t i = 0; i < n; ++i) cuda_kernels::adam_update(c, g[i], w[i], m[i], v[i]);
}

}  // namespace

const std::vector<std::string>& optimizer_kinds() {
  static const std::vector<std::string> kinds{"sgd", "adam", "adamw"};
  return kinds;
}

const std::vector<std::string>& schedule_kinds() {
  static const std::vector<std::string> kinds{"constant", "step", "cosine"};
  return kinds;
}

Expected<Optimizer> Optimizer::make(const OptimizerConfig& config, std::vector<Parameter*> params) {
  if (config.kind != "sgd" && config.kind != "adam" && config.kind != "adamw") {
    return Status::Invalid("optimizer: expected sgd, adam or adamw, found '" + config.kind + "'");
  }
  if (config.nesterov && (config.kind != "sgd" || config.momentum <= 0 || config.dampening != 0)) {
    return Status::Invalid(
        "optimizer: expected nesterov only with sgd, momentum > 0 and no "
        "dampening, found momentum " +
        std::to_string(config.momentum));
  }
  Optimizer o;
  o.config_ = config;
  o.params_ = std::move(params);
  for (Parameter* p : o.params_) {
    o.first_.emplace_back(p->value.size(), 0.0f);
    if (config.kind != "sgd") o.second_.emplace_back(p->value.size(), 0.0f);
  }
  return o;
}

UpdateStep Optimizer::update_step(double lr, int64_t step) const {
  const OptimizerConfig& c = config_;
  UpdateStep u;
  u.rule = c.kind == "sgd" ? UpdateRule::kSgd
                           : (c.kind == "adam" ? UpdateRule::kAdam : UpdateRule::kAdamW);
  const auto flr = static_cast<float>(lr);
  const auto wd = static_cast<float>(c.weight_decay);
  u.lr = flr;
  u.wd = wd;
  u.momentum = static_cast<float>(c.momentum);
  u.damp = static_cast<float>(1.0 - c.dampening);
  u.first = step == 1;
  u.nesterov = c.nesterov;
  const double bias1 = 1.0 - std::pow(c.beta1, static_cast<double>(step));
  const double bias2 = 1.0 - std::pow(c.beta2, static_cast<double>(step));
  u.b1 = static_cast<float>(c.beta1);
  u.b2 = static_cast<float>(c.beta2);
  u.one_b1 = 1.0f - u.b1;
  u.one_b2 = 1.0f - u.b2;
  u.step_size = static_cast<float>(lr / bias1);
  u.bias2_sqrt = static_cast<float>(std::sqrt(bias2));
  u.eps = static_cast<float>(c.eps);
  u.shrink = 1.0f - flr * wd;
  return u;
}

void Optimizer::step(double lr) {
  ++steps_;
  const UpdateStep c = update_step(lr, steps_);
  const bool sgd = c.rule == UpdateRule::kSgd;
  for (size_t k = 0; k < params_.size(); ++k) {
    params_[k]->allocate_grad();  // a parameter no backward pass reached has a zero gradient
    float* w = params_[k]->value.data();
    const float* g = params_[k]->grad.data();
    float* m = first_[k].data();
    float* v = sgd ? nullptr : second_[k].data();
    parallel_chunks(static_cast<int64_t>(params_[k]->value.size()), kGrain,
                    [&](int64_t from, int64_t to) {
                      if (sgd) {
                        sgd_values(c, w + from, g + from, m + from, to - from);
                      } else {
                        adam_values(c, w + from, g + from, m + from, v + from, to - from);
                      }
                    });
  }
}

std::vector<std::pair<std::string, std::vector<float>*>> Optimizer::state() {
  std::vector<std::pair<std::string, std::vector<float>*>> out;
  const bool sgd = config_.kind == "sgd";
  for (size_t k = 0; k < params_.size(); ++k) {
    const std::string index = std::to_string(k);
    out.emplace_back(index + (sgd ? ".momentum_buffer" : ".exp_avg"), &first_[k]);
    if (!sgd) out.emplace_back(index + ".exp_avg_sq", &second_[k]);
  }
  return out;
}

double scheduled_lr(const ScheduleConfig& s, double lr, int64_t step) {
  if (step < s.warmup_steps) {
    return lr * static_cast<double>(step + 1) / static_cast<double>(s.warmup_steps);
  }
  const auto after = static_cast<double>(step - s.warmup_steps);
  if (s.kind == "step") {
    return lr * std::pow(s.gamma, std::floor(after / static_cast<double>(s.step_size)));
  }
  if (s.kind == "cosine") {
    const auto span = static_cast<double>(std::max<int64_t>(1, s.total_steps - s.warmup_steps));
    const double t = std::min(1.0, after / span);
    return s.min_lr + 0.5 * (lr - s.min_lr) * (1.0 + std::cos(M_PI * t));
  }
  return lr;
}

double clip_grad_norm(const std::vector<Parameter*>& params, double max_norm) {
  double sum = 0;
  for (const Parameter* p : params) {
    for (float g : p->grad) sum += static_cast<double>(g) * g;
  }
  const double norm = std::sqrt(sum);
  if (norm > max_norm) {
    const auto scale = static_cast<float>(max_norm / (norm + 1e-6));
    for (Parameter* p : params) {
      for (float& g : p->grad) g *= scale;
    }
  }
  return norm;
}

}  // namespace sluice::nn
