// The pre-tokenizers of OpenAI's byte-level BPE models: text cut into the pieces that BPE then
// encodes one by one. Hand-written scanners with exactly the semantics of the models' regular
// expressions (leftmost-first alternation, greedy, with the backtracking of the lookahead), in
// time linear in the text:
//   gpt2 (r50k):  's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//   cl100k:       '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}
//                 | ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+
// \p{L} and \p{N} are the Unicode general categories L and N, \s the White_Space property (as
// in the Rust regex crate tiktoken uses), from ICU. Input need not be UTF-8: a byte that does not
// start a valid UTF-8 sequence is a character of its own in none of those classes, so every byte
// of the input lands in exactly one piece. Thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace sluice::text {

enum class BpePattern { kGpt2, kCl100k };

// Calls `piece(std::string_view)` for each piece of `text`, in order; the pieces concatenate to
// `text`.
template <class F>
void for_each_bpe_piece(BpePattern pattern, std::string_view text, F&& piece);

// The end (byte offset) of the piece that starts at `start` < text.size().
size_t bpe_piece_end(BpePattern pattern, std::string_view text, size_t start);

template <class F>
void for_each_bpe_piece(BpePattern pattern, std::string_view text, F&& piece) {
  for (size_t start = 0; start < text.size();) {
    const size_t end = bpe_piece_end(pattern, text, start);
    piece(text.substr(start, end - start));
    start = end;
  }
}

}  // namespace sluice::text
