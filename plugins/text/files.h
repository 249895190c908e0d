// Whole files read and written, with errors that name the file and what it was.
#pragma once

#include <sluice/status.hpp>

#include <string>

namespace sluice::text {

// The bytes of the file at `path`; IO_ERROR naming `what` ("tiktoken rank file") and the path.
Expected<std::string> read_whole_file(const std::string& path, const char* what);

// Writes `bytes` to `path` (replacing it), creating its directory; IO_ERROR naming `what` and
// the path.
Status write_whole_file(const std::string& path, const std::string& bytes, const char* what);

}  // namespace sluice::text
