// The process's heap policy. sluice moves many same-sized buffers through the graph (a 224x224x3
// float image is 588 KiB; a batch of features a few MiB): glibc's defaults return such blocks to
// the kernel when they are freed (mmap'd above 128 KiB, heap tops trimmed past 128 KiB), so every
// record pays page faults and zeroing for its fresh pages again. keep_freed_memory() raises both
// thresholds (blocks up to 32 MiB come from the heap; up to 128 MiB of free heap top is kept), so
// freed buffers are reused: the resident size stays at the run's peak instead of shrinking
// between records. Call once, before any thread starts. No-op when GLIBC_TUNABLES is set (the
// user's malloc settings win) and on C libraries other than glibc.
#pragma once

namespace sluice::cli {

void keep_freed_memory();

}  // namespace sluice::cli
