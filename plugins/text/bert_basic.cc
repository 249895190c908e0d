#include "text/bert_basic.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstdint>

namespace sluice::text {
namespace {

bool is_other_category(UChar32 c) {
  const int8_t type = u_charType(c);
  return type == U_CONTROL_CHAR || type == U_FORMAT_CHAR || type == U_SURROGATE ||
         type == U_PRIVATE_USE_CHAR || type == U_UNASSIGNED;
}

bool is_white_space(UChar32 c) { return u_hasBinaryProperty(c, UCHAR_WHITE_SPACE) != 0; }

bool is_cjk_ideograph(UChar32 c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
         (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

bool is_ascii_punctuation(UChar32 c) {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
         (c >= 123 && c <= 126);
}

bool is_punctuation(UChar32 c) {
  if (c < 0x80) return is_ascii_punctuation(c);
  return (U_GET_GC_MASK(c) & U_GC_P_MASK) != 0;
}

void append_utf8(std::string& out, UChar32 c) {
  char buf[U8_MAX_LENGTH];
  int32_t n = 0;
  U8_APPEND_UNSAFE(buf, n, c);
  out.append(buf, static_cast<size_t>(n));
}

// Step 3: NFD, then non-spacing marks dropped.
std::string strip_accents(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString decomposed = nfd->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))),
      status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    if (u_charType(c) != U_NON_SPACING_MARK) append_utf8(out, c);
    i += U16_LENGTH(c);
  }
  return out;
}

// Step 4, one character at a time as Hugging Face does (Rust's char::to_lowercase): the simple
// mapping, plus the one unconditional full mapping (U+0130 -> "i\u0307"); no context rules, so
// a word-final capital sigma becomes σ, not ς.
std::string lowercase_chars(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto n = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    if (c == 0x130) {
      out += "i\xCC\x87";
    } else if (c >= 0) {
      append_utf8(out, u_tolower(c));
    }
  }
  return out;
}

}  // namespace

std::string bert_normalize(std::string_view text, const BertNormalizeOptions& options) {
  std::string cleaned;
  cleaned.reserve(text.size() + text.size() / 8);
  bool ascii_only = true;
  const auto n = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    if (c < 0) continue;  // callers pass valid UTF-8
    if (options.clean_text) {
      if (c == 0 || c == 0xFFFD) continue;
      if (c == '\t' || c == '\n' || c == '\r' || (!is_other_category(c) && is_white_space(c))) {
        cleaned += ' ';
        continue;
      }
      if (is_other_category(c)) continue;
    }
    if (options.handle_chinese_chars && is_cjk_ideograph(c)) {
      cleaned += ' ';
      append_utf8(cleaned, c);
      cleaned += ' ';
      ascii_only = false;
    } else if (c < 0x80) {
      cleaned += static_cast<char>(c);
    } else {
      append_utf8(cleaned, c);
      ascii_only = false;
    }
  }
  if (ascii_only) {
    if (options.lowercase) {
      for (char& ch : cleaned) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      }
    }
    return cleaned;
  }
  if (options.strip_accents) cleaned = strip_accents(cleaned);
  return options.lowercase ? lowercase_chars(cleaned) : cleaned;
}

std::vector<std::string_view> bert_split(std::string_view normalized) {
  std::vector<std::string_view> words;
  const auto n = static_cast<int32_t>(normalized.size());
  int32_t word_start = -1;
  auto end_word = [&](int32_t at) {
    if (word_start >= 0) {
      words.push_back(normalized.substr(static_cast<size_t>(word_start),
                                        static_cast<size_t>(at - word_start)));
    }
    word_start = -1;
  };
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(normalized.data(), i, n, c);
    if (c == ' ' || ((c >= 0x80 || c < ' ') && is_white_space(c))) {
      end_word(start);
    } else if (is_punctuation(c)) {
      end_word(start);
      words.push_back(normalized.substr(static_cast<size_t>(start),
                                        static_cast<size_t>(i - start)));
    } else if (word_start < 0) {
      word_start = start;
    }
  }
  end_word(n);
  return words;
}

}  // namespace sluice::text
