// Cross-validation folds: which rows each of k test folds holds, as scikit-learn's KFold and
// StratifiedKFold (1.5) choose them. Without shuffling the assignment is scikit-learn's row for
// row; with it, the folds have scikit-learn's sizes and class counts, and which rows land in
// which fold is drawn from `seed` (SplitMix64, the same on every machine; NumPy's generator is
// not reproduced). Pure functions.
#pragma once

#include "core/rng.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::train {

struct FoldOptions {
  int64_t folds = 5;
  bool shuffle = false;
  uint64_t seed = 0;
};

// Permutes `v` uniformly (Fisher-Yates from the last element down), drawing from `rng`.
void shuffle(std::vector<int64_t>& v, core::Rng& rng);

// The test fold (0 to folds - 1) of each of `rows` rows, as KFold: consecutive runs of rows, the
// first rows % folds folds one row larger than the others; with shuffle, the rows are permuted
// first (Fisher-Yates). INVALID_ARGUMENT unless 2 <= folds <= rows.
Expected<std::vector<int32_t>> kfold_assignment(int64_t rows, const FoldOptions& options);

// The test fold of each row of `labels` (class ids, any values), as StratifiedKFold: classes are
// numbered in order of first appearance, each fold gets the count of each class that dealing the
// rows sorted by class round-robin to the folds gives it, and each class's rows are cut, in
// stream order, into blocks for folds 0, 1, ... of those counts (with shuffle, the fold labels
// of each class are permuted instead). INVALID_ARGUMENT when folds < 2, folds > rows or every
// class has fewer than `folds` rows; `warning`, when not null, is set to scikit-learn's warning
// when only the least populated class has fewer rows than folds, else cleared.
Expected<std::vector<int32_t>> stratified_kfold_assignment(const std::vector<int64_t>& labels,
                                                           const FoldOptions& options,
                                                           std::string* warning);

}  // namespace sluice::train
