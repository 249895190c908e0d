// core.filter: every test, kind mismatches, missing fields and param checks.
#include "plugins/support/plugin_test.h"

#include <catch2/catch.hpp>

using sluice::test::parse_lines;
using sluice::test::run_op;
using Lines = std::vector<std::string>;

namespace {

const Lines kRecords = {
    R"({"id": 0, "label": "ham", "n": 3, "x": 0.5, "ok": true})",
    R"({"id": 1, "label": "spam", "n": 10, "x": 2.5, "ok": false})",
    R"({"id": 2, "label": "ham", "n": -1, "ok": true})",
};

// The ids of the records `params` passes.
std::vector<int64_t> passing(const std::string& params) {
  auto r = run_op("core", "core.filter", params, kRecords);
  INFO(params);
  for (const auto& rej : r.rejected) INFO(rej);
  std::vector<int64_t> ids;
  for (const auto& o : parse_lines(r.outputs)) ids.push_back(o.at("id").as_int64());
  return ids;
}

using Ids = std::vector<int64_t>;

}  // namespace

TEST_CASE("core.filter compares numbers, strings and bools", "[plugins][core]") {
  CHECK(passing("{field: label, value: ham}") == Ids{0, 2});
  CHECK(passing("{field: label, op: ne, value: ham}") == Ids{1});
  CHECK(passing("{field: n, op: gt, value: 2}") == Ids{0, 1});
  CHECK(passing("{field: n, op: le, value: 3.0}") == Ids{0, 2});
  CHECK(passing("{field: n, op: lt, value: -1}") == Ids{});
  CHECK(passing("{field: n, op: ge, value: -1}") == Ids{0, 1, 2});
  CHECK(passing("{field: ok, value: true}") == Ids{0, 2});
  CHECK(passing("{field: label, op: lt, value: i}") == Ids{0, 2});
}

TEST_CASE("core.filter tests membership, substrings, patterns and presence", "[plugins][core]") {
  CHECK(passing("{field: n, op: in, value: [3, 10]}") == Ids{0, 1});
  CHECK(passing("{field: label, op: not_in, value: [spam]}") == Ids{0, 2});
  CHECK(passing("{field: label, op: contains, value: pa}") == Ids{1});
  CHECK(passing("{field: label, op: matches, value: '^h.m$'}") == Ids{0, 2});
  CHECK(passing("{field: x, op: exists}") == Ids{0, 1});
  CHECK(passing("{field: x, op: missing}") == Ids{2});
}

TEST_CASE("core.filter rejects fields it cannot compare, naming them", "[plugins][core]") {
  auto r = run_op("core", "core.filter", "{field: x, op: gt, value: 1}", kRecords);
  CHECK(r.rejected == Lines{"2: field 'x': expected an int or float to compare with 1, found no "
                            "such field"});
  auto kinds = run_op("core", "core.filter", "{field: label, op: eq, value: 1}", kRecords);
  CHECK(kinds.rejected.size() == 3);
  CHECK(kinds.rejected[0] == "0: field 'label': expected an int or float to compare with 1, "
                             "found string");
  auto text = run_op("core", "core.filter", "{field: n, op: contains, value: '1'}", kRecords);
  CHECK(text.rejected[0] == "0: field 'n': expected a string to test, found int");
}

TEST_CASE("core.filter checks `value` against `op`", "[plugins][core]") {
  using sluice::test::params_error;
  CHECK(params_error("core", "core.filter", "{field: a, op: in, value: 3}").message().find(
            "param 'value': expected a list with op in, found a single value") !=
        std::string::npos);
  CHECK(params_error("core", "core.filter", "{field: a, op: exists, value: 3}").message().find(
            "param 'value': expected none with op exists, found one") != std::string::npos);
  CHECK(params_error("core", "core.filter", "{field: a, op: matches, value: '(a'}")
            .message()
            .find("param 'value': expected a regular expression (ECMAScript), found '(a'") !=
        std::string::npos);
  CHECK(params_error("core", "core.filter", "{field: a, op: contains, value: 3}").message().find(
            "param 'value': expected a string with op contains, found 3") != std::string::npos);
  CHECK(params_error("core", "core.filter", "{field: a, op: eq}").message().find(
            "param 'value': expected a value, found none") != std::string::npos);
}
