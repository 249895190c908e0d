// Parallel loops for the kernels, on the threads of the calling oneTBB arena (the executor's:
// --threads of them; one thread runs everything in order). Each call is isolated: a thread that
// waits for its chunks runs no unrelated task meanwhile (such as another node's that would take
// the lock of the model this one holds).
//
// The chunks depend on the range and the grain only, never on the thread count, so a body whose
// chunks write disjoint outputs gives the same result for any number of threads.
#pragma once

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_invoke.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>

#include <cstdint>

namespace sluice::nn {

// Calls body(begin, end) for chunks of [0, n) of at most `grain` indices (grain >= 1), maybe
// several at once.
template <class Body>
void parallel_chunks(int64_t n, int64_t grain, const Body& body) {
  if (n <= 0) return;
  if (n <= grain) {
    body(int64_t{0}, n);
    return;
  }
  tbb::this_task_arena::isolate([&] {
    tbb::parallel_for(
        tbb::blocked_range<int64_t>(0, n, grain),
        [&](const tbb::blocked_range<int64_t>& r) { body(r.begin(), r.end()); },
        tbb::simple_partitioner());
  });
}

// Runs f() and g(), maybe at the same time.
template <class F, class G>
void parallel_pair(const F& f, const G& g) {
  tbb::this_task_arena::isolate([&] { tbb::parallel_invoke(f, g); });
}

}  // namespace sluice::nn
