#include "text/bpe_pretokenize.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstdint>

namespace sluice::text {
namespace {

enum class Class : uint8_t { kLetter, kNumber, kSpace, kOther };

struct Char {
  UChar32 cp;  // -1: a byte that is not UTF-8
  size_t end;  // byte offset just past it
  Class cls;
};

Class classify(UChar32 c) {
  if (c < 0) return Class::kOther;
  if (c < 0x80) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return Class::kLetter;
    if (c >= '0' && c <= '9') return Class::kNumber;
    if (c == ' ' || (c >= '\t' && c <= '\r')) return Class::kSpace;
    return Class::kOther;
  }
  const uint32_t mask = U_GET_GC_MASK(c);
  if (mask & U_GC_L_MASK) return Class::kLetter;
  if (mask & U_GC_N_MASK) return Class::kNumber;
  if (u_hasBinaryProperty(c, UCHAR_WHITE_SPACE)) return Class::kSpace;
  return Class::kOther;
}

// The text as characters, read one at a time.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool at_end(size_t pos) const { return pos >= text_.size(); }

  // The character at `pos` < size.
  Char at(size_t pos) const {
    const auto byte = static_cast<unsigned char>(text_[pos]);
    if (byte < 0x80) return {byte, pos + 1, classify(byte)};
    auto i = static_cast<int32_t>(pos);
    UChar32 c;
    U8_NEXT(text_.data(), i, static_cast<int32_t>(text_.size()), c);
    if (c < 0) return {-1, pos + 1, Class::kOther};  // one byte at a time
    return {c, static_cast<size_t>(i), classify(c)};
  }

  // Past the run of characters of class `cls` from `pos`.
  size_t skip(size_t pos, Class cls) const {
    while (!at_end(pos)) {
      const Char c = at(pos);
      if (c.cls != cls) break;
      pos = c.end;
    }
    return pos;
  }

  char byte(size_t pos) const { return at_end(pos) ? '\0' : text_[pos]; }

 private:
  std::string_view text_;
};

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// A contraction ('s 't 're 've 'm 'll 'd) at `pos`: its end, or 0. cl100k ignores case.
size_t contraction_end(const Scanner& s, size_t pos, bool ignore_case) {
  if (s.byte(pos) != '\'') return 0;
  auto fold = [&](char c) { return ignore_case ? lower_ascii(c) : c; };
  const char a = fold(s.byte(pos + 1));
  if (a == 's' || a == 't' || a == 'm' || a == 'd') return pos + 2;
  const char b = fold(s.byte(pos + 2));
  if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return pos + 3;
  return 0;
}

// \s+(?!\S)|\s+ at `pos`, a space character: the whole run when it ends the text or when it is
// one character; otherwise the run but its last character (which then starts the next piece).
size_t space_run_end(const Scanner& s, size_t pos) {
  size_t last_start = pos;
  size_t end = pos;
  while (!s.at_end(end)) {
    const Char c = s.at(end);
    if (c.cls != Class::kSpace) break;
    last_start = end;
    end = c.end;
  }
  if (s.at_end(end) || last_start == pos) return end;
  return last_start;
}

size_t gpt2_piece_end(const Scanner& s, size_t pos) {
  if (size_t end = contraction_end(s, pos, false)) return end;
  const Char c = s.at(pos);
  if (c.cp == ' ' && !s.at_end(c.end)) {
    const Char next = s.at(c.end);
    if (next.cls != Class::kSpace) return s.skip(next.end, next.cls);  // ' ?\p{L}+' etc.
  }
  if (c.cls != Class::kSpace) return s.skip(c.end, c.cls);
  return space_run_end(s, pos);
}

size_t cl100k_piece_end(const Scanner& s, size_t pos) {
  if (size_t end = contraction_end(s, pos, true)) return end;
  const Char c = s.at(pos);
  // [^\r\n\p{L}\p{N}]?+\p{L}+
  if (c.cls == Class::kLetter) return s.skip(c.end, Class::kLetter);
  if (c.cp != '\r' && c.cp != '\n' && c.cls != Class::kNumber && !s.at_end(c.end) &&
      s.at(c.end).cls == Class::kLetter) {
    return s.skip(c.end, Class::kLetter);
  }
  // \p{N}{1,3}
  if (c.cls == Class::kNumber) {
    size_t end = c.end;
    for (int n = 1; n < 3 && !s.at_end(end); ++n) {
      const Char d = s.at(end);
      if (d.cls != Class::kNumber) break;
      end = d.end;
    }
    return end;
  }
  // ' ?[^\s\p{L}\p{N}]++[\r\n]*'
  size_t other = c.cls == Class::kOther                                     ? pos
                 : (c.cp == ' ' && !s.at_end(c.end) &&
                    s.at(c.end).cls == Class::kOther)                       ? c.end
                                                                            : SIZE_MAX;
  if (other != SIZE_MAX) {
    size_t end = s.skip(other, Class::kOther);
    while (s.byte(end) == '\r' || s.byte(end) == '\n') ++end;
    return end;
  }
  // \s*[\r\n]: through the last CR or LF of the space run.
  size_t newline_end = 0;
  size_t end = pos;
  while (!s.at_end(end)) {
    const Char w = s.at(end);
    if (w.cls != Class::kSpace) break;
    end = w.end;
    if (w.cp == '\r' || w.cp == '\n') newline_end = end;
  }
  if (newline_end != 0) return newline_end;
  return space_run_end(s, pos);
}

}  // namespace

size_t bpe_piece_end(BpePattern pattern, std::string_view text, size_t start) {
  Scanner s(text);
  return pattern == BpePattern::kGpt2 ? gpt2_piece_end(s, start) : cl100k_piece_end(s, start);
}

}  // namespace sluice::text
