// Seeds for random ops. A node's seed is the run seed mixed with its id; a record's seed is its
// source node's seed mixed with the record's index in that source. Neither depends on thread count
// or on how the executor groups records, so random ops give the same results on every run.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace sluice {

// SplitMix64's finaliser: a bijective 64-bit mixer with good avalanche.
constexpr uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Mixes two 64-bit values into one; not symmetric, so mix_seed(a, b) != mix_seed(b, a).
constexpr uint64_t mix_seed(uint64_t a, uint64_t b) { return splitmix64(a ^ splitmix64(b)); }

// FNV-1a of `id`, so node ids of any length mix in.
constexpr uint64_t hash_id(std::string_view id) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : id) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

constexpr uint64_t node_seed(uint64_t run_seed, std::string_view node_id) {
  return mix_seed(run_seed, hash_id(node_id));
}

// `source_seed` is node_seed() of the source node; `index` counts the records it emitted before.
constexpr uint64_t record_seed(uint64_t source_seed, int64_t index) {
  return mix_seed(source_seed, static_cast<uint64_t>(index));
}

}  // namespace sluice
