// Byte-level BPE with exactly tiktoken's ids (GPT-2 / r50k_base, cl100k_base). Encoding cuts the
// text into pieces (text/pretokenize.h); a piece that is a token is that token; otherwise its
// bytes are merged pair by pair, always the adjacent pair whose merged bytes have the lowest rank
// (the leftmost of equals), until no adjacent pair is a token, as tiktoken's _byte_pair_merge
// does. Pieces up to kShortPiece bytes merge with a scan per merge; longer ones with a heap of
// candidate pairs over a linked list of parts, in O(n log n), so that pathological pieces (1 MB
// of one letter) stay fast.
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
#include <vector>

namespace sluice::text {

class ByteBpe {
 public:
  // Fails when a special token is empty, has an id below ranks.size() (a rank's id) or an id or
  // text given twice.
  static Expected<ByteBpe> create(RankTable ranks, PretokenPattern pattern,
                                  std::vector<SpecialToken> specials);
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
  const std::vector<SpecialToken>& specials() const { return specials_; }

 private:
  static constexpr size_t kShortPiece = 64;

  ByteBpe(RankTable ranks, PretokenPattern pattern, std::vector<SpecialToken> specials);

  // `key`: the piece's RankTable::key.
  void encode_piece(std::string_view piece, const RankTable::Key& key,
                    std::vector<int32_t>& ids) const;
  void merge_short_piece(std::string_view piece, std::vector<int32_t>& ids) const;
  void merge_long_piece(std::string_view piece, std::vector<int32_t>& ids) const;
  // The rank of `bytes` (whose RankTable::key is `key`); INT32_MAX when they are no token.
  int32_t merge_rank(std::string_view bytes) const;
  int32_t merge_rank(std::string_view bytes, const RankTable::Key& key) const;

  RankTable ranks_;
  PretokenPattern pattern_;
  std::vector<SpecialToken> specials_;
  int32_t vocabulary_size_;
};

}  // namespace sluice::text
