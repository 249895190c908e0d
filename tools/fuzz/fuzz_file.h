// For the fuzz targets whose code under test reads a file: writes the input to
// /tmp/sluice-fuzz-<pid><suffix> (the same file on every call with that suffix) and returns its
// path; aborts when it cannot, as that is no finding.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

inline std::string write_fuzz_file(const std::string& suffix, std::string_view bytes) {
  const std::string path = "/tmp/sluice-fuzz-" + std::to_string(getpid()) + suffix;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() ||
      std::fclose(f) != 0) {
    std::abort();
  }
  return path;
}
