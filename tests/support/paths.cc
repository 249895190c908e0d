#include "support/paths.h"

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace fs = std::filesystem;

namespace sluice::test {
namespace {

struct TempDirs {
  std::mutex mu;
  std::vector<fs::path> dirs;
  ~TempDirs() {
    std::error_code ec;
    for (const auto& d : dirs) fs::remove_all(d, ec);
  }
};

TempDirs& temp_dirs() {
  static TempDirs t;
  return t;
}

// The directory in $`name` when set, else `fallback` (where the tests were built from).
std::string dir_from_env(const char* name, const char* fallback) {
  const char* env = std::getenv(name);
  return env != nullptr && *env != '\0' ? env : fallback;
}

}  // namespace

std::string source_dir() { return dir_from_env("SLUICE_TEST_SOURCE_DIR", SLUICE_TEST_SOURCE_DIR); }
std::string build_dir() { return dir_from_env("SLUICE_TEST_BUILD_DIR", SLUICE_TEST_BUILD_DIR); }
std::string plugin_dir() { return build_dir() + "/lib/sluice/plugins"; }
std::string test_plugin_dir() { return build_dir() + "/lib/sluice/test-plugins"; }
std::string sluice_binary() { return build_dir() + "/bin/sluice"; }

std::string shared_data_dir() {
  if (const char* env = std::getenv("SLUICE_SHARED_DATA")) return env;
  return (fs::path(source_dir()).parent_path() / "shared" / "data").string();
}

std::string temp_dir() {
  auto& t = temp_dirs();
  std::lock_guard<std::mutex> lock(t.mu);
  fs::path base = fs::temp_directory_path();
  for (int i = 0;; ++i) {
    fs::path p = base / ("sluice-test-" + std::to_string(::getpid()) + "-" +
                         std::to_string(t.dirs.size()) + "-" + std::to_string(i));
    if (fs::create_directory(p)) {
      t.dirs.push_back(p);
      return p.string();
    }
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << text;
}

}  // namespace sluice::test
