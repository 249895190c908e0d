#include "eval/classification_metrics.h"

namespace sluice::eval {
namespace {

double ratio(int64_t num, int64_t den) {
  return den > 0 ? static_cast<double>(num) / static_cast<double>(den) : 0.0;
}

ClassScores scores(int64_t tp, int64_t fp, int64_t fn) {
  ClassScores s;
  s.precision = ratio(tp, tp + fp);
  s.recall = ratio(tp, tp + fn);
  const double sum = s.precision + s.recall;
  s.f1 = sum > 0 ? 2 * s.precision * s.recall / sum : 0.0;
  s.support = tp + fn;
  return s;
}

}  // namespace

ConfusionMatrix::ConfusionMatrix(int64_t classes)
    : correct_(static_cast<size_t>(classes), 0),
      missed_(static_cast<size_t>(classes), 0),
      claimed_(static_cast<size_t>(classes), 0) {}

void ConfusionMatrix::add(int64_t truth, int64_t predicted) {
  if (truth == predicted) {
    ++correct_[static_cast<size_t>(truth)];
    return;
  }
  ++missed_[static_cast<size_t>(truth)];
  ++claimed_[static_cast<size_t>(predicted)];
  ++mistakes_[{truth, predicted}];
}

int64_t ConfusionMatrix::count(int64_t truth, int64_t predicted) const {
  if (truth == predicted) return correct_[static_cast<size_t>(truth)];
  auto it = mistakes_.find({truth, predicted});
  return it == mistakes_.end() ? 0 : it->second;
}

std::vector<ConfusionMatrix::Cell> ConfusionMatrix::counted_cells() const {
  std::vector<Cell> cells;
  auto mistake = mistakes_.begin();
  for (int64_t c = 0; c < classes(); ++c) {
    // The row's cells before the diagonal, the diagonal, then the rest of the row.
    for (; mistake != mistakes_.end() && mistake->first.first == c && mistake->first.second < c;
         ++mistake) {
      cells.push_back({c, mistake->first.second, mistake->second});
    }
    const int64_t hits = correct_[static_cast<size_t>(c)];
    if (hits > 0) cells.push_back({c, c, hits});
    for (; mistake != mistakes_.end() && mistake->first.first == c; ++mistake) {
      cells.push_back({c, mistake->first.second, mistake->second});
    }
  }
  return cells;
}

ClassificationReport ConfusionMatrix::report() const {
  ClassificationReport r;
  int64_t correct = 0, all_tp = 0, all_fp = 0, all_fn = 0;
  for (size_t c = 0; c < correct_.size(); ++c) {
    const int64_t tp = correct_[c], fp = claimed_[c], fn = missed_[c];
    r.rows += tp + fn;
    correct += tp;
    all_tp += tp;
    all_fp += fp;
    all_fn += fn;
    r.classes.push_back(scores(tp, fp, fn));
  }
  r.accuracy = ratio(correct, r.rows);
  r.micro = scores(all_tp, all_fp, all_fn);
  for (const ClassScores& s : r.classes) {
    const double n = static_cast<double>(classes());
    r.macro.precision += s.precision / n;
    r.macro.recall += s.recall / n;
    r.macro.f1 += s.f1 / n;
    const double w = ratio(s.support, r.rows);
    r.weighted.precision += s.precision * w;
    r.weighted.recall += s.recall * w;
    r.weighted.f1 += s.f1 * w;
  }
  r.macro.support = r.weighted.support = r.rows;
  return r;
}

}  // namespace sluice::eval
