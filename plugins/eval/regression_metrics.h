// Regression metrics as scikit-learn defines them (mean_squared_error, mean_absolute_error,
// r2_score with multioutput='uniform_average'): over rows of `outputs` values each, MSE and MAE
// over every value, R² per output column 1 - SS_res / SS_tot (1 when both are 0, 0 when only
// SS_tot is 0), averaged over the columns. Accumulates row by row in double (SS_tot by Welford's
// update, which stays exact for targets with a large mean). Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace sluice::eval {

struct RegressionReport {
  int64_t rows = 0;
  double mse = 0, mae = 0, r2 = 0;
};

class RegressionMoments {
 public:
  explicit RegressionMoments(int64_t outputs);
  int64_t outputs() const { return outputs_; }
  // Adds `rows` rows of predictions and targets, each (rows, outputs) row-major.
  void add(const float* predicted, const float* truth, int64_t rows);
  RegressionReport report() const;

 private:
  int64_t outputs_;
  int64_t rows_ = 0;
  double squared_ = 0, absolute_ = 0;
  std::vector<double> mean_, m2_, residual_;  // per column: mean of y, Σ(y - mean)², Σ(y - ŷ)²
};

}  // namespace sluice::eval
