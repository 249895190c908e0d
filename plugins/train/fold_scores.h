// The scores of cross-validation folds and their summary, as train.cross_validate reports them:
// each fold's scores under "fold<f>.<name>" (f from 1), and over the folds "<name>.mean" and
// "<name>.std", the population standard deviation (divided by the number of folds, as
// numpy.std with its default ddof=0 gives for scikit-learn's cross_validate scores). Pure.
#pragma once

#include <sluice/status.hpp>

#include <string>
#include <utility>
#include <vector>

namespace sluice::train {

// One fold's scores, named, in the order they are reported.
using FoldScores = std::vector<std::pair<std::string, double>>;

struct MeanStd {
  double mean = 0, std = 0;
};

// Mean and population standard deviation of `values` (two passes: the mean, then the mean of
// the squared deviations from it); both 0 for no values.
MeanStd mean_std(const std::vector<double>& values);

// Every fold's scores, then each score's mean and standard deviation, in the order of the first
// fold's scores. INVALID_ARGUMENT unless every fold has the same names in the same order.
Expected<FoldScores> fold_summary(const std::vector<FoldScores>& folds);

}  // namespace sluice::train
