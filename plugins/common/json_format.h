// Internal to json_record: JSON text for strings and floats, shared by its reader and writer.
#pragma once

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

namespace sluice::json_format {

inline void append_quoted(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += ch;  // UTF-8 is passed through as is (strings are not checked)
        }
    }
  }
  out += '"';
}

// Non-finite floats have no JSON number; they are written as these strings.
inline const char* non_finite_name(double v) {
  if (std::isnan(v)) return "NaN";
  return v > 0 ? "Infinity" : "-Infinity";
}

// Shortest text that reads back to the same value, always with a '.' or an exponent so that it
// reads back as a float.
template <class F>
void append_finite(std::string& out, F v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  std::string_view text(buf, static_cast<size_t>(end - buf));
  out += text;
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

template <class F>
void append_element_float(std::string& out, F v) {
  if (std::isfinite(v)) {
    append_finite(out, v);
  } else {
    append_quoted(out, non_finite_name(v));
  }
}

}  // namespace sluice::json_format
