#include "engine/exec/report.h"

#include <boost/json.hpp>

#include <cmath>

namespace sluice {
namespace {

// JSON has no NaN or infinity: those become null.
boost::json::value number(double v) {
  if (!std::isfinite(v)) return nullptr;
  return v;
}

boost::json::object node_json(const NodeReport& n) {
  boost::json::object o;
  o["id"] = n.id;
  o["op"] = n.op;
  o["records_in"] = n.records_in;
  o["records_out"] = n.records_out;
  o["rejected"] = n.rejected;
  o["filtered"] = n.filtered;
  o["busy_seconds"] = number(n.busy_seconds);
  return o;
}

boost::json::object stage_json(const StageReport& s) {
  boost::json::object o;
  o["name"] = s.name;
  o["status"] = s.status;
  o["wall_seconds"] = number(s.wall_seconds);
  boost::json::array nodes;
  for (const NodeReport& n : s.nodes) nodes.push_back(node_json(n));
  o["nodes"] = std::move(nodes);
  return o;
}

}  // namespace

std::string report_to_json(const RunReport& r) {
  boost::json::object o;
  o["pipeline"] = r.pipeline;
  o["status"] = r.status;
  o["error"] = r.error;
  o["failed_stage"] = r.failed_stage;
  o["failed_node"] = r.failed_node;
  o["failed_op"] = r.failed_op;
  o["wall_seconds"] = number(r.wall_seconds);
  o["threads"] = r.threads;
  o["seed"] = r.seed;
  o["run_dir"] = r.run_dir;
  boost::json::array stages;
  for (const StageReport& s : r.stages) stages.push_back(stage_json(s));
  o["stages"] = std::move(stages);
  boost::json::object metrics;
  for (const auto& [key, value] : r.metrics) metrics[key] = number(value);
  o["metrics"] = std::move(metrics);
  return boost::json::serialize(o);
}

}  // namespace sluice
