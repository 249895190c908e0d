// `sluice validate FILE`: every problem of a pipeline, as FILE:LINE:COL diagnostics; exit 2 when
// any error.
#include "tools/sluice/commands.h"

#include <iostream>

namespace sluice::cli {
namespace {

struct ValidateArgs {
  std::string file;
  std::vector<std::string> sets;
};

int validate(const ValidateArgs& a, const GlobalOptions& g) {
  Overrides overrides;
  if (!parse_overrides(a.sets, &overrides)) return kExitUsage;
  if (!load_valid_pipeline(a.file, overrides, g)) return kExitUsage;
  std::cout << a.file << ": ok\n";
  return kExitOk;
}

}  // namespace

void add_validate_command(CLI::App& app, GlobalOptions& g, Action& action) {
  auto args = std::make_shared<ValidateArgs>();
  CLI::App* cmd = app.add_subcommand("validate", "Check a pipeline file without running it");
  cmd->add_option("file", args->file, "Pipeline file (YAML)")->required();
  cmd->add_option("--set", args->sets, "Override a param: KEY=VALUE (repeatable)");
  add_plugin_path_option(cmd, g);
  cmd->callback([args, &g, &action] { action = [args, &g] { return validate(*args, g); }; });
}

}  // namespace sluice::cli
