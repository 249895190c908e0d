// A cache of the ids of byte-level BPE pieces that needed merging, one per thread and tokenizer
// use: words repeat, and a cached piece skips its merge loop. Direct-mapped by the piece's hash;
// a slot holds the piece's bytes (compared in full, so a hit is exact), its tokenizer's owner key
// (unique in the process, never an address that a later tokenizer could reuse; 0 is no
// tokenizer's) and its ids, and a new piece replaces what was in its slot. Pieces over kMaxBytes
// bytes or kMaxIds ids are not cached. Not thread-safe: use one per thread (see ByteBpe::encode).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace sluice::text {

class PieceCache {
 public:
  static constexpr size_t kSlots = 2048;
  static constexpr size_t kMaxBytes = 48;
  static constexpr size_t kMaxIds = 24;

  // Appends the cached ids of `piece` (of the tokenizer whose key is `owner`, hash `hash`) and
  // returns true, or returns false when they are not cached.
  bool find(uint64_t owner, std::string_view piece, uint64_t hash,
            std::vector<int32_t>& ids) const {
    const Slot& s = slots_[hash % kSlots];
    if (s.owner != owner || s.bytes != piece.size() ||
        std::memcmp(s.text.data(), piece.data(), piece.size()) != 0) {
      return false;
    }
    ids.insert(ids.end(), s.ids.begin(), s.ids.begin() + s.count);
    return true;
  }

  // Caches ids[from, end) as the ids of `piece`, when both fit.
  void put(uint64_t owner, std::string_view piece, uint64_t hash, const std::vector<int32_t>& ids,
           size_t from) {
    const size_t count = ids.size() - from;
    if (piece.size() > kMaxBytes || count > kMaxIds) return;
    Slot& s = slots_[hash % kSlots];
    s.owner = owner;
    s.bytes = static_cast<uint8_t>(piece.size());
    s.count = static_cast<uint8_t>(count);
    std::memcpy(s.text.data(), piece.data(), piece.size());
    std::copy(ids.begin() + static_cast<std::ptrdiff_t>(from), ids.end(), s.ids.begin());
  }

 private:
  struct Slot {
    uint64_t owner = 0;
    uint8_t bytes = 0, count = 0;
    std::array<char, kMaxBytes> text{};
    std::array<int32_t, kMaxIds> ids{};
  };
  std::array<Slot, kSlots> slots_{};
};

}  // namespace sluice::text
