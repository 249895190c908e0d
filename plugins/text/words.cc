#include "text/words.h"

#include "text/unicode.h"

#include <unicode/regex.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

namespace sluice::text {

Expected<WordSplitter> WordSplitter::make(const std::string& pattern, bool lowercase) {
  WordSplitter s;
  s.lowercase_ = lowercase;
  if (pattern.empty()) return s;
  UParseError where{};
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexPattern> compiled(icu::RegexPattern::compile(
      icu::UnicodeString::fromUTF8(pattern), 0, where, status));
  if (U_FAILURE(status)) {
    return Status::Invalid("expected an ICU regular expression, found '" + pattern + "': " +
                           u_errorName(status) + " at offset " + std::to_string(where.offset));
  }
  s.pattern_ = std::move(compiled);
  return s;
}

Expected<std::string> WordSplitter::split(std::string_view text) const {
  const std::string lowered = lowercase_ ? lowercase(text) : std::string();
  if (lowercase_) text = lowered;
  if (!pattern_) return collapse_white_space(text);
  const icu::UnicodeString input =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> m(pattern_->matcher(input, status));
  std::string out, word;
  while (U_SUCCESS(status) && m->find(status)) {
    icu::UnicodeString match = m->group(status);
    if (match.isEmpty()) continue;
    word.clear();
    match.toUTF8String(word);
    if (find_white_space(word) != std::string::npos) {
      return Status::Invalid("expected words without white space, found the match '" + word +
                             "' of the pattern");
    }
    if (!out.empty()) out += ' ';
    out += word;
  }
  if (U_FAILURE(status)) {
    return Status::Internal(std::string("ICU regular expression matching failed: ") +
                            u_errorName(status));
  }
  return out;
}

}  // namespace sluice::text
