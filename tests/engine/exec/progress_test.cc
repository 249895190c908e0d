// Progress lines and the progress thread.
#include "engine/exec/progress.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>

namespace sluice {
namespace {

TEST_CASE("progress_line shows records, rate, percentage and ETA", "[exec]") {
  CHECK(progress_line("train", 1200, 5000, 4.0) ==
        "train: 1200/5000 records (24.0%), 300/s, ETA 0:00:13");
  CHECK(progress_line("train", 5000, 5000, 10.0) == "train: 5000/5000 records (100.0%), 500/s");
  CHECK(progress_line("read", 1200, -1, 2.0) == "read: 1200 records, 600/s");
  CHECK(progress_line("read", 0, -1, 0.0) == "read: 0 records, 0/s");
  CHECK(progress_line("long", 1, 100000, 1.0) ==
        "long: 1/100000 records (0.0%), 1/s, ETA 27:46:39");
}

std::string captured(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string text;
  char buf[256];
  for (size_t n; (n = std::fread(buf, 1, sizeof(buf), f)) > 0;) text.append(buf, n);
  return text;
}

TEST_CASE("log mode prints a line per interval and a final line", "[exec]") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  SourceProgress a, b;
  a.size_hint = 10;
  b.size_hint = 30;
  a.records = 4;
  b.records = 6;
  {
    Progress progress(ProgressMode::kLog, f, Progress::Duration(5), Progress::Duration(5));
    progress.begin_stage("main", {&a, &b});
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    progress.end_stage("ok");
  }
  std::string text = captured(f);
  std::fclose(f);
  CHECK(text.find("main: 10/40 records (25.0%)") == 0);
  CHECK(text.find(" (ok)\n") != std::string::npos);
  CHECK(text.find('\r') == std::string::npos);
}

TEST_CASE("terminal mode rewrites one line", "[exec]") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  SourceProgress a;  // size unknown
  a.records = 7;
  {
    Progress progress(ProgressMode::kTerminal, f, Progress::Duration(5), Progress::Duration(5));
    progress.begin_stage("main", {&a});
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    progress.end_stage("failed");
  }
  std::string text = captured(f);
  std::fclose(f);
  CHECK(text.find("\r\033[Kmain: 7 records, ") == 0);
  CHECK(text.find(" (failed)\n") != std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') == 1);
}

TEST_CASE("no progress prints nothing", "[exec]") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  SourceProgress a;
  {
    Progress progress(ProgressMode::kNone, f, Progress::Duration(1), Progress::Duration(1));
    progress.begin_stage("main", {&a});
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    progress.end_stage("ok");
  }
  CHECK(captured(f).empty());
  std::fclose(f);
}

TEST_CASE("auto mode logs when the output is not a terminal", "[exec]") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  SourceProgress a;
  {
    Progress progress(ProgressMode::kAuto, f, Progress::Duration(1), Progress::Duration(100000));
    progress.begin_stage("main", {&a});
    progress.end_stage("ok");
  }
  CHECK(captured(f) == "main: 0 records, 0/s (ok)\n");
  std::fclose(f);
}

}  // namespace
}  // namespace sluice
