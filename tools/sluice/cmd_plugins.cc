// `sluice plugins [--json]`: each plugin found (name, version, path) with its ops, resource
// types and layer types.
#include "tools/sluice/commands.h"
#include "tools/sluice/schema_json.h"

#include <iostream>

namespace sluice::cli {
namespace {

struct PluginsArgs {
  bool json = false;
};

int plugins(const PluginsArgs& a, const GlobalOptions& g) {
  auto registry = load_registry(g);
  boost::json::array all;
  for (const auto& p : registry->plugins()) {
    const sluice_plugin& d = *p->descriptor;
    const size_t layer_count = SLUICE_HAS_MEMBER(sluice_plugin, &d, layers) ? d.layer_count : 0;
    if (a.json) {
      boost::json::array ops, resources, layers;
      for (size_t i = 0; i < d.op_count; ++i) ops.push_back(boost::json::string(d.ops[i]->name));
      for (size_t i = 0; i < d.resource_count; ++i) {
        resources.push_back(boost::json::string(d.resources[i]->type));
      }
      for (size_t i = 0; i < layer_count; ++i) {
        layers.push_back(boost::json::string(d.layers[i]->type));
      }
      all.push_back({{"name", p->name},
                     {"version", p->version},
                     {"path", p->path},
                     {"doc", p->doc},
                     {"ops", std::move(ops)},
                     {"resources", std::move(resources)},
                     {"layers", std::move(layers)}});
      continue;
    }
    std::cout << p->name << " " << p->version << "  " << p->path << "\n";
    if (!p->doc.empty()) std::cout << "  " << p->doc << "\n";
    for (size_t i = 0; i < d.op_count; ++i) std::cout << "    op        " << d.ops[i]->name << "\n";
    for (size_t i = 0; i < d.resource_count; ++i) {
      std::cout << "    resource  " << d.resources[i]->type << "\n";
    }
    for (size_t i = 0; i < layer_count; ++i) {
      std::cout << "    layer     " << d.layers[i]->type << "\n";
    }
  }
  if (a.json) std::cout << boost::json::serialize(all) << "\n";
  return kExitOk;
}

}  // namespace

void add_plugins_command(CLI::App& app, GlobalOptions& g, Action& action) {
  auto args = std::make_shared<PluginsArgs>();
  CLI::App* cmd =
      app.add_subcommand("plugins", "List plugins, their ops, resource types and layer types");
  cmd->add_flag("--json", args->json, "Print as JSON");
  add_plugin_path_option(cmd, g);
  cmd->callback([args, &g, &action] { action = [args, &g] { return plugins(*args, g); }; });
}

}  // namespace sluice::cli
