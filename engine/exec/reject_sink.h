// Where rejected records go: the run's on_reject callback, or by default one JSON line each
// appended to <run_dir>/rejected.jsonl (opened on the first rejection, so a clean run leaves no
// file). Thread-safe: writes are serialised, so the callback is never called concurrently.
#pragma once

#include "engine/exec/executor.h"

#include <sluice/status.hpp>

#include <cstdio>
#include <functional>
#include <mutex>
#include <string>

namespace sluice {

class RejectSink {
 public:
  // `callback` wins when set; otherwise `run_dir` holds the file (no file when it is empty).
  RejectSink(std::function<void(const RejectedRecord&)> callback, std::string run_dir);
  ~RejectSink();
  RejectSink(const RejectSink&) = delete;
  RejectSink& operator=(const RejectSink&) = delete;

  // Fails when the file cannot be opened or written, or the callback throws, saying which.
  Status write(const RejectedRecord& r);
  // Flushes and closes the file (the destructor does too, without reporting errors).
  Status close();

 private:
  std::mutex mu_;
  std::function<void(const RejectedRecord&)> callback_;
  std::string path_;
  std::FILE* file_ = nullptr;
};

}  // namespace sluice
