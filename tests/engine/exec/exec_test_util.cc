#include "exec_test_util.h"

#include "support/paths.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

namespace sluice::test {

const Registry& exec_registry() {
  static Registry registry;
  static const Status loaded = registry.load_file(test_plugin_dir() + "/exec/exec.so");
  if (!loaded.ok()) FAIL("loading the exec test plugin: " << loaded.message());
  return registry;
}

Pipeline load_valid(const std::string& yaml) {
  Diagnostics diags("test.yaml");
  std::optional<Pipeline> p = load_pipeline_text(yaml, "test.yaml", {}, diags);
  if (p) validate_pipeline(*p, exec_registry(), diags);
  INFO(diags.format());
  REQUIRE(p);
  REQUIRE_FALSE(diags.has_errors());
  return std::move(*p);
}

ExecRun run_yaml(const std::string& yaml, RunOptions options) {
  Pipeline p = load_valid(yaml);
  if (options.run_dir.empty()) options.run_dir = temp_dir();
  if (options.progress == ProgressMode::kAuto) options.progress = ProgressMode::kNone;
  ExecRun run;
  run.run_dir = options.run_dir;
  run.report = run_pipeline(p, exec_registry(), options);
  return run;
}

const NodeReport& node_report(const RunReport& r, const std::string& id) {
  for (const StageReport& s : r.stages) {
    for (const NodeReport& n : s.nodes) {
      if (n.id == id) return n;
    }
  }
  FAIL("no node '" << id << "' in the report");
  throw std::logic_error("unreachable");
}

void check_balance(const RunReport& r, const std::vector<std::string>& exempt) {
  for (const StageReport& s : r.stages) {
    for (const NodeReport& n : s.nodes) {
      if (std::find(exempt.begin(), exempt.end(), n.id) != exempt.end()) continue;
      INFO("node " << n.id << ": in " << n.records_in << ", out " << n.records_out << ", rejected "
                   << n.rejected << ", filtered " << n.filtered);
      CHECK(n.records_in == n.records_out + n.rejected + n.filtered);
    }
  }
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

boost::json::value json_of(const std::string& line) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(line, ec);
  return ec ? boost::json::value() : v;
}

}  // namespace sluice::test
