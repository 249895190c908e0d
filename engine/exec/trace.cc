#include "engine/exec/trace.h"

#include <oneapi/tbb/task_arena.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <set>

namespace sluice {
namespace {

std::string quoted(const std::string& s) { return boost::json::serialize(boost::json::string(s)); }

}  // namespace

TraceRecorder::TraceRecorder(bool enabled, int64_t max_events)
    : enabled_(enabled), max_events_(max_events), origin_(Clock::now()) {}

int TraceRecorder::add_name(std::string name, std::string category) {
  names_.push_back({std::move(name), std::move(category)});
  return static_cast<int>(names_.size()) - 1;
}

void TraceRecorder::record(int id, Clock::time_point start, Clock::time_point end) {
  if (!enabled_) return;
  if (attempted_.fetch_add(1, std::memory_order_relaxed) >= max_events_) return;
  int tid = std::max(0, tbb::this_task_arena::current_thread_index());
  events_.local().push_back(
      {id, tid, std::chrono::duration_cast<std::chrono::nanoseconds>(start - origin_).count(),
       std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count()});
}

Status TraceRecorder::write(const std::string& path) const {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) {
    return Status::IoError("cannot open trace file " + path +
                           " for writing: " + std::strerror(errno));
  }
  std::vector<std::string> names, categories;
  for (const Name& n : names_) {
    names.push_back(quoted(n.name));
    categories.push_back(quoted(n.category));
  }
  std::fputs("{\"traceEvents\":[\n", f);
  const char* sep = "";
  std::set<int32_t> tids;
  for (const std::vector<Event>& thread_events : events_) {
    for (const Event& e : thread_events) {
      std::fprintf(f,
                   "%s{\"name\":%s,\"cat\":%s,\"ph\":\"X\",\"ts\":%.3f,\"dur\":%.3f,\"pid\":1,"
                   "\"tid\":%" PRId32 "}",
                   sep, names[e.name].c_str(), categories[e.name].c_str(), e.start_ns / 1e3,
                   e.dur_ns / 1e3, e.tid);
      sep = ",\n";
      tids.insert(e.tid);
    }
  }
  for (int32_t tid : tids) {
    std::fprintf(f,
                 "%s{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%" PRId32
                 ",\"args\":{\"name\":\"worker %" PRId32 "\"}}",
                 sep, tid, tid);
    sep = ",\n";
  }
  int64_t attempted = attempted_.load(std::memory_order_relaxed);
  int64_t dropped = std::max<int64_t>(0, attempted - max_events_);
  std::fprintf(f,
               "\n],\"displayTimeUnit\":\"ms\",\"otherData\":{\"producer\":\"sluice\","
               "\"max_events\":%" PRId64 ",\"capped\":%s,\"dropped_events\":%" PRId64 "}}\n",
               max_events_, dropped > 0 ? "true" : "false", dropped);
  bool failed = std::ferror(f) != 0;
  if (std::fclose(f) != 0 || failed) {
    return Status::IoError("cannot write trace file " + path + ": " + std::strerror(errno));
  }
  return Status();
}

}  // namespace sluice
