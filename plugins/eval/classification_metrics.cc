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

ClassificationReport ConfusionMatrix::report() const {
  ClassificationReport r;
  int64_t correct = 0, all_tp = 0, all_fp = 0, all_fn = 0;
  for (int64_t c = 0; c < classes_; ++c) {
    int64_t tp = count(c, c), fp = 0, fn = 0;
    for (int64_t o = 0; o < classes_; ++o) {
      if (o == c) continue;
      fp += count(o, c);
      fn += count(c, o);
    }
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
    const double n = static_cast<double>(classes_);
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
