#include "train/fold_scores.h"

#include <cmath>

namespace sluice::train {

MeanStd mean_std(const std::vector<double>& values) {
  MeanStd m;
  if (values.empty()) return m;
  const auto n = static_cast<double>(values.size());
  for (double v : values) m.mean += v;
  m.mean /= n;
  double squares = 0;
  for (double v : values) squares += (v - m.mean) * (v - m.mean);
  m.std = std::sqrt(squares / n);
  return m;
}

Expected<FoldScores> fold_summary(const std::vector<FoldScores>& folds) {
  FoldScores out;
  if (folds.empty()) return out;
  const FoldScores& first = folds.front();
  for (size_t f = 0; f < folds.size(); ++f) {
    if (folds[f].size() != first.size()) {
      return Status::Invalid("fold " + std::to_string(f + 1) + ": expected " +
                             std::to_string(first.size()) + " scores as fold 1, found " +
                             std::to_string(folds[f].size()));
    }
    for (size_t i = 0; i < first.size(); ++i) {
      if (folds[f][i].first != first[i].first) {
        return Status::Invalid("fold " + std::to_string(f + 1) + ": expected score '" +
                               first[i].first + "' as fold 1, found '" + folds[f][i].first + "'");
      }
      out.emplace_back("fold" + std::to_string(f + 1) + "." + first[i].first, folds[f][i].second);
    }
  }
  for (size_t i = 0; i < first.size(); ++i) {
    std::vector<double> values;
    for (const FoldScores& fold : folds) values.push_back(fold[i].second);
    const MeanStd m = mean_std(values);
    out.emplace_back(first[i].first + ".mean", m.mean);
    out.emplace_back(first[i].first + ".std", m.std);
  }
  return out;
}

}  // namespace sluice::train
