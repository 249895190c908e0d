// `sluice inspect NAME [--json]`: an op's, resource type's or layer type's doc, ports and params
// (a layer type's args), read from its schema without running anything.
#include "engine/config/diagnostics.h"
#include "tools/sluice/commands.h"
#include "tools/sluice/schema_json.h"

#include <iostream>

namespace sluice::cli {
namespace {

struct InspectArgs {
  std::string name;
  bool json = false;
};

int inspect(const InspectArgs& a, const GlobalOptions& g) {
  auto registry = load_registry_for(g, {a.name});
  if (const OpInfo* op = registry->find_op(a.name)) {
    if (a.json) {
      std::cout << boost::json::serialize(op_to_json(*op)) << "\n";
    } else {
      std::cout << op_to_text(*op);
    }
    return kExitOk;
  }
  if (const ResourceTypeInfo* r = registry->find_resource_type(a.name)) {
    if (a.json) {
      std::cout << boost::json::serialize(resource_type_to_json(*r)) << "\n";
    } else {
      std::cout << resource_type_to_text(*r);
    }
    return kExitOk;
  }
  if (const LayerTypeInfo* l = registry->find_loaded_layer(a.name)) {
    if (a.json) {
      std::cout << boost::json::serialize(layer_type_to_json(*l)) << "\n";
    } else {
      std::cout << layer_type_to_text(*l);
    }
    return kExitOk;
  }
  std::vector<std::string> names = registry->op_names();
  for (const auto& t : registry->resource_type_names()) names.push_back(t);
  for (const auto& t : registry->layer_type_names()) names.push_back(t);
  std::cerr << "sluice: error: expected an op, resource type or layer type name, found '" << a.name
            << "'" << did_you_mean(a.name, names) << "; `sluice plugins` lists them\n";
  return kExitUsage;
}

}  // namespace

void add_inspect_command(CLI::App& app, GlobalOptions& g, Action& action) {
  auto args = std::make_shared<InspectArgs>();
  CLI::App* cmd =
      app.add_subcommand("inspect", "Show an op's, resource type's or layer type's schema");
  cmd->add_option("name", args->name, "Op (e.g. io.read_csv), resource type or layer type")
      ->required();
  cmd->add_flag("--json", args->json, "Print the schema as JSON");
  add_plugin_path_option(cmd, g);
  cmd->callback([args, &g, &action] { action = [args, &g] { return inspect(*args, g); }; });
}

}  // namespace sluice::cli
