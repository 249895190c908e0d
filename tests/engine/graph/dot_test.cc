#include "engine/graph/dot.h"
#include "engine/config/config_test_util.h"

#include <catch2/catch.hpp>

TEST_CASE("to_dot draws stages as clusters, edges upstream to downstream, resources dashed",
          "[graph]") {
  auto c = sluice::test::check_pipeline(
      "sluice: 1\n"
      "name: my-graph\n"
      "resources: {v: {type: schema.vocab}, unused: {type: schema.model}}\n"
      "stages:\n"
      "  - name: build\n"
      "    nodes:\n"
      "      - {id: read, op: schema.read, params: {path: x}}\n"
      "      - {id: words, op: schema.split_words}\n"
      "      - {id: ids, op: schema.encode, params: {vocabulary: v}}\n"
      "      - {id: stats, op: schema.map_all, from: read, params: {ratio: 1, vocabulary: v}}\n"
      "  - name: eval\n"
      "    nodes:\n"
      "      - {id: read2, op: schema.read, params: {path: y}}\n"
      "      - {id: out, op: schema.write, params: {path: z}}\n");
  INFO(c.diags.format());
  REQUIRE(c.pipeline);
  REQUIRE_FALSE(c.diags.has_errors());
  const std::string dot = sluice::to_dot(*c.pipeline);
  INFO(dot);
  CHECK(dot.rfind("digraph \"my-graph\" {\n", 0) == 0);
  CHECK(dot.find("subgraph \"cluster_0\" {\n    label=\"build\";") != std::string::npos);
  CHECK(dot.find("subgraph \"cluster_1\" {\n    label=\"eval\";") != std::string::npos);
  CHECK(dot.find("\"read\" [label=\"read\\nschema.read\"];") != std::string::npos);
  for (const char* edge :
       {"\"read\" -> \"words\";", "\"words\" -> \"ids\";", "\"read\" -> \"stats\";",
        "\"read2\" -> \"out\";", "\"resource:v\" -> \"ids\" [style=dashed];",
        "\"resource:v\" -> \"stats\" [style=dashed];"}) {
    CHECK(dot.find(edge) != std::string::npos);
  }
  CHECK(dot.find("\"resource:unused\" [shape=ellipse, label=\"unused\\nschema.model\"];") !=
        std::string::npos);
  CHECK(dot.find("-> \"read\"") == std::string::npos);
  CHECK(dot.find("\"resource:unused\" ->") == std::string::npos);
  CHECK(dot.back() == '\n');
  CHECK(dot.find("}\n") != std::string::npos);
}

TEST_CASE("to_dot quotes names and draws unvalidated nodes without edges", "[graph]") {
  sluice::Pipeline p;
  p.name = "say \"hi\"\\";
  sluice::StageDecl stage;
  stage.name = "two\nlines";
  sluice::NodeDecl node;
  node.id = "n";
  node.op = "x.y";
  stage.nodes.push_back(node);
  p.stages.push_back(stage);
  const std::string dot = sluice::to_dot(p);
  INFO(dot);
  CHECK(dot.rfind("digraph \"say \\\"hi\\\"\\\\\" {\n", 0) == 0);
  CHECK(dot.find("label=\"two\\nlines\";") != std::string::npos);
  CHECK(dot.find("->") == std::string::npos);
}
