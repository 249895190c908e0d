// Cross-validation folds: which rows each of k test folds holds, as scikit-learn's KFold and
// StratifiedKFold (1.5 to 1.9) choose them, row for row, also when shuffled: the shuffle is
// NumPy's legacy RandomState(seed).shuffle (MT19937 seeded as init_genrand with the seed's low 32
// bits, Fisher-Yates with draws bounded by masking and rejection), so a seed below 2^32 gives
// scikit-learn's folds for random_state=seed. Pure functions.
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

// Permutes `v` as NumPy's np.random.RandomState(seed).shuffle permutes a 1-D array (seed taken
// modulo 2^32, as the low 32 bits).
void numpy_shuffle(std::vector<int64_t>& v, uint32_t seed);

// The test fold (0 to folds - 1) of each of `rows` rows, as KFold: consecutive runs of rows, the
// first rows % folds folds one row larger than the others; with shuffle, the rows are permuted
// first (numpy_shuffle). INVALID_ARGUMENT unless 2 <= folds <= rows.
Expected<std::vector<int32_t>> kfold_assignment(int64_t rows, const FoldOptions& options);

// The test fold of each row of `labels` (class ids, any values), as StratifiedKFold: classes are
// numbered in order of first appearance, each fold gets the count of each class that dealing the
// rows sorted by class round-robin to the folds gives it, and each class's rows are cut, in
// stream order, into blocks for folds 0, 1, ... of those counts (with shuffle, the fold labels
// of each class are permuted instead, class after class, by one NumPy generator). INVALID_ARGUMENT when folds < 2, folds > rows or every
// class has fewer than `folds` rows; `warning`, when not null, is set to scikit-learn's warning
// when only the least populated class has fewer rows than folds, else cleared.
Expected<std::vector<int32_t>> stratified_kfold_assignment(const std::vector<int64_t>& labels,
                                                           const FoldOptions& options,
                                                           std::string* warning);

}  // namespace sluice::train
