// plan_stage: how a stage's node forest is cut into fused parallel segments and serial ones.
#include "engine/exec/stage_plan.h"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

namespace sluice {
namespace {

sluice_op_def make_def(uint32_t flags) {
  sluice_op_def d{};
  d.struct_size = sizeof(d);
  d.flags = flags;
  return d;
}

const sluice_op_def kSourceDef = make_def(SLUICE_OP_SOURCE);
const sluice_op_def kMapDef = make_def(0);
const sluice_op_def kStatefulDef = make_def(SLUICE_OP_STATEFUL);
const sluice_op_def kSinkDef = make_def(SLUICE_OP_SINK);
const OpInfo kSource{&kSourceDef, nullptr};
const OpInfo kMap{&kMapDef, nullptr};
const OpInfo kStateful{&kStatefulDef, nullptr};
const OpInfo kSink{&kSinkDef, nullptr};

// Nodes given as (id, op kind, upstream index).
StageDecl stage(const std::vector<std::tuple<std::string, const OpInfo*, int>>& nodes) {
  StageDecl s;
  s.name = "s";
  for (const auto& [id, info, upstream] : nodes) {
    NodeDecl n;
    n.id = id;
    n.op = "test.op";
    n.op_info = info;
    n.upstream = upstream;
    s.nodes.push_back(std::move(n));
  }
  return s;
}

TEST_CASE("plan_stage fuses a chain of stateless nodes into one parallel segment", "[exec]") {
  auto plan = plan_stage(stage({{"src", &kSource, -1},
                                {"a", &kMap, 0},
                                {"b", &kMap, 1},
                                {"c", &kMap, 2},
                                {"state", &kStateful, 3},
                                {"d", &kMap, 4},
                                {"out", &kSink, 5}}));
  REQUIRE(plan.ok());
  REQUIRE(plan->sources.size() == 1);
  const auto& segs = plan->segments;
  REQUIRE(segs.size() == 4);
  const Segment& first = segs[plan->sources[0].entry];
  CHECK(first.nodes == std::vector<int>{1, 2, 3});
  CHECK_FALSE(first.serial);
  REQUIRE(first.children.size() == 1);
  const Segment& state = segs[first.children[0]];
  CHECK(state.nodes == std::vector<int>{4});
  CHECK(state.serial);
  const Segment& d = segs[state.children[0]];
  CHECK(d.nodes == std::vector<int>{5});
  const Segment& out = segs[d.children[0]];
  CHECK(out.nodes == std::vector<int>{6});
  CHECK(out.serial);
  CHECK(out.children.empty());
  CHECK(plan->sources[0].leaves == 1);
  for (const Segment& s : segs) CHECK(s.source == 0);
}

TEST_CASE("plan_stage ends a fused segment at a fan-out", "[exec]") {
  auto plan = plan_stage(stage(
      {{"src", &kSource, -1}, {"a", &kMap, 0}, {"b", &kMap, 1}, {"c", &kMap, 1}, {"d", &kMap, 3}}));
  REQUIRE(plan.ok());
  const auto& segs = plan->segments;
  const Segment& a = segs[plan->sources[0].entry];
  CHECK(a.nodes == std::vector<int>{1});
  REQUIRE(a.children.size() == 2);
  CHECK(segs[a.children[0]].nodes == std::vector<int>{2});
  CHECK(segs[a.children[1]].nodes == std::vector<int>{3, 4});
  CHECK(plan->sources[0].leaves == 2);
}

TEST_CASE("plan_stage gives a source without one child an empty entry segment", "[exec]") {
  SECTION("two children") {
    auto plan = plan_stage(stage({{"src", &kSource, -1}, {"a", &kSink, 0}, {"b", &kMap, 0}}));
    REQUIRE(plan.ok());
    const Segment& entry = plan->segments[plan->sources[0].entry];
    CHECK(entry.nodes.empty());
    CHECK_FALSE(entry.serial);
    CHECK(entry.children.size() == 2);
    CHECK(plan->sources[0].leaves == 2);
  }
  SECTION("no child") {
    auto plan = plan_stage(stage({{"src", &kSource, -1}}));
    REQUIRE(plan.ok());
    const Segment& entry = plan->segments[plan->sources[0].entry];
    CHECK(entry.nodes.empty());
    CHECK(entry.children.empty());
    CHECK(plan->sources[0].leaves == 1);
  }
}

TEST_CASE("plan_stage plans each source's tree separately", "[exec]") {
  auto plan = plan_stage(
      stage({{"s1", &kSource, -1}, {"a", &kMap, 0}, {"s2", &kSource, -1}, {"b", &kStateful, 2}}));
  REQUIRE(plan.ok());
  REQUIRE(plan->sources.size() == 2);
  CHECK(plan->segments[plan->sources[0].entry].nodes == std::vector<int>{1});
  CHECK(plan->segments[plan->sources[0].entry].source == 0);
  CHECK(plan->segments[plan->sources[1].entry].nodes == std::vector<int>{3});
  CHECK(plan->segments[plan->sources[1].entry].source == 2);
}

TEST_CASE("plan_stage rejects stages that were not validated", "[exec]") {
  SECTION("unresolved op") {
    auto plan = plan_stage(stage({{"src", nullptr, -1}}));
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.status().message() ==
          "node 'src': expected a resolved op, found op 'test.op' unresolved (was the pipeline "
          "validated?)");
  }
  SECTION("a non-source without upstream") {
    auto plan = plan_stage(stage({{"a", &kMap, -1}}));
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.status().message() ==
          "node 'a': expected an upstream node for op test.op, found none");
  }
  SECTION("a source with an upstream") {
    auto plan = plan_stage(stage({{"s1", &kSource, -1}, {"s2", &kSource, 0}}));
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.status().message() ==
          "node 's2': expected no upstream node for source op test.op, found 's1'");
  }
  SECTION("a cycle") {
    auto plan = plan_stage(stage({{"src", &kSource, -1}, {"a", &kMap, 2}, {"b", &kMap, 1}}));
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.status().message() ==
          "node 'a': expected a chain of upstream nodes leading to a source, found a cycle");
  }
}

}  // namespace
}  // namespace sluice
