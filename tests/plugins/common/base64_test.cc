#include "base64.h"

#include <catch2/catch.hpp>

#include <string>

using sluice::base64_decode;
using sluice::base64_encode;

TEST_CASE("base64 encodes the RFC 4648 test vectors", "[plugins][base64]") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64_encode(std::string("\0\1\2\xff", 4)) == "AAEC/w==");
  CHECK(base64_encode("\xfb\xff") == "+/8=");
}

TEST_CASE("base64 round-trips every byte value at every length", "[plugins][base64]") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (size_t n = 0; n <= bytes.size(); ++n) {
    std::string part = bytes.substr(bytes.size() - n);
    auto back = base64_decode(base64_encode(part));
    REQUIRE(back.ok());
    REQUIRE(*back == part);
  }
}

TEST_CASE("invalid base64 is refused with the offset of the problem", "[plugins][base64]") {
  CHECK(base64_decode("Zm9v!mFy").status().message() ==
        "invalid base64 at offset 4: expected A-Z, a-z, 0-9, '+', '/' or final '=' padding, "
        "found '!'");
  CHECK(base64_decode("Zm9vY").status().message() ==
        "invalid base64 at offset 5: expected a length that is a multiple of 4, found 5 "
        "characters");
  CHECK(base64_decode("Zm=v").status().message().find("offset 2:") != std::string::npos);
  CHECK(base64_decode("Z===").status().message().find("offset 1:") != std::string::npos);
  CHECK(base64_decode("====").status().message().find("offset 0:") != std::string::npos);
  CHECK(base64_decode("Zm9v\nZm9vYmE").status().message().find("offset 4: expected") !=
        std::string::npos);
  CHECK(base64_decode("Zm9v\x80YmE").status().message().find("found byte 0x80") !=
        std::string::npos);
  CHECK(base64_decode("Zm9vYmE=").status().code() == SLUICE_OK);
}
