#include "text/bpe_trainer.h"

#include "text/byte_alphabet.h"

#include <array>
#include <queue>
#include <set>

namespace sluice::text {
namespace {

// (left id, right id), ordered as Hugging Face orders pairs.
using Pair = uint64_t;
Pair pair_of(int32_t left, int32_t right) {
  return static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32 | static_cast<uint32_t>(right);
}
int32_t left_of(Pair p) { return static_cast<int32_t>(p >> 32); }
int32_t right_of(Pair p) { return static_cast<int32_t>(p & 0xFFFFFFFFu); }

// A candidate merge: a pair, its count when pushed, and the pieces where it may be (an index
// into Training::places_). The heap's top is the highest count, then the smallest pair.
struct Candidate {
  int64_t count;
  Pair pair;
  size_t places;
};
struct Below {
  bool operator()(const Candidate& a, const Candidate& b) const {
    return a.count != b.count ? a.count < b.count : a.pair > b.pair;
  }
};

// Merges every non-overlapping (left, right) of `piece`, left to right, into `merged`, calling
// change(pair, +1 or -1) for each adjacent pair that appears or goes (Hugging Face's
// Word::merge).
template <class Change>
void merge_piece(std::vector<int32_t>& piece, int32_t left, int32_t right, int32_t merged,
                 Change&& change) {
  size_t out = 0;
  for (size_t in = 0; in < piece.size();) {
    if (piece[in] != left || in + 1 == piece.size() || piece[in + 1] != right) {
      piece[out++] = piece[in++];
      continue;
    }
    if (out > 0) {
      change(pair_of(piece[out - 1], left), -1);
      change(pair_of(piece[out - 1], merged), 1);
    }
    if (in + 2 < piece.size()) {
      change(pair_of(right, piece[in + 2]), -1);
      change(pair_of(merged, piece[in + 2]), 1);
    }
    piece[out++] = merged;
    in += 2;
  }
  piece.resize(out);
}

// The state of one training run.
class Training {
 public:
  Training(std::vector<std::vector<int32_t>> pieces, std::vector<int64_t> counts)
      : pieces_(std::move(pieces)), counts_(std::move(counts)) {
    for (size_t w = 0; w < pieces_.size(); ++w) {
      const std::vector<int32_t>& p = pieces_[w];
      for (size_t i = 0; i + 1 < p.size(); ++i) {
        const Pair pair = pair_of(p[i], p[i + 1]);
        pair_counts_[pair] += counts_[w];
        note(pair, static_cast<uint32_t>(w));
      }
    }
    push_noted();
  }

  // The next merge: false when none is left or the best count is below `min_count`.
  bool next(int64_t min_count, Pair* pair) {
    while (!queue_.empty()) {
      Candidate top = queue_.top();
      queue_.pop();
      const int64_t count = pair_counts_[top.pair];
      if (top.count != count) {
        top.count = count;
        queue_.push(top);
        continue;
      }
      if (count < std::max<int64_t>(min_count, 1)) return false;
      *pair = top.pair;
      current_ = top.places;
      return true;
    }
    return false;
  }

  // Merges the pair next() gave into `merged` in the pieces of its candidate.
  void merge(Pair pair, int32_t merged) {
    const std::vector<uint32_t> places = std::move(places_[current_]);
    for (const uint32_t w : places) {
      merge_piece(pieces_[w], left_of(pair), right_of(pair), merged, [&](Pair p, int delta) {
        pair_counts_[p] += delta * counts_[w];
        if (delta > 0) note(p, w);
      });
    }
    push_noted();
  }

 private:
  void note(Pair pair, uint32_t piece) {
    std::vector<uint32_t>& where = noted_[pair];
    if (where.empty() || where.back() != piece) where.push_back(piece);
  }
  void push_noted() {
    for (auto& [pair, where] : noted_) {
      const int64_t count = pair_counts_[pair];
      if (count <= 0) continue;
      places_.push_back(std::move(where));
      queue_.push({count, pair, places_.size() - 1});
    }
    noted_.clear();
  }

