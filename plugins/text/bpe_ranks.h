// The vocabulary of a byte-level BPE model (GPT-2, cl100k): byte strings and their ranks. A
// token's rank is its id and its merge priority (lower merges first). Loaded from a tiktoken rank
// file (one "base64(token) rank" line per token). Immutable once loaded; thread-safe.
#pragma once

#include <sluice/status.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::text {

class BpeRanks {
 public:
  // Fails naming FILE:LINE and what was expected and found: a line that is not
  // "<base64> <rank>", bad base64, a rank that is not a non-negative int32, a token or rank given
  // twice; and when a single byte has no rank (byte-level BPE needs all 256).
  static Expected<BpeRanks> load_tiktoken(const std::string& path);

  // The rank of `bytes`, -1 when it is no token. The hot path of encoding: an open-addressing
  // table of (hash, bytes, rank) slots, probed linearly.
  int32_t rank(std::string_view bytes) const {
    const uint64_t h = hash(bytes);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.rank < 0) return -1;
      if (s.hash == h && s.length == bytes.size() &&
          std::string_view(arena_.data() + s.offset, s.length) == bytes) {
        return s.rank;
      }
    }
  }
  // The bytes of token `id`; false when there is no such token.
  bool bytes(int32_t id, std::string_view* out) const;
  // One past the largest rank.
  int32_t size() const { return static_cast<int32_t>(tokens_.size()); }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t offset = 0;  // of the token's bytes in arena_
    uint32_t length = 0;
    int32_t rank = -1;  // -1: empty slot
  };

  static uint64_t hash(std::string_view bytes) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ bytes.size();
    size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
      uint64_t chunk;
      std::memcpy(&chunk, bytes.data() + i, 8);
      h = (h ^ chunk) * 0xBF58476D1CE4E5B9ull;
      h ^= h >> 31;
    }
    uint64_t tail = 0;
    std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
    h = (h ^ tail) * 0x94D049BB133111EBull;
    return h ^ (h >> 29);
  }
  // Builds slots_ from tokens_ (every used rank).
  void index();

  std::vector<std::string> tokens_;  // by rank; empty where a rank is unused
  std::vector<bool> used_;
  std::string arena_;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

}  // namespace sluice::text
