#include "engine/runtime/params.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

using sluice::param_from_yaml;
using sluice::param_to_yaml;
using sluice::ParamTree;

namespace {

ParamTree from(const std::string& yaml) { return param_from_yaml(YAML::Load(yaml)); }

// The value of `key` in a one-key map, so scalars are read in context as in a pipeline file.
ParamTree scalar(const std::string& text) { return *from("{v: " + text + "}").get("v"); }

bool same(const ParamTree& a, const ParamTree& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case SLUICE_PARAM_NULL:
      return true;
    case SLUICE_PARAM_BOOL:
      return a.b == b.b;
    case SLUICE_PARAM_INT:
      return a.i == b.i;
    case SLUICE_PARAM_FLOAT:
      return (std::isnan(a.f) && std::isnan(b.f)) ||
             (a.f == b.f && std::signbit(a.f) == std::signbit(b.f));
    case SLUICE_PARAM_STRING:
      return a.s == b.s;
    case SLUICE_PARAM_LIST:
      if (a.list.size() != b.list.size()) return false;
      for (size_t i = 0; i < a.list.size(); ++i) {
        if (!same(a.list[i], b.list[i])) return false;
      }
      return true;
    case SLUICE_PARAM_MAP:
      if (a.map.size() != b.map.size()) return false;
      for (size_t i = 0; i < a.map.size(); ++i) {
        if (a.map[i].first != b.map[i].first || !same(a.map[i].second, b.map[i].second)) {
          return false;
        }
      }
      return true;
  }
  return false;
}

// Emits as text and reads back, as pipeline.resolved.yaml is.
ParamTree through_text(const ParamTree& p) {
  YAML::Emitter out;
  out << param_to_yaml(p);
  return param_from_yaml(YAML::Load(out.c_str()));
}

}  // namespace

TEST_CASE("null, booleans and plain strings follow the YAML 1.2 core schema", "[runtime][params]") {
  CHECK(scalar("~").kind == SLUICE_PARAM_NULL);
  CHECK(scalar("null").kind == SLUICE_PARAM_NULL);
  CHECK(from("{v: }").get("v")->kind == SLUICE_PARAM_NULL);
  for (const char* t : {"true", "True", "TRUE"}) {
    ParamTree p = scalar(t);
    CHECK(p.kind == SLUICE_PARAM_BOOL);
    CHECK(p.b);
  }
  ParamTree f = scalar("false");
  CHECK(f.kind == SLUICE_PARAM_BOOL);
  CHECK_FALSE(f.b);
  for (const char* t : {"yes", "no", "on", "tRuE", "hello world"}) {
    ParamTree p = scalar(t);
    CHECK(p.kind == SLUICE_PARAM_STRING);
    CHECK(p.s == t);
  }
}

TEST_CASE("integers: decimal, hex and octal, full int64 range", "[runtime][params]") {
  CHECK(scalar("0").i == 0);
  CHECK(scalar("-5").i == -5);
  CHECK(scalar("+7").i == 7);
  CHECK(scalar("0x1F").i == 31);
  CHECK(scalar("0o17").i == 15);
  CHECK(scalar("9223372036854775807").i == std::numeric_limits<int64_t>::max());
  ParamTree min = scalar("-9223372036854775808");
  CHECK(min.kind == SLUICE_PARAM_INT);
  CHECK(min.i == std::numeric_limits<int64_t>::min());
  // Beyond int64 a decimal number is still a number.
  ParamTree big = scalar("9223372036854775808");
  CHECK(big.kind == SLUICE_PARAM_FLOAT);
  CHECK(big.f == 9223372036854775808.0);
  CHECK(scalar("0x").kind == SLUICE_PARAM_STRING);
  CHECK(scalar("12abc").kind == SLUICE_PARAM_STRING);
}

TEST_CASE("floats, including .inf and .nan", "[runtime][params]") {
  CHECK(scalar("1.5").f == 1.5);
  CHECK(scalar("-2e3").f == -2000.0);
  CHECK(scalar("+.5").f == 0.5);
  CHECK(scalar("1.").f == 1.0);
  CHECK(scalar("1E-2").f == 0.01);
  CHECK(scalar("1.5").kind == SLUICE_PARAM_FLOAT);
  CHECK(scalar(".inf").f == std::numeric_limits<double>::infinity());
  CHECK(scalar("-.Inf").f == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(scalar(".NaN").f));
  CHECK(scalar("1e999").kind == SLUICE_PARAM_STRING);  // beyond a double: kept as text
  CHECK(scalar(".").kind == SLUICE_PARAM_STRING);
  CHECK(scalar("1e").kind == SLUICE_PARAM_STRING);
  CHECK(scalar("1.2.3").kind == SLUICE_PARAM_STRING);
}

TEST_CASE("quoted and !!str scalars are always strings", "[runtime][params]") {
  for (const char* t : {"'123'", "\"true\"", "'null'", "'~'", "\"1.5\"", "!!str 5", "''"}) {
    INFO(t);
    CHECK(scalar(t).kind == SLUICE_PARAM_STRING);
  }
  CHECK(scalar("'123'").s == "123");
  CHECK(scalar("!!str 5").s == "5");
}

TEST_CASE("lists and maps keep YAML order and nest", "[runtime][params]") {
  ParamTree p = from("{b: [1, 2.5, x], a: {z: true, y: null}}");
  REQUIRE(p.kind == SLUICE_PARAM_MAP);
  REQUIRE(p.map.size() == 2);
  CHECK(p.map[0].first == "b");
  CHECK(p.map[1].first == "a");
  const ParamTree* b = p.get("b");
  REQUIRE(b->kind == SLUICE_PARAM_LIST);
  REQUIRE(b->list.size() == 3);
  CHECK(b->list[0].kind == SLUICE_PARAM_INT);
  CHECK(b->list[1].kind == SLUICE_PARAM_FLOAT);
  CHECK(b->list[2].s == "x");
  const ParamTree* a = p.get("a");
  CHECK(a->map[0].first == "z");
  CHECK(a->get("y")->kind == SLUICE_PARAM_NULL);
  CHECK(p.get("missing") == nullptr);
  CHECK(b->get("0") == nullptr);  // not a map
}

TEST_CASE("param_to_yaml round-trips every kind through YAML text", "[runtime][params]") {
  ParamTree p = from(
      "{n: ~, t: true, i: -42, big: 9223372036854775807, f: 2.0, g: 0.1, neg0: -0.0, inf: -.inf,"
      " nan: .nan, s: hello, l: [1, [2, x]], m: {k: v}}");
  CHECK(same(through_text(p), p));
  CHECK(through_text(p).get("f")->kind == SLUICE_PARAM_FLOAT);
}

TEST_CASE("strings that look like other kinds stay strings through YAML text",
          "[runtime][params]") {
  for (const char* s :
       {"123",   "-4",    "0x10",   "0o7",         "1.5",      "1e3", ".inf", ".nan", "true",
        "False", "null",  "Null",   "NULL",        "~",        "",    "yes",  "a: b", "- x",
        "#c",    " lead", "trail ", "multi\nline", "quote\"s", "[x]", "{y}"}) {
    INFO("'" << s << "'");
    ParamTree p;
    p.kind = SLUICE_PARAM_STRING;
    p.s = s;
    ParamTree back = through_text(p);
    CHECK(back.kind == SLUICE_PARAM_STRING);
    CHECK(back.s == s);
    // In memory too, without emitting.
    CHECK(same(param_from_yaml(param_to_yaml(p)), p));
  }
}
