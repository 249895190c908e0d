// eval.classification: accuracy, precision, recall and F1 of predicted classes against labels.
#include "eval/classification_metrics.h"
#include "eval/ops.h"
#include "io/output_file.h"

#include <boost/json.hpp>

#include <optional>

namespace sluice::eval {
namespace {

// The class ids of `field`: an int field (one row) or an int64/int32 tensor of shape (B).
Status read_classes(const Record& record, Field field, std::vector<int64_t>& out) {
  out.clear();
  if (record.kind(field) == SLUICE_KIND_INT) {
    out.push_back(*record.get_int(field));
    return {};
  }
  Expected<Tensor> t = record.get_tensor(field);
  if (!t.ok() || !t->on_cpu() || t->ndim() != 1 ||
      (t->dtype() != SLUICE_DTYPE_INT64 && t->dtype() != SLUICE_DTYPE_INT32)) {
    return Status::BadRecord(std::string(field.name()) +
                             ": expected an int or an int64/int32 tensor of shape (B), found " +
                             (t.ok() ? std::string(dtype_name(t->dtype())) + " tensor of " +
                                           std::to_string(t->ndim()) + " dims"
                                     : t.status().message()));
  }
  for (int64_t i = 0; i < t->dim(0); ++i) {
    out.push_back(t->dtype() == SLUICE_DTYPE_INT64 ? t->data_as<int64_t>()[i]
                                                   : t->data_as<int32_t>()[i]);
  }
  return {};
}

class Classification : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("eval.classification")
        .doc(
            "Counts each row's `label` against its `prediction` (ints, or int tensors (B) of "
            "a batch) in a confusion matrix and, at the end, reports as metrics: accuracy; "
            "macro_, weighted_ and micro_ precision, recall and f1; per class "
            "<class>.precision, .recall, .f1 and .support; and confusion.<label>.<predicted> "
            "counts, each cell counted at least once (a cell not listed is 0) "
            "(scikit-learn's definitions, 0 where a ratio is undefined). Classes are "
            "named by `class_names` or their ids. With `path`, also writes the report as JSON, "
            "its `confusion` the counted cells as [label id, predicted id, count] in order. "
            "Memory grows with the classes and the distinct mistakes, so a language model's "
            "tokens (num_classes 50257) can be scored. "
            "A record with a class outside [0, num_classes) or mismatched lengths is rejected. "
            "Passes records on.")
        .stateful()
        .input("prediction", SLUICE_KIND_ANY, "Predicted class ids")
        .input("label", SLUICE_KIND_ANY, "True class ids")
        .param(ParamSpec::Int("num_classes", "Number of classes").range(2, INT32_MAX))
        .param(ParamSpec::List("class_names", SLUICE_PTYPE_STRING, "Names of classes 0, 1, ...")
                   .optional())
        .param(ParamSpec::String("path", "JSON file for the report (run directory)").optional());
  }

  static Status check(const Params& params) {
    auto names = params.get_optional<std::vector<std::string>>("class_names");
    const auto classes = params.get<int64_t>("num_classes");
    if (names && static_cast<int64_t>(names->size()) != classes) {
      return Status::Invalid("param 'class_names': expected " + std::to_string(classes) +
                             " names (num_classes), found " + std::to_string(names->size()));
    }
    return {};
  }

  Status open(Context& ctx, const Params& params) override {
    SLUICE_RETURN_IF_ERROR(check(params));
    ctx_ = &ctx;
    prediction_ = ctx.port("prediction");
    label_ = ctx.port("label");
    matrix_.emplace(params.get<int64_t>("num_classes"));
    for (int64_t c = 0; c < matrix_->classes(); ++c) names_.push_back(std::to_string(c));
    if (auto names = params.get_optional<std::vector<std::string>>("class_names")) names_ = *names;
    if (auto path = params.get_optional<std::string>("path")) path_ = ctx.output_path(*path);
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    SLUICE_RETURN_IF_ERROR(read_classes(record, prediction_, predicted_));
    SLUICE_RETURN_IF_ERROR(read_classes(record, label_, truth_));
    if (predicted_.size() != truth_.size()) {
      return Status::BadRecord("expected as many predictions as labels, found " +
                               std::to_string(predicted_.size()) + " and " +
                               std::to_string(truth_.size()));
    }
    const int64_t n = matrix_->classes();
    for (size_t i = 0; i < truth_.size(); ++i) {
      for (int64_t c : {truth_[i], predicted_[i]}) {
        if (c < 0 || c >= n) {
          return Status::BadRecord("expected class ids in [0, " + std::to_string(n) + "), found " +
                                   std::to_string(c) + " in row " + std::to_string(i));
        }
      }
    }
    for (size_t i = 0; i < truth_.size(); ++i) matrix_->add(truth_[i], predicted_[i]);
    return out.emit(record);
  }

  Status close(Emitter&) override {
    const ClassificationReport r = matrix_->report();
    boost::json::object json{{"rows", r.rows}, {"accuracy", r.accuracy}};
    metric(json, "accuracy", r.accuracy);
    for (const auto& [prefix, s] : {std::pair{"macro", r.macro}, std::pair{"weighted", r.weighted},
                                    std::pair{"micro", r.micro}}) {
      put_scores(json, prefix, "_", s);
    }
    boost::json::object per_class;
    for (int64_t c = 0; c < matrix_->classes(); ++c) {
      boost::json::object scores;
      put_scores(scores, names_[c], ".", r.classes[c]);
      metric(scores, names_[c] + ".support", static_cast<double>(r.classes[c].support));
      per_class[names_[c]] = std::move(scores);
    }
    boost::json::array confusion;
    for (const ConfusionMatrix::Cell& cell : matrix_->counted_cells()) {
      ctx_->metric("confusion." + names_[cell.truth] + "." + names_[cell.predicted],
                   static_cast<double>(cell.count));
      confusion.push_back(boost::json::array{cell.truth, cell.predicted, cell.count});
    }
    json["classes"] = std::move(per_class);
    json["confusion"] = std::move(confusion);
    if (path_.empty()) return {};
    return io::write_whole_file(path_, boost::json::serialize(json) + "\n");
  }

 private:
  // Reports `name` as a metric and puts it into `json`.
  void metric(boost::json::object& json, const std::string& name, double value) {
    ctx_->metric(name, value);
    json[name] = value;
  }
  void put_scores(boost::json::object& json, const std::string& prefix, const char* sep,
                  const ClassScores& s) {
    metric(json, prefix + sep + "precision", s.precision);
    metric(json, prefix + sep + "recall", s.recall);
    metric(json, prefix + sep + "f1", s.f1);
  }

  Context* ctx_ = nullptr;
  Field prediction_, label_;
  std::optional<ConfusionMatrix> matrix_;
  std::vector<std::string> names_;
  std::string path_;
  std::vector<int64_t> predicted_, truth_;
};

}  // namespace

void add_classification(PluginBuilder& plugin) { plugin.op<Classification>(); }

}  // namespace sluice::eval
