// A small deterministic generator for the random ops, seeded per record (the record's seed mixed
// with the node's), so outputs do not depend on threads or platform. One Random per record, used
// by one thread.
#pragma once

#include <cstdint>

namespace sluice::audio {

// SplitMix64 with uniform and normal draws built from its bits only (no std distributions,
// whose results differ between standard libraries).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  // Seed for record `record_seed` at node `node_seed`.
  static Random for_record(uint64_t record_seed, uint64_t node_seed);
  uint64_t next();
  double uniform();                      // [0, 1)
  double uniform(double lo, double hi);  // [lo, hi)
  double normal();                       // mean 0, variance 1 (Box-Muller)

 private:
  uint64_t state_;
};

}  // namespace sluice::audio
