#include "plugins/support/plugin_test.h"

#include "engine/config/pipeline.h"
#include "engine/exec/executor.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace sluice::test {

const Registry& plugin_registry(const std::vector<std::string>& names) {
  static std::mutex mu;
  static std::map<std::vector<std::string>, std::unique_ptr<Registry>> loaded;
  std::lock_guard<std::mutex> lock(mu);
  auto& r = loaded[names];
  if (!r) {
    r = std::make_unique<Registry>();
    for (const auto& name : names) {
      Status s = r->load_file(plugin_dir() + "/" + name + ".so");
      INFO(s.message());
      REQUIRE(s.ok());
    }
  }
  return *r;
}

const Registry& plugin_registry(const std::string& name) {
  return plugin_registry(std::vector<std::string>{name});
}

std::vector<boost::json::object> parse_lines(const std::vector<std::string>& lines) {
  std::vector<boost::json::object> out;
  for (const auto& line : lines) out.push_back(boost::json::parse(line).as_object());
  return out;
}

OpRunResult run_op(const std::string& plugin, const std::string& op,
                   const std::string& params_yaml, const std::vector<std::string>& inputs) {
  OpRunner runner(plugin_registry(plugin), op, params_yaml);
  INFO(op << " " << params_yaml << ": " << runner.status().message());
  REQUIRE(runner.status().ok());
  OpRunResult r = runner.process_all(inputs);
  INFO(r.error.message());
  REQUIRE(r.error.ok());
  return r;
}

Status params_error(const std::string& plugin, const std::string& op,
                    const std::string& params_yaml) {
  OpRunner runner(plugin_registry(plugin), op, params_yaml);
  INFO(op << " " << params_yaml);
  REQUIRE_FALSE(runner.status().ok());
  return runner.status();
}

std::string validation_errors(const Registry& registry, const std::string& text) {
  Diagnostics diags("<test>");
  std::optional<Pipeline> p = load_pipeline_text(text, "<test>", {}, diags);
  if (p) validate_pipeline(*p, registry, diags);
  return diags.format();
}

RunReport run_pipeline_text(const Registry& registry, const std::string& text,
                            const std::string& run_dir) {
  Diagnostics diags("<test>");
  std::optional<Pipeline> p = load_pipeline_text(text, "<test>", {}, diags);
  if (p) validate_pipeline(*p, registry, diags);
  INFO(diags.format());
  REQUIRE(p);
  REQUIRE_FALSE(diags.has_errors());
  std::filesystem::create_directories(run_dir);  // as sluice run does
  RunOptions options;
  options.threads = 2;
  options.run_dir = run_dir;
  options.progress = ProgressMode::kNone;
  return run_pipeline(*p, registry, options);
}

}  // namespace sluice::test
