#include "text/share_dir.h"

#include <dlfcn.h>

#include <filesystem>

namespace sluice::text {

std::string share_dir() {
  namespace fs = std::filesystem;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&share_dir), &info) != 0 && info.dli_fname != nullptr) {
    std::error_code ec;
    fs::path dir = fs::canonical(info.dli_fname, ec).parent_path();
    // plugins -> sluice -> lib [-> arch] -> prefix
    for (int up = 0; !ec && up < 4 && dir.has_parent_path(); ++up) {
      dir = dir.parent_path();
      const fs::path candidate = dir / "share" / "sluice";
      if (fs::is_directory(candidate, ec)) return candidate.string();
    }
  }
  return SLUICE_SOURCE_SHARE_DIR;
}

}  // namespace sluice::text
