#include "core/shares.h"

#include "core/rng.h"

#include <cmath>
#include <sstream>

namespace sluice::core {

Expected<Shares> Shares::make(const std::map<std::string, double>& ratios) {
  Shares s;
  double sum = 0;
  for (const auto& [name, ratio] : ratios) {
    if (!(ratio > 0 && ratio <= 1)) {
      std::ostringstream m;
      m << "param 'ratios': share '" << name << "': expected a ratio in (0, 1], found " << ratio;
      return Status::Invalid(m.str());
    }
    sum += ratio;
    s.names_.push_back(name);
    s.ends_.push_back(sum);
  }
  if (ratios.empty() || std::abs(sum - 1) > 1e-6) {
    std::ostringstream m;
    m << "param 'ratios': expected ratios summing to 1, found " << ratios.size()
      << " summing to " << sum;
    return Status::Invalid(m.str());
  }
  s.ends_.back() = 1;
  return s;
}

size_t Shares::share_of(double u) const {
  size_t i = 0;
  while (i + 1 < ends_.size() && u >= ends_[i]) ++i;
  return i;
}

double position_point(int64_t position) {
  return unit_interval(static_cast<uint64_t>(position) * 0x9e3779b97f4a7c15ull);
}

}  // namespace sluice::core
