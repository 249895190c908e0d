// Progress of a run on a terminal or a log: per stage, the records its sources have produced, the
// rate and, when every source knows its size, the percentage and ETA. A background thread prints
// a live line (rewritten about 4 times a second) in terminal mode, or a line every 10 seconds in
// log mode; kAuto picks terminal mode when the output is a terminal. The thread is stopped and
// joined by the destructor. Thread-safe.
#pragma once

#include "engine/exec/executor.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sluice {

// One source's progress: updated by the executor, read by the progress thread.
struct SourceProgress {
  std::atomic<int64_t> records{0};
  int64_t size_hint = -1;  // -1: unknown
};

// "name: 1200/5000 records (24.0%), 300/s, ETA 0:00:12"; without a total (total < 0):
// "name: 1200 records, 300/s".
std::string progress_line(const std::string& stage, int64_t done, int64_t total, double seconds);

class Progress {
 public:
  using Duration = std::chrono::milliseconds;
  explicit Progress(ProgressMode mode, std::FILE* out = stderr,
                    Duration terminal_interval = Duration(250),
                    Duration log_interval = Duration(10000));
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `sources` must stay valid until end_stage().
  void begin_stage(const std::string& name, std::vector<const SourceProgress*> sources);
  // Prints the stage's final line with its status ("ok", "failed"; not in kNone mode).
  void end_stage(const std::string& status);

 private:
  void loop();
  void print_locked(const std::string* final_status);

  ProgressMode mode_;  // kTerminal, kLog or kNone
  std::FILE* out_;
  Duration interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool active_ = false;
  std::string stage_;
  std::vector<const SourceProgress*> sources_;
  std::chrono::steady_clock::time_point started_;
  std::thread thread_;
};

}  // namespace sluice
