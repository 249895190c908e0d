// Helpers for the executor tests: the registry with the exec test plugin, pipelines from YAML
// text (loaded and validated as `sluice run` does), runs in fresh run directories.
#pragma once

#include "engine/config/pipeline.h"
#include "engine/exec/executor.h"
#include "engine/plugin/registry.h"

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace sluice::test {

// Loaded once: the plugin in build/lib/sluice/test-plugins/exec.
const Registry& exec_registry();

// Loads and validates `yaml`; fails the test with the diagnostics when it is not valid.
Pipeline load_valid(const std::string& yaml);

// Runs `yaml` with `options`; a fresh temporary run directory unless options.run_dir is set, and
// no progress output unless options.progress says otherwise.
struct ExecRun {
  RunReport report;
  std::string run_dir;
};
ExecRun run_yaml(const std::string& yaml, RunOptions options = {});

// The report of node `id`; fails the test when there is none.
const NodeReport& node_report(const RunReport& r, const std::string& id);

// Checks records_in == records_out + rejected + filtered for each node except `exempt` ones.
void check_balance(const RunReport& r, const std::vector<std::string>& exempt = {});

std::vector<std::string> read_lines(const std::string& path);

// The JSON value of `line` (so tests compare values, not spacing); null when it does not parse.
boost::json::value json_of(const std::string& line);

}  // namespace sluice::test
