// erf and exp over float arrays, bit for bit glibc's erff and expf (glibc 2.36, Debian 12's:
// fdlibm's erff, Arm's optimized-routines expf) but in loops that vectorise, for the GELU's
// forward and backward passes. glibc's scalar calls cost most of those passes; these keep their
// exact results (tests/plugins/nn/kernels_test.cc compares them, and every one of the 2^32 floats
// was compared once; erf's range from 1.25 up, vectorised later, too). Inputs outside the ranges
// the vector code covers (erf: |z| < 2^-28; exp: |u| >= 88; NaN, infinities) go to glibc itself.
// Each runs the widest of AVX-512, AVX2 and SSE2 the CPU has. Compiled without floating-point
// contraction (a fused multiply-add would round differently). Pure functions, thread-safe.
#pragma once

#include <cstdint>

namespace sluice::nn {

// out[i] = erff(z[i]) for n values; out may be z.
void erf_values(const float* z, float* out, int64_t n);

// out[i] = expf(u[i]) for n values; out may be u. glibc runs its FMA build of expf where the CPU
// has FMA and AVX2 and its SSE2 build elsewhere (their results differ in the last bit now and
// then); this follows the same choice.
void exp_values(const float* u, float* out, int64_t n);

}  // namespace sluice::nn
