#include "text/pretokenize.h"

#include <unicode/uchar.h>

#include <array>
#include <cstdint>

namespace sluice::text {
namespace {

// The classes the patterns tell apart. Newlines ('\r', '\n') are spaces that cl100k also names.
enum class Class : uint8_t { kLetter, kNumber, kSpace, kOther };

struct Char {
  Class cls;
  uint8_t size;  // in bytes: 1 for an invalid byte
};

Class class_of_code_point(UChar32 c) {
  const int8_t type = u_charType(c);
  switch (type) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
      return Class::kLetter;
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
      return Class::kNumber;
    // Every White_Space character is in one of these categories.
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
    case U_CONTROL_CHAR:
      return u_hasBinaryProperty(c, UCHAR_WHITE_SPACE) ? Class::kSpace : Class::kOther;
    default:
      return Class::kOther;
  }
}

const std::array<Class, 128> kAsciiClass = [] {
  std::array<Class, 128> table{};
  for (UChar32 c = 0; c < 128; ++c) table[static_cast<size_t>(c)] = class_of_code_point(c);
  return table;
}();

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// The character at `i` < text.size(): a valid UTF-8 sequence, or else one invalid byte.
Char char_at(std::string_view text, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + i;
  const size_t left = text.size() - i;
  const unsigned char b0 = p[0];
  if (b0 < 0x80) return {kAsciiClass[b0], 1};
  constexpr Char kInvalid{Class::kOther, 1};
  UChar32 c;
  uint8_t size;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (left < 2 || !is_continuation(p[1])) return kInvalid;
    c = ((b0 & 0x1F) << 6) | (p[1] & 0x3F);
    size = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (left < 3 || !is_continuation(p[1]) || !is_continuation(p[2])) return kInvalid;
    c = ((b0 & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)) return kInvalid;  // overlong or surrogate
    size = 3;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (left < 4 || !is_continuation(p[1]) || !is_continuation(p[2]) || !is_continuation(p[3])) {
      return kInvalid;
    }
    c = ((b0 & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    if (c < 0x10000 || c > 0x10FFFF) return kInvalid;
    size = 4;
  } else {
    return kInvalid;
  }
  return {class_of_code_point(c), size};
}

bool is_newline(std::string_view text, size_t i) { return text[i] == '\r' || text[i] == '\n'; }

// The end of the run of characters of class `cls` that starts at `i`.
size_t run_end(std::string_view text, size_t i, Class cls) {
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      if (kAsciiClass[byte] != cls) break;
      ++i;
      continue;
    }
    const Char c = char_at(text, i);
    if (c.cls != cls) break;
    i += c.size;
  }
  return i;
}

// A run of white space starting at `start`: where it ends, where its last character starts and
// where its last newline ends (0 when it has none).
struct SpaceRun {
  size_t end;
  size_t last_char;
  size_t after_last_newline;
};

SpaceRun space_run(std::string_view text, size_t start) {
  SpaceRun run{start, start, 0};
  while (run.end < text.size()) {
    const Char c = char_at(text, run.end);
    if (c.cls != Class::kSpace) break;
    run.last_char = run.end;
    if (is_newline(text, run.end)) run.after_last_newline = run.end + 1;
    run.end += c.size;
  }
  return run;
}

// `\s+(?!\S)|\s+` at `start`, a white-space character: the whole run when it ends the text,
// else all of it but its last character (which must stay white space for the lookahead), and
// that one character alone when the run is no longer.
size_t space_piece_end(const SpaceRun& run, std::string_view text, size_t start) {
  if (run.end == text.size() || run.last_char == start) return run.end;
  return run.last_char;
}

bool starts_with(std::string_view text, size_t i, std::string_view prefix) {
  return text.substr(i, prefix.size()) == prefix;
}

// 's|'t|'re|'ve|'m|'ll|'d after the apostrophe at `i`; 0 when none follows.
size_t gpt2_contraction_end(std::string_view text, size_t i) {
  for (std::string_view suffix : {"s", "t", "re", "ve", "m", "ll", "d"}) {
    if (starts_with(text, i + 1, suffix)) return i + 1 + suffix.size();
  }
  return 0;
}

