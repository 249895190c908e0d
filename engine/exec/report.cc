#include "engine/exec/report.h"

#include <boost/json.hpp>

#include <charconv>
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

// Boost.JSON writes doubles as "3.5E-1"; a report is read by people too, so it is written indented,
// with doubles in their shortest round-trip form ("0.35", "2.0").
void write_pretty(const boost::json::value& v, int indent, std::string& out) {
  auto newline = [&](int level) { out += '\n' + std::string(static_cast<size_t>(level) * 2, ' '); };
  switch (v.kind()) {
    case boost::json::kind::object: {
      const boost::json::object& o = v.get_object();
      out += '{';
      const char* sep = "";
      for (const auto& [key, value] : o) {
        out += sep;
        newline(indent + 1);
        out += boost::json::serialize(boost::json::string(key)) + ": ";
        write_pretty(value, indent + 1, out);
        sep = ",";
      }
      if (!o.empty()) newline(indent);
      out += '}';
      break;
    }
    case boost::json::kind::array: {
      const boost::json::array& a = v.get_array();
      out += '[';
      const char* sep = "";
      for (const boost::json::value& e : a) {
        out += sep;
        newline(indent + 1);
        write_pretty(e, indent + 1, out);
        sep = ",";
      }
      if (!a.empty()) newline(indent);
      out += ']';
      break;
    }
    case boost::json::kind::double_: {
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v.get_double());
      std::string text(buf, ec == std::errc() ? end : buf);
      if (text.find_first_of(".e") == std::string::npos) text += ".0";
      out += text;
      break;
    }
    default:
      out += boost::json::serialize(v);
  }
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
  std::string out;
  write_pretty(o, 0, out);
  return out;
}

}  // namespace sluice
