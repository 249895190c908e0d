// core.select, core.rename, core.drop and core.map_values.
#include "plugins/support/plugin_test.h"

#include <catch2/catch.hpp>

using sluice::test::run_op;
using Lines = std::vector<std::string>;

TEST_CASE("core.select keeps the listed fields, in record order", "[plugins][core]") {
  auto r = run_op("core", "core.select", "{fields: [n, text]}",
                  {R"({"text": "a", "x": 1.5, "n": 1})", R"({"x": 2.5, "n": 2})"});
  CHECK(r.outputs == Lines{R"({"text": "a", "n": 1})"});
  CHECK(r.rejected == Lines{"1: field 'text': expected it (listed in `fields`), found no such field"});
}

TEST_CASE("core.rename renames at once, so fields can swap", "[plugins][core]") {
  auto swap = run_op("core", "core.rename", "{mapping: {a: b, b: a}}",
                     {R"({"a": 1, "b": "x", "c": true})"});
  CHECK(swap.outputs == Lines{R"({"c": true, "b": 1, "a": "x"})"});
  auto r = run_op("core", "core.rename", "{mapping: {text: body}}",
                  {R"({"text": "hi", "n": 1})", R"({"n": 2})", R"({"text": "a", "body": "b"})"});
  CHECK(r.outputs == Lines{R"({"n": 1, "body": "hi"})"});
  CHECK(r.rejected ==
        Lines{"1: field 'text': expected it (listed in `mapping`), found no such field",
              "2: field 'body': expected it absent (it is a new name in `mapping`), found it"});
  CHECK(sluice::test::params_error("core", "core.rename", "{mapping: {a: c, b: c}}")
            .message()
            .find("expected each new name once, found 'c' as the new name of two fields") !=
        std::string::npos);
}

TEST_CASE("core.drop removes fields; absent ones are no error", "[plugins][core]") {
  auto r = run_op("core", "core.drop", "{fields: [x, words]}",
                  {R"({"text": "a", "x": 1.5, "words": "a"})", R"({"text": "b"})"});
  CHECK(r.outputs == Lines{R"({"text": "a"})", R"({"text": "b"})"});
}

TEST_CASE("core.map_values maps labels to ids", "[plugins][core]") {
  auto r = run_op("core", "core.map_values", "{field: label, mapping: {ham: 0, spam: 1}}",
                  {R"({"label": "spam"})", R"({"label": "ham"})", R"({"label": "eggs"})",
                   R"({"label": 1})"});
  CHECK(r.outputs == Lines{R"({"label": 1})", R"({"label": 0})"});
  CHECK(r.rejected ==
        Lines{"2: field 'label': expected one of ham, spam (the keys of `mapping`), found 'eggs'",
              "3: field 'label': expected string, found int"});
  auto to_other = run_op("core", "core.map_values",
                         "{field: label, mapping: {ham: 0.0, spam: 1.0}, output: y, default: -1.0}",
                         {R"({"label": "spam"})", R"({"label": "eggs"})"});
  CHECK(to_other.outputs ==
        Lines{R"({"label": "spam", "y": 1.0})", R"({"label": "eggs", "y": -1.0})"});
}

TEST_CASE("core.map_values wants values of one kind", "[plugins][core]") {
  using sluice::test::params_error;
  CHECK(params_error("core", "core.map_values", "{field: l, mapping: {a: 0, b: x}}")
            .message()
            .find("param 'mapping': 'b': expected a value of kind int like the first value of "
                  "`mapping`, found \"x\"") != std::string::npos);
  CHECK(params_error("core", "core.map_values", "{field: l, mapping: {a: 0}, default: [1]}")
            .message()
            .find("param 'default': expected an int, float, bool or string, found a list") !=
        std::string::npos);
}
