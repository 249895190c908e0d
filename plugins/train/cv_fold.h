// One fold of train.cross_validate: a fresh model trained on the other folds' rows and scored on
// this fold's. Each fold is independent of the others (its model, optimizer, batch order and
// dropout draws come from the setup and the fold number only), so folds may run on several
// threads at once and give the same scores on any number of threads.
#pragma once

#include "train/cv_rows.h"
#include "train/fold_scores.h"
#include "train/model_spec.h"
#include "train/trainer.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sluice::train {

struct CvSetup {
  ModelSpec model;
  TrainingConfig training;
  int64_t epochs = 1;
  int64_t batch_size = 32;
  bool shuffle_epochs = true;  // each epoch a new order of the training rows; else stream order
  uint64_t seed = 0;           // of the epoch orders and the training batches' dropout
  std::vector<std::string> class_names;  // classification: one per model output class
};

// Trains build_model(setup.model) for setup.epochs on the rows whose fold_of is not `fold`, in
// batches of setup.batch_size, then scores it on the rows whose fold_of is `fold` (stream order,
// inference mode). Classification (cross_entropy) scores: accuracy, macro_ and weighted_
// precision, recall and f1, <class>.precision, .recall and .f1 (eval.classification's
// definitions, scikit-learn's), and loss (the mean cross entropy per row); regression (mse): mse,
// mae and r2 (eval.regression's). Then for both: train_loss (the mean batch loss of the last
// epoch), train_rows, test_rows and fit_seconds. Stops with CANCELLED when `cancelled` says so;
// other errors name the fold.
Expected<FoldScores> run_fold(const CvRows& rows, const std::vector<int32_t>& fold_of, int32_t fold,
                              const CvSetup& setup, const std::function<bool()>& cancelled);

}  // namespace sluice::train
