#include "io/output_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace sluice::io {

OutputFile::~OutputFile() { (void)close(); }

Status OutputFile::failed(const char* what) const {
  return Status::IoError(std::string(what) + " '" + path_ + "' failed: " + std::strerror(errno));
}

Status OutputFile::open(const std::string& path) {
  SLUICE_RETURN_IF_ERROR(close());
  path_ = path;
  if (path == "-") {
    file_ = stdout;
    owns_file_ = false;
    path_ = "<stdout>";
    return {};
  }
  fs::path parent = fs::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (ec) {
    return Status::IoError("cannot create the directory '" + parent.string() + "' for '" + path +
                           "': " + ec.message());
  }
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) {
    return Status::IoError("cannot open '" + path + "' for writing: " + std::strerror(errno));
  }
  owns_file_ = true;
  return {};
}

Status OutputFile::write(std::string_view data) {
  if (data.empty()) return {};
  if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) return failed("writing");
  return {};
}

Status OutputFile::seek(uint64_t offset) {
  if (!owns_file_) {
    return Status::Unsupported("expected a seekable file, found '" + path_ + "'");
  }
  if (std::fseek(file_, static_cast<long>(offset), SEEK_SET) != 0) return failed("seeking in");
  return {};
}

Status OutputFile::close() {
  if (file_ == nullptr) return {};
  std::FILE* f = file_;
  file_ = nullptr;
  bool ok = std::fflush(f) == 0 && !std::ferror(f);
  if (owns_file_) ok = (std::fclose(f) == 0) && ok;
  return ok ? Status() : failed("writing");
}

Status write_whole_file(const std::string& path, std::string_view data) {
  OutputFile file;
  SLUICE_RETURN_IF_ERROR(file.open(path));
  SLUICE_RETURN_IF_ERROR(file.write(data));
  return file.close();
}

}  // namespace sluice::io
