#include "engine/config/config_test_util.h"

#include "support/paths.h"

#include <catch2/catch.hpp>

using sluice::Diagnostics;
using sluice::load_pipeline_file;
using sluice::load_pipeline_text;
using sluice::OnError;
using sluice::Pipeline;
using sluice::test::error_count;
using sluice::test::has_error;
using sluice::test::locate;

namespace {

std::optional<Pipeline> load(const std::string& yaml, Diagnostics& diags) {
  return load_pipeline_text(yaml, "test.yaml", {}, diags);
}

}  // namespace

TEST_CASE("the loader builds the model with 1-based locations", "[config]") {
  const std::string yaml =
      "sluice: 1\n"
      "name: demo\n"
      "seed: 42\n"
      "on_error: skip\n"
      "params: {n: 3}\n"
      "resources:\n"
      "  vocab: {type: schema.vocab, min_count: 2}\n"
      "stages:\n"
      "  - name: first\n"
      "    nodes:\n"
      "      - {id: read, op: schema.read, params: {path: in.txt}}\n"
      "      - id: tag\n"
      "        op: schema.tag\n"
      "        from: read\n"
      "        inputs: {text: body}\n"
      "        outputs: {tag: kind}\n"
      "        on_error: fail\n";
  Diagnostics diags("test.yaml");
  auto p = load(yaml, diags);
  INFO(diags.format());
  REQUIRE(p);
  CHECK_FALSE(diags.has_errors());
  CHECK(p->file == "test.yaml");
  CHECK(p->version == 1);
  CHECK(p->name == "demo");
  CHECK(p->seed == 42);
  CHECK(p->on_error == OnError::kSkip);
  REQUIRE(p->params.size() == 1);
  CHECK(p->params[0].first == "n");
  CHECK(p->params[0].second.as<int>() == 3);

  REQUIRE(p->resources.size() == 1);
  const auto& r = p->resources[0];
  CHECK(r.name == "vocab");
  CHECK(r.type == "schema.vocab");
  CHECK(r.loc == locate(yaml, "vocab:"));
  CHECK(r.type_loc == locate(yaml, "schema.vocab"));
  REQUIRE(r.params.size() == 1);
  CHECK(r.params[0].first == "min_count");

  REQUIRE(p->stages.size() == 1);
  const auto& stage = p->stages[0];
  CHECK(stage.name == "first");
  CHECK(stage.loc == locate(yaml, "name: first"));
  REQUIRE(stage.nodes.size() == 2);
  const auto& read = stage.nodes[0];
  CHECK(read.id == "read");
  CHECK(read.op == "schema.read");
  CHECK(read.loc == locate(yaml, "{id: read"));
  CHECK(read.op_loc == locate(yaml, "schema.read"));
  CHECK(read.on_error == OnError::kSkip);  // the pipeline's default
  REQUIRE(read.params.size() == 1);
  CHECK(read.params[0].first == "path");
  CHECK(read.params[0].second.key_loc == locate(yaml, "path:"));
  CHECK(read.params[0].second.loc == locate(yaml, "in.txt"));

  const auto& tag = stage.nodes[1];
  CHECK(tag.loc == locate(yaml, "id: tag"));
  CHECK(tag.from == "read");
  CHECK(tag.from_loc == locate(yaml, "read", 3));
  CHECK(tag.on_error == OnError::kFail);
  REQUIRE(tag.input_bindings.size() == 1);
  CHECK(tag.input_bindings[0] == std::make_pair(std::string("text"), std::string("body")));
  REQUIRE(tag.output_bindings.size() == 1);
  CHECK(tag.output_bindings[0] == std::make_pair(std::string("tag"), std::string("kind")));
  CHECK(tag.binding_locs.at("in.text") == locate(yaml, "text: body"));
  CHECK(tag.binding_field_locs.at("in.text") == locate(yaml, "body"));
  CHECK(tag.binding_locs.at("out.tag") == locate(yaml, "tag: kind"));
  CHECK(tag.binding_field_locs.at("out.tag") == locate(yaml, "kind"));
}

