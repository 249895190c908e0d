// Reads a text file, or standard input, one line at a time and counts lines.
// Not thread-safe; one reader per source instance.
#pragma once

#include <sluice/status.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace sluice::io {

class LineReader {
 public:
  LineReader() = default;
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Opens `path`; "-" reads standard input. NOT_FOUND or IO_ERROR names the file and the reason.
  Status open(const std::string& path);
  // The next line, without its "\n" or "\r\n", in `*line` (valid until the next call): true, or
  // false at the end of the input. A read error is IO_ERROR naming the file and the line.
  Expected<bool> next(std::string_view* line);
  // 1-based number of the line last returned (0 before the first).
  int64_t line_number() const { return line_number_; }
  // The file as given to open(), or "<stdin>".
  const std::string& name() const { return name_; }

 private:
  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  std::string name_;
  char* buffer_ = nullptr;
  size_t capacity_ = 0;
  int64_t line_number_ = 0;
};

}  // namespace sluice::io
