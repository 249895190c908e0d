// What a run reports: per stage and per node record counts and busy time, metrics, and the error
// that stopped it. Written as report.json in the run directory.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sluice {

struct NodeReport {
  std::string id;
  std::string op;
  int64_t records_in = 0;  // a source: the input records it read (records_out + rejected)
  int64_t records_out = 0;
  int64_t rejected = 0;
  int64_t filtered = 0;  // emitted nothing, no error (REGROUP ops: always 0)
  double busy_seconds = 0;
};

struct StageReport {
  std::string name;
  std::string status = "not_run";  // ok | failed | cancelled | not_run
  double wall_seconds = 0;
  std::vector<NodeReport> nodes;
};

struct RunReport {
  std::string pipeline;
  std::string status = "ok";  // ok | failed
  std::string error;          // "" when ok
  std::string failed_stage, failed_node, failed_op;
  double wall_seconds = 0;
  int threads = 0;
  uint64_t seed = 0;
  std::string run_dir;
  std::vector<StageReport> stages;
  std::map<std::string, double> metrics;  // "<node id>.<metric>"
};

// report.json text: {pipeline, status, error, failed_stage, failed_node, failed_op, wall_seconds,
// threads, seed, run_dir, stages: [{name, status, wall_seconds, nodes: [{id, op, records_in,
// records_out, rejected, filtered, busy_seconds}]}], metrics: {...}}; indented, with doubles in
// their shortest round-trip form.
std::string report_to_json(const RunReport& r);

}  // namespace sluice
