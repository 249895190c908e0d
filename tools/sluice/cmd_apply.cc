// `sluice apply [--threads N] [--plugin-path DIR]... OP [KEY=VALUE]... [! OP [KEY=VALUE]...]...`
//
// Runs a linear chain of ops on JSON lines from stdin (one record per line, see
// plugins/common/json_record.h) and writes JSON lines to stdout. The chain becomes a one-stage
// pipeline io.read_jsonl(-) -> OPs -> io.write_jsonl(-) with `on_error: skip`, so it is checked
// and run exactly like a pipeline file. A rejected record is written to stderr as one JSON line
// {"line": N, "op": ..., "reason": ...} and the others go on.
#include "engine/exec/executor.h"
#include "tools/sluice/commands.h"

#include <yaml-cpp/yaml.h>
#include <boost/json.hpp>

#include <filesystem>
#include <iostream>

namespace sluice::cli {
namespace {

struct Step {
  std::string op;
  std::vector<std::pair<std::string, std::string>> params;
};

struct ApplyArgs {
  int threads = 0;
  GlobalOptions global;
  std::vector<Step> steps;
};

constexpr const char* kUsage =
    "usage: sluice apply [--threads N] [--plugin-path DIR]... OP [KEY=VALUE]... "
    "[! OP [KEY=VALUE]...]...\n";

// Parses the arguments after "apply"; prints the problem and returns false when malformed.
bool parse_args(const std::vector<std::string>& args, ApplyArgs* out) {
  size_t i = 0;
  for (; i < args.size() && args[i].rfind("--", 0) == 0; ++i) {
    const std::string& flag = args[i];
    if (flag == "--help") {
      std::cout << kUsage;
      std::exit(kExitOk);
    }
    if (i + 1 >= args.size()) {
      std::cerr << "sluice apply: error: " << flag << " expects a value, found none\n" << kUsage;
      return false;
    }
    const std::string& value = args[++i];
    if (flag == "--plugin-path") {
      out->global.plugin_paths.push_back(value);
    } else if (flag == "--threads") {
      try {
        out->threads = std::stoi(value);
      } catch (const std::exception&) {
        std::cerr << "sluice apply: error: --threads expects a number, found '" << value << "'\n";
        return false;
      }
    } else {
      std::cerr << "sluice apply: error: unknown option " << flag
                << "; expected --threads or --plugin-path\n"
                << kUsage;
      return false;
    }
  }
  bool expect_op = true;
  for (; i < args.size(); ++i) {
    if (args[i] == "!") {
      if (expect_op) {
        std::cerr << "sluice apply: error: expected an op name before '!', found none\n";
        return false;
      }
      expect_op = true;
    } else if (expect_op) {
      out->steps.push_back(Step{args[i], {}});
      expect_op = false;
    } else {
      auto kv = parse_assignment(args[i], "op " + out->steps.back().op);
      if (!kv) return false;
      out->steps.back().params.push_back(*kv);
    }
  }
  if (out->steps.empty() || expect_op) {
    std::cerr << "sluice apply: error: expected an op name, found "
              << (out->steps.empty() ? "none" : "a trailing '!'") << "\n"
              << kUsage;
    return false;
  }
  return true;
}

YAML::Node node_yaml(const std::string& id, const std::string& op, const YAML::Node& params) {
  YAML::Node n;
  n["id"] = id;
  n["op"] = op;
  n["params"] = params;
  return n;
}

// The chain as pipeline YAML text; node ids are step1, step2, ...
std::string chain_pipeline(const std::vector<Step>& steps) {
  YAML::Node nodes;
  YAML::Node stdin_params;
  stdin_params["path"] = "-";
  nodes.push_back(node_yaml("stdin", "io.read_jsonl", stdin_params));
  for (size_t i = 0; i < steps.size(); ++i) {
    YAML::Node params(YAML::NodeType::Map);
    for (const auto& [key, value] : steps[i].params) params[key] = parse_override_value(value);
    nodes.push_back(node_yaml("step" + std::to_string(i + 1), steps[i].op, params));
  }
  YAML::Node stdout_params;
  stdout_params["path"] = "-";
  nodes.push_back(node_yaml("stdout", "io.write_jsonl", stdout_params));
  YAML::Node stage;
  stage["name"] = "apply";
  stage["nodes"] = nodes;
  YAML::Node root;
  root["sluice"] = 1;
  root["name"] = "apply";
  root["on_error"] = "skip";
  root["stages"].push_back(stage);
  YAML::Emitter out;
  out << root;
  return out.c_str();
}

}  // namespace

int run_apply_command(const std::vector<std::string>& args) {
  ApplyArgs a;
  if (!parse_args(args, &a)) return kExitUsage;
  Diagnostics diags("<apply>");
  std::optional<Pipeline> parsed =
      load_pipeline_text(chain_pipeline(a.steps), "<apply>", {}, diags);
  std::optional<ValidPipeline> p;
  if (parsed) p = validate_with_plugins(std::move(*parsed), a.global, diags);
  for (const Diagnostic& d : diags.items()) {
    std::cerr << "sluice apply: " << (d.severity == Diagnostic::Severity::kError ? "error" : "note")
              << ": " << d.message << "\n";
  }
  if (!p || diags.has_errors()) return kExitUsage;

  RunOptions options;
  options.threads = a.threads;
  options.run_dir = std::filesystem::current_path().string();
  options.progress = ProgressMode::kNone;
  options.on_reject = [](const RejectedRecord& r) {
    boost::json::object line{{"line", r.position}, {"op", r.op}, {"reason", r.reason}};
    std::cerr << boost::json::serialize(line) << "\n";
  };
  RunReport report = run_pipeline(p->pipeline, *p->registry, options);
  std::cout.flush();
  if (report.status != "ok") {
    std::cerr << "sluice apply: error: " << report.error << "\n";
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace sluice::cli
