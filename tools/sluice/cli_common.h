// What the sluice subcommands share: exit codes, plugin loading, KEY=VALUE parsing, and loading a
// pipeline file with its diagnostics printed.
#pragma once

#include "engine/config/layer_catalog.h"
#include "engine/config/pipeline.h"
#include "engine/plugin/registry.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;  // the run failed
constexpr int kExitUsage = 2;   // invalid pipeline or usage

// Options every subcommand takes.
struct GlobalOptions {
  std::vector<std::string> plugin_paths;  // --plugin-path, searched after SLUICE_PLUGIN_PATH
};

// A subcommand registers itself on `app` and sets `action` to what runs when it is chosen.
using Action = std::function<int()>;

// Loads every plugin on the search path; refused libraries are printed to stderr as warnings.
std::unique_ptr<Registry> load_registry(const GlobalOptions& g);
// Loads the plugins that register `names` (op names, resource types; see Registry::load_for),
// with the same warnings.
std::unique_ptr<Registry> load_registry_for(const GlobalOptions& g,
                                            const std::vector<std::string>& names);
// The op names and resource types a pipeline uses.
std::vector<std::string> names_used(const Pipeline& p);

// Splits "KEY=VALUE"; nullopt (after printing an error naming `what`) when there is no '=' or
// the key is empty.
std::optional<std::pair<std::string, std::string>> parse_assignment(const std::string& text,
                                                                    const std::string& what);
// Parses each --set; false when one is malformed.
bool parse_overrides(const std::vector<std::string>& sets, Overrides* out);

// A validated pipeline, the registry its op_info/type_info point into, and the catalog that
// serves the layer types its models name (loading their plugins on demand) until it goes.
struct ValidPipeline {
  std::unique_ptr<Registry> registry;
  std::unique_ptr<LayerCatalog> layers;
  Pipeline pipeline;
};

// Loads the plugins `p` uses and validates it against them (with a LayerCatalog over the
// registry), reporting to `diags`; the result holds what the pipeline's pointers need.
ValidPipeline validate_with_plugins(Pipeline p, const GlobalOptions& g, Diagnostics& diags);

// Loads a pipeline file, then as validate_with_plugins, printing every diagnostic to stderr;
// nullopt when any error was reported.
std::optional<ValidPipeline> load_valid_pipeline(const std::string& path,
                                                 const Overrides& overrides,
                                                 const GlobalOptions& g);

// Adds --plugin-path to a subcommand.
void add_plugin_path_option(CLI::App* cmd, GlobalOptions& g);

}  // namespace sluice::cli
