// The host's layer entry points (ABI 1.2) as a plugin calls them: find_layer through a
// LayerCatalog over a registry (loading the test plugin `testlayers` on demand), layer_args
// checked as op params are, param_free; and what they answer with no catalog installed.
#include "engine/config/layer_catalog.h"
#include "engine/runtime/host.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

using sluice::LayerCatalog;
using sluice::ParamTree;
using sluice::Registry;

namespace {

std::string testlayers_dir() { return sluice::test::test_plugin_dir() + "/testlayers"; }

const sluice_layer_def* find(const char* type, sluice::Status* status) {
  const sluice_layer_def* def = nullptr;
  *status = sluice::take_status(sluice::engine_host()->find_layer(type, &def));
  return def;
}

ParamTree args_from(const std::string& yaml) { return sluice::param_from_yaml(YAML::Load(yaml)); }

// layer_args of `yaml` for `def`: the resolved tree as YAML text, or the error message.
std::string resolved(const sluice_layer_def* def, const std::string& yaml) {
  const sluice_host* host = sluice::engine_host();
  ParamTree given = args_from(yaml);
  sluice_param* out = nullptr;
  sluice::Status s = sluice::take_status(host->layer_args(def, &given, &out));
  if (!s.ok()) return s.message();
  YAML::Emitter e;
  e << YAML::Flow << sluice::param_to_yaml(*out);
  host->param_free(out);
  return e.c_str();
}

}  // namespace

TEST_CASE("find_layer answers through the installed catalog, loading the plugin on demand",
          "[config][layer]") {
  Registry registry;
  CHECK(registry.load_for({testlayers_dir()}, {}).empty());
  CHECK(registry.plugins().empty());
  sluice::Status s;
  {
    LayerCatalog catalog(registry);
    const sluice_layer_def* swish = find("testlayers.swish", &s);
    REQUIRE(s.ok());
    CHECK(std::string(swish->type) == "testlayers.swish");
    CHECK(registry.plugins().size() == 1);
    find("testlayers.nope", &s);
    CHECK(s.code() == SLUICE_NOT_FOUND);
    CHECK(s.message().find("layer type 'testlayers.nope': no plugin provides it (searched " +
                           testlayers_dir() +
                           "); known plugin layer types: testlayers.center, testlayers.fail, "
                           "testlayers.swish") == 0);
  }
  find("testlayers.swish", &s);
  CHECK(s.code() == SLUICE_NOT_FOUND);
  CHECK(s.message() ==
        "layer type 'testlayers.swish': no plugin registry serves layer lookups in this process "
        "(the engine keeps a LayerCatalog while it validates and runs pipelines)");
}

TEST_CASE("find_layer from several threads at once loads the plugin once", "[config][layer]") {
  Registry registry;
  CHECK(registry.load_for({testlayers_dir()}, {}).empty());
  LayerCatalog catalog(registry);
  std::vector<const sluice_layer_def*> found(8, nullptr);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < found.size(); ++i) {
    threads.emplace_back([&found, i] {
      sluice_status s = sluice::engine_host()->find_layer("testlayers.swish", &found[i]);
      if (s != nullptr) sluice::engine_host()->status_free(s);
    });
  }
  for (std::thread& t : threads) t.join();
  REQUIRE(found[0] != nullptr);
  for (const sluice_layer_def* def : found) CHECK(def == found[0]);
  CHECK(registry.plugins().size() == 1);
}

TEST_CASE("the catalog made last answers until it goes", "[config][layer]") {
  Registry with, without;
  REQUIRE(with.load_file(testlayers_dir() + "/testlayers.so").ok());
  LayerCatalog outer(with);
  sluice::Status s;
  {
    LayerCatalog inner(without);
    find("testlayers.swish", &s);
    CHECK(s.code() == SLUICE_NOT_FOUND);
  }
  CHECK(find("testlayers.swish", &s) != nullptr);
  CHECK(s.ok());
}

TEST_CASE("layer_args checks a layer's args as op params are and fills in the defaults",
          "[config][layer]") {
  Registry registry;
  REQUIRE(registry.load_file(testlayers_dir() + "/testlayers.so").ok());
  LayerCatalog catalog(registry);
  sluice::Status s;
  const sluice_layer_def* swish = find("testlayers.swish", &s);
  REQUIRE(s.ok());
  CHECK(resolved(swish, "{type: testlayers.swish, features: 4}") ==
        "{features: 4, init_scale: 1.0}");
  CHECK(resolved(swish, "{features: 4, init_scale: 2}") == "{features: 4, init_scale: 2.0}");
  CHECK(resolved(swish, "{type: testlayers.swish, featurs: 4}") ==
        "layer type 'testlayers.swish' has no param 'featurs' (did you mean 'features'?); "
        "layer type 'testlayers.swish': missing required param 'features': expected an int >= 1");
  CHECK(resolved(swish, "{features: 0}") ==
        "param 'features' of layer type 'testlayers.swish': expected an int >= 1, found 0");
  CHECK(resolved(swish, "{features: many}") ==
        "param 'features' of layer type 'testlayers.swish': expected an int >= 1, found 'many'");
  const sluice_layer_def* fail = find("testlayers.fail", &s);
  REQUIRE(s.ok());
  CHECK(resolved(fail, "{when: later}") ==
        "param 'when' of layer type 'testlayers.fail': expected one of 'create', 'forward', "
        "'backward', found 'later'");
  CHECK(resolved(fail, "[1]") ==
        "layer type 'testlayers.fail': expected its args as a map, found another value");
}
