#include "eval/regression_metrics.h"

#include <cmath>

namespace sluice::eval {

RegressionMoments::RegressionMoments(int64_t outputs)
    : outputs_(outputs),
      mean_(static_cast<size_t>(outputs), 0.0),
      m2_(static_cast<size_t>(outputs), 0.0),
      residual_(static_cast<size_t>(outputs), 0.0) {}

void RegressionMoments::add(const float* predicted, const float* truth, int64_t rows) {
  for (int64_t r = 0; r < rows; ++r) {
    const auto n = static_cast<double>(rows_ + r + 1);
    for (int64_t c = 0; c < outputs_; ++c) {
      const double y = truth[r * outputs_ + c];
      const double d = y - predicted[r * outputs_ + c];
      squared_ += d * d;
      absolute_ += std::abs(d);
      const double delta = y - mean_[c];
      mean_[c] += delta / n;
      m2_[c] += delta * (y - mean_[c]);
      residual_[c] += d * d;
    }
  }
  rows_ += rows;
}

RegressionReport RegressionMoments::report() const {
  RegressionReport r;
  r.rows = rows_;
  if (rows_ == 0) return r;
  const double values = static_cast<double>(rows_ * outputs_);
  r.mse = squared_ / values;
  r.mae = absolute_ / values;
  for (int64_t c = 0; c < outputs_; ++c) {
    const double total = m2_[c];
    double score = 1.0;
    if (total > 0) {
      score = 1.0 - residual_[c] / total;
    } else if (residual_[c] > 0) {
      score = 0.0;
    }
    r.r2 += score / static_cast<double>(outputs_);
  }
  return r;
}

}  // namespace sluice::eval
