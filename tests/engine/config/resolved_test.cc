#include "engine/config/config_test_util.h"

#include <catch2/catch.hpp>

using sluice::test::check_pipeline;

namespace {

const char* kPipeline =
    "sluice: 1\n"
    "name: round-trip\n"
    "seed: 9\n"
    "on_error: skip\n"
    "params: {ratio: 0.25, dir: /data, literal: 'a $${b}'}\n"
    "resources:\n"
    "  v: {type: schema.vocab, min_count: 3}\n"
    "stages:\n"
    "  - name: first\n"
    "    nodes:\n"
    "      - {id: read, op: schema.read, params: {path: '${dir}/in.txt'}, outputs: {text: body}}\n"
    "      - {id: m, op: schema.map_all, inputs: {text: body},\n"
    "         params: {ratio: '${ratio}', weights: {a: 2}, note: '${literal}', extra: [x, 1]}}\n"
    "      - {id: t, op: schema.tag, from: read, inputs: {text: body}, on_error: fail}\n"
    "  - name: second\n"
    "    nodes:\n"
    "      - {id: read2, op: schema.read, params: {path: 'x: y', limit: 5}}\n"
    "      - {id: w, op: schema.split_words}\n"
    "      - {id: e, op: schema.encode, params: {vocabulary: v}}\n";

bool same(const sluice::ParamTree& a, const sluice::ParamTree& b) {
  return YAML::Dump(sluice::param_to_yaml(a)) == YAML::Dump(sluice::param_to_yaml(b)) &&
         a.kind == b.kind;
}

}  // namespace

TEST_CASE("resolved_yaml writes every default and reads back the same", "[config]") {
  auto first = check_pipeline(kPipeline, {{"m.count", "4"}});
  INFO(first.diags.format());
  REQUIRE(first.pipeline);
  REQUIRE_FALSE(first.diags.has_errors());
  const std::string text = sluice::resolved_yaml(*first.pipeline);
  INFO(text);
  CHECK(text.find("count: 4") != std::string::npos);
  CHECK(text.find("mode: fast") != std::string::npos);  // a default written out
  CHECK(text.find("from: read") != std::string::npos);  // an implicit upstream written out
  CHECK(text.find("path: /data/in.txt") != std::string::npos);

  auto second = check_pipeline(text);
  INFO(second.diags.format());
  REQUIRE(second.pipeline);
  CHECK(second.diags.items().empty());
  const auto& a = *first.pipeline;
  const auto& b = *second.pipeline;
  CHECK(b.name == a.name);
  CHECK(b.seed == a.seed);
  CHECK(b.on_error == a.on_error);
  REQUIRE(b.params.size() == a.params.size());
  for (size_t i = 0; i < a.params.size(); ++i) {
    CHECK(b.params[i].first == a.params[i].first);
    CHECK(same(sluice::param_from_yaml(b.params[i].second),
               sluice::param_from_yaml(a.params[i].second)));
  }
  REQUIRE(b.resources.size() == 1);
  CHECK(same(b.resources[0].resolved, a.resources[0].resolved));
  REQUIRE(b.stages.size() == a.stages.size());
  for (size_t s = 0; s < a.stages.size(); ++s) {
    CHECK(b.stages[s].name == a.stages[s].name);
    REQUIRE(b.stages[s].nodes.size() == a.stages[s].nodes.size());
    for (size_t n = 0; n < a.stages[s].nodes.size(); ++n) {
      const auto& x = a.stages[s].nodes[n];
      const auto& y = b.stages[s].nodes[n];
      INFO(x.id);
      CHECK(y.id == x.id);
      CHECK(y.op == x.op);
      CHECK(y.upstream == x.upstream);
      CHECK(y.on_error == x.on_error);
      CHECK(same(y.resolved, x.resolved));
    }
  }
  // The escaped literal survives both loads.
  CHECK(b.stages[0].nodes[1].resolved.get("note")->s == "a ${b}");
  // And writing it again gives the same text.
  CHECK(sluice::resolved_yaml(b) == text);
}
