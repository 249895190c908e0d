// validate_pipeline() against the schema test plugin.
#include "engine/config/config_test_util.h"

#include <catch2/catch.hpp>

using sluice::test::check_pipeline;
using sluice::test::error_count;
using sluice::test::has_error;
using sluice::test::locate;

namespace {

std::string pipeline(const std::string& nodes, const std::string& resources = "") {
  return "sluice: 1\n"
         "name: n\n" +
         resources +
         "stages:\n"
         "  - name: s\n"
         "    nodes:\n" +
         nodes;
}

}  // namespace

TEST_CASE("a valid pipeline resolves ops, resources, params and upstream nodes", "[config]") {
  auto c = check_pipeline(
      pipeline("      - {id: read, op: schema.read, params: {path: in.txt}}\n"
               "      - {id: words, op: schema.split_words}\n"
               "      - {id: ids, op: schema.encode, params: {vocabulary: v}}\n"
               "      - {id: stats, op: schema.map_all, from: read, params: {ratio: 0.5}}\n"
               "      - {id: out, op: schema.write, from: read, params: {path: out.txt}}\n",
               "resources: {v: {type: schema.vocab, max_size: 50}}\n"));
  INFO(c.diags.format());
  REQUIRE(c.pipeline);
  CHECK(c.diags.items().empty());
  const auto& p = *c.pipeline;
  REQUIRE(p.resources.at(0).type_info != nullptr);
  CHECK(p.resources.at(0).resolved.get("max_size")->i == 50);
  CHECK(p.resources.at(0).resolved.get("min_count")->i == 1);
  const auto& nodes = p.stages.at(0).nodes;
  std::vector<int> upstream;
  for (const auto& n : nodes) {
    CHECK(n.op_info != nullptr);
    upstream.push_back(n.upstream);
  }
  CHECK(upstream == std::vector<int>{-1, 0, 1, 0, 0});
  CHECK(nodes[3].resolved.get("mode")->s == "fast");
}

TEST_CASE("unknown ops, resource types and ports are reported with suggestions", "[config]") {
  const std::string yaml = pipeline(
      "      - {id: read, op: schema.raed, params: {path: in.txt}}\n"
      "      - {id: w, op: schema.split_words, inputs: {txt: body}, outputs: {word: w}}\n"
      "      - {id: x, op: nothing.at_all}\n",
      "resources: {v: {type: schema.vocb}, m: {type: other.thing}}\n");
  auto c = check_pipeline(yaml);
  INFO(c.diags.format());
  CHECK(has_error(c.diags, locate(yaml, "schema.vocb"),
                  "resource 'v': unknown resource type 'schema.vocb' (did you mean "
                  "'schema.vocab'?)"));
  CHECK(has_error(c.diags, locate(yaml, "other.thing"),
                  "resource 'm': unknown resource type 'other.thing'; no loaded plugin provides "
                  "it"));
  CHECK(has_error(c.diags, locate(yaml, "schema.raed"),
                  "node 'read': unknown op 'schema.raed' (did you mean 'schema.read'?)"));
  CHECK(has_error(c.diags, locate(yaml, "txt:"),
                  "node 'w' (schema.split_words) has no input port 'txt' (did you mean 'text'?)"));
  CHECK(has_error(c.diags, locate(yaml, "word:"),
                  "node 'w' (schema.split_words) has no output port 'word' (did you mean "
                  "'words'?)"));
  CHECK(
      has_error(c.diags, locate(yaml, "nothing.at_all"), "node 'x': unknown op 'nothing.at_all'"));
  CHECK(error_count(c.diags) == 6);
}

