// core.split's assignment of records to named shares of a stream. Pure; immutable after make().
#pragma once

#include <sluice/status.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sluice::core {

// Shares laid out on [0, 1) one after the other, in name order: {test: 0.2, train: 0.8} gives
// test [0, 0.2) and train [0.2, 1).
class Shares {
 public:
  // INVALID_ARGUMENT unless every ratio is in (0, 1] and they sum to 1 (within 1e-6).
  static Expected<Shares> make(const std::map<std::string, double>& ratios);
  // Index, in name order, of the share holding `u` (in [0, 1)).
  size_t share_of(double u) const;
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
  std::vector<double> ends_;  // cumulative; the last is 1
};

// A point in [0, 1) for the record at `position`: the fractional part of position times the
// golden ratio (in 64-bit fixed point), a low-discrepancy sequence, so every run of consecutive
// positions is spread evenly over [0, 1).
double position_point(int64_t position);

}  // namespace sluice::core
