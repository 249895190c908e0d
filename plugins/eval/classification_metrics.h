// Classification metrics from a confusion matrix, as scikit-learn defines them
// (precision_recall_fscore_support, accuracy_score): per class precision = TP / (TP + FP),
// recall = TP / (TP + FN), F1 their harmonic mean (0 when undefined, sklearn's zero_division=0);
// macro = the unweighted mean over classes, weighted = the mean weighted by support, micro = from
// the summed counts (equal to accuracy for single-label data). Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
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

class ConfusionMatrix {
 public:
  explicit ConfusionMatrix(int64_t classes)
      : classes_(classes), counts_(static_cast<size_t>(classes * classes), 0) {}
  int64_t classes() const { return classes_; }
  // Counts one row; both must be in [0, classes).
  void add(int64_t truth, int64_t predicted) { ++counts_[truth * classes_ + predicted]; }
  // Rows with true class `truth` predicted as `predicted`.
  int64_t count(int64_t truth, int64_t predicted) const {
    return counts_[truth * classes_ + predicted];
  }
  ClassificationReport report() const;

 private:
  int64_t classes_;
  std::vector<int64_t> counts_;
};

}  // namespace sluice::eval
