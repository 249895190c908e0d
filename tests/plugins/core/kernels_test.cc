// core's kernels: deterministic random numbers, share assignment, stacking with padding.
#include "core/rng.h"
#include "core/shares.h"
#include "core/stacking.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <map>
#include <set>

using sluice::core::Rng;
using sluice::core::Shares;

TEST_CASE("Rng is deterministic and below() stays in range without bias", "[plugins][core]") {
  Rng a(7), b(7), c(8);
  CHECK(a.next() == b.next());
  CHECK(a.next() != c.next());
  // SplitMix64's published first output for seed 0.
  CHECK(Rng(0).next() == 0xe220a8397b1dcdafull);
  Rng r(1);
  std::map<uint64_t, int> counts;
  for (int i = 0; i < 60000; ++i) ++counts[r.below(6)];
  REQUIRE(counts.size() == 6);
  for (const auto& [v, n] : counts) CHECK((n > 9500 && n < 10500));
}

TEST_CASE("stable_hash is FNV-1a then SplitMix64's finaliser", "[plugins][core]") {
  // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c.
  CHECK(sluice::core::stable_hash("a") == sluice::core::mix64(0xaf63dc4c8601ec8cull));
  CHECK(sluice::core::unit_interval(~0ull) < 1.0);
}

TEST_CASE("Shares lay ratios out in name order and check them", "[plugins][core]") {
  Shares s = *Shares::make({{"train", 0.8}, {"test", 0.2}});
  CHECK(s.names() == std::vector<std::string>{"test", "train"});
  CHECK(s.share_of(0.0) == 0);
  CHECK(s.share_of(0.19) == 0);
  CHECK(s.share_of(0.2) == 1);
  CHECK(s.share_of(0.999) == 1);
  CHECK(Shares::make({{"a", 0.5}, {"b", 0.4}}).status().message() ==
        "param 'ratios': expected ratios summing to 1, found 2 summing to 0.9");
  CHECK(Shares::make({{"a", 0.0}, {"b", 1.0}}).status().message() ==
        "param 'ratios': share 'a': expected a ratio in (0, 1], found 0");
}

TEST_CASE("position points spread every stretch of positions evenly", "[plugins][core]") {
  for (int64_t start : {0, 1, 1000}) {
    int low = 0;
    for (int64_t p = start; p < start + 100; ++p) low += sluice::core::position_point(p) < 0.8;
    CHECK((low >= 78 && low <= 82));
  }
}

TEST_CASE("element_bytes converts pad values and refuses what a dtype cannot hold",
          "[plugins][core]") {
  auto i32 = sluice::core::element_bytes(SLUICE_DTYPE_INT32, -2);
  REQUIRE(i32.ok());
  int32_t v = 0;
  std::memcpy(&v, i32->data(), 4);
  CHECK(v == -2);
  CHECK(sluice::core::element_bytes(SLUICE_DTYPE_FLOAT16, 1.0).value() == std::string("\x00\x3c", 2));
  CHECK(sluice::core::element_bytes(SLUICE_DTYPE_UINT8, 256).status().message() ==
        "expected a value a uint8 tensor holds, found 256");
  CHECK(sluice::core::element_bytes(SLUICE_DTYPE_INT64, 0.5).status().code() ==
        SLUICE_INVALID_ARGUMENT);
  CHECK(sluice::core::element_bytes(SLUICE_DTYPE_BOOL, 2).status().message() ==
        "expected a value a bool tensor holds, found 2");
}

TEST_CASE("stack_padded places items in slots and fills the rest", "[plugins][core]") {
  std::string out(6, '?');
  sluice::core::stack_padded({"ab", "c", ""}, 2, "-", out.data());
  CHECK(out == "abc---");
}
