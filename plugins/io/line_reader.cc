#include "io/line_reader.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sys/types.h>

namespace sluice::io {

LineReader::~LineReader() {
  if (owns_file_) std::fclose(file_);
  std::free(buffer_);
}

Status LineReader::open(const std::string& path) {
  if (path == "-") {
    file_ = stdin;
    name_ = "<stdin>";
    return {};
  }
  name_ = path;
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) {
    int err = errno;
    std::string message = "cannot open '" + path + "' for reading: " + std::strerror(err);
    return err == ENOENT ? Status::NotFound(message) : Status::IoError(message);
  }
  owns_file_ = true;
  return {};
}

Expected<bool> LineReader::next(std::string_view* line) {
  errno = 0;
  ssize_t n = ::getline(&buffer_, &capacity_, file_);
  if (n < 0) {
    if (std::ferror(file_)) {
      return Status::IoError("reading '" + name_ + "' after line " + std::to_string(line_number_) +
                             " failed: " + std::strerror(errno));
    }
    return false;
  }
  ++line_number_;
  auto size = static_cast<size_t>(n);
  if (size > 0 && buffer_[size - 1] == '\n') --size;
  if (size > 0 && buffer_[size - 1] == '\r') --size;
  *line = std::string_view(buffer_, size);
  return true;
}

}  // namespace sluice::io
