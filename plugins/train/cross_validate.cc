// train.cross_validate: k-fold cross-validation of training a model, as scikit-learn's
// cross_validate with KFold or StratifiedKFold: the rows of the stream are held, cut into folds,
// and for each fold a fresh model is trained on the others and scored on it.
#include "io/output_file.h"
#include "train/cv_fold.h"
#include "train/cv_rows.h"
#include "train/fold_scores.h"
#include "train/folds.h"
#include "train/model_spec.h"
#include "train/ops.h"
#include "train/trainer.h"

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <thread>

namespace sluice::train {
namespace {

// Whether the folds are stratified: the param, else true for class labels (as scikit-learn's
// cross_validate picks StratifiedKFold for a classifier).
bool stratified(const Params& params) {
  return params.get_optional<bool>("stratified").value_or(!loss_kind(params).mse);
}

class CrossValidate : public Op {
 public:
  static OpSchema schema() {
    OpSchema schema("train.cross_validate");
    schema
        .doc(
            "k-fold cross-validation of training a model, as scikit-learn's cross_validate: "
            "holds every row of the stream (one example each: `input`, the model's input for "
            "one row, all of the first row's dtype and shape; `label`, a class id, or float32 "
            "regression targets for loss mse), then cuts the rows into `folds` test folds as "
            "KFold or, when `stratified` (the default for cross_entropy), StratifiedKFold does "
            "(row for row the same folds; with `shuffle`, the rows are permuted as NumPy's "
            "RandomState(seed).shuffle does, so a seed below 2^32 gives scikit-learn's folds for "
            "random_state=seed). For each fold it builds a fresh `model` "
            "(the same initial weights in every fold, drawn from the model's seed, as "
            "scikit-learn clones an estimator), trains it for `epochs` passes over the other "
            "folds' rows in batches of batch_size (each epoch in a new order drawn from seed, or "
            "in stream order with epoch_order: stream), exactly as train.fit trains on batch "
            "records (the same loss, optimizer, schedule, clipping and accumulation params), "
            "and scores it on the fold's rows: for cross_entropy accuracy, macro_ and weighted_ "
            "precision, recall and f1, <class>.precision, .recall and .f1 (as "
            "eval.classification), loss (mean cross entropy); for mse: mse, mae, r2 (as "
            "eval.regression); for both train_loss (mean batch loss of the last epoch), "
            "train_rows, test_rows and fit_seconds. Reports each fold's scores as metrics "
            "fold<f>.<score> (f from 1) and over the folds <score>.mean and <score>.std, the "
            "population standard deviation (divided by the number of folds: numpy.std's "
            "default, ddof=0). Folds run on up to --threads threads at once; every score but "
            "fit_seconds is the same for any thread count. With `path`, also writes the scores "
            "and each row's test fold (1 to folds, in stream order, for scikit-learn's "
            "PredefinedSplit) as JSON. Rows are held in memory. A row whose input differs from "
            "the first row's, or whose label is no class of the model's output, is rejected; "
            "one labelled ignore_index is filtered out. Passes the other records on.")
        .stateful()
        .input("input", SLUICE_KIND_TENSOR,
               "One row's model input: int32 or int64 ids (T) for a model starting with an "
               "embedding, float32 features otherwise")
        .input("label", SLUICE_KIND_ANY,
               "cross_entropy: the row's class id, an int or an int64/int32 tensor of one "
               "value; mse: its targets, a float32 tensor of the model's output size, or a number")
        .param(ParamSpec::Int("folds", "Number of folds (k)").default_value(5).min(2))
        .param(ParamSpec::Bool("stratified",
                               "Keep each class's share in every fold (StratifiedKFold); "
                               "default: true for cross_entropy, false for mse")
                   .optional())
        .param(ParamSpec::Bool("shuffle", "Shuffle the rows before cutting the folds")
                   .default_value(false))
        .param(ParamSpec::Int("seed",
                              "Seed of the fold shuffle, the epoch orders and dropout; default: "
                              "the run seed mixed with the node id")
                   .min(0)
                   .optional())
        .param(ParamSpec::Any("model",
                              "The model each fold trains afresh, as an nn.model resource is "
                              "declared: {layers: [...], seed: 0, pad_id: 0}"))
        .param(ParamSpec::Int("epochs", "Passes over the training rows per fold")
                   .default_value(1)
                   .min(1))
        .param(ParamSpec::Int("batch_size", "Rows per batch").default_value(32).min(1))
        .param(ParamSpec::String("epoch_order", "Order of the training rows in each epoch")
                   .default_value("shuffled")
                   .choices({"shuffled", "stream"}));
    with_training_params(schema)
        .param(ParamSpec::List("class_names", SLUICE_PTYPE_STRING,
                               "cross_entropy: names of classes 0, 1, ... in score names; "
                               "default: the class ids")
                   .optional())
        .param(ParamSpec::String("path", "JSON file for the scores (run directory)").optional());
    return schema;
  }

