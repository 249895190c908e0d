#include "engine/plugin/library.h"

#include <dlfcn.h>

namespace sluice {

Expected<std::unique_ptr<SharedLibrary>> SharedLibrary::open(const std::string& path) {
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    return Status::IoError(
        path + ": cannot load the library: " + (why ? why : "dlopen failed without a reason"));
  }
  return std::unique_ptr<SharedLibrary>(new SharedLibrary(path, handle));
}

SharedLibrary::~SharedLibrary() { ::dlclose(handle_); }

void* SharedLibrary::symbol(const char* name) const {
  ::dlerror();
  return ::dlsym(handle_, name);
}

}  // namespace sluice
