// Byte-level BPE training with exactly the merges of Hugging Face tokenizers' BpeTrainer (with a
// ByteLevel pre-tokenizer, add_prefix_space false, and the 256 byte characters as its initial
// alphabet) on the same texts and settings:
//   - the texts are cut into pieces by the pattern (text/pretokenize.h) and the pieces counted;
//   - ids: the special tokens 0 to n - 1, then the 256 bytes in GPT-2's alphabet order
//     (text/byte_alphabet.h), then one per new token;
//   - each step merges the adjacent pair with the highest count (every adjacent pair of every
//     piece, overlapping ones included, weighted by the piece's count), ties to the smallest
//     (left id, right id), left to right without overlap in each piece that holds it, until the
//     vocabulary has vocab_size tokens or the best count is below min_frequency (or 1). A
//     merge whose bytes are a token already gives no new id, as in Hugging Face.
// Pair counts are updated incrementally from the pieces a merge touched (an index from each pair
// to the pieces holding it), and the best pair comes from a max-heap whose stale entries are
// re-pushed with their current count when they surface, as Hugging Face does.
// Not thread-safe: one trainer per op instance; train() leaves it unchanged.
#pragma once

#include "text/byte_bpe.h"
#include "text/pretokenize.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sluice::text {

struct BpeTrainerOptions {
  int64_t vocab_size = 1000;  // all tokens: specials, the 256 bytes and the merges
  int64_t min_frequency = 0;
  std::vector<std::string> special_tokens;
};

// INVALID_ARGUMENT, naming the option, for vocab_size below 256 + the specials, a negative
// min_frequency, and special tokens that are empty, given twice or one byte's character.
Status check_bpe_trainer_options(const BpeTrainerOptions& options);

class BpeTrainer {
 public:
  explicit BpeTrainer(PretokenPattern pattern) : pattern_(pattern) {}

  // Counts the pieces of `text` (any bytes).
  void add(std::string_view text);
  int64_t pieces() const { return pieces_; }
  size_t distinct_pieces() const { return counts_.size(); }

  // The trained model, in merges mode (text/byte_bpe.h), with options.special_tokens as its
  // special tokens. Fails as check_bpe_trainer_options does.
  Expected<ByteBpe> train(const BpeTrainerOptions& options) const;

 private:
  PretokenPattern pattern_;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::unordered_map<std::string, int64_t, Hash, std::equal_to<>> counts_;
  int64_t pieces_ = 0;
};

}  // namespace sluice::text
