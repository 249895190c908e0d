// `sluice schema`: the JSON Schema of pipeline files for the plugins found, for editors (e.g. the
// YAML language server: `# yaml-language-server: $schema=pipeline.schema.json`).
#include "tools/sluice/commands.h"
#include "tools/sluice/pipeline_schema.h"

#include <iostream>

namespace sluice::cli {

void add_schema_command(CLI::App& app, GlobalOptions& g, Action& action) {
  CLI::App* cmd = app.add_subcommand("schema", "Print the JSON Schema of pipeline files");
  add_plugin_path_option(cmd, g);
  cmd->callback([&g, &action] {
    action = [&g] {
      auto registry = load_registry(g);
      std::cout << boost::json::serialize(pipeline_json_schema(*registry)) << "\n";
      return kExitOk;
    };
  });
}

}  // namespace sluice::cli
