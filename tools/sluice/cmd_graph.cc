// `sluice graph FILE`: the pipeline as Graphviz DOT on stdout.
#include "engine/graph/dot.h"
#include "tools/sluice/commands.h"

#include <iostream>

namespace sluice::cli {
namespace {

struct GraphArgs {
  std::string file;
  std::vector<std::string> sets;
};

int graph(const GraphArgs& a, const GlobalOptions& g) {
  Overrides overrides;
  if (!parse_overrides(a.sets, &overrides)) return kExitUsage;
  std::optional<ValidPipeline> v = load_valid_pipeline(a.file, overrides, g);
  if (!v) return kExitUsage;
  std::cout << to_dot(v->pipeline);
  return kExitOk;
}

}  // namespace

void add_graph_command(CLI::App& app, GlobalOptions& g, Action& action) {
  auto args = std::make_shared<GraphArgs>();
  CLI::App* cmd = app.add_subcommand("graph", "Print a pipeline as Graphviz DOT");
  cmd->add_option("file", args->file, "Pipeline file (YAML)")->required();
  cmd->add_option("--set", args->sets, "Override a param: KEY=VALUE (repeatable)");
  add_plugin_path_option(cmd, g);
  cmd->callback([args, &g, &action] { action = [args, &g] { return graph(*args, g); }; });
}

}  // namespace sluice::cli
