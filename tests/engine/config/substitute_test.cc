#include "engine/config/substitute.h"
#include "engine/config/config_test_util.h"

#include "support/paths.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

using sluice::Diagnostics;
using sluice::ParamTree;
using sluice::Pipeline;
using sluice::test::error_count;
using sluice::test::has_error;

namespace {

std::string with_node_params(const std::string& params_line, const std::string& node_params) {
  return "sluice: 1\n"
         "name: n\n" +
         params_line +
         "\n"
         "stages:\n"
         "  - name: s\n"
         "    nodes:\n"
         "      - id: a\n"
         "        op: schema.read\n"
         "        params:\n" +
         node_params;
}

const sluice::ParamDecl& param(const Pipeline& p, const std::string& name) {
  for (const auto& [key, decl] : p.stages.at(0).nodes.at(0).params) {
    if (key == name) return decl;
  }
  throw std::runtime_error("no param " + name);
}

ParamTree value(const Pipeline& p, const std::string& name) {
  return sluice::param_from_yaml(param(p, name).value);
}

}  // namespace

TEST_CASE("a whole-string reference keeps the param's YAML type", "[config]") {
  Diagnostics diags("test.yaml");
  auto p = sluice::load_pipeline_text(
      with_node_params("params: {n: 3, r: 0.5, on: true, list: [1, 2], map: {a: 1}, s: '7'}",
                       "          n: ${n}\n"
                       "          r: '${r}'\n"
                       "          on: \"${on}\"\n"
                       "          list: ${list}\n"
                       "          map: ${map}\n"
                       "          s: ${s}\n"),
      "test.yaml", {}, diags);
  INFO(diags.format());
  REQUIRE(p);
  CHECK_FALSE(diags.has_errors());
  CHECK(value(*p, "n").kind == SLUICE_PARAM_INT);
  CHECK(value(*p, "n").i == 3);
  CHECK(value(*p, "r").kind == SLUICE_PARAM_FLOAT);
  CHECK(value(*p, "on").kind == SLUICE_PARAM_BOOL);
  REQUIRE(value(*p, "list").kind == SLUICE_PARAM_LIST);
  CHECK(value(*p, "list").list.size() == 2);
  REQUIRE(value(*p, "map").kind == SLUICE_PARAM_MAP);
  CHECK(value(*p, "map").get("a")->i == 1);
  CHECK(value(*p, "s").kind == SLUICE_PARAM_STRING);  // quoted '7' stays a string
  CHECK(value(*p, "s").s == "7");
  // The value keeps the location where the reference is written.
  CHECK((param(*p, "n").loc.line == 10 && param(*p, "n").loc.col == 14));
}

TEST_CASE("a reference inside a longer string gives a string", "[config]") {
  ::setenv("SLUICE_TEST_SUBST_VAR", "from-env", 1);
  Diagnostics diags("test.yaml");
  auto p = sluice::load_pipeline_text(
      with_node_params("params: {dir: /data, n: 3, name: '${dir}/x${n}'}",
                       "          path: ${dir}/${n}.txt\n"
                       "          name: ${name}\n"
                       "          num: ${n}${n}\n"
                       "          env: ${SLUICE_TEST_SUBST_VAR}\n"
                       "          mixed: a-${SLUICE_TEST_SUBST_VAR}-b\n"
                       "          share: ${SLUICE_SHARE}/data\n"
                       "          escaped: $${dir} and $${x}\n"
                       "          plain: a $ b { } $x\n"),
      "test.yaml", {}, diags);
  ::unsetenv("SLUICE_TEST_SUBST_VAR");
  INFO(diags.format());
  REQUIRE(p);
  CHECK_FALSE(diags.has_errors());
  CHECK(value(*p, "path").s == "/data/3.txt");
  CHECK(value(*p, "name").s == "/data/x3");  // params see the params before them
  CHECK(value(*p, "num").kind == SLUICE_PARAM_STRING);
  CHECK(value(*p, "num").s == "33");
  CHECK(value(*p, "env").s == "from-env");
  CHECK(value(*p, "mixed").s == "a-from-env-b");
  CHECK(value(*p, "share").s == sluice::share_dir() + "/data");
  CHECK(value(*p, "escaped").s == "${dir} and ${x}");
  CHECK(value(*p, "plain").s == "a $ b { } $x");
}

