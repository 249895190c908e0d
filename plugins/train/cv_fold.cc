#include "train/cv_fold.h"

#include "core/rng.h"
#include "eval/classification_metrics.h"
#include "eval/regression_metrics.h"
#include "train/folds.h"

#include <algorithm>
#include <chrono>
#include <optional>

namespace sluice::train {
namespace {

// A seed for one use (`what`: 1 epoch order, 2 training batch, 3 scoring batch) in fold `fold`
// at position `index` (epoch or batch).
uint64_t derive(uint64_t seed, uint64_t what, int32_t fold, uint64_t epoch, uint64_t index) {
  uint64_t h = core::mix64(seed + what);
  h = core::mix64(h + static_cast<uint64_t>(fold));
  h = core::mix64(h + epoch);
  return core::mix64(h + index);
}

// Scores of the model on the test rows, in batches of batch_size.
class Scorer {
 public:
  Scorer(const CvRows& rows, const CvSetup& setup) : rows_(rows), setup_(setup) {
    if (rows.regression()) {
      moments_.emplace(rows.targets());
    } else {
      matrix_.emplace(static_cast<int64_t>(setup.class_names.size()));
    }
  }

  Status add(const nn::Model& model, const std::vector<int64_t>& test, size_t begin, size_t end,
             uint64_t seed) {
    Expected<Tensor> input = rows_.inputs(test, begin, end);
    if (!input.ok()) return input.status();
    Expected<Tensor> label = rows_.labels(test, begin, end);
    if (!label.ok()) return label.status();
    Expected<nn::ModelInput> in = model_input(*input, model, ids_);
    if (!in.ok()) return in.status();
    SLUICE_RETURN_IF_ERROR(model.forward(*in, false, seed, ws_));
    const nn::Buffer& out = ws_.output();
    const auto batch = static_cast<int64_t>(end - begin);
    if (moments_) {
      moments_->add(out.values.data(), label->data_as<float>(), batch);
      return {};
    }
    Expected<BatchLoss> loss = batch_loss(setup_.training.loss, *label, out, nullptr);
    if (!loss.ok()) return loss.status();
    loss_sum_ += loss->loss * static_cast<double>(loss->count);
    loss_count_ += loss->count;
    const int64_t classes = out.shape.back();
    const int64_t* truth = label->data_as<int64_t>();
    for (int64_t r = 0; r < batch; ++r) {
      const float* row = out.values.data() + r * classes;
      matrix_->add(truth[r], std::max_element(row, row + classes) - row);
    }
    return {};
  }

  void report(FoldScores& scores) const {
    if (moments_) {
      const eval::RegressionReport r = moments_->report();
      scores.insert(scores.end(), {{"mse", r.mse}, {"mae", r.mae}, {"r2", r.r2}});
      return;
    }
    const eval::ClassificationReport r = matrix_->report();
    scores.emplace_back("accuracy", r.accuracy);
    for (const auto& [prefix, s] :
         {std::pair{"macro_", r.macro}, std::pair{"weighted_", r.weighted}}) {
      put(scores, prefix, s);
    }
    for (size_t c = 0; c < r.classes.size(); ++c)
      put(scores, setup_.class_names[c] + ".", r.classes[c]);
    scores.emplace_back("loss", loss_count_ > 0 ? loss_sum_ / static_cast<double>(loss_count_) : 0);
  }

 private:
  static void put(FoldScores& scores, const std::string& prefix, const eval::ClassScores& s) {
    scores.insert(scores.end(), {{prefix + "precision", s.precision},
                                 {prefix + "recall", s.recall},
                                 {prefix + "f1", s.f1}});
  }

  const CvRows& rows_;
  const CvSetup& setup_;
  std::optional<eval::ConfusionMatrix> matrix_;
  std::optional<eval::RegressionMoments> moments_;
  double loss_sum_ = 0;
  int64_t loss_count_ = 0;
  nn::Workspace ws_;
  std::vector<int32_t> ids_;
};

}  // namespace

Expected<FoldScores> run_fold(const CvRows& rows, const std::vector<int32_t>& fold_of, int32_t fold,
                              const CvSetup& setup, const std::function<bool()>& cancelled) {
  const std::string where = "fold " + std::to_string(fold + 1) + ": ";
  std::vector<int64_t> train, test;
  for (int64_t i = 0; i < rows.size(); ++i) (fold_of[i] == fold ? test : train).push_back(i);
  const auto started = std::chrono::steady_clock::now();
  Expected<std::unique_ptr<nn::Model>> model = build_model(setup.model);
  if (!model.ok()) return Status::Invalid(where + model.status().message());
  Expected<Trainer> trainer = Trainer::make(**model, setup.training);
  if (!trainer.ok()) return Status::Invalid(where + trainer.status().message());
  const auto batch_size = static_cast<size_t>(setup.batch_size);
  std::vector<int64_t> order = train;
  double epoch_loss = 0;
  for (int64_t epoch = 0; epoch < setup.epochs; ++epoch) {
    if (setup.shuffle_epochs) {
      order = train;
      core::Rng rng(derive(setup.seed, 1, fold, static_cast<uint64_t>(epoch), 0));
      shuffle(order, rng);
    }
    double loss_sum = 0;
    int64_t batches = 0;
    for (size_t begin = 0; begin < order.size(); begin += batch_size, ++batches) {
      if (cancelled()) return Status::Cancelled(where + "cancelled");
      const size_t end = std::min(order.size(), begin + batch_size);
      Expected<Tensor> input = rows.inputs(order, begin, end);
      if (!input.ok()) return input.status();
      Expected<Tensor> label = rows.labels(order, begin, end);
      if (!label.ok()) return label.status();
      Expected<TrainedBatch> batch =
          trainer->train(*input, *label,
                         derive(setup.seed, 2, fold, static_cast<uint64_t>(epoch),
                                static_cast<uint64_t>(batches)));
      if (!batch.ok()) {
        return Status(batch.status().code(), where + "epoch " + std::to_string(epoch + 1) + ": " +
                                                 batch.status().message());
      }
      loss_sum += batch->loss.loss;
    }
    epoch_loss = batches > 0 ? loss_sum / static_cast<double>(batches) : 0;
  }
  if (Expected<bool> finished = trainer->finish(); !finished.ok()) return finished.status();
  const double fit_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  Scorer scorer(rows, setup);
  for (size_t begin = 0, batch = 0; begin < test.size(); begin += batch_size, ++batch) {
    if (cancelled()) return Status::Cancelled(where + "cancelled");
    Status s = scorer.add(**model, test, begin, std::min(test.size(), begin + batch_size),
                          derive(setup.seed, 3, fold, 0, batch));
    if (!s.ok()) return Status(s.code(), where + s.message());
  }
  FoldScores scores;
  scorer.report(scores);
  scores.insert(scores.end(), {{"train_loss", epoch_loss},
                               {"train_rows", static_cast<double>(train.size())},
                               {"test_rows", static_cast<double>(test.size())},
                               {"fit_seconds", fit_seconds}});
  return scores;
}

}  // namespace sluice::train
