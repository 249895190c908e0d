// train.fit: one optimizer step per batch record (or per `accumulate` batches) on an nn.model.
#include "nn/model_resource.h"
#include "nn/optimizer.h"
#include "train/batch_input.h"
#include "train/checkpoint.h"
#include "train/ops.h"

#include <chrono>
#include <mutex>
#include <optional>

namespace sluice::train {
namespace {

// PyTorch's default weight decay of each optimizer.
double default_weight_decay(const std::string& optimizer) {
  return optimizer == "adamw" ? 0.01 : 0.0;
}

class Fit : public Op {
 public:
  static OpSchema schema() {
    OpSchema schema("train.fit");
    schema
        .doc(
            "Trains `model` on batch records: for each, a forward pass on `input` (int32 ids "
            "(B, T) for a model starting with an embedding, float32 features otherwise), the "
            "`loss` against `label` (cross_entropy: class ids (B), int64 or int32, fused with "
            "softmax, mean over the rows not equal to ignore_index; for a language model's "
            "(B, T, V) output, ids (B, T) and the mean over all B·T positions; mse: float32 "
            "targets shaped as the output), the backward pass, and an optimizer step every "
            "`accumulate` batches (gradients summed, each batch's loss divided by accumulate; "
            "a remainder at the end is stepped too), after clipping the gradients' global "
            "norm to clip_grad_norm when > 0. Optimizers and schedules follow PyTorch "
            "(torch.optim.SGD, Adam, AdamW; warmup rises linearly to lr over warmup_steps). "
            "Passes each record on with the batch's `loss`, the optimizer `step` it counted "
            "towards and its `lr`; reports metrics loss (last batch), loss_mean, steps, lr and "
            "samples_per_second, and writes the trained weights to `path` (.safetensors, "
            "state_dict names) at the end. With checkpoint_every N it writes a checkpoint "
            "(model, optimizer state, position in the stream) to checkpoints/<node id>/ under "
            "the run directory every N steps; a run started with `sluice run --resume DIR` "
            "restores the last one, skips (filters out) the batches that checkpoint had used, "
            "and goes on to the same weights, bit for bit, as a run never stopped. Epochs: put the "
            "data "
            "in front more than once (e.g. "
            "core.repeat and core.shuffle upstream).")
        .stateful()
        .input("input", SLUICE_KIND_TENSOR, "The model's input batch")
        .input("label", SLUICE_KIND_TENSOR, "Targets of the batch")
        .output("loss", SLUICE_KIND_FLOAT, "Loss of the batch")
        .output("step", SLUICE_KIND_INT, "Optimizer step (1-based) the batch counted towards")
        .output("lr", SLUICE_KIND_FLOAT, "Learning rate of that step")
        .param(ParamSpec::Resource("model", nn::ModelResource::kType, "The model to train"));
    with_loss_params(schema)
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
        .param(
            ParamSpec::Int("total_steps", "cosine: steps until min_lr").default_value(1000).min(1))
        .param(ParamSpec::Float("min_lr", "cosine: final learning rate").default_value(0.0).min(0))
        .param(ParamSpec::Int("step_size", "step: steps between decays").default_value(1000).min(1))
        .param(ParamSpec::Float("gamma", "step: decay factor").default_value(0.1).min(0))
        .param(ParamSpec::Float("clip_grad_norm", "Largest global gradient norm; 0: no clipping")
                   .default_value(0.0)
                   .min(0))
        .param(ParamSpec::Int("accumulate", "Batches per optimizer step").default_value(1).min(1))
        .param(ParamSpec::String("path", "Where to write the trained weights (.safetensors)")
                   .optional())
        .param(ParamSpec::Int("checkpoint_every", "Steps between checkpoints; 0: none")
                   .default_value(0)
                   .min(0));
    return schema;
  }