TEST_CASE("resource params are checked, and RESOURCE params against them", "[config]") {
  const std::string yaml = pipeline(
      "      - {id: read, op: schema.read, params: {path: in.txt}}\n"
      "      - {id: words, op: schema.split_words}\n"
      "      - {id: a, op: schema.encode, params: {vocabulary: m}}\n"
      "      - {id: b, op: schema.encode, from: words, params: {vocabulary: vocb}}\n",
      "resources:\n"
      "  v: {type: schema.vocab, min_count: -1, max_sise: 3}\n"
      "  m: {type: schema.model}\n");
  auto c = check_pipeline(yaml);
  INFO(c.diags.format());
  CHECK(has_error(c.diags, locate(yaml, "-1"),
                  "param 'min_count' of resource 'v' (schema.vocab): expected an int >= 0, found "
                  "-1"));
  CHECK(has_error(c.diags, locate(yaml, "max_sise"),
                  "resource 'v' (schema.vocab) has no param 'max_sise' (did you mean "
                  "'max_size'?)"));
  CHECK(has_error(c.diags, locate(yaml, "m}"), "found 'm', a resource of type 'schema.model'"));
  CHECK(has_error(c.diags, locate(yaml, "vocb"),
                  "found 'vocb', which is not declared; declared resources: m, v"));
  CHECK(error_count(c.diags) == 4);
}

TEST_CASE("an op's check callback runs on resolved params", "[config]") {
  const std::string yaml = pipeline(
      "      - {id: read, op: schema.read, params: {path: in.txt}}\n"
      "      - {id: m, op: schema.map_all, params: {ratio: 0, mode: exact, count: 50}}\n"
      "      - {id: ok, op: schema.map_all, from: read, params: {ratio: 0, mode: exact}}\n");
  auto c = check_pipeline(yaml);
  INFO(c.diags.format());
  CHECK(has_error(c.diags, locate(yaml, "{id: m"),
                  "node 'm' (schema.map_all): mode 'exact': expected count <= 10, found 50"));
  CHECK(error_count(c.diags) == 1);
}

TEST_CASE("upstream rules: sources take no 'from', others need an upstream node", "[config]") {
  const std::string yaml = pipeline(
      "      - {id: m, op: schema.map_all, params: {ratio: 0}}\n"
      "      - {id: read, op: schema.read, from: m, params: {path: x}}\n"
      "      - {id: w, op: schema.write, from: raed, params: {path: y}}\n"
      "      - {id: w2, op: schema.write, from: other, params: {path: y}}\n"
      "  - name: t\n"
      "    nodes:\n"
      "      - {id: other, op: schema.read, params: {path: x}}\n");
  auto c = check_pipeline(yaml);
  INFO(c.diags.format());
  CHECK(has_error(c.diags, locate(yaml, "{id: m"),
                  "node 'm' (schema.map_all) reads records: expected a 'from' or an earlier node "
                  "in stage 's' to read them from, found none"));
  CHECK(has_error(c.diags, locate(yaml, "m,", 2),
                  "node 'read' (schema.read) is a source and reads no records: expected no "
                  "'from', found 'm'"));
  CHECK(has_error(c.diags, locate(yaml, "raed"),
                  "node 'w' (schema.write): 'from': expected the id of a node of stage 's', found "
                  "'raed', which is no node (did you mean 'read'?)"));
  CHECK(has_error(c.diags, locate(yaml, "other,"),
                  "node 'w2' (schema.write): 'from': expected a node of stage 's', found 'other' "
                  "of stage 't'"));
  CHECK(error_count(c.diags) == 4);
}

TEST_CASE("cycles are reported once each, naming their nodes in data-flow order", "[config]") {
  const std::string yaml = pipeline(
      "      - {id: read, op: schema.read, params: {path: x}}\n"
      "      - {id: a, op: schema.split_words, from: c}\n"
      "      - {id: b, op: schema.split_words}\n"
      "      - {id: c, op: schema.split_words}\n"
      "      - {id: d, op: schema.split_words, from: c}\n"
      "      - {id: self, op: schema.split_words, from: self}\n");
  auto c = check_pipeline(yaml);
  INFO(c.diags.format());
  CHECK(has_error(c.diags, locate(yaml, "c}"), "cycle in stage 's': a -> b -> c -> a"));
  CHECK(has_error(c.diags, locate(yaml, "self}"), "cycle in stage 's': self -> self"));
  CHECK(error_count(c.diags) == 2);
}

