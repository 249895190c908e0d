#include "text/unicode.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <limits>

namespace sluice::text {
namespace {

icu::UnicodeString to_unicode(std::string_view text) {
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}

std::string to_utf8(const icu::UnicodeString& u) {
  std::string out;
  u.toUTF8String(out);
  return out;
}

// Applies a normaliser from ICU's data; an ICU failure leaves `u` as it is.
void apply(const icu::Normalizer2* (*instance)(UErrorCode&), icu::UnicodeString& u) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = instance(status);
  if (U_FAILURE(status)) return;
  icu::UnicodeString out = n->normalize(u, status);
  if (U_SUCCESS(status)) u = std::move(out);
}

void strip_marks(icu::UnicodeString& u) {
  apply(&icu::Normalizer2::getNFDInstance, u);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    if (u_charType(c) != U_NON_SPACING_MARK) kept.append(c);
    i += U16_LENGTH(c);
  }
  u = std::move(kept);
  apply(&icu::Normalizer2::getNFCInstance, u);
}

}  // namespace

Status check_utf8(std::string_view text) {
  if (text.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return Status::Invalid("expected text under 2 GiB, found " + std::to_string(text.size()) +
                           " bytes");
  }
  const auto n = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    if (c < 0) {
      static const char* kHex = "0123456789abcdef";
      const auto byte = static_cast<unsigned char>(text[start]);
      return Status::Invalid(std::string("expected UTF-8, found the invalid byte 0x") +
                             kHex[byte >> 4] + kHex[byte & 0xf] + " at byte " +
                             std::to_string(start));
    }
  }
  return {};
}

std::string normalize(std::string_view text, const NormalizeOptions& options) {
  icu::UnicodeString u = to_unicode(text);
  if (options.form == NormalForm::kNfc) apply(&icu::Normalizer2::getNFCInstance, u);
  if (options.form == NormalForm::kNfkc) apply(&icu::Normalizer2::getNFKCInstance, u);
  if (options.strip_accents) strip_marks(u);
  if (options.lowercase) u.toLower(icu::Locale::getRoot());
  std::string out = to_utf8(u);
  return options.collapse_whitespace ? collapse_white_space(out) : out;
}

std::string lowercase(std::string_view text) {
  icu::UnicodeString u = to_unicode(text);
  u.toLower(icu::Locale::getRoot());
  return to_utf8(u);
}

std::string collapse_white_space(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  const auto n = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    if (c >= 0 && u_isUWhiteSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out.append(text.substr(start, i - start));
  }
  return out;
}

size_t find_white_space(std::string_view text) {
  const auto n = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    if (c >= 0 && u_isUWhiteSpace(c)) return static_cast<size_t>(start);
  }
  return std::string_view::npos;
}

}  // namespace sluice::text