  static Status check(const Params& params) {
    Expected<ModelSpec> spec = model_spec(params.raw("model"), "model");
    if (!spec.ok()) return spec.status();
    const TrainingConfig config = training_config(params);
    if (config.loss.mse && params.get_optional<bool>("stratified").value_or(false)) {
      return Status::Invalid(
          "param 'stratified': expected false or unset with loss mse (strata are classes), "
          "found true");
    }
    if (config.loss.mse && params.has("class_names")) {
      return Status::Invalid(
          "param 'class_names': expected none with loss mse (no classes), found a list");
    }
    Expected<std::unique_ptr<nn::Model>> model = build_model(*spec);
    if (!model.ok()) return model.status();
    return Trainer::make(**model, config).status();
  }

  Status open(Context& ctx, const Params& params) override {
    SLUICE_RETURN_IF_ERROR(check(params));
    ctx_ = &ctx;
    input_ = ctx.port("input");
    label_ = ctx.port("label");
    setup_.model = *model_spec(params.raw("model"), "model");
    setup_.training = training_config(params);
    setup_.epochs = params.get<int64_t>("epochs");
    setup_.batch_size = params.get<int64_t>("batch_size");
    setup_.shuffle_epochs = params.get<std::string>("epoch_order") == "shuffled";
    const std::optional<int64_t> seed = params.get_optional<int64_t>("seed");
    setup_.seed = seed ? static_cast<uint64_t>(*seed) : ctx.seed();
    folds_.folds = params.get<int64_t>("folds");
    folds_.shuffle = params.get<bool>("shuffle");
    folds_.seed = setup_.seed;
    stratified_ = stratified(params);
    class_names_ = params.get_optional<std::vector<std::string>>("class_names");
    if (auto path = params.get_optional<std::string>("path")) path_ = ctx.output_path(*path);
    Expected<std::unique_ptr<nn::Model>> probe = build_model(setup_.model);
    if (!probe.ok()) return probe.status();
    probe_ = std::move(*probe);
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    SLUICE_RETURN_IF_ERROR(layout_);
    Expected<Tensor> input = record.get_tensor(input_);
    if (!input.ok()) return Status::BadRecord(input.status().message());
    SLUICE_RETURN_IF_ERROR(check_ids(*input));
    if (!have_layout_) {
      layout_ = set_layout(*input);
      SLUICE_RETURN_IF_ERROR(layout_);
      have_layout_ = true;
    }
    SLUICE_RETURN_IF_ERROR(rows_.check_input(*input));
    if (rows_.regression()) {
      Expected<std::vector<float>> targets = read_targets(record);
      if (!targets.ok()) return targets.status();
      rows_.append(*input, targets->data());
      return out.emit(record);
    }
    Expected<int64_t> label = read_class(record);
    if (!label.ok()) return label.status();
    if (*label == setup_.training.loss.ignore_index) return {};
    rows_.append(*input, *label);
    return out.emit(record);
  }

  Status close(Emitter&) override {
    SLUICE_RETURN_IF_ERROR(layout_);
    std::string warning;
    Expected<std::vector<int32_t>> fold_of =
        stratified_ ? stratified_kfold_assignment(rows_.class_ids(), folds_, &warning)
                    : kfold_assignment(rows_.size(), folds_);
    if (!fold_of.ok()) {
      return Status::Invalid("param 'folds': " + fold_of.status().message() +
                             (stratified_ ? " (stratified)" : ""));
    }
    if (!warning.empty()) ctx_->log(SLUICE_LOG_WARN, warning);
    Expected<std::vector<FoldScores>> folds = run_folds(*fold_of);
    if (!folds.ok()) return folds.status();
    Expected<FoldScores> summary = fold_summary(*folds);
    if (!summary.ok()) return summary.status();
    for (const auto& [name, value] : *summary) ctx_->metric(name, value);
    if (path_.empty()) return {};
    return write_json(*fold_of, *folds);
  }

