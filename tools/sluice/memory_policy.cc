#include "tools/sluice/memory_policy.h"

#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sluice::cli {

void keep_freed_memory() {
#if defined(__GLIBC__)
  if (std::getenv("GLIBC_TUNABLES") != nullptr) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's maximum for this setting on 64-bit
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
#endif
}

}  // namespace sluice::cli
