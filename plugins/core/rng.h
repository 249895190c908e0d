// Deterministic random numbers and hashing that give the same results on every platform and
// standard library (unlike std::uniform_int_distribution). Pure; an Rng is used by one thread.
#pragma once

#include <cstdint>
#include <string_view>

namespace sluice::core {

// The SplitMix64 finaliser: a bijective mix of the bits of `x`.
uint64_t mix64(uint64_t x);

// 64-bit FNV-1a of `bytes`, then mix64: a stable hash, the same on every machine and run.
uint64_t stable_hash(std::string_view bytes);

// The top 53 bits of `bits` as a double in [0, 1).
double unit_interval(uint64_t bits);

// SplitMix64 generator.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next();
  // Uniform in [0, n) without bias (Lemire's method); n > 0.
  uint64_t below(uint64_t n);

 private:
  uint64_t state_;
};

}  // namespace sluice::core
