#include "text/byte_level_bpe.h"

#include <array>
#include <limits>
#include <queue>

namespace sluice::text {
namespace {

constexpr int32_t kNoRank = std::numeric_limits<int32_t>::max();

// A candidate merge: the pair starting at part `start`, whose merged bytes have rank `rank`.
struct Candidate {
  int32_t rank;
  uint32_t start;
  bool operator>(const Candidate& o) const {
    return rank != o.rank ? rank > o.rank : start > o.start;
  }
};

}  // namespace

void ByteLevelBpe::encode(std::string_view text, std::vector<int32_t>& ids) const {
  for_each_bpe_piece(pattern_, text, [&](std::string_view piece) {
    if (int32_t rank = ranks_.rank(piece); rank >= 0) {
      ids.push_back(rank);
    } else if (piece.size() <= kShortPiece) {
      encode_short_piece(piece, ids);
    } else {
      encode_long_piece(piece, ids);
    }
  });
}

// Short pieces (most of them): the parts' starts in a small array, scanned for the
// lowest-ranked pair on every merge, as tiktoken does; O(n^2) but allocation-free.
void ByteLevelBpe::encode_short_piece(std::string_view piece, std::vector<int32_t>& ids) const {
  const auto n = static_cast<uint32_t>(piece.size());
  // starts[0..parts] are the parts' starts and the end; ranks[i]: rank of parts i and i + 1.
  std::array<uint32_t, kShortPiece + 1> starts;
  std::array<int32_t, kShortPiece> ranks;
  uint32_t parts = n;
  for (uint32_t i = 0; i <= n; ++i) starts[i] = i;
  auto pair_rank = [&](uint32_t i) {
    if (i + 2 > parts) return kNoRank;
    const int32_t rank = ranks_.rank(piece.substr(starts[i], starts[i + 2] - starts[i]));
    return rank < 0 ? kNoRank : rank;
  };
  for (uint32_t i = 0; i + 1 < parts; ++i) ranks[i] = pair_rank(i);
  while (parts > 1) {
    uint32_t best = 0;
    for (uint32_t i = 1; i + 1 < parts; ++i) {
      if (ranks[i] < ranks[best]) best = i;
    }
    if (ranks[best] == kNoRank) break;
    // Part best + 1 joins part best.
    for (uint32_t i = best + 1; i < parts; ++i) starts[i] = starts[i + 1];
    for (uint32_t i = best + 1; i + 1 < parts - 1; ++i) ranks[i] = ranks[i + 1];
    --parts;
    ranks[best] = pair_rank(best);
    if (best > 0) ranks[best - 1] = pair_rank(best - 1);
  }
  for (uint32_t i = 0; i < parts; ++i) {
    ids.push_back(ranks_.rank(piece.substr(starts[i], starts[i + 1] - starts[i])));
  }
}

// Long pieces: the parts are byte ranges [start, next[start]); merging a pair removes its second
// part's boundary. A min-heap of candidates keyed (rank, start) picks the lowest-ranked, leftmost pair;
// entries made stale by a merge are skipped when they surface (their part is gone or its pair's
// rank has changed). O(n log n) in the piece's length.
void ByteLevelBpe::encode_long_piece(std::string_view piece, std::vector<int32_t>& ids) const {
  const auto n = static_cast<uint32_t>(piece.size());
  std::vector<uint32_t> next(n), prev(n);
  std::vector<int32_t> pair_rank(n, kNoRank);
  std::vector<bool> alive(n, true);
  for (uint32_t i = 0; i < n; ++i) {
    next[i] = i + 1;
    prev[i] = i == 0 ? 0 : i - 1;
  }
  auto rank_of_pair = [&](uint32_t start) {
    if (next[start] >= n) return kNoRank;
    const int32_t rank = ranks_.rank(piece.substr(start, next[next[start]] - start));
    return rank < 0 ? kNoRank : rank;
  };
  // next[] of the last part is n; next[n] is read by rank_of_pair only through a part < n.
  next.push_back(n);
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
  for (uint32_t i = 0; i + 1 < n; ++i) {
    pair_rank[i] = rank_of_pair(i);
    if (pair_rank[i] != kNoRank) heap.push({pair_rank[i], i});
  }
  while (!heap.empty()) {
    const Candidate c = heap.top();
    heap.pop();
    if (!alive[c.start] || pair_rank[c.start] != c.rank) continue;
    const uint32_t gone = next[c.start];
    alive[gone] = false;
    next[c.start] = next[gone];
    if (next[c.start] < n) prev[next[c.start]] = c.start;
    pair_rank[c.start] = rank_of_pair(c.start);
    if (pair_rank[c.start] != kNoRank) heap.push({pair_rank[c.start], c.start});
    if (c.start > 0) {
      const uint32_t before = prev[c.start];
      pair_rank[before] = rank_of_pair(before);
      if (pair_rank[before] != kNoRank) heap.push({pair_rank[before], before});
    }
  }
  for (uint32_t i = 0; i < n; i = next[i]) {
    ids.push_back(ranks_.rank(piece.substr(i, next[i] - i)));
  }
}

Status ByteLevelBpe::decode(const std::vector<int32_t>& ids, std::string& out) const {
  for (size_t i = 0; i < ids.size(); ++i) {
    std::string_view bytes;
    if (!ranks_.bytes(ids[i], &bytes)) {
      return Status::BadRecord("id " + std::to_string(i) + ": expected a token id from 0 to " +
                               std::to_string(ranks_.size() - 1) + ", found " +
                               std::to_string(ids[i]));
    }
    out.append(bytes);
  }
  return {};
}

}  // namespace sluice::text
