// train.predict: a model's outputs for each batch record: a classifier's classes and
// probabilities, or a regression model's values.
#include "nn/kernels/loss.h"
#include "nn/model_resource.h"
#include "train/batch_input.h"
#include "train/ops.h"

#include <algorithm>
#include <mutex>

namespace sluice::train {
namespace {

class Predict : public MapOp {
 public:
  static OpSchema schema() {
    return OpSchema("train.predict")
        .doc(
            "Runs `model` (in inference mode: dropout off) on each batch record's `input` and "
            "writes, for a model whose output is (B, C) class scores, `prediction` (the class "
            "with the highest score, int64 (B); the first of equal ones) and `probabilities` "
            "(softmax of the scores, float32 (B, C)). Records are processed in parallel.")
        .input("input", SLUICE_KIND_TENSOR, "The model's input batch")
        .output("prediction", SLUICE_KIND_TENSOR, "Predicted classes (B)", SLUICE_DTYPE_INT64)
        .output("probabilities", SLUICE_KIND_TENSOR, "Class probabilities (B, C)",
                SLUICE_DTYPE_FLOAT32)
        .output("output", SLUICE_KIND_TENSOR, "regression: the model's output",
                SLUICE_DTYPE_FLOAT32)
        .param(ParamSpec::Resource("model", nn::ModelResource::kType, "The model to run"))
        .param(ParamSpec::String("task", "What the output is")
                   .default_value("classification")
                   .choices({"classification", "regression"}));
  }

  // classification writes prediction and probabilities; regression writes output.
  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    if (params.get<std::string>("task") == "regression") {
      fields.put(ctx.port("output"), SLUICE_KIND_TENSOR);
    } else {
      fields.put(ctx.port("prediction"), SLUICE_KIND_TENSOR);
      fields.put(ctx.port("probabilities"), SLUICE_KIND_TENSOR);
    }
    return {};
  }

  Status open(Context& ctx, const Params& params) override {
    input_ = ctx.port("input");
    prediction_ = ctx.port("prediction");
    probabilities_ = ctx.port("probabilities");
    output_ = ctx.port("output");
    regression_ = params.get<std::string>("task") == "regression";
    Expected<nn::ModelResource*> model =
        ctx.resource<nn::ModelResource>(params.get<std::string>("model"));
    if (!model.ok()) return model.status();
    resource_ = *model;
    return {};
  }

  Status map(Record& record) override {
    auto input = record.get_tensor(input_);
    if (!input.ok()) return Status::BadRecord(input.status().message());
    nn::Workspace ws;
    SLUICE_RETURN_IF_ERROR(run_inference(*resource_, *input, record.seed(), ws));
    const nn::Buffer& scores = ws.output();
    if (regression_) {
      Expected<Tensor> out =
          Tensor::from_values(scores.shape, scores.values.data(), scores.values.size());
      if (!out.ok()) return out.status();
      record.set_tensor(output_, *out);
      return {};
    }
    if (scores.shape.size() != 2) {
      return Status::BadRecord("expected model output (batch, classes), found " +
                               nn::shape_text(scores.shape));
    }
    const int64_t rows = scores.shape[0], classes = scores.shape[1];
    Expected<Tensor> probs = Tensor::zeros(SLUICE_DTYPE_FLOAT32, {rows, classes});
    Expected<Tensor> pred = Tensor::zeros(SLUICE_DTYPE_INT64, {rows});
    if (!probs.ok()) return probs.status();
    if (!pred.ok()) return pred.status();
    nn::softmax(scores.values.data(), probs->data_as<float>(), rows, classes);
    for (int64_t r = 0; r < rows; ++r) {
      const float* row = scores.values.data() + r * classes;
      pred->data_as<int64_t>()[r] = std::max_element(row, row + classes) - row;
    }
    record.set_tensor(prediction_, *pred);
    record.set_tensor(probabilities_, *probs);
    return {};
  }

 private:
  Field input_, prediction_, probabilities_, output_;
  nn::ModelResource* resource_ = nullptr;
  bool regression_ = false;
};

}  // namespace

void add_predict(PluginBuilder& plugin) { plugin.op<Predict>(); }

}  // namespace sluice::train
