#include "text/byte_level_bpe.h"

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
    } else {
      encode_piece(piece, ids);
    }
  });
}

// The parts are byte ranges [start, next[start]); merging a pair removes its second part's
// boundary. A min-heap of candidates keyed (rank, start) picks the lowest-ranked, leftmost pair;
// entries made stale by a merge are skipped when they surface (their part is gone or its pair's
// rank has changed). O(n log n) in the piece's length.
void ByteLevelBpe::encode_piece(std::string_view piece, std::vector<int32_t>& ids) const {
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
