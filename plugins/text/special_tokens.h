// Special tokens (<|endoftext|>, [CLS], ...): tokens that stand for a control symbol rather than
// text. A tokenizer matches their text in the input only where the caller allows it; elsewhere
// their text is ordinary text. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::text {

struct SpecialToken {
  std::string text;
  int32_t id;
};

// What a tokenizer does with special tokens, beside its model.
struct SpecialTokenRules {
  std::vector<SpecialToken> specials;
  bool matched_by_default = false;      // their text is matched in the input by default
  std::vector<int32_t> prefix, suffix;  // put around a sequence when special tokens are added
  bool added_by_default = false;
  int32_t pad_id = 0;
};

// A part of a text: ordinary text, or one occurrence of a special token.
struct TextSegment {
  std::string_view text;                  // the bytes of the part
  const SpecialToken* special = nullptr;  // the token when the part is one
};

// `text` cut at each occurrence of a token of `allowed`, left to right; where several start at
// one place, the longest wins. Empty ordinary parts are left out. Linear in the text's length
// times the number of allowed tokens.
std::vector<TextSegment> split_on_special(std::string_view text,
                                          const std::vector<const SpecialToken*>& allowed);

// "none" when `specials` is empty, else their texts quoted and comma-separated.
std::string quoted_texts(const std::vector<SpecialToken>& specials);

}  // namespace sluice::text
