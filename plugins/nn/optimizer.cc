#include "nn/optimizer.h"

#include <cmath>

namespace sluice::nn {

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

void Optimizer::step(double lr) {
  ++steps_;
  const OptimizerConfig& c = config_;
  const auto flr = static_cast<float>(lr);
  const auto wd = static_cast<float>(c.weight_decay);
  for (size_t k = 0; k < params_.size(); ++k) {
    std::vector<float>& w = params_[k]->value;
    const std::vector<float>& g = params_[k]->grad;
    std::vector<float>& m = first_[k];
    if (c.kind == "sgd") {
      const auto mom = static_cast<float>(c.momentum);
      const auto damp = static_cast<float>(1.0 - c.dampening);
      for (size_t i = 0; i < w.size(); ++i) {
        float d = g[i] + wd * w[i];
        if (mom != 0.0f) {
          m[i] = steps_ == 1 ? d : mom * m[i] + damp * d;
          d = c.nesterov ? d + mom * m[i] : m[i];
        }
        w[i] -= flr * d;
      }
      continue;
    }
    std::vector<float>& v = second_[k];
    const auto b1 = static_cast<float>(c.beta1);
    const auto b2 = static_cast<float>(c.beta2);
    const double bias1 = 1.0 - std::pow(c.beta1, static_cast<double>(steps_));
    const double bias2 = 1.0 - std::pow(c.beta2, static_cast<double>(steps_));
    const auto step_size = static_cast<float>(lr / bias1);
    const auto bias2_sqrt = static_cast<float>(std::sqrt(bias2));
    const auto eps = static_cast<float>(c.eps);
    const bool decoupled = c.kind == "adamw";
    for (size_t i = 0; i < w.size(); ++i) {
      float d = g[i];
      if (decoupled) {
        w[i] *= 1.0f - flr * wd;
      } else {
        d += wd * w[i];
      }
      m[i] = b1 * m[i] + (1.0f - b1) * d;
      v[i] = b2 * v[i] + (1.0f - b2) * d * d;
      const float denom = std::sqrt(v[i]) / bias2_sqrt + eps;
      w[i] -= step_size * (m[i] / denom);
    }
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
