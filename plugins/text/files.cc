#include "text/files.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sluice::text {

Expected<std::string> read_whole_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(std::string("cannot open the ") + what + " '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IoError(std::string("cannot read the ") + what + " '" + path + "'");
  return text.str();
}

Status write_whole_file(const std::string& path, const std::string& bytes, const char* what) {
  std::error_code ec;
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << bytes;
  file.close();
  if (ec || !file) {
    return Status::IoError(std::string("writing the ") + what + " to '" + path +
                           "' failed: " + (ec ? ec.message() : std::strerror(errno)));
  }
  return {};
}

}  // namespace sluice::text