TEST_CASE("missing keys are reported at the map that lacks them", "[config]") {
  Diagnostics diags("test.yaml");
  auto p = load(
      "# a comment\n"
      "stages:\n"
      "  - nodes:\n"
      "      - {op: schema.read}\n"
      "      - {id: x}\n",
      diags);
  REQUIRE(p);
  INFO(diags.format());
  CHECK(has_error(diags, 2, 1, "missing key 'sluice'"));
  CHECK(has_error(diags, 2, 1, "missing key 'name'"));
  CHECK(has_error(diags, 3, 5, "stage 1: missing key 'name'"));
  CHECK(has_error(diags, 4, 9, "node 1 of stage 1: missing key 'id'"));
  CHECK(has_error(diags, 5, 9, "node 'x': missing key 'op'"));
  CHECK(error_count(diags) == 5);
}

TEST_CASE("unknown keys are reported with a suggestion at every level", "[config]") {
  Diagnostics diags("test.yaml");
  auto p = load(
      "sluice: 1\n"
      "name: n\n"
      "stagse: []\n"
      "stages:\n"
      "  - name: s\n"
      "    nodse: []\n"
      "    nodes:\n"
      "      - {id: a, op: schema.read, parms: {}}\n",
      diags);
  REQUIRE(p);
  INFO(diags.format());
  CHECK(has_error(diags, 3, 1, "unknown key 'stagse' in the pipeline (did you mean 'stages'?)"));
  CHECK(has_error(diags, 6, 5, "unknown key 'nodse' in stage 's' (did you mean 'nodes'?)"));
  CHECK(has_error(diags, 8, 34, "unknown key 'parms' in node 'a' (did you mean 'params'?)"));
  CHECK(error_count(diags) == 3);
}

TEST_CASE("format version, name, seed and on_error are checked", "[config]") {
  const std::string yaml =
      "sluice: 2\n"
      "name: my pipeline\n"
      "seed: -1\n"
      "on_error: skipp\n"
      "stages: [{name: s, nodes: [{id: a, op: x.y, on_error: [1]}]}]\n";
  Diagnostics diags("test.yaml");
  auto p = load(yaml, diags);
  REQUIRE(p);
  INFO(diags.format());
  CHECK(has_error(diags, locate(yaml, "2"), "unsupported format version: expected 1, found 2"));
  CHECK(has_error(diags, locate(yaml, "my pipeline"),
                  "expected a name of letters, digits, '_', '-' and '.', found 'my pipeline'"));
  CHECK(
      has_error(diags, locate(yaml, "-1"), "'seed': expected an integer in [0, 2^64), found '-1'"));
  CHECK(has_error(diags, locate(yaml, "skipp"),
                  "expected fail or skip, found 'skipp' (did you mean 'skip'?)"));
  CHECK(has_error(diags, locate(yaml, "[1]"),
                  "node 'a': 'on_error': expected fail or skip, found a list"));
  CHECK(error_count(diags) == 5);
}

TEST_CASE("node ids are unique across stages, stage names and resources too", "[config]") {
  const std::string yaml =
      "sluice: 1\n"
      "name: n\n"
      "resources:\n"
      "  r: {type: schema.vocab}\n"
      "  r: {type: schema.model}\n"
      "stages:\n"
      "  - name: s\n"
      "    nodes: [{id: a, op: schema.read}]\n"
      "  - name: s\n"
      "    nodes: [{id: a, op: schema.read}, {id: b.c, op: schema.read}]\n";
  Diagnostics diags("test.yaml");
  auto p = load(yaml, diags);
  REQUIRE(p);
  INFO(diags.format());
  CHECK(has_error(diags, locate(yaml, "r:", 2), "resources: duplicate key 'r' (first at 4:3)"));
  CHECK(has_error(diags, locate(yaml, "s\n", 2), "duplicate stage name 's' (first at 7:11)"));
  CHECK(has_error(diags, locate(yaml, "a,", 2), "duplicate node id 'a' (first at 8:18)"));
  CHECK(has_error(diags, locate(yaml, "b.c"),
                  "expected a name of letters, digits, '_' and '-', found 'b.c'"));
  CHECK(error_count(diags) == 4);
}

