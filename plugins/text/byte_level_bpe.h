// Byte-level BPE (GPT-2 / r50k_base, cl100k_base) with exactly tiktoken's ids: text is cut into
// pieces (text/bpe_pretokenize.h); a piece that is a token is that token, otherwise its bytes are
// merged pair by pair, always the adjacent pair whose merged bytes have the lowest rank (the
// leftmost of equals), until no pair is a token. Special tokens are not recognised in the text
// (tiktoken's encode_ordinary): "<|endoftext|>" encodes as ordinary text. Immutable; thread-safe.
#pragma once

#include "text/bpe_pretokenize.h"
#include "text/bpe_ranks.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::text {

class ByteLevelBpe {
 public:
  ByteLevelBpe(BpeRanks ranks, BpePattern pattern) : ranks_(std::move(ranks)), pattern_(pattern) {}

  // Appends the ids of `text` (any bytes; not UTF-8 is fine) to `ids`.
  void encode(std::string_view text, std::vector<int32_t>& ids) const;
  // Appends the bytes of `ids` to `out`; fails on the first id that is no token, naming it and
  // the vocabulary's size (what was appended before it stays).
  Status decode(const std::vector<int32_t>& ids, std::string& out) const;

  const BpeRanks& ranks() const { return ranks_; }

 private:
  // Pieces up to this many bytes merge by scanning; longer ones with a heap (linear-ish time).
  static constexpr uint32_t kShortPiece = 64;

  void encode_short_piece(std::string_view piece, std::vector<int32_t>& ids) const;
  void encode_long_piece(std::string_view piece, std::vector<int32_t>& ids) const;

  BpeRanks ranks_;
  BpePattern pattern_;
};

}  // namespace sluice::text
