#include "engine/plugin/registry.h"
#include "engine/runtime/emitter.h"
#include "engine/runtime/host.h"
#include "engine/runtime/node_context.h"
#include "engine/runtime/params.h"
#include "engine/runtime/record.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using sluice::Registry;

namespace {

std::string plugin_dir(const std::string& name) {
  return sluice::test::test_plugin_dir() + "/" + name;
}
std::string plugin_file(const std::string& name) { return plugin_dir(name) + "/" + name + ".so"; }

struct DropEmitter : sluice_emitter_s {
  sluice_status accept(sluice_record* r) override {
    delete r;
    return nullptr;
  }
};

// Runs create and one process call of `op` through its C callbacks.
sluice::Status process_once(const sluice::OpInfo& op) {
  const sluice_host* host = sluice::engine_host();
  sluice::ParamTree params;
  params.kind = SLUICE_PARAM_MAP;
  sluice_node_context_s ctx;
  ctx.node_id = "n";
  void* instance = nullptr;
  sluice::Status created = sluice::take_status(op.def->create(host, &params, &ctx, &instance));
  REQUIRE(created.ok());
  DropEmitter out;
  sluice::RecordPtr record(new sluice_record_s);
  sluice::Status s = sluice::take_status(op.def->process(instance, &ctx, record.get(), &out));
  op.def->destroy(instance);
  return s;
}

}  // namespace

TEST_CASE("a good plugin registers its ops and resource types", "[plugin][registry]") {
  Registry registry;
  REQUIRE(registry.load_file(plugin_file("good")).ok());
  CHECK(registry.op_names() == std::vector<std::string>{"good.count", "good.total", "good.upper"});
  CHECK(registry.resource_type_names() == std::vector<std::string>{"good.prefix"});
  REQUIRE(registry.plugins().size() == 1);
  const sluice::PluginInfo& p = *registry.plugins()[0];
  CHECK(p.name == "good");
  CHECK(p.version == "1.2.3");
  CHECK(p.doc == "A well-formed test plugin");
  CHECK(p.path == plugin_file("good"));
  const sluice::OpInfo* upper = registry.find_op("good.upper");
  REQUIRE(upper != nullptr);
  CHECK(upper->plugin == &p);
  CHECK(std::string(upper->def->doc) == "Upper-cases text; rejects empty text");
  CHECK(upper->def->param_count == 2);
  const sluice::OpInfo* count = registry.find_op("good.count");
  CHECK((count->def->flags & SLUICE_OP_SOURCE) != 0);
  CHECK(registry.find_op("good.nope") == nullptr);
  CHECK(registry.find_resource_type("good.prefix")->plugin == &p);
  CHECK(registry.find_resource_type("good.upper") == nullptr);
}

TEST_CASE("loading the same file twice is a no-op", "[plugin][registry]") {
  Registry registry;
  REQUIRE(registry.load_file(plugin_file("good")).ok());
  REQUIRE(registry.load_file(plugin_dir("good") + "/../good/good.so").ok());
  CHECK(registry.plugins().size() == 1);
}

TEST_CASE("a plugin for another ABI major is refused with both versions", "[plugin][registry]") {
  Registry registry;
  sluice::Status s = registry.load_file(plugin_file("abi2"));
  CHECK(s.code() == SLUICE_INVALID_ARGUMENT);
  CHECK(s.message() == plugin_file("abi2") +
                           ": plugin ABI major 2, engine ABI major 1: rebuild the plugin against "
                           "this SDK");
  CHECK(registry.plugins().empty());
  CHECK(registry.op_names().empty());
}

TEST_CASE("a library without the entry symbol is not a plugin", "[plugin][registry]") {
  Registry registry;
  sluice::Status s = registry.load_file(plugin_file("no_entry"));
  CHECK(s.code() == SLUICE_NOT_FOUND);
  CHECK(s.message() ==
        plugin_file("no_entry") + ": no symbol 'sluice_plugin_entry': not a sluice plugin");
}

TEST_CASE("an entry point returning NULL is refused", "[plugin][registry]") {
  Registry registry;
  sluice::Status s = registry.load_file(plugin_file("null_entry"));
  CHECK(s.message() == plugin_file("null_entry") +
                           ": sluice_plugin_entry returned NULL: the plugin cannot work with this "
                           "host (engine ABI 1.3)");
}

TEST_CASE("a file dlopen cannot load is reported with dlerror", "[plugin][registry]") {
  Registry registry;
  std::string dir = sluice::test::temp_dir();
  sluice::test::write_file(dir + "/junk.so", "not an ELF file");
  sluice::Status s = registry.load_file(dir + "/junk.so");
  CHECK(s.code() == SLUICE_IO_ERROR);
  CHECK(s.message().find(dir + "/junk.so: cannot load the library: " + dir + "/junk.so: ") == 0);
  CHECK(s.message().find("file too short") != std::string::npos);

  sluice::Status missing = registry.load_file(dir + "/absent.so");
  CHECK(missing.message().find("No such file or directory") != std::string::npos);
}

