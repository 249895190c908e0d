#include "train/trainer.h"

#include <string>

namespace sluice::train {
namespace {

// PyTorch's default weight decay of each optimizer.
double default_weight_decay(const std::string& optimizer) {
  return optimizer == "adamw" ? 0.01 : 0.0;
}

}  // namespace

OpSchema& with_training_params(OpSchema& schema) {
  return with_loss_params(schema)
      .param(ParamSpec::String("optimizer", "Optimizer")
                 .default_value("adamw")
                 .choices(nn::optimizer_kinds()))
      .param(ParamSpec::Float("lr", "Base learning rate").default_value(1e-3).min(0))
      .param(ParamSpec::Float("weight_decay",
                              "Weight decay; default as PyTorch: 0.01 for adamw, else 0")
                 .min(0)
                 .optional())
      .param(ParamSpec::Float("momentum", "sgd: momentum").default_value(0.0).min(0))
      .param(ParamSpec::Float("dampening", "sgd: dampening").default_value(0.0).min(0))
      .param(ParamSpec::Bool("nesterov", "sgd: Nesterov momentum").default_value(false))
      .param(ParamSpec::Float("beta1", "adam, adamw").default_value(0.9).min(0).max(1))
      .param(ParamSpec::Float("beta2", "adam, adamw").default_value(0.999).min(0).max(1))
      .param(ParamSpec::Float("eps", "adam, adamw").default_value(1e-8).min(0))
      .param(ParamSpec::String("schedule", "Learning-rate schedule after warmup")
                 .default_value("constant")
                 .choices(nn::schedule_kinds()))
      .param(ParamSpec::Int("warmup_steps", "Steps of linear warmup").default_value(0).min(0))
      .param(ParamSpec::Int("total_steps", "cosine: steps until min_lr").default_value(1000).min(1))
      .param(ParamSpec::Float("min_lr", "cosine: final learning rate").default_value(0.0).min(0))
      .param(ParamSpec::Int("step_size", "step: steps between decays").default_value(1000).min(1))
      .param(ParamSpec::Float("gamma", "step: decay factor").default_value(0.1).min(0))
      .param(ParamSpec::Float("clip_grad_norm", "Largest global gradient norm; 0: no clipping")
                 .default_value(0.0)
                 .min(0))
      .param(ParamSpec::Int("accumulate", "Batches per optimizer step").default_value(1).min(1));
}

TrainingConfig training_config(const Params& params) {
  TrainingConfig c;
  c.loss = loss_kind(params);
  nn::OptimizerConfig& opt = c.optimizer;
  opt.kind = params.get<std::string>("optimizer");
  opt.lr = params.get<double>("lr");
  opt.weight_decay =
      params.get_optional<double>("weight_decay").value_or(default_weight_decay(opt.kind));
  opt.momentum = params.get<double>("momentum");
  opt.dampening = params.get<double>("dampening");
  opt.nesterov = params.get<bool>("nesterov");
  opt.beta1 = params.get<double>("beta1");
  opt.beta2 = params.get<double>("beta2");
  opt.eps = params.get<double>("eps");
  c.schedule.kind = params.get<std::string>("schedule");
  c.schedule.warmup_steps = params.get<int64_t>("warmup_steps");
  c.schedule.total_steps = params.get<int64_t>("total_steps");
  c.schedule.min_lr = params.get<double>("min_lr");
  c.schedule.step_size = params.get<int64_t>("step_size");
  c.schedule.gamma = params.get<double>("gamma");
  c.clip_grad_norm = params.get<double>("clip_grad_norm");
  c.accumulate = params.get<int64_t>("accumulate");
  return c;
}

Expected<Trainer> Trainer::make(nn::Model& model, const TrainingConfig& config,
                                nn::DeviceModel* device) {
  Trainer t(model, config, device);
  for (const auto& [name, p] : model.parameters()) t.params_.push_back(p);
  Expected<nn::Optimizer> optimizer = nn::Optimizer::make(config.optimizer, t.params_);
  if (!optimizer.ok()) return optimizer.status();
  t.optimizer_.emplace(std::move(*optimizer));
  return t;
}

Expected<TrainedBatch> Trainer::train(const Tensor& input, const Tensor& label, uint64_t seed) {
  Expected<nn::ModelInput> in = model_input(input, *model_, ids_);
  if (!in.ok()) return in.status();
  Expected<BatchLoss> loss = BatchLoss{};
  int64_t rows = 0;
  if (device_ != nullptr) {
    loss = train_on_device(*in, label, seed, &rows);
  } else {
    if (Status s = model_->forward(*in, true, seed, ws_); !s.ok()) {
      return Status::BadRecord(s.message());
    }
    const nn::Buffer& out_buf = ws_.output();
    dout_.resize(out_buf.shape);
    loss = batch_loss(config_.loss, label, out_buf, dout_.values.data());
    if (loss.ok() && config_.accumulate > 1) {
      for (float& g : dout_.values) g /= static_cast<float>(config_.accumulate);
    }
    if (loss.ok()) model_->backward(ws_, dout_);
    rows = out_buf.rows();
  }
  if (!loss.ok()) return loss.status();
  ++pending_;
  TrainedBatch batch;
  batch.loss = *loss;
  batch.lr = nn::scheduled_lr(config_.schedule, config_.optimizer.lr, optimizer_->steps());
  progress_.samples += rows;
  ++progress_.batches;
  progress_.loss_sum += loss->loss;
  if (pending_ == config_.accumulate) {
    SLUICE_RETURN_IF_ERROR(step(batch.lr));
    batch.stepped = true;
  }
  batch.step = optimizer_->steps() + (pending_ > 0 ? 1 : 0);
  return batch;
}

Expected<BatchLoss> Trainer::train_on_device(const nn::ModelInput& in, const Tensor& label,
                                             uint64_t seed, int64_t* rows) {
  Expected<std::vector<int64_t>> shape = model_->check_input(in);
  if (!shape.ok()) return Status::BadRecord(shape.status().message());
  const auto divisor = static_cast<float>(config_.accumulate);
  *rows = shape->at(0);
  if (config_.loss.mse) {
    const int64_t n = nn::numel(*shape);
    Expected<const float*> target = regression_targets(label, n);
    if (!target.ok()) return target.status();
    Expected<double> loss = device_->train_batch_mse(in, *target, divisor, seed);
    if (!loss.ok()) return loss.status();
    return BatchLoss{*loss, n};
  }
  Expected<std::vector<int64_t>> targets = class_targets(config_.loss, label, *shape);
  if (!targets.ok()) return targets.status();
  Expected<double> loss =
      device_->train_batch(in, *targets, config_.loss.ignore_index, divisor, seed);
  if (!loss.ok()) return loss.status();
  return BatchLoss{*loss, counted_targets(*targets, config_.loss.ignore_index)};
}

Expected<bool> Trainer::finish() {
  if (pending_ == 0) return false;
  SLUICE_RETURN_IF_ERROR(
      step(nn::scheduled_lr(config_.schedule, config_.optimizer.lr, optimizer_->steps())));
  return true;
}

Status Trainer::step(double lr) {
  pending_ = 0;
  if (device_ != nullptr) {
    if (config_.clip_grad_norm > 0) {
      Expected<double> norm = device_->clip_grad_norm(config_.clip_grad_norm);
      if (!norm.ok()) return norm.status();
    }
    const int64_t next = optimizer_->steps() + 1;
    SLUICE_RETURN_IF_ERROR(device_->optimizer_step(optimizer_->update_step(lr, next)));
    optimizer_->restore_steps(next);
    return {};
  }
  if (config_.clip_grad_norm > 0) nn::clip_grad_norm(params_, config_.clip_grad_norm);
  optimizer_->step(lr);
  model_->zero_grad();
  return {};
}

std::vector<std::vector<float>*> Trainer::optimizer_state() {
  std::vector<std::vector<float>*> out;
  for (const auto& [name, values] : optimizer_->state()) out.push_back(values);
  return out;
}

Status Trainer::to_host() {
  if (device_ == nullptr) return {};
  SLUICE_RETURN_IF_ERROR(device_->download_parameters(false));
  return device_->download_optimizer_state(optimizer_state());
}

Status Trainer::to_device() {
  if (device_ == nullptr) return {};
  SLUICE_RETURN_IF_ERROR(device_->upload_parameters());
  return device_->upload_optimizer_state(optimizer_state());
}

}  // namespace sluice::train
