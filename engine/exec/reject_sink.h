// Where rejected records go: the run's on_reject callback, or by default one JSON line each
// written to <run_dir>/rejected.jsonl (a file from an earlier run in that directory is removed
// when the sink is made; the new one is opened on the first rejection, so a clean run leaves no
// file).
//
// Rejections are held until flush() (the executor flushes at the end of each stage), which hands
// them on sorted by their RejectOrder: the order is then the same with any number of threads, so
// rejected.jsonl is byte-identical across thread counts. A held rejection is a few short strings;
// a stage that rejects millions of records holds them all until it ends.
#pragma once

#include "engine/exec/executor.h"

#include <sluice/status.hpp>

#include <compare>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sluice {

// Where a rejection happened, in terms that do not depend on scheduling: the source node whose
// packet held the record, the packet's sequence number, the rejecting node (stage order) and the
// rejection's rank among that node's rejections in that packet.
struct RejectOrder {
  int source = 0;
  int64_t packet = 0;
  int node = 0;
  int64_t index = 0;
  auto operator<=>(const RejectOrder&) const = default;
};

class RejectSink {
 public:
  // `callback` wins when set; otherwise `run_dir` holds the file (no file when it is empty).
  RejectSink(std::function<void(const RejectedRecord&)> callback, std::string run_dir);
  ~RejectSink();
  RejectSink(const RejectSink&) = delete;
  RejectSink& operator=(const RejectSink&) = delete;

  // Holds `r` until the next flush(). Thread-safe.
  void add(const RejectOrder& order, RejectedRecord r);
  // Hands on the held rejections in RejectOrder order. Fails when the file cannot be opened or
  // written, or the callback throws, saying which. Not concurrent with add().
  Status flush();
  // Flushes, then closes the file (the destructor closes too, without reporting errors).
  Status close();

 private:
  Status write(const RejectedRecord& r);

  std::mutex mu_;
  std::vector<std::pair<RejectOrder, RejectedRecord>> held_;
  std::function<void(const RejectedRecord&)> callback_;
  std::string path_;
  std::FILE* file_ = nullptr;
};

}  // namespace sluice