TEST_CASE("a duplicate op is a conflict naming both files, and the first stays",
          "[plugin][registry]") {
  Registry registry;
  REQUIRE(registry.load_file(plugin_file("good")).ok());
  sluice::Status s = registry.load_file(plugin_file("duplicate"));
  CHECK(s.code() == SLUICE_INVALID_ARGUMENT);
  CHECK(s.message() == plugin_file("duplicate") +
                           " (plugin good 9.9.9): op 'good.upper' is already "
                           "registered by " +
                           plugin_file("good") + " (plugin good 1.2.3); keeping that one\n" +
                           plugin_file("duplicate") +
                           " (plugin good 9.9.9): resource type 'good.prefix' is already "
                           "registered by " +
                           plugin_file("good") + " (plugin good 1.2.3); keeping that one");
  CHECK(std::string(registry.find_op("good.upper")->def->doc) ==
        "Upper-cases text; rejects empty text");
  REQUIRE(registry.find_op("good.extra") != nullptr);  // its other ops still register
  CHECK(registry.find_op("good.extra")->plugin->version == "9.9.9");
  CHECK(registry.plugins().size() == 2);
}

TEST_CASE("load_dirs loads what it can and reports one message per problem", "[plugin][registry]") {
  Registry registry;
  std::vector<std::string> messages =
      registry.load_dirs({plugin_dir("good"), plugin_dir("abi2"), plugin_dir("no_entry"),
                          plugin_dir("duplicate"), "/nonexistent/sluice-plugins"});
  REQUIRE(messages.size() == 5);
  CHECK(messages[0].find(plugin_file("abi2") + ": plugin ABI major 2") == 0);
  CHECK(messages[1].find(plugin_file("no_entry") + ": no symbol") == 0);
  CHECK(messages[2].find("op 'good.upper' is already registered") != std::string::npos);
  CHECK(messages[3].find("resource type 'good.prefix' is already registered") != std::string::npos);
  CHECK(messages[4].find("/nonexistent/sluice-plugins: cannot list the plugin directory: ") == 0);
  CHECK(registry.op_names() ==
        std::vector<std::string>{"good.count", "good.extra", "good.total", "good.upper"});
}

TEST_CASE("load_for loads only the library named after the plugin when that is enough",
          "[plugin][registry]") {
  std::vector<std::string> dirs = {plugin_dir("abi2"), plugin_dir("no_entry"),
                                   plugin_dir("duplicate"), plugin_dir("good")};
  Registry registry;
  CHECK(registry.load_for(dirs, {"good.upper", "good.prefix"}).empty());
  REQUIRE(registry.plugins().size() == 1);
  CHECK(registry.plugins()[0]->path == plugin_file("good"));
}

TEST_CASE("load_for loads everything when a name is not in the plugin's own library",
          "[plugin][registry]") {
  std::vector<std::string> dirs = {plugin_dir("abi2"), plugin_dir("no_entry"),
                                   plugin_dir("duplicate"), plugin_dir("good")};
  Registry registry;
  std::vector<std::string> messages = registry.load_for(dirs, {"good.extra"});
  REQUIRE(messages.size() == 4);
  CHECK(messages[0].find(plugin_file("abi2") + ": plugin ABI major 2") == 0);
  CHECK(messages[1].find(plugin_file("no_entry") + ": no symbol") == 0);
  // good.so came first (load_for), so the other "good" library's copies are the conflicts.
  CHECK(messages[2].find("op 'good.upper' is already registered") != std::string::npos);
  CHECK(registry.find_op("good.extra") != nullptr);
  CHECK(registry.find_op("good.upper")->plugin->path == plugin_file("good"));
}

TEST_CASE("an op that throws returns INTERNAL through its C callback", "[plugin][registry]") {
  Registry registry;
  REQUIRE(registry.load_file(plugin_file("throws")).ok());
  sluice::Status std_error = process_once(*registry.find_op("throws.std"));
  CHECK(std_error.code() == SLUICE_INTERNAL);
  CHECK(std_error.message() == "unexpected exception: boom");
  sluice::Status other = process_once(*registry.find_op("throws.other"));
  CHECK(other.code() == SLUICE_INTERNAL);
  CHECK(other.message() == "unexpected exception of unknown type");
}

TEST_CASE("the built-in plugin directory is lib/sluice/plugins beside bin/", "[plugin][registry]") {
  // Test binaries live in <build>/bin, as the sluice binary does.
  CHECK(Registry::builtin_plugin_dir() ==
        fs::path(sluice::test::plugin_dir()).lexically_normal().string());
}

TEST_CASE("the search path: built-in, SLUICE_PLUGIN_PATH, then extra, only existing dirs",
          "[plugin][registry]") {
  std::string a = sluice::test::temp_dir();
  std::string b = sluice::test::temp_dir();
  std::string c = sluice::test::temp_dir();
  std::string env = a + "::/nonexistent/x:" + b + ":" + a;
  REQUIRE(setenv("SLUICE_PLUGIN_PATH", env.c_str(), 1) == 0);
  std::vector<std::string> path = Registry::search_path({c, b});
  unsetenv("SLUICE_PLUGIN_PATH");
  std::vector<std::string> expected;
  if (fs::is_directory(Registry::builtin_plugin_dir())) {
    expected.push_back(Registry::builtin_plugin_dir());
  }
  for (const auto& d : {a, b, c}) expected.push_back(d);
  CHECK(path == expected);
}