size_t gpt2_piece_end(std::string_view text, size_t start) {
  if (text[start] == '\'') {
    if (const size_t end = gpt2_contraction_end(text, start)) return end;
  }
  // ` ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+`
  size_t from = start;
  Char c = char_at(text, start);
  if (text[start] == ' ' && start + 1 < text.size()) {
    const Char next = char_at(text, start + 1);
    if (next.cls != Class::kSpace) {
      from = start + 1;
      c = next;
    }
  }
  if (c.cls != Class::kSpace) return run_end(text, from, c.cls);
  return space_piece_end(space_run(text, start), text, start);
}

// The ASCII letter at `i`, lowercased; 0 when there is none.
char folded_letter(std::string_view text, size_t i) {
  if (i >= text.size()) return 0;
  const char c = text[i];
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  return c >= 'a' && c <= 'z' ? c : 0;
}

// '(?i:[sdmt]|ll|ve|re) after the apostrophe at `i`; 0 when none follows.
size_t cl100k_contraction_end(std::string_view text, size_t i) {
  const char first = folded_letter(text, i + 1);
  if (first == 's' || first == 'd' || first == 'm' || first == 't') return i + 2;
  const char second = folded_letter(text, i + 2);
  if ((first == 'l' && second == 'l') || (first == 'v' && second == 'e') ||
      (first == 'r' && second == 'e')) {
    return i + 3;
  }
  return 0;
}

// `[\r\n]*` from `i`.
size_t newlines_end(std::string_view text, size_t i) {
  while (i < text.size() && is_newline(text, i)) ++i;
  return i;
}

size_t cl100k_piece_end(std::string_view text, size_t start) {
  if (text[start] == '\'') {
    if (const size_t end = cl100k_contraction_end(text, start)) return end;
  }
  const Char c = char_at(text, start);
  // [^\r\n\p{L}\p{N}]?+\p{L}+
  if (c.cls == Class::kLetter) return run_end(text, start, Class::kLetter);
  const size_t second = start + c.size;
  const bool has_second = second < text.size();
  const Char next = has_second ? char_at(text, second) : Char{Class::kOther, 0};
  if (c.cls != Class::kNumber && !is_newline(text, start) && has_second &&
      next.cls == Class::kLetter) {
    return run_end(text, second, Class::kLetter);
  }
  // \p{N}{1,3}
  if (c.cls == Class::kNumber) {
    size_t end = second;
    for (int count = 1; count < 3 && end < text.size(); ++count) {
      const Char n = char_at(text, end);
      if (n.cls != Class::kNumber) break;
      end += n.size;
    }
    return end;
  }
  // ` ?[^\s\p{L}\p{N}]++[\r\n]*`
  if (c.cls == Class::kOther) return newlines_end(text, run_end(text, start, Class::kOther));
  if (text[start] == ' ' && has_second && next.cls == Class::kOther) {
    return newlines_end(text, run_end(text, second, Class::kOther));
  }
  // \s*[\r\n]|\s+(?!\S)|\s+
  const SpaceRun run = space_run(text, start);
  if (run.after_last_newline != 0) return run.after_last_newline;
  return space_piece_end(run, text, start);
}

}  // namespace

size_t piece_end(PretokenPattern pattern, std::string_view text, size_t start) {
  return pattern == PretokenPattern::kGpt2 ? gpt2_piece_end(text, start)
                                           : cl100k_piece_end(text, start);
}

std::vector<std::string_view> pretokenize(PretokenPattern pattern, std::string_view text) {
  std::vector<std::string_view> pieces;
  for (size_t start = 0; start < text.size();) {
    const size_t end = piece_end(pattern, text, start);
    pieces.push_back(text.substr(start, end - start));
    start = end;
  }
  return pieces;
}

}  // namespace sluice::text
