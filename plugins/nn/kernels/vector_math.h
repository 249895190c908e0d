// erf and exp over float arrays, in loops that vectorise, for the GELU's passes, softmax and
// cross entropy. Our own polynomials (fitted by tools/refgen/fit_vector_math.py), evaluated with
// IEEE additions, multiplications and bit operations only and compiled without floating-point
// contraction, so every x86-64 CPU gives the same bits whether AVX-512, AVX2 or SSE2 runs them,
// and erf_values(z) is erf_value(z[i]) for each i, exp_values likewise.
//
// Accuracy, against the correctly rounded value, measured over all 2^32 floats (the tests check
// about a million of them and the bounds between the pieces):
//   exp: within 1 unit in the last place; subnormal results are rounded once; infinity for u
//        above ln(largest float + half its ulp) = 88.7228391 and zero below ln 2^-150 =
//        -103.9720771, as the correctly rounded values are.
//   erf: within 1.5 units in the last place; ±1 from |z| = 3.92 (erff rounds to ±1 from 3.8325).
// NaN gives NaN. Pure functions, thread-safe.
#pragma once

#include <cstdint>

namespace sluice::nn {

// out[i] = erf(z[i]) for n values; out may be z.
void erf_values(const float* z, float* out, int64_t n);

// out[i] = e^u[i] for n values; out may be u.
void exp_values(const float* u, float* out, int64_t n);

// The same functions of one value, for code that needs one (and the tests that compare).
float erf_value(float z);
float exp_value(float u);

}  // namespace sluice::nn
