// The rank table of a byte-level BPE model (GPT-2 / r50k_base, cl100k_base): each token is a byte
// string whose rank is both its id and its merge priority (lower merges first). Loaded from a
// tiktoken rank file ("base64(token) rank" per line) or from GPT-2's encoder.json + vocab.bpe;
// both give the same table for GPT-2. Every single byte must be a token, so that any byte string
// can be encoded.
//
// Lookups are the hot path of encoding: an open-addressing table whose slots hold the first 8 bytes
// of the token inline, so that short tokens (most of them) compare without touching the arena,
// and a direct table for two-byte tokens. Callers with many lookups to make can compute the keys
// and prefetch their slots first.
// Immutable once loaded; thread-safe. Errors name FILE:LINE and say what was expected and found.
#pragma once

#include <sluice/status.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::text {

class RankTable {
 public:
  // `tokens[rank]` is the token of that rank; an empty string marks an unused rank. Fails when a
  // token appears twice (naming both ranks) or a single byte has no rank.
  static Expected<RankTable> from_tokens(std::vector<std::string> tokens);

  // Where the lookup of some bytes starts: computed once, then used to prefetch and to look up.
  struct Key {
    uint64_t prefix;  // the first 8 bytes, zero-padded
    uint64_t hash;
  };
  static Key key(std::string_view bytes) {
    const uint64_t prefix = load_prefix(bytes);
    return {prefix, hash(prefix, bytes)};
  }
  // Brings the first slot that the lookup of `key` reads into the cache.
  void prefetch(const Key& key) const { __builtin_prefetch(&slots_[key.hash & mask_]); }

  // The rank of `bytes`; -1 when it is no token. One or two bytes (the first merges) are one
  // array read.
  int32_t rank(std::string_view bytes) const {
    if (bytes.size() == 1) return byte_rank_[static_cast<unsigned char>(bytes[0])];
    if (bytes.size() == 2) {
      return pair_rank_[static_cast<unsigned char>(bytes[0]) << 8 |
                        static_cast<unsigned char>(bytes[1])];
    }
    return rank(bytes, key(bytes));
  }
  // The same, with the key of `bytes` computed already.
  int32_t rank(std::string_view bytes, const Key& key) const {
    for (size_t i = key.hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.rank < 0) return -1;
      if (s.prefix == key.prefix && s.length == bytes.size() &&
          (s.length <= 8 || std::memcmp(arena_.data() + offsets_[static_cast<size_t>(s.rank)] + 8,
                                        bytes.data() + 8, s.length - 8) == 0)) {
        return s.rank;
      }
    }
  }
  // The bytes of the token of rank `id`; false when no token has that rank.
  bool token(int32_t id, std::string_view* bytes) const;
  // One past the highest rank.
  int32_t size() const { return static_cast<int32_t>(offsets_.size()) - 1; }

  bool operator==(const RankTable& other) const {
    return offsets_ == other.offsets_ && arena_ == other.arena_;
  }

 private:
  struct Slot {           // 16 bytes: 4 to a cache line
    uint64_t prefix = 0;  // the first 8 bytes, zero-padded
    uint32_t length = 0;
    int32_t rank = -1;  // -1: empty slot
  };

  static uint64_t load_prefix(std::string_view bytes) {
    uint64_t prefix = 0;
    std::memcpy(&prefix, bytes.data(), bytes.size() < 8 ? bytes.size() : 8);
    return prefix;
  }
  // Mixes the prefix, the length and, for tokens longer than 8 bytes, their last 8 bytes.
  static uint64_t hash(uint64_t prefix, std::string_view bytes) {
    uint64_t h = (prefix ^ (bytes.size() * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
    if (bytes.size() > 8) {
      uint64_t suffix;
      std::memcpy(&suffix, bytes.data() + bytes.size() - 8, 8);
      h = (h ^ suffix) * 0x94D049BB133111EBull;
    }
    return h ^ (h >> 29);
  }

  std::string arena_;              // all tokens, by rank
  std::vector<uint32_t> offsets_;  // token `r` is arena_[offsets_[r], offsets_[r + 1])
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::array<int32_t, 256> byte_rank_;  // -1: no token
  std::vector<int32_t> pair_rank_;      // by (first byte << 8 | second byte); -1: no token
};

// A tiktoken rank file (e.g. r50k_base.tiktoken, cl100k_base.tiktoken).
Expected<RankTable> load_tiktoken_ranks(const std::string& path);

// GPT-2's encoder.json (token text -> id, the bytes spelled with GPT-2's byte-to-unicode
// alphabet) and vocab.bpe (the merges, highest priority first): the single bytes take ranks 0-255
// in the alphabet's order, merge i takes rank 256 + i, and encoder.json must agree with that
// (its "<|endoftext|>" is a special token, not a rank).
Expected<RankTable> load_gpt2_ranks(const std::string& encoder_json_path,
                                    const std::string& vocab_bpe_path);

}  // namespace sluice::text
