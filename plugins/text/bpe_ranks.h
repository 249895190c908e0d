// The vocabulary of a byte-level BPE model (GPT-2, cl100k): byte strings and their ranks. A
// token's rank is its id and its merge priority (lower merges first). Loaded from a tiktoken rank
// file (one "base64(token) rank" line per token). Immutable once loaded; thread-safe.
#pragma once

#include <sluice/status.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sluice::text {

class BpeRanks {
 public:
  // Fails naming FILE:LINE and what was expected and found: a line that is not
  // "<base64> <rank>", bad base64, a rank that is not a non-negative int32, a token or rank given
  // twice; and when a single byte has no rank (byte-level BPE needs all 256).
  static Expected<BpeRanks> load_tiktoken(const std::string& path);

  // The rank of `bytes`, -1 when it is no token.
  int32_t rank(std::string_view bytes) const {
    auto it = ranks_.find(bytes);
    return it == ranks_.end() ? -1 : it->second;
  }
  // The bytes of token `id`; false when there is no such token.
  bool bytes(int32_t id, std::string_view* out) const;
  // One past the largest rank.
  int32_t size() const { return static_cast<int32_t>(tokens_.size()); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::vector<std::string> tokens_;  // by rank; empty where a rank is unused
  std::vector<bool> used_;
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> ranks_;
};

}  // namespace sluice::text
