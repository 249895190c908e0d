// train.evaluate: a model's loss on held-out batch records, for eval.perplexity and the like.
#include "nn/model_resource.h"
#include "train/batch_input.h"
#include "train/ops.h"

namespace sluice::train {
namespace {

class Evaluate : public MapOp {
 public:
  static OpSchema schema() {
    OpSchema schema("train.evaluate");
    schema
        .doc(
            "Runs `model` in inference mode (dropout off, no gradients) on each batch record's "
            "`input` and writes the batch's `loss` against `label`, taken as train.fit takes it "
            "(cross_entropy over the output's last dimension, for a language model's (B, T, V) "
            "logits against ids (B, T); or mse), and `count`, the number of targets that loss is "
            "the mean of (those not equal to ignore_index; for mse, every output value). "
            "eval.perplexity weighs the batches' losses by `count` into the stream's mean loss "
            "and perplexity. Records are processed in parallel.")
        .input("input", SLUICE_KIND_TENSOR, "The model's input batch")
        .input("label", SLUICE_KIND_TENSOR, "Targets of the batch")
        .output("loss", SLUICE_KIND_FLOAT, "Mean loss of the batch")
        .output("count", SLUICE_KIND_INT, "Targets the mean is over")
        .param(ParamSpec::Resource("model", nn::ModelResource::kType, "The model to run"));
    with_loss_params(schema);
    return schema;
  }

  Status open(Context& ctx, const Params& params) override {
    input_ = ctx.port("input");
    label_ = ctx.port("label");
    loss_ = ctx.port("loss");
    count_ = ctx.port("count");
    Expected<nn::ModelResource*> model =
        ctx.resource<nn::ModelResource>(params.get<std::string>("model"));
    if (!model.ok()) return model.status();
    resource_ = *model;
    kind_ = loss_kind(params);
    return {};
  }

  Status map(Record& record) override {
    auto input = record.get_tensor(input_);
    auto label = record.get_tensor(label_);
    if (!input.ok()) return Status::BadRecord(input.status().message());
    if (!label.ok()) return Status::BadRecord(label.status().message());
    nn::Workspace ws;
    SLUICE_RETURN_IF_ERROR(run_inference(*resource_, *input, record.seed(), ws));
    Expected<BatchLoss> batch = batch_loss(kind_, *label, ws.output(), nullptr);
    if (!batch.ok()) return batch.status();
    record.set_float(loss_, batch->loss);
    record.set_int(count_, batch->count);
    return {};
  }

 private:
  Field input_, label_, loss_, count_;
  nn::ModelResource* resource_ = nullptr;
  LossKind kind_;
};

}  // namespace

void add_evaluate(PluginBuilder& plugin) { plugin.op<Evaluate>(); }

}  // namespace sluice::train
