#include "audio/random.h"

#include <cmath>

namespace sluice::audio {
namespace {

uint64_t splitmix_finish(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

Random Random::for_record(uint64_t record_seed, uint64_t node_seed) {
  return Random(splitmix_finish(record_seed ^ splitmix_finish(node_seed + 0x9e3779b97f4a7c15ull)));
}

uint64_t Random::next() {
  state_ += 0x9e3779b97f4a7c15ull;
  return splitmix_finish(state_);
}

double Random::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double Random::uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

double Random::normal() {
  const double u1 = 1.0 - uniform();  // (0, 1]
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

}  // namespace sluice::audio
