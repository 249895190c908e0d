// eval.regression: MSE, MAE and R2 of predicted values against targets.
#include "eval/ops.h"
#include "eval/regression_metrics.h"

#include <optional>

namespace sluice::eval {
namespace {

class Regression : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("eval.regression")
        .doc("Compares each record's `prediction` with its `label` (float32 tensors of one "
             "shape: (B) or (B, outputs), as train.predict's task: regression writes) and, at "
             "the end, reports the metrics mse, mae and r2 (scikit-learn's mean_squared_error, "
             "mean_absolute_error and r2_score, averaged over outputs) and rows. A record whose "
             "tensors do not match the first one's outputs is rejected. Passes records on.")
        .stateful()
        .input("prediction", SLUICE_KIND_TENSOR, "Predicted values", SLUICE_DTYPE_FLOAT32)
        .input("label", SLUICE_KIND_TENSOR, "True values", SLUICE_DTYPE_FLOAT32);
  }

  Status open(Context& ctx, const Params&) override {
    ctx_ = &ctx;
    prediction_ = ctx.port("prediction");
    label_ = ctx.port("label");
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    auto predicted = record.get_tensor(prediction_);
    auto truth = record.get_tensor(label_);
    if (!predicted.ok()) return Status::BadRecord(predicted.status().message());
    if (!truth.ok()) return Status::BadRecord(truth.status().message());
    if (predicted->dtype() != SLUICE_DTYPE_FLOAT32 || truth->dtype() != SLUICE_DTYPE_FLOAT32 ||
        !predicted->on_cpu() || !truth->on_cpu() || predicted->shape() != truth->shape() ||
        predicted->ndim() < 1 || predicted->ndim() > 2) {
      return Status::BadRecord(
          "expected float32 CPU tensors of one shape, (B) or (B, outputs), found prediction " +
          std::string(dtype_name(predicted->dtype())) + " of " +
          std::to_string(predicted->ndim()) + " dims and label " +
          std::string(dtype_name(truth->dtype())) + " of " + std::to_string(truth->ndim()) +
          " dims (or shapes that differ)");
    }
    const int64_t outputs = predicted->ndim() == 2 ? predicted->dim(1) : 1;
    if (!moments_) moments_.emplace(outputs);
    if (outputs != moments_->outputs()) {
      return Status::BadRecord("expected " + std::to_string(moments_->outputs()) +
                               " outputs per row (as the first record), found " +
                               std::to_string(outputs));
    }
    moments_->add(predicted->data_as<float>(), truth->data_as<float>(), predicted->dim(0));
    return out.emit(record);
  }

  Status close(Emitter&) override {
    const RegressionReport r = moments_ ? moments_->report() : RegressionReport{};
    ctx_->metric("rows", static_cast<double>(r.rows));
    ctx_->metric("mse", r.mse);
    ctx_->metric("mae", r.mae);
    ctx_->metric("r2", r.r2);
    return {};
  }

 private:
  Context* ctx_ = nullptr;
  Field prediction_, label_;
  std::optional<RegressionMoments> moments_;
};

}  // namespace

void add_regression(PluginBuilder& plugin) { plugin.op<Regression>(); }

}  // namespace sluice::eval
