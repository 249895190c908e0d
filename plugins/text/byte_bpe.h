// Byte-level BPE, in one of two modes. Encoding cuts the text into pieces (text/pretokenize.h)
// and merges each piece's bytes pair by pair:
//   - ranks (create, gpt2, cl100k_base): exactly tiktoken's ids. A piece that is a token is that
//     token; otherwise the adjacent pair whose merged bytes have the lowest rank (the leftmost of
//     equals) merges, until no adjacent pair is a token, as tiktoken's _byte_pair_merge does.
//   - merges (from_merges): exactly Hugging Face tokenizers' BPE model (what a tokenizer.json
//     holds). The adjacent pair of tokens that comes first in the merge list (the leftmost of
//     equals) merges into its token, until no adjacent pair is in the list; a piece that is a
//     token is not taken whole. The two modes agree for GPT-2, not for every vocabulary.
// Pieces up to kShortPiece bytes merge with a scan per merge (ranks mode); longer ones, and all
// pieces in merges mode, with a heap of candidate pairs over a linked list of parts, in
// O(n log n), so that pathological pieces (1 MB of one letter) stay fast.
//
// Special tokens ("<|endoftext|>") are known to the model: decode spells them, but encode treats
// their text as ordinary text (tiktoken's encode_ordinary); text/tokenizer.h matches them where a
// caller allows it.
// Any bytes can be encoded, UTF-8 or not, and decode(encode(x)) == x.
// Immutable once built; thread-safe.
#pragma once

#include "text/pretokenize.h"
#include "text/special_tokens.h"
#include "text/tiktoken_ranks.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sluice::text {

class ByteBpe {
 public:
  // Ranks mode. Fails when a special token is empty, has the id of a token of `ranks` or an id or
  // text given twice.
  static Expected<ByteBpe> create(RankTable ranks, PretokenPattern pattern,
                                  std::vector<SpecialToken> specials);
  // Merges mode: `merges[i]` = (left id, right id) merges into the token of their bytes joined,
  // before merges[i + 1]; a pair listed twice keeps its last place (as Hugging Face does). Fails
  // as create() does, and naming the first merge whose parts or result are no tokens.
  static Expected<ByteBpe> from_merges(RankTable tokens,
                                       const std::vector<std::pair<int32_t, int32_t>>& merges,
                                       PretokenPattern pattern, std::vector<SpecialToken> specials);
  // GPT-2 (r50k_base): its pattern and <|endoftext|> = 50256.
  static Expected<ByteBpe> gpt2(RankTable ranks);
  // cl100k_base: its pattern, <|endoftext|> = 100257, <|fim_prefix|> = 100258,
  // <|fim_middle|> = 100259, <|fim_suffix|> = 100260, <|endofprompt|> = 100276.
  static Expected<ByteBpe> cl100k_base(RankTable ranks);

  // The ids of `text`, special-token text encoded as ordinary text.
  std::vector<int32_t> encode(std::string_view text) const;
  // Appends the ids of `text` to `ids`, special-token text encoded as ordinary text.
  void encode(std::string_view text, std::vector<int32_t>& ids) const;
  // The bytes of `ids`. Fails on the first id that is no token, naming its position, the id and
  // the vocabulary size.
  Expected<std::string> decode(std::span<const int32_t> ids) const;

  // One past the highest id, special tokens included.
  int32_t vocabulary_size() const { return vocabulary_size_; }
  const RankTable& ranks() const { return ranks_; }
  PretokenPattern pattern() const { return pattern_; }
  // Merges mode: the merges in order, each pair once (empty in ranks mode).
  const std::vector<std::pair<int32_t, int32_t>>& merges() const { return merges_; }
  const std::vector<SpecialToken>& specials() const { return specials_; }

 private:
  static constexpr size_t kShortPiece = 64;

  ByteBpe(RankTable ranks, PretokenPattern pattern, std::vector<SpecialToken> specials);

  // `key`: the piece's RankTable::key.
  void encode_piece(std::string_view piece, const RankTable::Key& key,
                    std::vector<int32_t>& ids) const;
  void merge_short_piece(std::string_view piece, std::vector<int32_t>& ids) const;
  // kPairs: merges mode, else ranks mode.
  template <bool kPairs>
  void merge_long_piece(std::string_view piece, std::vector<int32_t>& ids) const;
  // The rank of `bytes` (whose RankTable::key is `key`); INT32_MAX when they are no token.
  int32_t merge_rank(std::string_view bytes) const;
  int32_t merge_rank(std::string_view bytes, const RankTable::Key& key) const;
  // Merges mode: the place in the merge list of the pair (left, right); INT32_MAX when none.
  int32_t merge_place(int32_t left, int32_t right) const;

  RankTable ranks_;
  PretokenPattern pattern_;
  std::vector<SpecialToken> specials_;
  int32_t vocabulary_size_;
  bool pairs_ = false;  // merges mode
  std::vector<std::pair<int32_t, int32_t>> merges_;
  std::unordered_map<uint64_t, int32_t> merge_place_;  // place in merges_, by left << 32 | right
  std::vector<int32_t> merged_id_;                     // by place in merges_
  // This model's owner key in the threads' PieceCaches: unique in the process (its address is
  // not: a model created where a destroyed one was would find that one's cached pieces).
  uint64_t cache_owner_;
};

}  // namespace sluice::text
