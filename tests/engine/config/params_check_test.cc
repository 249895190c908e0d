// resolve_params() on schemas built with the SDK's ParamSpec, without a registry.
#include "engine/config/config_test_util.h"
#include "engine/config/yaml_util.h"

#include <sluice/schema.hpp>

#include <catch2/catch.hpp>

using sluice::Diagnostics;
using sluice::ParamDecl;
using sluice::ParamSpec;
using sluice::ParamTree;
using sluice::resolve_params;
using sluice::ResourceTypes;
using sluice::test::error_count;
using sluice::test::has_error;
using sluice::test::locate;

namespace {

// A schema and `given` params read from one line of YAML (line 1, so columns are as written).
struct Case {
  std::vector<ParamSpec> specs;
  std::vector<const sluice_param_def*> defs;
  std::vector<std::pair<std::string, ParamDecl>> given;
  Diagnostics diags{"p.yaml"};

  explicit Case(std::vector<ParamSpec> s) : specs(std::move(s)) {
    for (auto& spec : specs) defs.push_back(spec.c_def());
  }
  ParamTree resolve(const std::string& yaml, const ResourceTypes* resources = nullptr) {
    YAML::Node map = YAML::Load(yaml);
    for (const auto& kv : map) {
      given.emplace_back(kv.first.Scalar(), ParamDecl{kv.second, sluice::loc_of(kv.second.Mark()),
                                                      sluice::loc_of(kv.first.Mark())});
    }
    return resolve_params(defs.data(), defs.size(), given, "node 'n' (t.op)", {1, 1}, diags,
                          resources);
  }
};

std::vector<ParamSpec> every_type() {
  return {ParamSpec::Float("ratio", "").range(0, 1),
          ParamSpec::Int("count", "").default_value(1).range(1, 100),
          ParamSpec::String("mode", "").choices({"fast", "exact"}).default_value("fast"),
          ParamSpec::Bool("flag", "").default_value(false),
          ParamSpec::List("sizes", SLUICE_PTYPE_INT, "").default_yaml("[1, 2]").min(1),
          ParamSpec::Map("weights", SLUICE_PTYPE_FLOAT, "").default_yaml("{a: 1}").range(0, 10),
          ParamSpec::List("tags", SLUICE_PTYPE_STRING, "").choices({"red", "blue"}).optional(),
          ParamSpec::Resource("vocab", "t.vocab", "").optional(),
          ParamSpec::List("vocabs", SLUICE_PTYPE_RESOURCE, "").default_yaml("[]"),
          ParamSpec::Any("extra", "").optional()};
}

}  // namespace

TEST_CASE("resolve_params applies defaults in schema order and promotes ints to floats",
          "[config]") {
  Case c(every_type());
  ParamTree p = c.resolve("{extra: {x: [1]}, ratio: 1, sizes: [4]}");
  INFO(c.diags.format());
  CHECK_FALSE(c.diags.has_errors());
  REQUIRE(p.kind == SLUICE_PARAM_MAP);
  std::vector<std::string> keys;
  for (const auto& [k, v] : p.map) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"ratio", "count", "mode", "flag", "sizes", "weights",
                                         "tags", "vocab", "vocabs", "extra"});
  CHECK(p.get("ratio")->kind == SLUICE_PARAM_FLOAT);
  CHECK(p.get("ratio")->f == 1.0);
  CHECK(p.get("count")->i == 1);
  CHECK(p.get("mode")->s == "fast");
  CHECK(p.get("flag")->kind == SLUICE_PARAM_BOOL);
  CHECK(p.get("sizes")->list.at(0).i == 4);
  CHECK(p.get("weights")->get("a")->kind == SLUICE_PARAM_FLOAT);  // default promoted too
  CHECK(p.get("tags")->kind == SLUICE_PARAM_NULL);
  CHECK(p.get("extra")->get("x")->list.size() == 1);
}

