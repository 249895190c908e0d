// Happens-before marks for ThreadSanitizer. A flow-graph message crosses threads through libtbb's
// scheduler, which is not built with ThreadSanitizer, so TSan cannot see that the thread that
// spawned a task finished its writes before the thread running it began; it would report every
// packet as a race. The executor marks each hand-over instead: `handover_release(x)` on the
// handing thread before x is passed on, `handover_acquire(x)` on the receiving thread before x is
// used, and handover_acquire_graph(g) after g.wait_for_all(). All compile to nothing without
// ThreadSanitizer. (What remains is inside TBB: see tests/engine/exec/tsan_suppressions.cc.)
#pragma once

#if defined(__SANITIZE_THREAD__)
#define SLUICE_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SLUICE_TSAN 1
#endif
#endif

#ifdef SLUICE_TSAN
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace sluice {

inline void handover_release([[maybe_unused]] const void* token) {
#ifdef SLUICE_TSAN
  __tsan_release(const_cast<void*>(token));
#endif
}

inline void handover_acquire([[maybe_unused]] const void* token) {
#ifdef SLUICE_TSAN
  __tsan_acquire(const_cast<void*>(token));
#endif
}

// Makes everything the tasks of `graph` did happen before what follows, once its wait_for_all()
// has returned. Each task's last act is to release the graph's wait count, an atomic TSan sees,
// but wait_for_all() reads it back inside libtbb; reserve_wait() reads it where TSan sees it.
template <class Graph>
void handover_acquire_graph([[maybe_unused]] Graph& graph) {
#ifdef SLUICE_TSAN
  graph.reserve_wait();
  graph.release_wait();
#endif
}

}  // namespace sluice
