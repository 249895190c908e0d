// Random inputs of the nn GPU kernel tests (the device-free math tests and the [cuda] ones).
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace sluice::test {

// n values from a normal distribution (mean, stddev), the same for the same seed.
inline std::vector<float> normal_values(size_t n, uint64_t seed, float mean = 0.0f,
                                        float stddev = 1.0f) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> d(mean, stddev);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

// B targets in [0, C), every `ignore_every`-th one (from the second) ignore_index instead (0:
// none ignored).
inline std::vector<int64_t> class_targets(int64_t B, int64_t C, uint64_t seed, int ignore_every,
                                          int64_t ignore_index) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> d(0, C - 1);
  std::vector<int64_t> t(static_cast<size_t>(B));
  for (int64_t b = 0; b < B; ++b) {
    t[b] = ignore_every > 0 && b % ignore_every == 1 ? ignore_index : d(rng);
  }
  return t;
}

}  // namespace sluice::test