TEST_CASE("resolve_params reports type, range and choice errors at the value", "[config]") {
  const std::string yaml =
      "{ratio: 1.5, count: '3', mode: fsat, flag: 1, sizes: [2, 0, x], weights: {a: 11, b: 2}, "
      "tags: [red, gren], vocab: [v]}";
  Case c(every_type());
  c.resolve(yaml);
  INFO(c.diags.format());
  CHECK(has_error(c.diags, locate(yaml, "1.5"),
                  "param 'ratio' of node 'n' (t.op): expected a float in [0, 1], found 1.5"));
  CHECK(has_error(c.diags, locate(yaml, "'3'"),
                  "param 'count' of node 'n' (t.op): expected an int in [1, 100], found '3'"));
  CHECK(has_error(c.diags, locate(yaml, "fsat"),
                  "param 'mode' of node 'n' (t.op): expected one of 'fast', 'exact', found 'fsat' "
                  "(did you mean 'fast'?)"));
  CHECK(has_error(c.diags, locate(yaml, "1,"),
                  "param 'flag' of node 'n' (t.op): expected a bool, found 1"));
  CHECK(has_error(c.diags, locate(yaml, "0,"),
                  "param 'sizes[1]' of node 'n' (t.op): expected an int >= 1, found 0"));
  CHECK(has_error(c.diags, locate(yaml, "x]"),
                  "param 'sizes[2]' of node 'n' (t.op): expected an int >= 1, found 'x'"));
  CHECK(has_error(c.diags, locate(yaml, "11"),
                  "param 'weights.a' of node 'n' (t.op): expected a float in [0, 10], found 11"));
  CHECK(has_error(c.diags, locate(yaml, "gren"),
                  "param 'tags[1]' of node 'n' (t.op): expected one of 'red', 'blue', found "
                  "'gren'"));
  CHECK(has_error(c.diags, locate(yaml, "[v]"),
                  "param 'vocab' of node 'n' (t.op): expected the name of a resource of type "
                  "'t.vocab', found a list"));
  CHECK(error_count(c.diags) == 9);
}

TEST_CASE("resolve_params describes lists and maps it expected", "[config]") {
  const std::string yaml = "{ratio: 0, sizes: 3, weights: [1], tags: red}";
  Case c(every_type());
  c.resolve(yaml);
  INFO(c.diags.format());
  CHECK(has_error(c.diags, locate(yaml, "3"), "expected a list of ints >= 1, found 3"));
  CHECK(has_error(c.diags, locate(yaml, "[1]"),
                  "expected a map of names to floats in [0, 10], found a list"));
  CHECK(has_error(c.diags, locate(yaml, "red"),
                  "expected a list of strings, each one of 'red', 'blue', found 'red'"));
  CHECK(error_count(c.diags) == 3);
}

TEST_CASE("resolve_params reports missing and unknown params", "[config]") {
  const std::string yaml = "{cout: 3, zzzz: 1}";
  Case c(every_type());
  ParamTree p = c.resolve(yaml);
  INFO(c.diags.format());
  CHECK(has_error(c.diags, 1, 1,
                  "node 'n' (t.op): missing required param 'ratio': expected a float in [0, 1]"));
  CHECK(has_error(c.diags, locate(yaml, "cout"),
                  "node 'n' (t.op) has no param 'cout' (did you mean 'count'?)"));
  CHECK(has_error(c.diags, locate(yaml, "zzzz"),
                  "node 'n' (t.op) has no param 'zzzz'; expected one of: ratio, count, mode"));
  CHECK(error_count(c.diags) == 3);
  CHECK(p.get("ratio") == nullptr);

  Case none({});
  none.resolve("{x: 1}");
  CHECK(has_error(none.diags, 1, 2, "node 'n' (t.op) has no param 'x'; it takes no params"));
}

TEST_CASE("null unsets a param whose default is null, and only that", "[config]") {
  const std::string yaml = "{ratio: 0.5, tags: ~, extra: null, count: ~}";
  Case c(every_type());
  ParamTree p = c.resolve(yaml);
  INFO(c.diags.format());
  CHECK(p.get("tags")->kind == SLUICE_PARAM_NULL);
  CHECK(p.get("extra")->kind == SLUICE_PARAM_NULL);
  CHECK(has_error(c.diags, locate(yaml, "~", 2),
                  "param 'count' of node 'n' (t.op): expected an int in [1, 100], found null"));
  CHECK(error_count(c.diags) == 1);
}

