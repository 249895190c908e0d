#!/usr/bin/python3
"""Fits the polynomials of nn's vectorised exp and erf (plugins/nn/kernels/vector_math.cc) and
prints them as C++ float constants (hexadecimal, as the source holds them).

Each is a near-minimax fit (Lawson's iteratively reweighted least squares on a Chebyshev grid)
against mpmath's values at 40 digits, then rounded to float:
  exp   e^r = 1 + r + r^2 q(r), q of degree 4, |r| <= 1.02 ln2/2 (the reduced argument), minimising
        the relative error of e^r;
  erf   |x| < 0.875: erf(x) = x + x g(x^2), g of degree 5 (g(0) = 2/sqrt(pi) - 1), minimising the
        relative error of erf;
        0.875 <= |x| < 3.92: erf(x) = 1 - e^(-x^2) h(x), h of degree 8 in (x - 2.3975) / 1.5225
        (the interval mapped to [-1, 1]), minimising the absolute error of erf (e^(-x^2) times h's).
Each line also prints the fit's error in float64; the float32 code's error over every float is
checked by tests/plugins/nn/kernels_test.cc (and was measured once over all 2^32 floats).

    /usr/bin/python3 tools/refgen/fit_vector_math.py   (Debian's python3-numpy and python3-mpmath)
"""
import numpy as np
from mpmath import mp

mp.dps = 40

EXP_HALF_WIDTH = 1.02 * 0.34657359027997264  # ln 2 / 2, and 2% for k's rounding of x log2(e)
ERF_NEAR = 0.875
ERF_ONE = 3.92  # erf(x) rounds to 1.0f from 3.8325 up


def lawson(x, target, basis, weight, iterations=300):
    """Coefficients c minimising max |weight (basis(x) c - target)|, and that maximum."""
    a = basis(x) * weight[:, None]
    b = target * weight
    w = np.full(len(x), 1.0 / len(x))
    for _ in range(iterations):
        root = np.sqrt(w)
        c, *_ = np.linalg.lstsq(a * root[:, None], b * root, rcond=None)
        err = np.abs(a @ c - b)
        w = w * err
        w /= w.sum()
    return c, float(np.max(np.abs(a @ c - b)))


def powers(degree):
    return lambda t: np.vander(t, degree + 1, increasing=True)


def chebyshev(lo, hi, n):
    return lo + (hi - lo) * (1 - np.cos(np.linspace(0, np.pi, n))) / 2


def hex_float(f):
    mantissa, exponent = float(f).hex().split("p")
    return f"{mantissa.rstrip('0').rstrip('.')}p{exponent}f"


def show(name, coefficients, error):
    floats = [np.float32(c) for c in coefficients]
    print(f"{name} (fit error {error:.3g}):")
    print("  " + ", ".join(hex_float(f) for f in floats))


def main():
    r = chebyshev(-EXP_HALF_WIDTH, EXP_HALF_WIDTH, 4000)
    r = r[np.abs(r) > 1e-6]
    q = np.array([float((mp.exp(v) - 1 - v) / v**2) for v in map(mp.mpf, r)])
    show("exp q(r)", *lawson(r, q, powers(4), r**2 / np.exp(r)))

    x = chebyshev(1e-7, ERF_NEAR, 3000)
    ratio = np.array([float(mp.erf(v) / v) for v in map(mp.mpf, x)])
    show("erf g(x^2)", *lawson(x, ratio - 1, lambda t: powers(5)(t * t), 1 / ratio))

    mid, half = (ERF_NEAR + ERF_ONE) / 2, (ERF_ONE - ERF_NEAR) / 2
    x = chebyshev(ERF_NEAR, ERF_ONE, 4000)
    h = np.array([float(mp.erfc(v) * mp.exp(v**2)) for v in map(mp.mpf, x)])
    print(f"erf h's variable: (x - {mid}) * {1 / half!r}")
    show("erf h", *lawson(x, h, lambda t: powers(8)((t - mid) / half), np.exp(-x * x)))


if __name__ == "__main__":
    main()