TEST_CASE("a YAML syntax error is reported at its location", "[config]") {
  Diagnostics diags("test.yaml");
  auto p = load("sluice: 1\nname: [a, b\n", diags);
  CHECK_FALSE(p);
  INFO(diags.format());
  REQUIRE(error_count(diags) == 1);
  CHECK(diags.items()[0].message.find("invalid YAML") == 0);
  CHECK(diags.items()[0].loc.line >= 2);
}

TEST_CASE("documents that are not a map are refused", "[config]") {
  for (const char* text : {"", "just text", "[1, 2]", "~", "# only a comment\n"}) {
    Diagnostics diags("test.yaml");
    CHECK_FALSE(load(text, diags));
    CHECK(error_count(diags) == 1);
    CHECK(diags.items()[0].message.find("expected a pipeline") == 0);
  }
}

TEST_CASE("any YAML shape gives diagnostics, never a crash", "[config]") {
  const char* shapes[] = {
      "sluice: 1\nname: n\nstages: 5\n",
      "sluice: 1\nname: n\nstages: []\n",
      "sluice: 1\nname: n\nstages: {a: 1}\n",
      "sluice: 1\nname: n\nstages: [1, [2], ~]\n",
      "sluice: 1\nname: [n]\nstages: [{name: {a: 1}, nodes: x}]\n",
      "sluice: 1\nname: n\nstages: [{name: s, nodes: [1, [], ~, {id: [x], op: {a: b}}]}]\n",
      "sluice: 1\nname: n\nstages: [{name: s, nodes: [{id: a, op: o, params: [1], inputs: 3, "
      "outputs: [x], from: {a: 1}}]}]\n",
      "sluice: 1\nname: n\nstages: [{name: s, nodes: [{id: a, op: o, inputs: {x: [1]}}]}]\n",
      "sluice: 1\nname: n\nparams: [1, 2]\nresources: 7\nstages: [{name: s, nodes: []}]\n",
      "sluice: 1\nname: n\nresources: {r: 1, q: {min_count: 2}, s: {type: [x]}}\nstages: []\n",
      "sluice: [1]\nname: n\nseed: {a: 1}\non_error: ~\nstages: ~\n",
      "? [complex, key]\n: 1\nsluice: 1\n",
      "sluice: 1\nname: n\nparams: {? [a]: 1, b: 2}\nstages: [{name: s, nodes: [{id: a, op: o, "
      "params: {? {k: 1}: 2}}]}]\n",
      "sluice: 1\nname: n\nx: &a {y: *a}\n",
      "sluice: 1\nname: n\nstages:\n- &s {name: s, nodes: [{id: a, op: o}]}\n- *s\n",
  };
  for (const char* text : shapes) {
    INFO(text);
    auto c = sluice::test::check_pipeline(text);
    CHECK(c.diags.has_errors());
  }
}

TEST_CASE("load_pipeline_file reads the file and names it in diagnostics", "[config]") {
  std::string path = sluice::test::temp_dir() + "/p.yaml";
  sluice::test::write_file(path, "sluice: 1\nname: n\nstages: 3\n");
  Diagnostics diags(path);
  auto p = load_pipeline_file(path, {}, diags);
  REQUIRE(p);
  CHECK(p->file == path);
  CHECK(diags.format() ==
        path + ":3:9: error: 'stages': expected a list of at least one stage, found '3'\n");

  Diagnostics missing("nope.yaml");
  CHECK_FALSE(load_pipeline_file("/nonexistent/nope.yaml", {}, missing));
  REQUIRE(error_count(missing) == 1);
  CHECK(missing.items()[0].message.find("cannot read the pipeline file '/nonexistent/nope.yaml'") ==
        0);
}
