// The run's Chrome trace (`--trace`, opens in Perfetto and chrome://tracing): one complete ("X")
// event per node per packet, on the worker thread that ran it, named after the node and
// categorised by stage. Recording is per thread and lock-free; at most `max_events` events are
// kept, later ones are counted and the file's otherData says how many were dropped.
#pragma once

#include <sluice/status.hpp>

#include <oneapi/tbb/enumerable_thread_specific.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace sluice {

class TraceRecorder {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int64_t kDefaultMaxEvents = 1'000'000;

  // A disabled recorder records nothing (record() returns at once).
  explicit TraceRecorder(bool enabled, int64_t max_events = kDefaultMaxEvents);
  bool enabled() const { return enabled_; }

  // Registers an event name before the run starts; returns its id. Not thread-safe.
  int add_name(std::string name, std::string category);
  // Records the span [start, end) of name `id` on the calling thread. Thread-safe.
  void record(int id, Clock::time_point start, Clock::time_point end);
  // Writes {"traceEvents": [...], "otherData": {...}} to `path`; not concurrent with record().
  Status write(const std::string& path) const;

 private:
  struct Event {
    int32_t name;
    int32_t tid;
    int64_t start_ns;  // since the recorder was made
    int64_t dur_ns;
  };
  struct Name {
    std::string name;
    std::string category;
  };

  bool enabled_;
  int64_t max_events_;
  Clock::time_point origin_;
  std::vector<Name> names_;
  std::atomic<int64_t> attempted_{0};
  mutable tbb::enumerable_thread_specific<std::vector<Event>> events_;
};

}  // namespace sluice
