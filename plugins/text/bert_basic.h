// BERT's "basic" tokenizer: the text normalisation and word splitting that come before WordPiece,
// with exactly the rules of Hugging Face tokenizers' BertNormalizer and BertPreTokenizer (which
// are those of Google's original BERT), so that ids match theirs:
//   1. clean (clean_text): drop U+0000, U+FFFD and characters of general category C (control,
//   format,
//      surrogate, private use, unassigned) except tab, LF and CR, so also the White_Space
//      controls VT, FF and NEL; tab, LF, CR and the other White_Space characters become ' '.
//   2. CJK (handle_chinese_chars): a space on both sides of each CJK Unified Ideograph (the BMP
//   blocks, Extensions A-E
//      and the compatibility ideographs), so that each is a word of its own.
//   3. strip accents (strip_accents): NFD, then drop non-spacing marks (Mn). Not recomposed.
//   4. lowercase (lowercase): each character on its own (no final-sigma rule), as Rust's
//   char::to_lowercase.
//   5. split: words are the runs between White_Space characters, and each punctuation
//      character (ASCII punctuation, or general category P) is a word of its own.
// The options are BertNormalizer's; Hugging Face's default for strip_accents is `lowercase`.
// Pure functions over valid UTF-8; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::text {

struct BertNormalizeOptions {
  bool clean_text = true;
  bool handle_chinese_chars = true;
  bool strip_accents = true;
  bool lowercase = true;
};

// Steps 1-4, those that `options` turn on, of valid UTF-8 `text`.
std::string bert_normalize(std::string_view text, const BertNormalizeOptions& options);

// Step 5 over normalised text: the words, as views into `normalized`.
std::vector<std::string_view> bert_split(std::string_view normalized);

}  // namespace sluice::text
