#include "engine/exec/reject_sink.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>

namespace sluice {

std::string rejected_to_json(const RejectedRecord& r) {
  boost::json::object o;
  o["stage"] = r.stage;
  o["node"] = r.node;
  o["op"] = r.op;
  o["source"] = r.source;
  o["position"] = r.position;
  o["reason"] = r.reason;
  return boost::json::serialize(o);
}

RejectSink::RejectSink(std::function<void(const RejectedRecord&)> callback, std::string run_dir)
    : callback_(std::move(callback)) {
  if (!callback_ && !run_dir.empty()) {
    path_ = (std::filesystem::path(run_dir) / "rejected.jsonl").string();
    std::error_code ec;
    std::filesystem::remove(path_, ec);  // one from an earlier run in this directory
  }
}

RejectSink::~RejectSink() {
  if (file_ != nullptr) std::fclose(file_);
}

void RejectSink::add(const RejectOrder& order, RejectedRecord r) {
  std::lock_guard<std::mutex> lock(mu_);
  held_.emplace_back(order, std::move(r));
}

Status RejectSink::flush() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<RejectOrder, RejectedRecord>> held;
  held.swap(held_);
  std::stable_sort(held.begin(), held.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [order, r] : held) SLUICE_RETURN_IF_ERROR(write(r));
  return Status();
}

Status RejectSink::close() {
  Status flushed = flush();
  std::lock_guard<std::mutex> lock(mu_);
  if (file_ == nullptr) return flushed;
  int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) {
    return Status::IoError("cannot write rejected records to " + path_ + ": " +
                           std::strerror(errno));
  }
  return flushed;
}

// Called by flush(), which holds mu_.
Status RejectSink::write(const RejectedRecord& r) {
  if (callback_) {
    try {
      callback_(r);
      return Status();
    } catch (const std::exception& e) {
      return Status::Internal(std::string("on_reject callback: expected no exception, found: ") +
                              e.what());
    } catch (...) {
      return Status::Internal(
          "on_reject callback: expected no exception, found one of unknown "
          "type");
    }
  }
  if (path_.empty()) return Status();
  if (file_ == nullptr) {
    file_ = std::fopen(path_.c_str(), "w");
    if (file_ == nullptr) {
      return Status::IoError("cannot open " + path_ +
                             " to write rejected records: " + std::strerror(errno));
    }
  }
  std::string line = rejected_to_json(r) + "\n";
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) {
    return Status::IoError("cannot append a rejected record to " + path_ + ": " +
                           std::strerror(errno));
  }
  return Status();
}

}  // namespace sluice