TEST_CASE("a plugin built for ABI 1.1 loads unchanged", "[plugin][registry][layer]") {
  Registry registry;
  REQUIRE(registry.load_file(plugin_file("abi11")).ok());
  CHECK(registry.op_names() == std::vector<std::string>{"old.noop"});
  CHECK(registry.layer_type_names().empty());
  CHECK(process_once(*registry.find_op("old.noop")).ok());
}

TEST_CASE("a plugin's layer types are registered beside its ops", "[plugin][registry][layer]") {
  Registry registry;
  REQUIRE(registry.load_file(plugin_file("testlayers")).ok());
  CHECK(registry.layer_type_names() ==
        std::vector<std::string>{"testlayers.center", "testlayers.fail", "testlayers.swish"});
  const sluice::LayerTypeInfo* swish = registry.find_loaded_layer("testlayers.swish");
  REQUIRE(swish != nullptr);
  CHECK(swish->plugin->name == "testlayers");
  CHECK(std::string(swish->def->doc) ==
        "y = scale * x * sigmoid(x) over the last dimension; `scale` is learned");
  REQUIRE(swish->def->arg_count == 2);
  CHECK(std::string(swish->def->args[0]->name) == "features");
  CHECK(std::string(swish->def->args[1]->default_value) == "1");
  CHECK(registry.find_loaded_layer("testlayers.nope") == nullptr);
  CHECK(registry.find_op("testlayers.swish") == nullptr);
  // The SDK sets the CUDA entry points of a layer class that has forward_cuda and backward_cuda
  // (swish and center, when the build has CUDA) and leaves them NULL otherwise (fail).
  const bool cuda_build = SLUICE_TEST_CUDA_BUILD != 0;
  CHECK((swish->def->forward_cuda != nullptr) == cuda_build);
  CHECK((swish->def->backward_cuda != nullptr) == cuda_build);
  const sluice::LayerTypeInfo* fail = registry.find_loaded_layer("testlayers.fail");
  REQUIRE(fail != nullptr);
  CHECK(fail->def->forward_cuda == nullptr);
  CHECK(fail->def->backward_cuda == nullptr);
}

TEST_CASE("find_layer loads the plugin named by the type's prefix on demand",
          "[plugin][registry][layer]") {
  std::vector<std::string> dirs = {plugin_dir("abi2"), plugin_dir("testlayers"),
                                   plugin_dir("good")};
  Registry registry;
  CHECK(registry.load_for(dirs, {"good.upper"}).empty());
  REQUIRE(registry.plugins().size() == 1);
  CHECK(registry.find_loaded_layer("testlayers.swish") == nullptr);
  sluice::Expected<const sluice::LayerTypeInfo*> swish = registry.find_layer("testlayers.swish");
  REQUIRE(swish.ok());
  CHECK(std::string((*swish)->def->type) == "testlayers.swish");
  CHECK((*swish)->plugin->path == plugin_file("testlayers"));
  CHECK(registry.plugins().size() == 2);  // abi2.so was not touched
}

TEST_CASE("find_layer loads every library when no library is named after the prefix",
          "[plugin][registry][layer]") {
  std::string dir = sluice::test::temp_dir();
  fs::copy_file(plugin_file("testlayers"), dir + "/renamed.so");
  Registry registry;
  CHECK(registry.load_for({plugin_dir("good"), dir}, {"good.upper"}).empty());
  sluice::Expected<const sluice::LayerTypeInfo*> swish = registry.find_layer("testlayers.swish");
  REQUIRE(swish.ok());
  CHECK((*swish)->plugin->path == dir + "/renamed.so");
}

TEST_CASE("an unknown layer type is NOT_FOUND with the directories and the known types",
          "[plugin][registry][layer]") {
  Registry registry;
  CHECK(registry.load_for({plugin_dir("testlayers"), plugin_dir("abi2")}, {"testlayers.fail"})
            .empty());
  sluice::Expected<const sluice::LayerTypeInfo*> nope = registry.find_layer("mylayers.swish");
  REQUIRE(!nope.ok());
  CHECK(nope.status().code() == SLUICE_NOT_FOUND);
  CHECK(nope.status().message() ==
        "layer type 'mylayers.swish': no plugin provides it (searched " + plugin_dir("testlayers") +
            ", " + plugin_dir("abi2") +
            "); known plugin layer types: testlayers.center, testlayers.fail, testlayers.swish; "
            "loading plugins "
            "reported: " +
            plugin_file("abi2") +
            ": plugin ABI major 2, engine ABI major 1: rebuild the plugin against this SDK");
  Registry empty;
  CHECK(empty.find_layer("mylayers.swish").status().message() ==
        "layer type 'mylayers.swish': no plugin provides it (no plugin directory to search); no "
        "loaded plugin provides layer types");
}