TEST_CASE("SLUICE_SHARE is share/sluice beside bin/, else the source tree's share/", "[config]") {
  namespace fs = std::filesystem;
  // Test binaries run from build/bin.
  const fs::path beside = fs::path(sluice::test::build_dir()) / "share" / "sluice";
  const fs::path expected = fs::is_directory(beside) ? beside : fs::path(SLUICE_TEST_SHARE_DIR);
  CHECK(fs::path(sluice::share_dir()) == expected.lexically_normal());
}

TEST_CASE("unknown names are reported at the string, with a suggestion", "[config]") {
  Diagnostics diags("test.yaml");
  auto p = sluice::load_pipeline_text(
      with_node_params("params: {data: x, sizes: [1, 2]}",
                       "          path: ${dta}\n"
                       "          a: pre-${SLUICE_SHAR}\n"
                       "          b: x${sizes}\n"
                       "          c: ${unterminated\n"
                       "          d: ${}\n"
                       "          e: [ok, '${data}', '${nothing_like_it_anywhere}']\n"),
      "test.yaml", {}, diags);
  REQUIRE(p);
  INFO(diags.format());
  CHECK(has_error(diags, 10, 17,
                  "unknown name '${dta}' (did you mean 'data'?): expected a "
                  "pipeline param (declared: data, sizes)"));
  CHECK(has_error(diags, 11, 14, "unknown name '${SLUICE_SHAR}' (did you mean 'SLUICE_SHARE'?)"));
  CHECK(has_error(diags, 12, 14,
                  "'${sizes}' inside 'x${sizes}': expected a scalar param there, "
                  "found a list"));
  CHECK(has_error(diags, 13, 14, "unterminated reference"));
  CHECK(has_error(diags, 14, 14, "unknown name '${}'"));
  CHECK(has_error(diags, 15, 30, "unknown name '${nothing_like_it_anywhere}': expected"));
  CHECK(error_count(diags) == 6);
  // A string with a problem is kept as written.
  CHECK(value(*p, "path").s == "${dta}");
}

TEST_CASE("references are substituted in every string value, not in keys", "[config]") {
  Diagnostics diags("test.yaml");
  auto p = sluice::load_pipeline_text(
      "sluice: 1\n"
      "name: n\n"
      "params: {op: schema.read, id: reader, field: body, kind: schema.vocab, stage: first}\n"
      "resources:\n"
      "  v: {type: '${kind}', min_count: '${SLUICE_SHARE}'}\n"
      "stages:\n"
      "  - name: ${stage}\n"
      "    nodes:\n"
      "      - id: ${id}\n"
      "        op: ${op}\n"
      "        params: {'${id}': 1}\n"
      "      - {id: t, op: schema.tag, from: '${id}', inputs: {text: '${field}'}}\n",
      "test.yaml", {}, diags);
  INFO(diags.format());
  REQUIRE(p);
  CHECK_FALSE(diags.has_errors());
  CHECK(p->resources.at(0).type == "schema.vocab");
  const auto& stage = p->stages.at(0);
  CHECK(stage.name == "first");
  CHECK(stage.nodes.at(0).id == "reader");
  CHECK(stage.nodes.at(0).op == "schema.read");
  CHECK(stage.nodes.at(0).params.at(0).first == "${id}");
  CHECK(stage.nodes.at(1).from == "reader");
  CHECK(stage.nodes.at(1).input_bindings.at(0).second == "body");
}

TEST_CASE("escape_references undoes substitution", "[config]") {
  CHECK(sluice::escape_references("a ${b} $${c} $ {") == "a $${b} $$${c} $ {");
  Diagnostics diags("test.yaml");
  std::vector<std::pair<std::string, YAML::Node>> params;
  sluice::Substituter subst(params, diags);
  for (const std::string s : {"${x}", "$${x}", "a${b}c${", "$$$", "${"}) {
    YAML::Node n = subst.value(YAML::Node(sluice::escape_references(s)), {1, 1});
    CHECK(n.Scalar() == s);
  }
  CHECK_FALSE(diags.has_errors());
}
