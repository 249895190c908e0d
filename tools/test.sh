#!/usr/bin/env bash
# Sets up if needed (tools/setup.sh), runs the whole test suite with ctest, then builds the unit
# tests with AddressSanitizer + UndefinedBehaviorSanitizer and runs them, and the executor tests
# with ThreadSanitizer. The sanitizer builds are CPU-only (-DSLUICE_CUDA=OFF: the sanitizers cannot
# see into the CUDA runtime); the [cuda] tests run in build/ (skipped without a device) and on a GPU
# machine through tools/device/run_cuda_checks.sh. Exits non-zero on the first failure.
# Usage: tools/test.sh [--no-sanitizers]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

tools/setup.sh
echo "== ctest (set up and built in ${SECONDS} s)"
ctest --test-dir build --output-on-failure -j"$jobs"

[ "${1:-}" = "--no-sanitizers" ] && exit 0

echo "== AddressSanitizer + UndefinedBehaviorSanitizer (at ${SECONDS} s)"
cmake -S . -B build-asan -DSLUICE_SANITIZE=address,undefined -DSLUICE_CUDA=OFF \
  -DSLUICE_BUILD_BENCHMARKS=OFF \
  -DCMAKE_BUILD_TYPE=Debug >/dev/null
# Only the unit test binaries (and what they load) are built: ctest lists each integration binary
# as <name>_NOT_BUILT, which is left out with them.
cmake --build build-asan -j"$jobs" --target sluice_unit_tests
ASAN_OPTIONS=detect_leaks=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE integration -E _NOT_BUILT

echo "== ThreadSanitizer (executor tests, at ${SECONDS} s)"
cmake -S . -B build-tsan -DSLUICE_SANITIZE=thread -DSLUICE_CUDA=OFF -DSLUICE_BUILD_BENCHMARKS=OFF \
  -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-tsan -j"$jobs" --target exec_tests
ctest --test-dir build-tsan --output-on-failure -j"$jobs" -L executor
echo "== all tests passed in ${SECONDS} s"
