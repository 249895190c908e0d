#include "text/byte_alphabet.h"

namespace sluice::text {
namespace {

struct Alphabet {
  std::array<int, 256> code_point{};  // by byte
  std::array<int, 0x144> byte_of{};   // by code point; -1 outside the alphabet
  std::array<unsigned char, 256> order{};

  Alphabet() {
    auto printable = [](int b) {
      return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    };
    size_t rank = 0;
    for (int b = 0; b < 256; ++b) {
      if (printable(b)) order[rank++] = static_cast<unsigned char>(b);
    }
    int next = 0x100;
    for (int b = 0; b < 256; ++b) {
      if (!printable(b)) order[rank++] = static_cast<unsigned char>(b);
      code_point[static_cast<size_t>(b)] = printable(b) ? b : next++;
    }
    byte_of.fill(-1);
    for (int b = 0; b < 256; ++b)
      byte_of[static_cast<size_t>(code_point[static_cast<size_t>(b)])] = b;
  }
};

const Alphabet& alphabet() {
  static const Alphabet a;
  return a;
}

}  // namespace

const std::array<unsigned char, 256>& byte_alphabet_order() { return alphabet().order; }

bool from_byte_alphabet(std::string_view text, std::string* bytes) {
  const Alphabet& a = alphabet();
  bytes->clear();
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    int code_point = -1;
    if (lead < 0x80) {
      code_point = lead;
      i += 1;
    } else if ((lead & 0xE0) == 0xC0 && i + 1 < text.size() &&
               (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      code_point = ((lead & 0x1F) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3F);
      i += 2;
    }
    if (code_point < 0 || code_point >= static_cast<int>(a.byte_of.size()) ||
        a.byte_of[static_cast<size_t>(code_point)] < 0) {
      return false;
    }
    bytes->push_back(static_cast<char>(a.byte_of[static_cast<size_t>(code_point)]));
  }
  return true;
}

std::string to_byte_alphabet(std::string_view bytes) {
  const Alphabet& a = alphabet();
  std::string text;
  text.reserve(bytes.size() * 2);
  for (char byte : bytes) {
    const int c = a.code_point[static_cast<unsigned char>(byte)];
    if (c < 0x80) {
      text.push_back(static_cast<char>(c));
    } else {
      text.push_back(static_cast<char>(0xC0 | (c >> 6)));
      text.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return text;
}

}  // namespace sluice::text
