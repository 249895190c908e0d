// IEEE 754 binary16 (float16) and bfloat16 conversions, rounding to nearest even. NaN stays NaN
// and a finite value beyond the format's range becomes infinity. Header-only; pure functions.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace sluice {

inline float float16_to_float(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    bits = sign;
  } else {  // subnormal: shift the leading 1 into the implicit bit
    uint32_t shifts = 0;
    while (!(mant & 0x400u)) mant <<= 1, ++shifts;
    bits = sign | ((113 - shifts) << 23) | ((mant & 0x3ffu) << 13);
  }
  return std::bit_cast<float>(bits);
}

inline uint16_t float_to_float16(float f) {
  uint32_t x = std::bit_cast<uint32_t>(f);
  auto sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  uint32_t abs = x & 0x7fffffffu;
  if (abs > 0x7f800000u) return sign | 0x7e00u | ((abs >> 13) & 0x3ffu);  // NaN, kept quiet
  if (abs >= 0x477ff000u) return sign | 0x7c00u;  // >= 65520 (or inf): infinity
  if (abs >= 0x38800000u) {                       // normal: >= 2^-14
    uint32_t rounded = abs + 0xfffu + ((abs >> 13) & 1u);
    return sign | static_cast<uint16_t>((rounded - 0x38000000u) >> 13);
  }
  uint32_t exp = abs >> 23;
  if (exp < 102) return sign;  // below half the smallest subnormal (2^-25): zero
  uint32_t mant = (abs & 0x7fffffu) | 0x800000u;
  uint32_t shift = 126 - exp;  // to units of 2^-24
  uint32_t out = mant >> shift;
  uint32_t rest = mant & ((1u << shift) - 1);
  uint32_t half = 1u << (shift - 1);
  if (rest > half || (rest == half && (out & 1u))) ++out;
  return sign | static_cast<uint16_t>(out);
}

inline float bfloat16_to_float(uint16_t b) {
  return std::bit_cast<float>(static_cast<uint32_t>(b) << 16);
}

inline uint16_t float_to_bfloat16(float f) {
  uint32_t x = std::bit_cast<uint32_t>(f);
  if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((x >> 16) | 0x40u);
  return static_cast<uint16_t>((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
}

// `d` as a float rounded to odd: converting that float to a narrower format (float16, bfloat16)
// then rounds exactly as converting `d` directly would.
inline float double_to_float_round_odd(double d) {
  auto f = static_cast<float>(d);
  if (static_cast<double>(f) == d || std::isnan(d) || std::isinf(f)) return f;
  if (std::bit_cast<uint32_t>(f) & 1u) return f;
  return std::nextafter(f, d > static_cast<double>(f) ? std::numeric_limits<float>::infinity()
                                                      : -std::numeric_limits<float>::infinity());
}

}  // namespace sluice
