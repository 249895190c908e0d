// train.fit: one optimizer step per batch record (or per `accumulate` batches) on an nn.model.
#include "nn/model_resource.h"
#include "train/checkpoint.h"
#include "train/ops.h"
#include "train/trainer.h"

#include <chrono>
#include <mutex>
#include <optional>

namespace sluice::train {
namespace {

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
    with_training_params(schema)
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
    const TrainingConfig config = training_config(params);
    if (auto path = params.get_optional<std::string>("path")) path_ = ctx.output_path(*path);
    Expected<Trainer> trainer =
        Trainer::make(resource_->model(), config, resource_->device_model());
    if (!trainer.ok()) return trainer.status();
    trainer_.emplace(std::move(*trainer));
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
    Expected<TrainedBatch> batch = trainer_->train(*input, *label, record.seed());
    if (!batch.ok()) return batch.status();
    if (batch->stepped) SLUICE_RETURN_IF_ERROR(checkpoint_if_due());
    last_loss_ = batch->loss.loss;
    last_lr_ = batch->lr;
    record.set_float(loss_field_, batch->loss.loss);
    record.set_int(step_field_, batch->step);
    record.set_float(lr_field_, batch->lr);
    lock.unlock();
    return out.emit(record);
  }

  Status close(Emitter&) override {
    {
      std::unique_lock<std::shared_mutex> lock(resource_->mutex());
      Expected<bool> stepped = trainer_->finish();
      if (!stepped.ok()) return stepped.status();
      if (*stepped) SLUICE_RETURN_IF_ERROR(checkpoint_if_due());
      // The CPU model is the one later stages and text.generate read.
      SLUICE_RETURN_IF_ERROR(trainer_->to_host());
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const TrainerProgress& progress = trainer_->progress();
    ctx_->metric("loss", last_loss_);
    ctx_->metric("loss_mean", progress.batches > 0
                                  ? progress.loss_sum / static_cast<double>(progress.batches)
                                  : 0.0);
    ctx_->metric("steps", static_cast<double>(trainer_->optimizer().steps()));
    ctx_->metric("lr", last_lr_);
    const auto trained = static_cast<double>(progress.samples - restored_samples_);
    ctx_->metric("samples_per_second", seconds > 0 ? trained / seconds : 0);
    if (path_.empty()) return {};
    std::shared_lock<std::shared_mutex> lock(resource_->mutex());
    return resource_->model().save(path_);
  }

 private:
  // Writes a checkpoint after a step when one is due. Called with the write lock held.
  Status checkpoint_if_due() {
    const int64_t steps = trainer_->optimizer().steps();
    if (checkpoint_every_ == 0 || steps % checkpoint_every_ != 0) return {};
    SLUICE_RETURN_IF_ERROR(trainer_->to_host());
    return write_checkpoint(checkpoint_dir_, resource_->model(), trainer_->optimizer(),
                            trainer_->progress());
  }

  // Continues from the last checkpoint, when there is one.
  Status restore() {
    const std::string path = latest_checkpoint(checkpoint_dir_);
    if (path.empty()) return {};
    std::unique_lock<std::shared_mutex> lock(resource_->mutex());
    TrainerProgress& progress = trainer_->progress();
    SLUICE_RETURN_IF_ERROR(
        read_checkpoint(path, resource_->model(), trainer_->optimizer(), &progress));
    SLUICE_RETURN_IF_ERROR(trainer_->to_device());
    skip_ = progress.batches;
    restored_samples_ = progress.samples;
    ctx_->log(SLUICE_LOG_INFO, "resuming from " + path + " (step " +
                                   std::to_string(trainer_->optimizer().steps()) + ", " +
                                   std::to_string(skip_) + " batches used)");
    return {};
  }

  Context* ctx_ = nullptr;
  Field input_, label_, loss_field_, step_field_, lr_field_;
  nn::ModelResource* resource_ = nullptr;
  std::optional<Trainer> trainer_;
  std::string path_;
  int64_t checkpoint_every_ = 0;
  std::string checkpoint_dir_;
  int64_t seen_ = 0, skip_ = 0, restored_samples_ = 0;  // batches seen this run; to skip
  double last_loss_ = 0, last_lr_ = 0;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

void add_fit(PluginBuilder& plugin) { plugin.op<Fit>(); }

}  // namespace sluice::train
