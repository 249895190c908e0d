// The subcommands of the sluice tool. Each add_*_command registers its options on `app` and sets
// `action` when chosen; the action returns the process exit code (see cli_common.h).
#pragma once

#include "tools/sluice/cli_common.h"

#include <string>
#include <vector>

namespace sluice::cli {

void add_run_command(CLI::App& app, GlobalOptions& g, Action& action);
void add_validate_command(CLI::App& app, GlobalOptions& g, Action& action);
void add_plugins_command(CLI::App& app, GlobalOptions& g, Action& action);
void add_inspect_command(CLI::App& app, GlobalOptions& g, Action& action);
void add_graph_command(CLI::App& app, GlobalOptions& g, Action& action);
void add_schema_command(CLI::App& app, GlobalOptions& g, Action& action);
// `sluice apply ARGS...` (ARGS: everything after "apply").
int run_apply_command(const std::vector<std::string>& args);

}  // namespace sluice::cli
