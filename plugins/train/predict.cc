// train.predict: a classifier's predicted classes and probabilities for each batch record.
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
        .param(ParamSpec::Resource("model", nn::ModelResource::kType, "The model to run"));
  }

  Status open(Context& ctx, const Params& params) override {
    input_ = ctx.port("input");
    prediction_ = ctx.port("prediction");
    probabilities_ = ctx.port("probabilities");
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
    std::vector<int32_t> ids;
    {
      std::shared_lock<std::shared_mutex> lock(resource_->mutex());
      const nn::Model& model = resource_->model();
      Expected<nn::ModelInput> in = model_input(*input, model, ids);
      if (!in.ok()) return in.status();
      if (Status s = model.forward(*in, false, record.seed(), ws); !s.ok()) {
        return Status::BadRecord(s.message());
      }
    }
    const nn::Buffer& scores = ws.output();
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
  Field input_, prediction_, probabilities_;
  nn::ModelResource* resource_ = nullptr;
};

}  // namespace

void add_predict(PluginBuilder& plugin) { plugin.op<Predict>(); }

}  // namespace sluice::train
