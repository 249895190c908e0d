// Classification metrics from a confusion matrix, as scikit-learn defines them
// (precision_recall_fscore_support, accuracy_score): per class precision = TP / (TP + FP),
// recall = TP / (TP + FN), F1 their harmonic mean (0 when undefined, sklearn's zero_division=0);
// macro = the unweighted mean over classes, weighted = the mean weighted by support, micro = from
// the summed counts (equal to accuracy for single-label data). Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace sluice::eval {

struct ClassScores {
  double precision = 0, recall = 0, f1 = 0;
  int64_t support = 0;  // rows whose true class it is
};

struct ClassificationReport {
  int64_t rows = 0;
  double accuracy = 0;
  std::vector<ClassScores> classes;
  ClassScores macro, weighted, micro;
};

// Held as per-class counts plus the cells off the diagonal that were counted, so its memory grows
// with the classes and the distinct mistakes, not the classes squared (a 50257-class language
// model's tokens would need 20 GB dense).
class ConfusionMatrix {
 public:
  explicit ConfusionMatrix(int64_t classes);
  int64_t classes() const { return static_cast<int64_t>(correct_.size()); }
  // Counts one row; both must be in [0, classes).
  void add(int64_t truth, int64_t predicted);
  // Rows with true class `truth` predicted as `predicted`.
  int64_t count(int64_t truth, int64_t predicted) const;
  // Each cell counted at least once, in order of truth, then predicted.
  struct Cell {
    int64_t truth, predicted, count;
  };
  std::vector<Cell> counted_cells() const;
  ClassificationReport report() const;

 private:
  // [c]: rows of class c predicted as c; rows of class c predicted as another; rows of another
  // class predicted as c.
  std::vector<int64_t> correct_, missed_, claimed_;
  std::map<std::pair<int64_t, int64_t>, int64_t> mistakes_;  // (truth, predicted) -> rows
};

}  // namespace sluice::eval
