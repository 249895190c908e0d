#include "engine/config/diagnostics.h"

#include <catch2/catch.hpp>

using sluice::Diagnostic;
using sluice::Diagnostics;

TEST_CASE("a diagnostic prints as FILE:LINE:COL: severity: message", "[config]") {
  Diagnostics d("p.yaml");
  d.error({3, 7}, "expected a map, found a list");
  d.warning({}, "no location");
  d.note({1, 1}, "first here");
  REQUIRE(d.items().size() == 3);
  CHECK(d.items()[0].format() == "p.yaml:3:7: error: expected a map, found a list");
  CHECK(d.items()[1].format() == "p.yaml: warning: no location");
  CHECK(d.items()[2].format() == "p.yaml:1:1: note: first here");
  CHECK(d.has_errors());
  CHECK(d.file() == "p.yaml");
}

TEST_CASE("a diagnostic without a file prints its location alone", "[config]") {
  Diagnostic d{Diagnostic::Severity::kError, "", {2, 4}, "bad"};
  CHECK(d.format() == "2:4: error: bad");
  d.loc = {};
  CHECK(d.format() == "error: bad");
}

TEST_CASE("format() sorts by line and column, keeping insertion order on ties", "[config]") {
  Diagnostics d("f");
  d.error({5, 1}, "e");
  d.error({2, 9}, "b");
  d.error({2, 3}, "a");
  d.note({5, 1}, "f");
  d.error({}, "none");
  CHECK(d.format() ==
        "f: error: none\nf:2:3: error: a\nf:2:9: error: b\nf:5:1: error: e\nf:5:1: note: f\n");
}

TEST_CASE("warnings and notes are not errors", "[config]") {
  Diagnostics d;
  CHECK_FALSE(d.has_errors());
  d.warning({1, 1}, "w");
  d.note({1, 1}, "n");
  CHECK_FALSE(d.has_errors());
  CHECK(d.format() == "1:1: warning: w\n1:1: note: n\n");
}