 private:
  // From the first row: the model's output for it fixes the classes (or targets) of every row.
  Status set_layout(const Tensor& input) {
    if (!input.on_cpu()) {
      return Status::Invalid("input: expected a CPU tensor, found one on a device");
    }
    std::vector<int64_t> shape{1};
    const std::vector<int64_t> row = input.shape();
    shape.insert(shape.end(), row.begin(), row.end());
    Expected<Tensor> batch = Tensor::zeros(input.dtype(), shape);
    if (!batch.ok()) return batch.status();
    std::copy_n(static_cast<const char*>(input.data()), input.nbytes(),
                static_cast<char*>(batch->data()));
    nn::Workspace ws;
    std::vector<int32_t> ids;
    Expected<nn::ModelInput> in = model_input(*batch, *probe_, ids);
    if (!in.ok()) return Status::Invalid("the first row's " + in.status().message());
    if (Status s = probe_->forward(*in, false, 0, ws); !s.ok()) {
      return Status::Invalid("the first row: " + s.message());
    }
    const nn::Buffer& out = ws.output();
    if (setup_.training.loss.mse) {
      targets_ = static_cast<int64_t>(out.values.size());
      rows_.reset(input, targets_);
      return {};
    }
    if (out.shape.size() != 2) {
      return Status::Invalid(
          "model: expected an output of class scores (batch, classes) for "
          "cross_entropy, found " +
          nn::shape_text(out.shape));
    }
    classes_ = out.shape[1];
    if (class_names_ && static_cast<int64_t>(class_names_->size()) != classes_) {
      return Status::Invalid("param 'class_names': expected " + std::to_string(classes_) +
                             " names (the model's output classes), found " +
                             std::to_string(class_names_->size()));
    }
    for (int64_t c = 0; c < classes_; ++c) {
      setup_.class_names.push_back(class_names_ ? (*class_names_)[c] : std::to_string(c));
    }
    rows_.reset(input, 0);
    return {};
  }

  // Ids a model starting with an embedding accepts: in [0, vocabulary size). (Other dtypes are
  // the layout's to refuse.)
  Status check_ids(const Tensor& input) const {
    if (!probe_->takes_ids() || !input.on_cpu() ||
        (input.dtype() != SLUICE_DTYPE_INT32 && input.dtype() != SLUICE_DTYPE_INT64)) {
      return {};
    }
    const int64_t vocabulary = probe_->vocabulary_size();
    for (int64_t i = 0; i < input.numel(); ++i) {
      const int64_t id = input.dtype() == SLUICE_DTYPE_INT32 ? input.data_as<int32_t>()[i]
                                                             : input.data_as<int64_t>()[i];
      if (id < 0 || id >= vocabulary) {
        return Status::BadRecord("input: expected ids in [0, " + std::to_string(vocabulary) +
                                 "), found " + std::to_string(id) + " at position " +
                                 std::to_string(i));
      }
    }
    return {};
  }

  Expected<int64_t> read_class(const Record& record) const {
    int64_t label = 0;
    if (record.kind(label_) == SLUICE_KIND_INT) {
      label = *record.get_int(label_);
    } else {
      Expected<Tensor> t = record.get_tensor(label_);
      if (!t.ok() || !t->on_cpu() || t->numel() != 1 ||
          (t->dtype() != SLUICE_DTYPE_INT64 && t->dtype() != SLUICE_DTYPE_INT32)) {
        return Status::BadRecord(
            std::string(label_.name()) + ": expected a class id, an int or an int64/int32 " +
            "tensor of one value, found " +
            (t.ok() ? std::string(dtype_name(t->dtype())) + " " + nn::shape_text(t->shape())
                    : t.status().message()));
      }
      label = t->dtype() == SLUICE_DTYPE_INT64 ? *t->data_as<int64_t>() : *t->data_as<int32_t>();
    }
    if (label != setup_.training.loss.ignore_index && (label < 0 || label >= classes_)) {
      return Status::BadRecord(std::string(label_.name()) + ": expected a class id in [0, " +
                               std::to_string(classes_) + ") (the model's output classes), found " +
                               std::to_string(label));
    }
    return label;
  }

  Expected<std::vector<float>> read_targets(const Record& record) const {
    const sluice_kind kind = record.kind(label_);
    if (targets_ == 1 && (kind == SLUICE_KIND_FLOAT || kind == SLUICE_KIND_INT)) {
      return std::vector<float>{static_cast<float>(*record.get_float(label_))};
    }
    Expected<Tensor> t = record.get_tensor(label_);
    if (!t.ok() || !t->on_cpu() || t->dtype() != SLUICE_DTYPE_FLOAT32 || t->numel() != targets_) {
      return Status::BadRecord(
          std::string(label_.name()) + ": expected a float32 tensor of " +
          std::to_string(targets_) + " values (the model's output for one row)" +
          (targets_ == 1 ? " or a number" : "") + ", found " +
          (t.ok() ? std::string(dtype_name(t->dtype())) + " " + nn::shape_text(t->shape())
                  : t.status().message()));
    }
    const float* v = t->data_as<float>();
    return std::vector<float>(v, v + targets_);
  }

