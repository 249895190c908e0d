#include "tools/sluice/cli_common.h"

#include <iostream>

namespace sluice::cli {

namespace {

void warn(const std::vector<std::string>& problems) {
  for (const std::string& problem : problems) std::cerr << "sluice: warning: " << problem << "\n";
}

}  // namespace

std::unique_ptr<Registry> load_registry(const GlobalOptions& g) {
  auto registry = std::make_unique<Registry>();
  warn(registry->load_dirs(Registry::search_path(g.plugin_paths)));
  return registry;
}

std::unique_ptr<Registry> load_registry_for(const GlobalOptions& g,
                                            const std::vector<std::string>& names) {
  auto registry = std::make_unique<Registry>();
  warn(registry->load_for(Registry::search_path(g.plugin_paths), names));
  return registry;
}

std::vector<std::string> names_used(const Pipeline& p) {
  std::vector<std::string> names;
  for (const auto& r : p.resources) names.push_back(r.type);
  for (const auto& stage : p.stages) {
    for (const auto& node : stage.nodes) names.push_back(node.op);
  }
  return names;
}

std::optional<std::pair<std::string, std::string>> parse_assignment(const std::string& text,
                                                                    const std::string& what) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    std::cerr << "sluice: error: " << what << ": expected KEY=VALUE, found '" << text << "'\n";
    return std::nullopt;
  }
  return std::make_pair(text.substr(0, eq), text.substr(eq + 1));
}

bool parse_overrides(const std::vector<std::string>& sets, Overrides* out) {
  for (const std::string& s : sets) {
    auto kv = parse_assignment(s, "--set");
    if (!kv) return false;
    out->push_back(*kv);
  }
  return true;
}

ValidPipeline validate_with_plugins(Pipeline p, const GlobalOptions& g, Diagnostics& diags) {
  ValidPipeline v;
  v.registry = load_registry_for(g, names_used(p));
  v.layers = std::make_unique<LayerCatalog>(*v.registry);
  v.pipeline = std::move(p);
  validate_pipeline(v.pipeline, *v.registry, diags);
  return v;
}

std::optional<ValidPipeline> load_valid_pipeline(const std::string& path,
                                                 const Overrides& overrides,
                                                 const GlobalOptions& g) {
  Diagnostics diags(path);
  std::optional<Pipeline> p = load_pipeline_file(path, overrides, diags);
  std::optional<ValidPipeline> valid;
  if (p) valid = validate_with_plugins(std::move(*p), g, diags);
  if (!diags.items().empty()) std::cerr << diags.format();
  if (!valid || diags.has_errors()) return std::nullopt;
  return valid;
}

void add_plugin_path_option(CLI::App* cmd, GlobalOptions& g) {
  cmd->add_option("--plugin-path", g.plugin_paths,
                  "Directory of plugins, searched after the built-in directory and "
                  "SLUICE_PLUGIN_PATH (repeatable)");
}

}  // namespace sluice::cli
