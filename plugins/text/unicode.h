// Unicode text operations over UTF-8 strings, with ICU. Pure functions; thread-safe.
#pragma once

#include <sluice/status.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice::text {

enum class NormalForm { kNone, kNfc, kNfkc };

struct NormalizeOptions {
  NormalForm form = NormalForm::kNfc;
  bool strip_accents = false;
  bool lowercase = true;
  bool collapse_whitespace = true;
};

// INVALID_ARGUMENT "expected UTF-8, found ..." naming the byte offset of the first bad sequence.
Status check_utf8(std::string_view text);

// `text` (valid UTF-8) with, in this order: the Unicode normal form applied (NFC or NFKC); accents
// stripped (decomposed, combining marks of category Mn removed, recomposed); full Unicode
// lowercasing (root locale); runs of White_Space characters made one ' ' and the ends trimmed.
std::string normalize(std::string_view text, const NormalizeOptions& options);

// Full Unicode lowercasing (root locale) of valid UTF-8.
std::string lowercase(std::string_view text);

// `text` (valid UTF-8) with its runs of White_Space characters made one ' ' and its ends trimmed.
std::string collapse_white_space(std::string_view text);

// The first White_Space character in `text` (valid UTF-8), as a byte offset; npos when none.
size_t find_white_space(std::string_view text);

}  // namespace sluice::text
