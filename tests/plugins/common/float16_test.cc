#include "float16.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>

using sluice::bfloat16_to_float;
using sluice::double_to_float_round_odd;
using sluice::float16_to_float;
using sluice::float_to_bfloat16;
using sluice::float_to_float16;

TEST_CASE("float16 decodes reference values", "[plugins][float16]") {
  CHECK(float16_to_float(0x3c00) == 1.0f);
  CHECK(float16_to_float(0xc000) == -2.0f);
  CHECK(float16_to_float(0x7bff) == 65504.0f);
  CHECK(float16_to_float(0x0400) == std::ldexp(1.0f, -14));  // smallest normal
  CHECK(float16_to_float(0x0001) == std::ldexp(1.0f, -24));  // smallest subnormal
  CHECK(float16_to_float(0x03ff) == std::ldexp(1023.0f, -24));
  CHECK(float16_to_float(0x3555) == 0.333251953125f);
  CHECK(std::signbit(float16_to_float(0x8000)));
  CHECK(std::isinf(float16_to_float(0x7c00)));
  CHECK(std::isnan(float16_to_float(0x7e00)));
}

TEST_CASE("every float16 value survives float and back", "[plugins][float16]") {
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    float f = float16_to_float(static_cast<uint16_t>(h));
    uint16_t back = float_to_float16(f);
    if (std::isnan(f)) {
      REQUIRE(std::isnan(float16_to_float(back)));
    } else {
      REQUIRE(back == h);
    }
  }
}

TEST_CASE("float to float16 rounds to nearest, ties to even", "[plugins][float16]") {
  float ulp_at_one = std::ldexp(1.0f, -10);
  CHECK(float_to_float16(1.0f + ulp_at_one / 2) == 0x3c00);      // tie: to even (1.0)
  CHECK(float_to_float16(1.0f + ulp_at_one * 1.5f) == 0x3c02);   // tie: to even (up)
  CHECK(float_to_float16(1.0f + ulp_at_one * 0.51f) == 0x3c01);  // above the tie
  CHECK(float_to_float16(65519.0f) == 0x7bff);
  CHECK(float_to_float16(65520.0f) == 0x7c00);  // rounds to infinity
  CHECK(float_to_float16(-1e10f) == 0xfc00);
  CHECK(float_to_float16(std::ldexp(1.0f, -25)) == 0x0000);  // tie below the subnormals
  CHECK(float_to_float16(std::ldexp(1.5f, -25)) == 0x0001);
  CHECK(float_to_float16(std::ldexp(3.0f, -25)) == 0x0002);     // tie 1.5 ulp: to even
  CHECK(float_to_float16(std::ldexp(1023.5f, -24)) == 0x0400);  // carries into the normals
  CHECK(float_to_float16(1e-30f) == 0x0000);
  CHECK(float_to_float16(-1e-30f) == 0x8000);
}

TEST_CASE("bfloat16 keeps the float exponent and rounds the mantissa to even",
          "[plugins][float16]") {
  CHECK(float_to_bfloat16(1.0f) == 0x3f80);
  CHECK(bfloat16_to_float(0x3f80) == 1.0f);
  CHECK(float_to_bfloat16(1.0f + std::ldexp(1.0f, -8)) == 0x3f80);        // tie: to even
  CHECK(float_to_bfloat16(1.0f + std::ldexp(3.0f, -8)) == 0x3f82);        // tie: to even (up)
  CHECK(float_to_bfloat16(std::numeric_limits<float>::max()) == 0x7f80);  // overflows to inf
  CHECK(std::isnan(bfloat16_to_float(float_to_bfloat16(std::nanf("")))));
  for (uint32_t b = 0; b <= 0xffff; ++b) {
    float f = bfloat16_to_float(static_cast<uint16_t>(b));
    if (!std::isnan(f)) REQUIRE(float_to_bfloat16(f) == b);
  }
}

TEST_CASE("rounding through float to odd avoids double rounding", "[plugins][float16]") {
  // Just above the tie between float16 1.0 and its successor: direct rounding goes up, but
  // rounding to the nearest float first lands on the tie, which then goes to even (down).
  double just_above_tie = 1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40);
  CHECK(static_cast<double>(static_cast<float>(just_above_tie)) == 1.0 + std::ldexp(1.0, -11));
  CHECK(float_to_float16(static_cast<float>(just_above_tie)) == 0x3c00);
  CHECK(float_to_float16(double_to_float_round_odd(just_above_tie)) == 0x3c01);
  CHECK(double_to_float_round_odd(0.5) == 0.5f);  // exact values are kept
}
