#include "engine/exec/op_runner.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using sluice::OpRunner;
using sluice::Registry;
using Lines = std::vector<std::string>;

namespace {

const Registry& registry() {
  static Registry* r = [] {
    auto* reg = new Registry;
    for (const char* name : {"good", "throws"}) {
      std::string file = sluice::test::test_plugin_dir() + "/" + name + "/" + name + ".so";
      sluice::Status s = reg->load_file(file);
      if (!s.ok()) FAIL(s.message());
    }
    return reg;
  }();
  return *r;
}

}  // namespace

TEST_CASE("a map op runs over JSON lines, rejecting bad records with their index",
          "[exec][op_runner]") {
  OpRunner run(registry(), "good.upper", "{suffix: '!'}");
  REQUIRE(run.status().ok());
  sluice::OpRunResult r = run.process_all(
      {R"({"text": "hi", "n": 1})", R"({"text": ""})", R"({"text": 5})", R"({"text": "yo"})"});
  INFO(r.error.message());
  REQUIRE(r.error.ok());
  CHECK(r.outputs == Lines{R"({"text": "HI!", "n": 1})", R"({"text": "YO!"})"});
  CHECK(r.rejected ==
        Lines{"1: field 'text' is empty", "2: field 'text': expected string, found int"});
}

TEST_CASE("params are defaulted and checked as in a pipeline", "[exec][op_runner]") {
  OpRunner defaults(registry(), "good.upper", "{}");
  REQUIRE(defaults.status().ok());
  CHECK(defaults.process_all({R"({"text": "a"})"}).outputs == Lines{R"({"text": "A"})"});

  OpRunner unknown(registry(), "good.upper", "{sufix: x}");
  CHECK_FALSE(unknown.status().ok());
  CHECK(unknown.status().message().find("sufix") != std::string::npos);
  sluice::OpRunResult r = unknown.process_all({R"({"text": "a"})"});
  CHECK(r.error.message() == unknown.status().message());
  CHECK(r.outputs.empty());

  OpRunner wrong_type(registry(), "good.upper", "{suffix: [1, 2]}");
  CHECK_FALSE(wrong_type.status().ok());
  CHECK(wrong_type.status().message().find("suffix") != std::string::npos);

  OpRunner not_a_map(registry(), "good.upper", "[1]");
  CHECK(not_a_map.status().message() ==
        "op 'good.upper' params: expected a YAML map, found a sequence");
}

TEST_CASE("an unknown op is NOT_FOUND", "[exec][op_runner]") {
  OpRunner run(registry(), "good.uper", "{}");
  CHECK(run.status().code() == SLUICE_NOT_FOUND);
  CHECK(run.status().message().find("unknown op 'good.uper'") == 0);
  CHECK(run.process_all({}).error.code() == SLUICE_NOT_FOUND);
}

TEST_CASE("an op uses a resource the runner declares", "[exec][op_runner]") {
  OpRunner run(registry(), "good.upper", "{prefix: pre}");
  REQUIRE(run.status().ok());
  sluice::OpRunResult missing = run.process_all({R"({"text": "a"})"});
  CHECK(missing.error.message().find("op 'good.upper' create: resource 'pre' is not declared") ==
        0);

  REQUIRE(run.add_resource("pre", "good.prefix", "{text: '>> '}").ok());
  sluice::OpRunResult r = run.process_all({R"({"text": "a"})"});
  REQUIRE(r.error.ok());
  CHECK(r.outputs == Lines{R"({"text": ">> A"})"});

  CHECK(run.add_resource("x", "good.prefx", "{}").code() == SLUICE_NOT_FOUND);
  sluice::Status no_text = run.add_resource("y", "good.prefix", "{}");
  CHECK_FALSE(no_text.ok());
  CHECK(no_text.message().find("text") != std::string::npos);
}

TEST_CASE("a source produces until done, and a BAD_RECORD from produce is rejected",
          "[exec][op_runner]") {
  OpRunner run(registry(), "good.count", "{n: 4, bad_at: 1}");
  REQUIRE(run.status().ok());
  sluice::OpRunResult r = run.process_all({});
  REQUIRE(r.error.ok());
  CHECK(r.outputs == Lines{R"({"i": 0})", R"({"i": 2})", R"({"i": 3})"});
  CHECK(r.rejected == Lines{"1: count:1: planned bad record"});

  sluice::OpRunResult with_input = run.process_all({"{}"});
  CHECK(with_input.error.message() ==
        "op 'good.count' is a source: expected no input records, found 1");
}

TEST_CASE("records emitted at the end of the stream come out last", "[exec][op_runner]") {
  OpRunner run(registry(), "good.total", "{}");
  sluice::OpRunResult r = run.process_all({R"({"i": 1})", R"({"i": 2})", R"({"i": 40})"});
  REQUIRE(r.error.ok());
  CHECK(r.outputs == Lines{R"({"total": 43})"});
  CHECK(r.rejected.empty());
}

TEST_CASE("a malformed input line is an error naming its index", "[exec][op_runner]") {
  OpRunner run(registry(), "good.upper", "{}");
  sluice::OpRunResult r = run.process_all({R"({"text": "a"})", R"({"text": )"});
  CHECK(r.error.code() == SLUICE_INVALID_ARGUMENT);
  CHECK(r.error.message().find("input record 1: expected a JSON object, found invalid JSON") == 0);
  CHECK(r.outputs.empty());
}

TEST_CASE("an op that throws rejects the record as INTERNAL", "[exec][op_runner]") {
  OpRunner run(registry(), "throws.std", "{}");
  sluice::OpRunResult r = run.process_all({R"({"a": 1})"});
  REQUIRE(r.error.ok());
  CHECK(r.outputs.empty());
  CHECK(r.rejected == Lines{"0: unexpected exception: boom"});
}