  Status open(Context& ctx, const Params& params) override {
    ctx_ = &ctx;
    input_ = ctx.port("input");
    label_ = ctx.port("label");
    loss_field_ = ctx.port("loss");
    step_field_ = ctx.port("step");
    lr_field_ = ctx.port("lr");
    Expected<nn::ModelResource*> model =
        ctx.resource<nn::ModelResource>(params.get<std::string>("model"));
    if (!model.ok()) return model.status();
    resource_ = *model;
    loss_kind_ = loss_kind(params);
    nn::OptimizerConfig opt;
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
    lr_ = opt.lr;
    schedule_.kind = params.get<std::string>("schedule");
    schedule_.warmup_steps = params.get<int64_t>("warmup_steps");
    schedule_.total_steps = params.get<int64_t>("total_steps");
    schedule_.min_lr = params.get<double>("min_lr");
    schedule_.step_size = params.get<int64_t>("step_size");
    schedule_.gamma = params.get<double>("gamma");
    clip_ = params.get<double>("clip_grad_norm");
    accumulate_ = params.get<int64_t>("accumulate");
    if (auto path = params.get_optional<std::string>("path")) path_ = ctx.output_path(*path);
    for (const auto& [name, p] : resource_->model().parameters()) params_.push_back(p);
    Expected<nn::Optimizer> optimizer = nn::Optimizer::make(opt, params_);
    if (!optimizer.ok()) return optimizer.status();
    optimizer_.emplace(std::move(*optimizer));
    checkpoint_every_ = params.get<int64_t>("checkpoint_every");
    checkpoint_dir_ = ctx.output_path("checkpoints/" + std::string(ctx.node_id()));
    if (ctx.resuming()) SLUICE_RETURN_IF_ERROR(restore());
    started_ = std::chrono::steady_clock::now();
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    if (seen_ < skip_) {  // used before the checkpoint this run resumed from
      ++seen_;
      return {};
    }
    ++seen_;
    auto input = record.get_tensor(input_);
    auto label = record.get_tensor(label_);
    if (!input.ok()) return Status::BadRecord(input.status().message());
    if (!label.ok()) return Status::BadRecord(label.status().message());
    std::unique_lock<std::shared_mutex> lock(resource_->mutex());
    nn::Model& model = resource_->model();
    Expected<nn::ModelInput> in = model_input(*input, model, ids_);
    if (!in.ok()) return in.status();
    if (Status s = model.forward(*in, true, record.seed(), ws_); !s.ok()) {
      return Status::BadRecord(s.message());
    }
    const nn::Buffer& out_buf = ws_.output();
    dout_.resize(out_buf.shape);
    Expected<BatchLoss> batch = batch_loss(loss_kind_, *label, out_buf, dout_.values.data());
    if (!batch.ok()) return batch.status();
    if (accumulate_ > 1) {
      for (float& g : dout_.values) g /= static_cast<float>(accumulate_);
    }
    model.backward(ws_, dout_);
    ++pending_;
    const double lr = nn::scheduled_lr(schedule_, lr_, optimizer_->steps());
    progress_.samples += out_buf.rows();
    ++progress_.batches;
    progress_.loss_sum += batch->loss;
    if (pending_ == accumulate_) SLUICE_RETURN_IF_ERROR(step(lr));
    last_loss_ = batch->loss;
    last_lr_ = lr;
    record.set_float(loss_field_, batch->loss);
    record.set_int(step_field_, optimizer_->steps() + (pending_ > 0 ? 1 : 0));
    record.set_float(lr_field_, lr);
    lock.unlock();
    return out.emit(record);
  }

  Status close(Emitter&) override {
    {
      std::unique_lock<std::shared_mutex> lock(resource_->mutex());
      if (pending_ > 0) {
        SLUICE_RETURN_IF_ERROR(step(nn::scheduled_lr(schedule_, lr_, optimizer_->steps())));
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    ctx_->metric("loss", last_loss_);
    ctx_->metric("loss_mean", progress_.batches > 0
                                  ? progress_.loss_sum / static_cast<double>(progress_.batches)
                                  : 0.0);
    ctx_->metric("steps", static_cast<double>(optimizer_->steps()));
    ctx_->metric("lr", last_lr_);
    const auto trained = static_cast<double>(progress_.samples - restored_samples_);
    ctx_->metric("samples_per_second", seconds > 0 ? trained / seconds : 0);
    if (path_.empty()) return {};
    std::shared_lock<std::shared_mutex> lock(resource_->mutex());
    return resource_->model().save(path_);
  }

 private:
  // Clips, updates and clears the gradients, then writes a checkpoint when one is due. Called
  // with the write lock held.
  Status step(double lr) {
    if (clip_ > 0) nn::clip_grad_norm(params_, clip_);
    optimizer_->step(lr);
    resource_->model().zero_grad();
    pending_ = 0;
    if (checkpoint_every_ == 0 || optimizer_->steps() % checkpoint_every_ != 0) return {};
    return write_checkpoint(checkpoint_dir_, resource_->model(), *optimizer_, progress_);
  }

  // Continues from the last checkpoint, when there is one.
  Status restore() {
    const std::string path = latest_checkpoint(checkpoint_dir_);
    if (path.empty()) return {};
    std::unique_lock<std::shared_mutex> lock(resource_->mutex());
    SLUICE_RETURN_IF_ERROR(read_checkpoint(path, resource_->model(), *optimizer_, &progress_));
    skip_ = progress_.batches;
    restored_samples_ = progress_.samples;
    ctx_->log(SLUICE_LOG_INFO, "resuming from " + path + " (step " +
                                   std::to_string(optimizer_->steps()) + ", " +
                                   std::to_string(skip_) + " batches used)");
    return {};
  }

  Context* ctx_ = nullptr;
  Field input_, label_, loss_field_, step_field_, lr_field_;
  nn::ModelResource* resource_ = nullptr;
  std::vector<nn::Parameter*> params_;
  std::optional<nn::Optimizer> optimizer_;
  nn::ScheduleConfig schedule_;
  double lr_ = 0, clip_ = 0;
  LossKind loss_kind_;
  int64_t accumulate_ = 1, pending_ = 0;
  std::string path_;
  nn::Workspace ws_;
  nn::Buffer dout_;
  std::vector<int32_t> ids_;
  TrainerProgress progress_;
  int64_t checkpoint_every_ = 0;
  std::string checkpoint_dir_;
  int64_t seen_ = 0, skip_ = 0, restored_samples_ = 0;  // batches seen this run; to skip
  double last_loss_ = 0, last_lr_ = 0;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

void add_fit(PluginBuilder& plugin) { plugin.op<Fit>(); }

}  // namespace sluice::train
