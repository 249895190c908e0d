#include "engine/config/config_test_util.h"

#include <catch2/catch.hpp>

using sluice::Diagnostics;
using sluice::ParamTree;
using sluice::parse_override_value;
using sluice::test::check_pipeline;
using sluice::test::error_count;
using sluice::test::has_error;
using sluice::test::locate;

namespace {

const char* kPipeline =
    "sluice: 1\n"
    "name: n\n"
    "params: {ratio: 0.5, path: in.txt, sizes: [1]}\n"
    "stages:\n"
    "  - name: s\n"
    "    nodes:\n"
    "      - {id: read, op: schema.read, params: {path: '${path}'}}\n"
    "      - {id: m, op: schema.map_all, params: {ratio: '${ratio}', sizes: '${sizes}'}}\n";

const ParamTree& resolved(const sluice::Pipeline& p, const std::string& node,
                          const std::string& param) {
  for (const auto& n : p.stages.at(0).nodes) {
    if (n.id == node) return *n.resolved.get(param);
  }
  throw std::runtime_error("no node " + node);
}

}  // namespace

TEST_CASE("parse_override_value reads VALUE as YAML", "[config]") {
  CHECK(sluice::param_from_yaml(parse_override_value("224")).kind == SLUICE_PARAM_INT);
  CHECK(sluice::param_from_yaml(parse_override_value("0.25")).f == 0.25);
  CHECK(sluice::param_from_yaml(parse_override_value("true")).kind == SLUICE_PARAM_BOOL);
  ParamTree list = sluice::param_from_yaml(parse_override_value("[0.5, 0.5]"));
  REQUIRE(list.kind == SLUICE_PARAM_LIST);
  CHECK(list.list.size() == 2);
  CHECK(sluice::param_from_yaml(parse_override_value("{a: 1}")).kind == SLUICE_PARAM_MAP);
  CHECK(sluice::param_from_yaml(parse_override_value("'12'")).kind == SLUICE_PARAM_STRING);
  CHECK(sluice::param_from_yaml(parse_override_value("hello world")).s == "hello world");
  // Not YAML, or empty: the text itself.
  CHECK(parse_override_value("[1, 2").Scalar() == "[1, 2");
  CHECK(parse_override_value("").IsScalar());
  CHECK(parse_override_value("").Scalar().empty());
  // No marks: they would point into the VALUE text, not the pipeline file.
  YAML::Node nested = parse_override_value("{a: [1, 2]}");
  CHECK(nested.Mark().line == -1);
  CHECK(nested["a"][1].Mark().line == -1);
}

TEST_CASE("an override KEY=VALUE replaces a pipeline param before substitution", "[config]") {
  auto c = check_pipeline(kPipeline, {{"ratio", "0.75"}, {"sizes", "[3, 4]"}, {"path", "b.txt"}});
  INFO(c.diags.format());
  REQUIRE(c.pipeline);
  CHECK_FALSE(c.diags.has_errors());
  CHECK(resolved(*c.pipeline, "m", "ratio").f == 0.75);
  CHECK(resolved(*c.pipeline, "m", "sizes").list.size() == 2);
  CHECK(resolved(*c.pipeline, "read", "path").s == "b.txt");
  CHECK(c.pipeline->params.at(0).second.as<double>() == 0.75);
}

TEST_CASE("an override NODE.PARAM sets or adds a node param and the last override wins",
          "[config]") {
  auto c = check_pipeline(
      kPipeline,
      {{"m.ratio", "0.1"}, {"m.count", "7"}, {"m.count", "9"}, {"read.path", "${path}.gz"}});
  INFO(c.diags.format());
  REQUIRE(c.pipeline);
  CHECK_FALSE(c.diags.has_errors());
  CHECK(resolved(*c.pipeline, "m", "ratio").f == 0.1);
  CHECK(resolved(*c.pipeline, "m", "count").i == 9);
  CHECK(resolved(*c.pipeline, "read", "path").s == "in.txt.gz");
}

TEST_CASE("a bad override value is checked like a written one", "[config]") {
  auto c = check_pipeline(kPipeline, {{"m.ratio", "1.5"}, {"m.mode", "slow"}});
  INFO(c.diags.format());
  // An overridden param is reported where the file gives it; a new one at its node.
  CHECK(has_error(c.diags, locate(kPipeline, "'${ratio}'"),
                  "param 'ratio' of node 'm' (schema.map_all): expected a float in [0, 1], found "
                  "1.5"));
  CHECK(has_error(c.diags, locate(kPipeline, "{id: m"),
                  "param 'mode' of node 'm' (schema.map_all): expected one of 'fast', 'exact', "
                  "found 'slow'"));
  CHECK(error_count(c.diags) == 2);
}

TEST_CASE("a bad list element in an override is reported where the file gives the list",
          "[config]") {
  auto c = check_pipeline(kPipeline, {{"m.sizes", "[3, 0]"}});
  INFO(c.diags.format());
  CHECK(has_error(c.diags, locate(kPipeline, "'${sizes}'"),
                  "param 'sizes[1]' of node 'm' (schema.map_all): expected an int >= 1, found 0"));
  CHECK(error_count(c.diags) == 1);
}

TEST_CASE("an unknown --set key is an error naming it and the known params", "[config]") {
  auto c = check_pipeline(
      kPipeline,
      {{"ratoi", "1"}, {"nope.x", "1"}, {"rea.path", "x"}, {"path", "${undefined_thing}"}});
  INFO(c.diags.format());
  CHECK(has_error(c.diags, 0, 0,
                  "--set ratoi=1: unknown param 'ratoi' (did you mean 'ratio'?); "
                  "expected one of the declared params (ratio, path, sizes) or "
                  "NODE.PARAM"));
  CHECK(has_error(c.diags, 0, 0,
                  "--set nope.x: expected NODE.PARAM with the id of a node, found "
                  "no node 'nope'"));
  CHECK(has_error(c.diags, 0, 0,
                  "--set rea.path: expected NODE.PARAM with the id of a node, "
                  "found no node 'rea' (did you mean 'read'?)"));
  // A problem inside an override value is reported where the param is declared.
  CHECK(has_error(c.diags, locate(kPipeline, "in.txt"),
                  "--set path: unknown name '${undefined_thing}'"));
  CHECK(error_count(c.diags) == 4);
}

TEST_CASE("an override on a file without params says so", "[config]") {
  auto c = check_pipeline(
      "sluice: 1\nname: n\nstages: [{name: s, nodes: [{id: r, op: schema.read, "
      "params: {path: x}}]}]\n",
      {{"seed", "3"}});
  CHECK(has_error(c.diags, 0, 0,
                  "unknown param 'seed'; expected NODE.PARAM, as the file "
                  "declares no params"));
  CHECK(error_count(c.diags) == 1);
}
