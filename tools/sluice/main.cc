// sluice: runs declarative AI data pipelines. Each subcommand lives in its own cmd_*.cc.
// Exit codes: 0 success, 1 the run failed, 2 invalid pipeline or usage.
#include "tools/sluice/blas_policy.h"
#include "tools/sluice/cli_common.h"
#include "tools/sluice/commands.h"
#include "tools/sluice/memory_policy.h"

#include <iostream>

int main(int argc, char** argv) {
  using namespace sluice::cli;
  keep_freed_memory();
  single_threaded_blas();
  // `apply` takes a free-form chain (`OP K=V ! OP ...`), which it parses itself.
  if (argc >= 2 && std::string(argv[1]) == "apply") {
    return run_apply_command(std::vector<std::string>(argv + 2, argv + argc));
  }
  CLI::App app{"sluice: a pipeline engine for AI workloads", "sluice"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sluice " SLUICE_VERSION);
  GlobalOptions global;
  Action action;
  add_run_command(app, global, action);
  add_validate_command(app, global, action);
  add_plugins_command(app, global, action);
  add_inspect_command(app, global, action);
  add_graph_command(app, global, action);
  add_schema_command(app, global, action);
  app.add_subcommand("apply",
                     "Run a chain of ops on JSON lines from stdin: "
                     "sluice apply OP [KEY=VALUE]... [! OP [KEY=VALUE]...]...");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return action();
}