TEST_CASE("RESOURCE params name a declared resource of the right type", "[config]") {
  const ResourceTypes resources = {{"v", "t.vocab"}, {"m", "t.model"}, {"u", ""}};
  Case ok(every_type());
  ok.resolve("{ratio: 0, vocab: v, vocabs: [v, u]}", &resources);
  INFO(ok.diags.format());
  CHECK_FALSE(ok.diags.has_errors());

  const std::string yaml = "{ratio: 0, vocab: vv, vocabs: [m, zzzz]}";
  Case bad(every_type());
  bad.resolve(yaml, &resources);
  INFO(bad.diags.format());
  CHECK(has_error(bad.diags, locate(yaml, "vv"),
                  "param 'vocab' of node 'n' (t.op): expected the name of a resource of type "
                  "'t.vocab', found 'vv', which is not declared (did you mean 'v'?)"));
  // The SDK gives lists of resources no type: any declared resource will do.
  CHECK(has_error(bad.diags, locate(yaml, "zzzz"),
                  "param 'vocabs[1]' of node 'n' (t.op): expected the name of a resource, found "
                  "'zzzz', which is not declared; declared resources: m, u, v"));
  CHECK(error_count(bad.diags) == 2);

  Case unchecked(every_type());
  unchecked.resolve("{ratio: 0, vocab: anything}");
  CHECK_FALSE(unchecked.diags.has_errors());

  const ResourceTypes no_resources;
  Case empty(every_type());
  empty.resolve("{ratio: 0, vocab: x}", &no_resources);
  CHECK(has_error(empty.diags, 1, 19, "which is not declared; the pipeline declares no resources"));
}

TEST_CASE("list elements naming resources are checked against the def's resource type",
          "[config]") {
  // A C schema can type the elements of a list of resources; the SDK does not.
  sluice_param_def def{};
  def.struct_size = sizeof(def);
  def.name = "models";
  def.type = SLUICE_PTYPE_LIST;
  def.element = SLUICE_PTYPE_RESOURCE;
  def.resource_type = "t.model";
  const sluice_param_def* defs[] = {&def};
  const ResourceTypes resources = {{"v", "t.vocab"}, {"m", "t.model"}};
  const std::string yaml = "[m, v]";
  YAML::Node node = YAML::Load(yaml);
  std::vector<std::pair<std::string, ParamDecl>> given = {
      {"models", ParamDecl{node, {1, 1}, {1, 1}}}};
  Diagnostics diags("p.yaml");
  resolve_params(defs, 1, given, "node 'n' (t.op)", {1, 1}, diags, &resources);
  INFO(diags.format());
  CHECK(has_error(diags, locate(yaml, "v"),
                  "param 'models[1]' of node 'n' (t.op): expected the name of a resource of type "
                  "'t.model', found 'v', a resource of type 't.vocab'"));
  CHECK(error_count(diags) == 1);
}

TEST_CASE("float params accept ints and refuse NaN when bounded", "[config]") {
  Case c({ParamSpec::Float("lo", "").min(0), ParamSpec::Float("any", "")});
  ParamTree p = c.resolve("{lo: .nan, any: .nan}");
  CHECK(has_error(c.diags, 1, 6,
                  "param 'lo' of node 'n' (t.op): expected a float >= 0, found "
                  "nan"));
  CHECK(error_count(c.diags) == 1);
  CHECK(p.get("any")->kind == SLUICE_PARAM_FLOAT);
}

TEST_CASE("numeric defaults are written in the fewest digits that resolve to the same value",
          "[config]") {
  Case c({ParamSpec::Float("beta", "").default_value(0.9),
          ParamSpec::Float("eps", "").default_value(1e-8),
          ParamSpec::Float("narrow", "").default_value(0.9f),
          ParamSpec::Int("big", "").default_value(int64_t{9007199254740993}),
          ParamSpec::List("mean", SLUICE_PTYPE_FLOAT, "").default_value(std::vector<double>{0.1})});
  CHECK(std::string(c.defs[0]->default_value) == "0.9");
  CHECK(std::string(c.defs[1]->default_value) == "1e-08");
  CHECK(std::string(c.defs[3]->default_value) == "9007199254740993");
  CHECK(std::string(c.defs[4]->default_value) == "[0.1]");
  ParamTree p = c.resolve("{}");
  INFO(c.diags.format());
  REQUIRE_FALSE(c.diags.has_errors());
  CHECK(p.get("beta")->f == 0.9);
  CHECK(p.get("eps")->f == 1e-8);
  CHECK(p.get("narrow")->f == static_cast<double>(0.9f));  // the float's value, not 0.9
  CHECK(p.get("big")->i == int64_t{9007199254740993});
  CHECK(p.get("mean")->list.at(0).f == 0.1);
}
