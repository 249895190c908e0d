// The pre-tokenizers of OpenAI's byte-level BPE models: text cut into pieces that BPE then encodes
// one at a time. Hand-written scanners (no regex engine) with exactly the semantics of the
// models' patterns, as tiktoken runs them (leftmost-first alternation, greedy, possessive where
// marked, backtracking only where the lookahead needs it):
//   kGpt2 (r50k):  's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//   kCl100k:       '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}
//                  | ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+
// \p{L} and \p{N} are the Unicode general categories L and N and \s the White_Space property (as
// Rust's regex crate defines them), from ICU. The (?i) of cl100k's contractions folds ASCII case
// only, as tiktoken does: "'ſ" (U+017F LATIN SMALL LETTER LONG S) is no contraction.
//
// Input is any bytes: a byte that does not start a valid UTF-8 sequence (overlong, surrogate,
// above U+10FFFF, cut short) is a character of its own, in none of L, N or \s. The pieces
// concatenate to the input, so every byte lands in exactly one piece. Time is linear in the
// input's length. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace sluice::text {

enum class PretokenPattern { kGpt2, kCl100k };

// The end (a byte offset) of the piece of `text` that starts at `start` (< text.size()).
size_t piece_end(PretokenPattern pattern, std::string_view text, size_t start);

// All the pieces of `text`, in order.
std::vector<std::string_view> pretokenize(PretokenPattern pattern, std::string_view text);

}  // namespace sluice::text