  // Every fold's scores, the folds shared out among up to --threads threads. After an error
  // the other folds stop; the error reported is that of the first fold that failed on its own.
  Expected<std::vector<FoldScores>> run_folds(const std::vector<int32_t>& fold_of) {
    const auto folds = static_cast<int32_t>(folds_.folds);
    std::vector<Status> errors(static_cast<size_t>(folds));
    std::vector<FoldScores> scores(static_cast<size_t>(folds));
    std::atomic<int32_t> next{0};
    std::atomic<bool> failed{false};
    const std::function<bool()> stop = [&] { return failed || ctx_->cancelled(); };
    auto fold = [&](int32_t f) -> Expected<FoldScores> {
      try {
        return run_fold(rows_, fold_of, f, setup_, stop);
      } catch (const std::exception& e) {  // a thread's exception would end the process
        return Status::Internal("fold " + std::to_string(f + 1) + ": " + e.what());
      }
    };
    auto work = [&] {
      for (int32_t f = next++; f < folds; f = next++) {
        Expected<FoldScores> r = fold(f);
        if (!r.ok()) {
          errors[f] = r.status();
          failed = true;
          continue;
        }
        log_fold(f, *r);
        scores[f] = std::move(*r);
      }
    };
    const int workers = std::clamp(ctx_->threads(), 1, static_cast<int>(folds));
    std::vector<std::thread> threads;
    for (int w = 1; w < workers; ++w) threads.emplace_back(work);
    work();
    for (std::thread& t : threads) t.join();
    if (!failed) return scores;
    const Status* first = nullptr;
    for (const Status& e : errors) {
      const bool cause = e.code() != SLUICE_CANCELLED;
      if (!e.ok() && (first == nullptr || (cause && first->code() == SLUICE_CANCELLED))) first = &e;
    }
    return *first;
  }

  void log_fold(int32_t fold, const FoldScores& scores) const {
    std::string line = "fold " + std::to_string(fold + 1) + "/" + std::to_string(folds_.folds);
    for (const auto& [name, value] : scores) {
      if (name == "accuracy" || name == "macro_f1" || name == "mse" || name == "fit_seconds") {
        line += ", " + name + " " + std::to_string(value);
      }
    }
    ctx_->log(SLUICE_LOG_INFO, line);
  }

  Status write_json(const std::vector<int32_t>& fold_of,
                    const std::vector<FoldScores>& folds) const {
    boost::json::array per_fold;
    for (const FoldScores& fold : folds) {
      boost::json::object scores;
      for (const auto& [name, value] : fold) scores[name] = value;
      per_fold.push_back(std::move(scores));
    }
    boost::json::object mean, std;
    for (size_t i = 0; i < folds.front().size(); ++i) {
      std::vector<double> values;
      for (const FoldScores& fold : folds) values.push_back(fold[i].second);
      const MeanStd m = mean_std(values);
      mean[folds.front()[i].first] = m.mean;
      std[folds.front()[i].first] = m.std;
    }
    boost::json::array test_fold;
    for (int32_t f : fold_of) test_fold.push_back(f + 1);
    boost::json::object json{{"folds", std::move(per_fold)}, {"mean", std::move(mean)},
                             {"std", std::move(std)},        {"std_ddof", 0},
                             {"stratified", stratified_},    {"test_fold", std::move(test_fold)}};
    return io::write_whole_file(path_, boost::json::serialize(json) + "\n");
  }

  Context* ctx_ = nullptr;
  Field input_, label_;
  CvSetup setup_;
  FoldOptions folds_;
  bool stratified_ = true;
  std::optional<std::vector<std::string>> class_names_;
  std::string path_;
  std::unique_ptr<nn::Model> probe_;  // the model of the spec, for the first row's output
  Status layout_;                     // an error of the first row's output, which ends the run
  bool have_layout_ = false;
  int64_t classes_ = 0, targets_ = 0;
  CvRows rows_;
};

}  // namespace

void add_cross_validate(PluginBuilder& plugin) { plugin.op<CrossValidate>(); }

}  // namespace sluice::train
