// Helpers for the tests of the built-in plugins (io, core, text): the plugin loaded into a
// registry, and op outputs read back as JSON.
#pragma once

#include "engine/exec/op_runner.h"
#include "engine/exec/report.h"
#include "engine/plugin/registry.h"

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace sluice::test {

// A registry holding the built plugins `names` (plugin_dir()/<name>.so), loaded once per process;
// the test fails when one does not load.
const Registry& plugin_registry(const std::vector<std::string>& names);
const Registry& plugin_registry(const std::string& name);

// Each JSON line parsed as an object.
std::vector<boost::json::object> parse_lines(const std::vector<std::string>& lines);

// Runs `op` of plugin `plugin` with `params_yaml` over `inputs` (JSON lines), requiring that the
// params are accepted and that the run ends without error.
OpRunResult run_op(const std::string& plugin, const std::string& op,
                   const std::string& params_yaml, const std::vector<std::string>& inputs = {});

// The error of the params: the status of an OpRunner for them, which must not be OK.
Status params_error(const std::string& plugin, const std::string& op,
                    const std::string& params_yaml);

// The diagnostics of loading and validating the pipeline YAML `text`, one per line ("" when
// valid).
std::string validation_errors(const Registry& registry, const std::string& text);

// Loads, validates (which must succeed) and runs the pipeline YAML `text` with its run directory
// `run_dir` (created) on 2 threads.
RunReport run_pipeline_text(const Registry& registry, const std::string& text,
                            const std::string& run_dir);

}  // namespace sluice::test
