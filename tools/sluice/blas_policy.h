// The process's BLAS threads. sluice's kernels call BLAS from its own worker threads, each call
// single-threaded (the audio and nn plugins set OpenBLAS to one thread before their first call).
// OpenBLAS starts its own pool of threads when a plugin loads it, sized to the machine, and those
// threads spin for about 0.1 s of CPU time after starting (and after any call) before they sleep,
// taking cores from the run's workers: 2-worker audio runs were ~20% slower with the pool there.
// single_threaded_blas() sets OPENBLAS_NUM_THREADS=1, so OpenBLAS starts no pool; the user's
// value is replaced, as sluice would use one BLAS thread per call all the same. Call once, before
// any thread starts and before plugins load.
#pragma once

namespace sluice::cli {

void single_threaded_blas();

}  // namespace sluice::cli
