#include "engine/exec/progress.h"

#include <unistd.h>

#include <cinttypes>
#include <cmath>

namespace sluice {
namespace {

std::string clock_text(double seconds) {
  auto s = static_cast<int64_t>(std::llround(seconds));
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%" PRId64 ":%02d:%02d", s / 3600, static_cast<int>(s / 60 % 60),
                static_cast<int>(s % 60));
  return buf;
}

ProgressMode effective_mode(ProgressMode mode, std::FILE* out) {
  if (mode != ProgressMode::kAuto) return mode;
  return isatty(fileno(out)) ? ProgressMode::kTerminal : ProgressMode::kLog;
}

}  // namespace

std::string progress_line(const std::string& stage, int64_t done, int64_t total, double seconds) {
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  char buf[256];
  if (total >= 0) {
    double percent =
        total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100;
    std::string eta = rate > 0 && done < total
                          ? ", ETA " + clock_text(static_cast<double>(total - done) / rate)
                          : "";
    std::snprintf(buf, sizeof(buf), ": %" PRId64 "/%" PRId64 " records (%.1f%%), %.0f/s%s", done,
                  total, percent, rate, eta.c_str());
  } else {
    std::snprintf(buf, sizeof(buf), ": %" PRId64 " records, %.0f/s", done, rate);
  }
  return stage + buf;
}

Progress::Progress(ProgressMode mode, std::FILE* out, Duration terminal_interval,
                   Duration log_interval)
    : mode_(effective_mode(mode, out)),
      out_(out),
      interval_(mode_ == ProgressMode::kTerminal ? terminal_interval : log_interval) {
  if (mode_ != ProgressMode::kNone) thread_ = std::thread([this] { loop(); });
}

Progress::~Progress() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Progress::begin_stage(const std::string& name, std::vector<const SourceProgress*> sources) {
  std::lock_guard<std::mutex> lock(mu_);
  stage_ = name;
  sources_ = std::move(sources);
  started_ = std::chrono::steady_clock::now();
  active_ = true;
}

void Progress::end_stage(const std::string& status) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!active_) return;
  if (mode_ != ProgressMode::kNone) print_locked(&status);
  active_ = false;
  sources_.clear();
}

void Progress::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, interval_, [this] { return stop_; });
    if (!stop_ && active_) print_locked(nullptr);
  }
}

void Progress::print_locked(const std::string* final_status) {
  int64_t done = 0, total = 0;
  for (const SourceProgress* s : sources_) {
    done += s->records.load(std::memory_order_relaxed);
    total = s->size_hint < 0 || total < 0 ? -1 : total + s->size_hint;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::string line = progress_line(stage_, done, total, seconds);
  if (final_status != nullptr) line += " (" + *final_status + ")";
  if (mode_ == ProgressMode::kTerminal) {
    std::fprintf(out_, "\r\033[K%s%s", line.c_str(), final_status != nullptr ? "\n" : "");
  } else {
    std::fprintf(out_, "%s\n", line.c_str());
  }
  std::fflush(out_);
}

}  // namespace sluice