TEST_CASE("field flow: every required input is written upstream", "[config]") {
  const std::string yaml = pipeline(
      "      - {id: read, op: schema.read, params: {path: x}}\n"
      "      - {id: enc, op: schema.encode, params: {vocabulary: v}}\n"
      "      - {id: w, op: schema.split_words, from: read, inputs: {text: txet}}\n"
      "      - {id: sq, op: schema.square, from: read, inputs: {value: text}}\n"
      "      - {id: ok, op: schema.encode, from: w, params: {vocabulary: v}}\n",
      "resources: {v: {type: schema.vocab}}\n");
  auto c = check_pipeline(yaml);
  INFO(c.diags.format());
  CHECK(has_error(c.diags, locate(yaml, "schema.encode"),
                  "node 'enc' (schema.encode) reads field 'words', which no upstream node writes; "
                  "upstream fields: label, text"));
  CHECK(has_error(c.diags, locate(yaml, "txet"),
                  "node 'w' (schema.split_words) reads field 'txet' (input port 'text'), which no "
                  "upstream node writes; upstream fields: label, text (did you mean 'text'?)"));
  CHECK(has_error(c.diags, locate(yaml, "text}"),
                  "node 'sq' (schema.square) input port 'value': expected field 'text' to be a "
                  "float, found a string upstream"));
  CHECK(error_count(c.diags) == 3);
}

TEST_CASE("field flow follows output bindings, optional inputs and infer_fields", "[config]") {
  const std::string yaml = pipeline(
      "      - {id: read, op: schema.read, params: {path: x}, outputs: {text: body}}\n"
      "      - {id: t, op: schema.tag, inputs: {text: body}, outputs: {tag: kind}}\n"
      "      - {id: w1, op: schema.write, inputs: {text: kind}, params: {path: a}}\n"
      "      - {id: w2, op: schema.write, from: t, inputs: {text: t_seen}, params: {path: b}}\n"
      "      - {id: w3, op: schema.write, from: t, inputs: {text: tag}, params: {path: c}}\n"
      "      - {id: w4, op: schema.write, from: read, inputs: {label: nope}, params: {path: d}}\n");
  auto c = check_pipeline(yaml);
  INFO(c.diags.format());
  // infer_fields saw the node id and the rebound port: it wrote `kind` and `t_seen` (an int).
  CHECK(has_error(c.diags, locate(yaml, "t_seen"),
                  "node 'w2' (schema.write) input port 'text': expected field 't_seen' to be a "
                  "string, found an int upstream"));
  CHECK(has_error(c.diags, locate(yaml, "tag}"),
                  "reads field 'tag' (input port 'text'), which no upstream node writes; upstream "
                  "fields: body, kind, label, t_seen"));
  CHECK(has_error(c.diags, locate(yaml, "schema.write", 4),
                  "node 'w4' (schema.write) reads field 'text', which no upstream node writes; "
                  "upstream fields: body, label"));
  CHECK(error_count(c.diags) == 3);
}

TEST_CASE("an open field set or an unresolved node stops field errors below it", "[config]") {
  const std::string yaml = pipeline(
      "      - {id: any, op: schema.read_any}\n"
      "      - {id: enc, op: schema.encode, params: {vocabulary: v}}\n"
      "      - {id: read, op: schema.read, params: {path: x}}\n"
      "      - {id: bad, op: schema.map_all, params: {ratio: 7}}\n"
      "      - {id: enc2, op: schema.encode, params: {vocabulary: v}}\n"
      "      - {id: unknown, op: schema.nope, from: read}\n"
      "      - {id: enc3, op: schema.encode, params: {vocabulary: v}}\n"
      "      - {id: tag, op: schema.tag, from: read, params: {fail_infer: true}}\n"
      "      - {id: enc4, op: schema.encode, params: {vocabulary: v}}\n",
      "resources: {v: {type: schema.vocab}}\n");
  auto c = check_pipeline(yaml);
  INFO(c.diags.format());
  CHECK(has_error(c.diags, locate(yaml, "7"),
                  "param 'ratio' of node 'bad' (schema.map_all): expected a float in [0, 1], "
                  "found 7"));
  CHECK(
      has_error(c.diags, locate(yaml, "schema.nope"), "node 'unknown': unknown op 'schema.nope'"));
  CHECK(has_error(c.diags, locate(yaml, "{id: tag"),
                  "node 'tag' (schema.tag): expected fail_infer false, found true"));
  CHECK(error_count(c.diags) == 3);
}
