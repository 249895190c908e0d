#include "text/byte_bpe.h"

#include "text/piece_cache.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <functional>
#include <limits>

namespace sluice::text {
namespace {

constexpr int32_t kNoMerge = std::numeric_limits<int32_t>::max();

// 1, 2, ...: a new owner key for each model built in the process (PieceCache).
uint64_t next_cache_owner() {
  static std::atomic<uint64_t> models{0};
  return ++models;
}

}  // namespace

ByteBpe::ByteBpe(RankTable ranks, PretokenPattern pattern, std::vector<SpecialToken> specials)
    : ranks_(std::move(ranks)),
      pattern_(pattern),
      specials_(std::move(specials)),
      cache_owner_(next_cache_owner()) {
  vocabulary_size_ = ranks_.size();
  for (const SpecialToken& s : specials_) vocabulary_size_ = std::max(vocabulary_size_, s.id + 1);
}

Expected<ByteBpe> ByteBpe::create(RankTable ranks, PretokenPattern pattern,
                                  std::vector<SpecialToken> specials) {
  for (size_t i = 0; i < specials.size(); ++i) {
    const SpecialToken& s = specials[i];
    if (s.text.empty()) return Status::Invalid("expected a special token's text, found \"\"");
    std::string_view token;
    if (s.id < 0 || s.id == std::numeric_limits<int32_t>::max() || ranks.token(s.id, &token)) {
      return Status::Invalid("special token \"" + s.text + "\": expected an id from 0 to " +
                             "2147483646 that no other token has, found " + std::to_string(s.id));
    }
    for (size_t j = 0; j < i; ++j) {
      if (specials[j].id == s.id || specials[j].text == s.text) {
        return Status::Invalid("expected special tokens with distinct texts and ids, found \"" +
                               s.text + "\" = " + std::to_string(s.id) + " after \"" +
                               specials[j].text + "\" = " + std::to_string(specials[j].id));
      }
    }
  }
  return ByteBpe(std::move(ranks), pattern, std::move(specials));
}

Expected<ByteBpe> ByteBpe::from_merges(RankTable tokens,
                                       const std::vector<std::pair<int32_t, int32_t>>& merges,
                                       PretokenPattern pattern,
                                       std::vector<SpecialToken> specials) {
  Expected<ByteBpe> bpe = create(std::move(tokens), pattern, std::move(specials));
  if (!bpe.ok()) return bpe.status();
  bpe->pairs_ = true;
  // The last place of each pair.
  std::unordered_map<uint64_t, size_t> last;
  auto key = [](std::pair<int32_t, int32_t> pair) {
    return static_cast<uint64_t>(pair.first) << 32 | static_cast<uint32_t>(pair.second);
  };
  for (size_t i = 0; i < merges.size(); ++i) last[key(merges[i])] = i;
  for (size_t i = 0; i < merges.size(); ++i) {
    const auto [left, right] = merges[i];
    std::string_view a, b;
    if (!bpe->ranks_.token(left, &a) || !bpe->ranks_.token(right, &b)) {
      return Status::Invalid("merge " + std::to_string(i) + ": expected two token ids, found (" +
                             std::to_string(left) + ", " + std::to_string(right) + ")");
    }
    const int32_t merged = bpe->ranks_.rank(std::string(a) + std::string(b));
    if (merged < 0) {
      return Status::Invalid("merge " + std::to_string(i) + ": expected the tokens of (" +
                             std::to_string(left) + ", " + std::to_string(right) +
                             ") joined to be a token, found no such token");
    }
    if (last[key(merges[i])] != i) continue;
    bpe->merge_place_[key(merges[i])] = static_cast<int32_t>(bpe->merges_.size());
    bpe->merges_.push_back(merges[i]);
    bpe->merged_id_.push_back(merged);
  }
  return bpe;
}

Expected<ByteBpe> ByteBpe::gpt2(RankTable ranks) {
  return create(std::move(ranks), PretokenPattern::kGpt2, {{"<|endoftext|>", 50256}});
}

Expected<ByteBpe> ByteBpe::cl100k_base(RankTable ranks) {
  return create(std::move(ranks), PretokenPattern::kCl100k,
                {{"<|endoftext|>", 100257},
                 {"<|fim_prefix|>", 100258},
                 {"<|fim_middle|>", 100259},
                 {"<|fim_suffix|>", 100260},
                 {"<|endofprompt|>", 100276}});
}

std::vector<int32_t> ByteBpe::encode(std::string_view text) const {
  std::vector<int32_t> ids;
  ids.reserve(text.size() / 4 + 1);
  encode(text, ids);
  return ids;
}

// The pieces go in batches whose table slots are prefetched together, so that the cache misses
// of their lookups overlap.
void ByteBpe::encode(std::string_view text, std::vector<int32_t>& ids) const {
  constexpr size_t kBatch = 16;
  std::array<std::string_view, kBatch> pieces;
  std::array<RankTable::Key, kBatch> keys;
  for (size_t start = 0; start < text.size();) {
    size_t count = 0;
    for (; count < kBatch && start < text.size(); ++count) {
      const size_t end = piece_end(pattern_, text, start);
      pieces[count] = text.substr(start, end - start);
      keys[count] = RankTable::key(pieces[count]);
      ranks_.prefetch(keys[count]);
      start = end;
    }
    for (size_t i = 0; i < count; ++i) encode_piece(pieces[i], keys[i], ids);
  }
}

void ByteBpe::encode_piece(std::string_view piece, const RankTable::Key& key,
                           std::vector<int32_t>& ids) const {
  if (pairs_) {
    if (piece.size() == 1) {
      ids.push_back(ranks_.rank(piece));
    } else {
      merge_long_piece<true>(piece, ids);
    }
  } else if (const int32_t rank = ranks_.rank(piece, key); rank >= 0) {
    ids.push_back(rank);
  } else if (piece.size() <= kShortPiece) {
    thread_local PieceCache cache;
    if (cache.find(cache_owner_, piece, key.hash, ids)) return;
    const size_t from = ids.size();
    merge_short_piece(piece, ids);
    cache.put(cache_owner_, piece, key.hash, ids, from);
  } else {
    merge_long_piece<false>(piece, ids);
  }
}

int32_t ByteBpe::merge_rank(std::string_view bytes) const {
  const int32_t rank = ranks_.rank(bytes);
  return rank < 0 ? kNoMerge : rank;
}

int32_t ByteBpe::merge_rank(std::string_view bytes, const RankTable::Key& key) const {
  const int32_t rank = ranks_.rank(bytes, key);
  return rank < 0 ? kNoMerge : rank;
}

int32_t ByteBpe::merge_place(int32_t left, int32_t right) const {
  const auto it =
      merge_place_.find(static_cast<uint64_t>(left) << 32 | static_cast<uint32_t>(right));
  return it == merge_place_.end() ? kNoMerge : it->second;
}

// The parts are piece[start[i], start[i + 1]) for i < parts, of ranks part_rank[i]; pair_rank[i]
// is the rank of parts i and i + 1 merged. Each merge scans for the lowest pair rank and closes
// the gap: O(n^2) on at most kShortPiece bytes, without allocating. The two lookups a merge needs
// are prefetched together.
void ByteBpe::merge_short_piece(std::string_view piece, std::vector<int32_t>& ids) const {
  std::array<uint8_t, kShortPiece + 1> start;
  std::array<int32_t, kShortPiece> part_rank;
  std::array<int32_t, kShortPiece> pair_rank;
  size_t parts = piece.size();
  for (size_t i = 0; i < parts; ++i) {
    start[i] = static_cast<uint8_t>(i);
    part_rank[i] = ranks_.rank(piece.substr(i, 1));
  }
  start[parts] = static_cast<uint8_t>(parts);
  for (size_t i = 0; i + 1 < parts; ++i) pair_rank[i] = merge_rank(piece.substr(i, 2));
  while (parts > 1) {
    const size_t best = static_cast<size_t>(
        std::min_element(pair_rank.begin(), pair_rank.begin() + parts - 1) - pair_rank.begin());
    if (pair_rank[best] == kNoMerge) break;
    // Part best + 1 joins part best.
    part_rank[best] = pair_rank[best];
    std::copy(start.begin() + best + 2, start.begin() + parts + 1, start.begin() + best + 1);
    std::copy(part_rank.begin() + best + 2, part_rank.begin() + parts,
              part_rank.begin() + best + 1);
    if (best + 2 < parts) {
      std::copy(pair_rank.begin() + best + 2, pair_rank.begin() + parts - 1,
                pair_rank.begin() + best + 1);
    }
    --parts;
    const bool has_right = best + 1 < parts;
    const bool has_left = best > 0;
    std::string_view right, left;
    RankTable::Key right_key{}, left_key{};
    if (has_right) {
      right = piece.substr(start[best], start[best + 2] - start[best]);
      right_key = RankTable::key(right);
      ranks_.prefetch(right_key);
    }
    if (has_left) {
      left = piece.substr(start[best - 1], start[best + 1] - start[best - 1]);
      left_key = RankTable::key(left);
      ranks_.prefetch(left_key);
    }
    if (has_right) pair_rank[best] = merge_rank(right, right_key);
    if (has_left) pair_rank[best - 1] = merge_rank(left, left_key);
  }
  ids.insert(ids.end(), part_rank.begin(), part_rank.begin() + parts);
}

// The parts form a linked list by their first byte (next[i]: the first byte of the part after the
// part that starts at i). A min-heap holds candidate merges keyed (rank, start), so the lowest
// rank and, among equals, the leftmost pops first; in merges mode a "rank" is a place in the
// merge list and part_rank the part's id. A candidate is stale once its part is gone or its
// pair's rank has changed; a pair's bytes only grow, so a changed rank never comes back and the
// check is exact. O(n log n).
template <bool kPairs>
void ByteBpe::merge_long_piece(std::string_view piece, std::vector<int32_t>& ids) const {
  const auto n = static_cast<uint32_t>(piece.size());
  std::vector<uint32_t> next(n), prev(n);
  std::vector<int32_t> part_rank(n);
  std::vector<int32_t> pair_rank(n, kNoMerge);  // kNoMerge also for parts merged away
  std::vector<uint64_t> heap;
  heap.reserve(n);
  auto push = [&](uint32_t part) {
    if (next[part] >= n) {
      pair_rank[part] = kNoMerge;
    } else if constexpr (kPairs) {
      pair_rank[part] = merge_place(part_rank[part], part_rank[next[part]]);
    } else {
      pair_rank[part] = merge_rank(piece.substr(part, next[next[part]] - part));
    }
    if (pair_rank[part] != kNoMerge) {
      heap.push_back(static_cast<uint64_t>(pair_rank[part]) << 32 | part);
      std::push_heap(heap.begin(), heap.end(), std::greater<>());
    }
  };
  for (uint32_t i = 0; i < n; ++i) {
    next[i] = i + 1;
    prev[i] = i - 1;  // wraps for part 0, which has no predecessor and is never looked up
    part_rank[i] = ranks_.rank(piece.substr(i, 1));
  }
  next.push_back(n);  // next[n], read when the last part's pair is formed
  for (uint32_t i = 0; i + 1 < n; ++i) push(i);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>());
    const uint64_t top = heap.back();
    heap.pop_back();
    const auto part = static_cast<uint32_t>(top);
    const auto rank = static_cast<int32_t>(top >> 32);
    if (pair_rank[part] != rank) continue;
    part_rank[part] = kPairs ? merged_id_[static_cast<size_t>(rank)] : rank;
    const uint32_t gone = next[part];
    pair_rank[gone] = kNoMerge;
    next[part] = next[gone];
    if (next[part] < n) prev[next[part]] = part;
    push(part);
    if (part > 0) push(prev[part]);
  }
  for (uint32_t i = 0; i < n; i = next[i]) ids.push_back(part_rank[i]);
}

Expected<std::string> ByteBpe::decode(std::span<const int32_t> ids) const {
  std::string bytes;
  for (size_t i = 0; i < ids.size(); ++i) {
    const int32_t id = ids[i];
    std::string_view token;
    if (ranks_.token(id, &token)) {
      bytes += token;
      continue;
    }
    const auto special = std::find_if(specials_.begin(), specials_.end(),
                                      [&](const SpecialToken& s) { return s.id == id; });
    if (special != specials_.end()) {
      bytes += special->text;
      continue;
    }
    const std::string where = "id " + std::to_string(i) + ": ";
    if (id < 0 || id >= vocabulary_size_) {
      return Status::BadRecord(where + "expected a token id from 0 to " +
                               std::to_string(vocabulary_size_ - 1) + " (vocabulary size " +
                               std::to_string(vocabulary_size_) + "), found " + std::to_string(id));
    }
    return Status::BadRecord(where + "expected a token id, found " + std::to_string(id) +
                             ", which no token has (vocabulary size " +
                             std::to_string(vocabulary_size_) + ")");
  }
  return bytes;
}

}  // namespace sluice::text
