// Optimizers with PyTorch's update rules (torch.optim.SGD, Adam, AdamW, same defaults and the
// same order of floating-point operations), a learning-rate schedule, and gradient clipping by
// the global norm (torch.nn.utils.clip_grad_norm_). An update runs element by element in chunks
// on the calling arena's threads (nn/kernels/parallel.h), so its result does not depend on the
// thread count. Not thread-safe: one trainer at a time.
#pragma once

#include "nn/cuda/optimizer_math.h"
#include "nn/layer.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::nn {

struct OptimizerConfig {
  std::string kind = "adamw";  // sgd | adam | adamw
  double lr = 1e-3;
  double weight_decay = 0.0;  // sgd, adam: L2 added to the gradient; adamw: decoupled
  double momentum = 0.0;      // sgd
  double dampening = 0.0;     // sgd
  bool nesterov = false;      // sgd
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;  // adam, adamw
};

// "sgd", "adam", "adamw".
const std::vector<std::string>& optimizer_kinds();

class Optimizer {
 public:
  // Fails naming the setting that is out of range (nesterov without momentum, say).
  static Expected<Optimizer> make(const OptimizerConfig& config, std::vector<Parameter*> params);
  // One update of every parameter from its grad, at learning rate `lr`.
  void step(double lr);
  // The constants of update number `step` (1 for the first) at learning rate `lr`: those step()
  // uses, for the device's kernels (nn/cuda/optimizer_kernel.h) too. Bias corrections are
  // computed in double, then rounded to float.
  cuda_kernels::UpdateStep update_step(double lr, int64_t step) const;
  int64_t steps() const { return steps_; }

  // The state a checkpoint keeps: each parameter's buffers, named "<param index>.<buffer>"
  // (sgd: momentum_buffer; adam, adamw: exp_avg, exp_avg_sq), and the step count.
  std::vector<std::pair<std::string, std::vector<float>*>> state();
  void restore_steps(int64_t steps) { steps_ = steps; }

 private:
  OptimizerConfig config_;
  std::vector<Parameter*> params_;
  std::vector<std::vector<float>> first_, second_;  // momentum buffer / Adam's m, v
  int64_t steps_ = 0;
};

struct ScheduleConfig {
  std::string kind = "constant";  // constant | step | cosine
  int64_t warmup_steps = 0;       // linear from lr / warmup_steps up to lr
  int64_t total_steps = 0;        // cosine: steps to reach min_lr (after warmup included)
  double min_lr = 0.0;            // cosine
  int64_t step_size = 1;          // step: lr *= gamma every step_size steps
  double gamma = 0.1;             // step
};

// "constant", "step", "cosine".
const std::vector<std::string>& schedule_kinds();

// The learning rate of 0-based step `step` for base rate `lr`.
double scheduled_lr(const ScheduleConfig& s, double lr, int64_t step);

// Scales every grad so that their global L2 norm is at most `max_norm` (as PyTorch: by
// max_norm / (norm + 1e-6) when the norm exceeds it); returns the norm before clipping.
double clip_grad_norm(const std::vector<Parameter*>& params, double max_norm);

}  // namespace sluice::nn