  std::vector<std::vector<int32_t>> pieces_;  // token ids
  std::vector<int64_t> counts_;               // by piece
  std::unordered_map<Pair, int64_t> pair_counts_;
  std::unordered_map<Pair, std::vector<uint32_t>> noted_;  // pieces where pairs appeared
  std::vector<std::vector<uint32_t>> places_;
  std::priority_queue<Candidate, std::vector<Candidate>, Below> queue_;
  size_t current_ = 0;
};

}  // namespace

Status check_bpe_trainer_options(const BpeTrainerOptions& options) {
  const auto specials = static_cast<int64_t>(options.special_tokens.size());
  std::set<std::string> seen;
  std::string bytes;
  for (const std::string& s : options.special_tokens) {
    if (s.empty() || (from_byte_alphabet(s, &bytes) && bytes.size() == 1)) {
      return Status::Invalid(
          "param 'special_tokens': expected tokens of more than one byte's "
          "character, found \"" +
          s + "\"");
    }
    if (!seen.insert(s).second) {
      return Status::Invalid("param 'special_tokens': expected each token once, found \"" + s +
                             "\" twice");
    }
  }
  if (options.vocab_size < 256 + specials) {
    return Status::Invalid("param 'vocab_size': expected at least " +
                           std::to_string(256 + specials) + " (the 256 bytes and " +
                           std::to_string(specials) + " special tokens), found " +
                           std::to_string(options.vocab_size));
  }
  if (options.min_frequency < 0) {
    return Status::Invalid("param 'min_frequency': expected 0 or more, found " +
                           std::to_string(options.min_frequency));
  }
  return {};
}

void BpeTrainer::add(std::string_view text) {
  for (size_t start = 0; start < text.size();) {
    const size_t end = piece_end(pattern_, text, start);
    const std::string_view piece = text.substr(start, end - start);
    auto it = counts_.find(piece);
    if (it == counts_.end()) it = counts_.emplace(std::string(piece), 0).first;
    ++it->second;
    ++pieces_;
    start = end;
  }
}

Expected<ByteBpe> BpeTrainer::train(const BpeTrainerOptions& options) const {
  SLUICE_RETURN_IF_ERROR(check_bpe_trainer_options(options));
  std::vector<SpecialToken> specials;
  std::unordered_map<std::string, int32_t> id_of;
  std::vector<std::string> tokens;  // by id; "" for the specials
  for (const std::string& s : options.special_tokens) {
    specials.push_back({s, static_cast<int32_t>(tokens.size())});
    id_of.emplace(s, static_cast<int32_t>(tokens.size()));
    tokens.emplace_back();
  }
  std::array<int32_t, 256> byte_id{};
  for (const unsigned char b : byte_alphabet_order()) {
    byte_id[b] = static_cast<int32_t>(tokens.size());
    id_of.emplace(std::string(1, static_cast<char>(b)), static_cast<int32_t>(tokens.size()));
    tokens.emplace_back(1, static_cast<char>(b));
  }
  std::vector<std::vector<int32_t>> pieces;
  std::vector<int64_t> counts;
  pieces.reserve(counts_.size());
  counts.reserve(counts_.size());
  for (const auto& [piece, count] : counts_) {
    std::vector<int32_t>& ids = pieces.emplace_back();
    ids.reserve(piece.size());
    for (const char c : piece) ids.push_back(byte_id[static_cast<unsigned char>(c)]);
    counts.push_back(count);
  }
  Training training(std::move(pieces), std::move(counts));
  std::vector<std::pair<int32_t, int32_t>> merges;
  Pair pair;
  while (static_cast<int64_t>(id_of.size()) < options.vocab_size &&
         training.next(options.min_frequency, &pair)) {
    std::string token =
        tokens[static_cast<size_t>(left_of(pair))] + tokens[static_cast<size_t>(right_of(pair))];
    const auto [it, fresh] = id_of.emplace(token, static_cast<int32_t>(tokens.size()));
    if (fresh) tokens.push_back(std::move(token));
    merges.emplace_back(left_of(pair), right_of(pair));
    training.merge(pair, it->second);
  }
  Expected<RankTable> table = RankTable::from_tokens(std::move(tokens));
  if (!table.ok()) return table.status();
  return ByteBpe::from_merges(std::move(*table), merges, pattern_, std::move(specials));
}

}  // namespace sluice::text
