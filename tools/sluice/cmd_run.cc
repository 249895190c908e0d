// `sluice run FILE`: validates the pipeline, makes the run directory, writes
// pipeline.resolved.yaml, runs every stage and writes report.json.
#include "engine/exec/executor.h"
#include "tools/sluice/commands.h"

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

namespace fs = std::filesystem;

namespace sluice::cli {
namespace {

struct RunArgs {
  std::string file;
  std::vector<std::string> sets;
  int threads = 0;
  std::optional<uint64_t> seed;
  std::string out;
  std::string resume;
  std::string trace;
  std::string progress = "auto";
};

// runs/<pipeline name>/<UTC time>, made unique with a suffix when it already exists.
std::string default_run_dir(const std::string& name) {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &utc);
  fs::path base = fs::path("runs") / name / stamp;
  fs::path dir = base;
  for (int i = 1; fs::exists(dir); ++i) dir = base.string() + "-" + std::to_string(i);
  return dir.string();
}

bool write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "sluice: error: cannot write " << path.string() << "\n";
    return false;
  }
  return true;
}

void print_summary(const RunReport& r) {
  for (const StageReport& s : r.stages) {
    std::cerr << "stage " << s.name << ": " << s.status << " in " << s.wall_seconds << " s\n";
    for (const NodeReport& n : s.nodes) {
      std::cerr << "  " << n.id << " (" << n.op << "): in " << n.records_in << ", out "
                << n.records_out;
      if (n.rejected) std::cerr << ", rejected " << n.rejected;
      if (n.filtered) std::cerr << ", filtered " << n.filtered;
      std::cerr << "\n";
    }
  }
  for (const auto& [key, value] : r.metrics)
    std::cerr << "metric " << key << " = " << value << "\n";
}

const std::map<std::string, ProgressMode>& progress_modes() {
  static const std::map<std::string, ProgressMode> kModes = {{"auto", ProgressMode::kAuto},
                                                             {"terminal", ProgressMode::kTerminal},
                                                             {"log", ProgressMode::kLog},
                                                             {"none", ProgressMode::kNone}};
  return kModes;
}

int run(const RunArgs& a, const GlobalOptions& g) {
  Overrides overrides;
  if (!parse_overrides(a.sets, &overrides)) return kExitUsage;
  std::optional<ValidPipeline> valid = load_valid_pipeline(a.file, overrides, g);
  if (!valid) return kExitUsage;
  Pipeline* p = &valid->pipeline;

  if (!a.resume.empty() && !fs::is_directory(a.resume)) {
    std::cerr << "sluice: error: --resume: expected the run directory of an earlier run, found "
              << (fs::exists(a.resume) ? "a file" : "nothing") << " at " << a.resume << "\n";
    return kExitUsage;
  }
  fs::path run_dir = !a.resume.empty() ? fs::path(a.resume)
                     : a.out.empty()   ? fs::path(default_run_dir(p->name))
                                       : fs::path(a.out);
  std::error_code ec;
  fs::create_directories(run_dir, ec);
  if (ec) {
    std::cerr << "sluice: error: cannot create run directory " << run_dir.string() << ": "
              << ec.message() << "\n";
    return kExitFailed;
  }
  run_dir = fs::absolute(run_dir);

  RunOptions options;
  options.threads = a.threads;
  options.seed = a.seed.value_or(p->seed);
  p->seed = options.seed;
  options.run_dir = run_dir.string();
  options.trace_path = a.trace;
  options.resume = !a.resume.empty();
  options.progress = progress_modes().at(a.progress);
  if (!write_text(run_dir / "pipeline.resolved.yaml", resolved_yaml(*p))) return kExitFailed;

  RunReport report = run_pipeline(*p, *valid->registry, options);
  bool wrote = write_text(run_dir / "report.json", report_to_json(report) + "\n");
  print_summary(report);
  if (report.status != "ok") {
    std::cerr << "sluice: error: " << report.error << "\n";
    return kExitFailed;
  }
  std::cerr << "run directory: " << run_dir.string() << "\n";
  return wrote ? kExitOk : kExitFailed;
}

}  // namespace

void add_run_command(CLI::App& app, GlobalOptions& g, Action& action) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "Run a pipeline file");
  cmd->add_option("file", args->file, "Pipeline file (YAML)")->required();
  cmd->add_option("--set", args->sets, "Override a param: KEY=VALUE (VALUE is YAML; repeatable)");
  cmd->add_option("--threads", args->threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(0, 4096));
  cmd->add_option("--seed", args->seed, "Run seed (default: the pipeline's `seed`, else 0)");
  CLI::Option* out_option = cmd->add_option(
      "--out", args->out, "Run directory (default: runs/<pipeline name>/<UTC time>)");
  cmd->add_option("--resume", args->resume,
                  "Continue the earlier run in this run directory: every stage runs again and "
                  "ops that checkpoint (train.fit) restore their last checkpoint")
      ->excludes(out_option);
  cmd->add_option("--trace", args->trace, "Write a Chrome trace JSON (opens in Perfetto)");
  cmd->add_option("--progress", args->progress, "Progress display")
      ->check(CLI::IsMember({"auto", "terminal", "log", "none"}));
  add_plugin_path_option(cmd, g);
  cmd->callback([args, &g, &action] { action = [args, &g] { return run(*args, g); }; });
}

}  // namespace sluice::cli
