// A vocabulary: tokens with dense int32 ids (a token's id is its index). Pure; immutable after it
// is made, so one table is safe to share between threads.
#pragma once

#include <sluice/status.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sluice::text {

// Hashes std::string and std::string_view alike, for lookups without a copy.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Word -> how often it was seen.
using WordCounts = std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>>;

class VocabularyTable {
 public:
  // `specials` first, in order, then the words seen at least `min_count` times, most frequent
  // first and equally frequent ones in bytewise order, until the table holds `max_size` tokens
  // (0: no limit). A special is never repeated among the words.
  static VocabularyTable build(const std::vector<std::string>& specials, const WordCounts& counts,
                               int64_t min_count, int64_t max_size);
  // Reads one token per line ("\n" or "\r\n"); token i (0-based line) gets id i. An empty line
  // or a repeated token is INVALID_ARGUMENT naming FILE:LINE; an unreadable file is NOT_FOUND or
  // IO_ERROR naming it.
  static Expected<VocabularyTable> load(const std::string& path);

  // The table as load() reads it: one token per line.
  std::string to_text() const;
  std::optional<int32_t> id(std::string_view token) const;
  const std::vector<std::string>& tokens() const { return tokens_; }
  size_t size() const { return tokens_.size(); }

 private:
  // Adds `token` unless present; false when it was present.
  bool add(std::string token);

  std::vector<std::string> tokens_;
  std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>> ids_;
};

}  // namespace sluice::text
