// A loaded shared library (dlopen RAII): closed when the object goes.
#pragma once

#include <sluice/status.hpp>

#include <memory>
#include <string>

namespace sluice {

class SharedLibrary {
 public:
  // dlopen(path, RTLD_NOW | RTLD_LOCAL); the error names the file and quotes dlerror().
  static Expected<std::unique_ptr<SharedLibrary>> open(const std::string& path);
  ~SharedLibrary();
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  // The address of `name`, or NULL when the library does not export it.
  void* symbol(const char* name) const;
  const std::string& path() const { return path_; }

 private:
  SharedLibrary(std::string path, void* handle) : path_(std::move(path)), handle_(handle) {}
  std::string path_;
  void* handle_;
};

}  // namespace sluice
