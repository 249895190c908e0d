#include "tools/sluice/blas_policy.h"

#include <cstdlib>

namespace sluice::cli {

void single_threaded_blas() { setenv("OPENBLAS_NUM_THREADS", "1", /*overwrite=*/1); }

}  // namespace sluice::cli
