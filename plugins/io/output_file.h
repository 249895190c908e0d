// A file being written by a sink: "-" is standard output. Parent directories are created; every
// error names the file and says what failed. Not thread-safe; closes itself when destroyed.
#pragma once

#include <sluice/status.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace sluice::io {

class OutputFile {
 public:
  OutputFile() = default;
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Creates or truncates `path` (already resolved against the run directory), or "-".
  Status open(const std::string& path);
  Status write(std::string_view data);
  // Moves the write position to `offset` bytes from the start (not for standard output).
  Status seek(uint64_t offset);
  // Flushes and closes; reports a write that failed on the way. No-op when not open.
  Status close();
  bool is_open() const { return file_ != nullptr; }
  const std::string& path() const { return path_; }

 private:
  Status failed(const char* what) const;

  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  std::string path_;
};

// Writes `data` to a new file at `path` (parent directories created), replacing what was there.
Status write_whole_file(const std::string& path, std::string_view data);

}  // namespace sluice::io
