#!/usr/bin/env bash
# The checks that need a CUDA device, in one short run for a GPU machine (< 5 minutes on 16
# cores): prints the device (nvidia-smi), builds only what the [cuda] tests need with CUDA on in
# its own build tree, runs every [cuda] test binary (kernels against the CPU path on the photos,
# the ops and a pipeline with device: cuda, the stream pool and device caches, the nn layer kernels
# against the CPU kernels, the nn model's CUDA path against the CPU model and tinyshakespeare_gpt
# trained with device: cuda), the device-param and kernel-arithmetic unit tests with the device
# visible, the nn kernels' bandwidth benchmark (bench_nn_kernels: GB/s and the fraction of peak
# and of a device copy), then the device-param tests again with CUDA_VISIBLE_DEVICES="" (device:
# cuda refused at load naming the node or resource, auto on the CPU).
# Every output line is also written to <build>/cuda_checks.log. Exits non-zero when a test fails
# or when a [cuda] test (or the benchmark) skipped with the device visible.
# Usage: tools/device/run_cuda_checks.sh [build dir, default build-gpu]
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build-gpu}
jobs=$(nproc)
mkdir -p "$build"
log="$build/cuda_checks.log"
: >"$log"
say() { echo "$*" | tee -a "$log"; }
start=$SECONDS

say "== device"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader 2>&1 |
    tee -a "$log"
else
  say "nvidia-smi: not found"
fi

say "== configure and build ($jobs jobs)"
if ! cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_CUDA=on \
    -DSLUICE_BUILD_BENCHMARKS=ON >>"$log" 2>&1; then
  tail -30 "$log"
  say "FAILED: configure (see $log)"
  exit 1
fi
grep "CUDA kernels:" "$log" | tail -1
if ! cmake --build "$build" -j"$jobs" --target plugins_common_cuda_tests \
    plugins_common_cuda_device_tests plugins_image_cuda_tests plugins_image_tests image io core \
    plugins_nn_cuda_tests plugins_nn_gpu_math_tests bench_nn_kernels \
    plugins_nn_device_cuda_tests plugins_nn_device_plan_tests plugins_nn_tests \
    >>"$log" 2>&1; then
  grep -E "error|Error" "$log" | head -40
  say "FAILED: build (see $log)"
  exit 1
fi
say "built in $((SECONDS - start)) s"

failed=0
# Runs a test binary from the build tree as ctest does (SLUICE_PLUGIN_PATH cleared).
run() {
  say "== $*"
  (cd "$build" && env SLUICE_PLUGIN_PATH= "$@") 2>&1 | grep -v "^libpng " | tee -a "$log"
  local rc=${PIPESTATUS[0]}
  if [ "$rc" -ne 0 ]; then
    say "FAILED ($rc): $*"
    failed=1
  fi
}

device_log_start=$(wc -l <"$log")
run bin/plugins_common_cuda_tests
run bin/plugins_common_cuda_device_tests
run bin/plugins_image_cuda_tests --durations yes
run bin/plugins_image_tests "[image_gpu]"
run bin/plugins_nn_cuda_tests --durations yes
run bin/plugins_nn_gpu_math_tests
run bin/plugins_nn_device_cuda_tests --durations yes
run bin/plugins_nn_device_plan_tests
run bin/plugins_nn_tests "nn.model refuses*"
run bin/plugins_nn_tests "[nn_device]"
run bin/bench_nn_kernels
if tail -n +"$device_log_start" "$log" | grep -qE "SKIPPED: no CUDA device|nothing measured"; then
  say "FAILED: a [cuda] test or the benchmark skipped with the device visible (see above why)"
  failed=1
fi

say "== without a visible device (CUDA_VISIBLE_DEVICES=\"\")"
run env CUDA_VISIBLE_DEVICES= bin/plugins_image_tests "[image_gpu]"
run env CUDA_VISIBLE_DEVICES= bin/plugins_common_cuda_tests "the device check*"
run env CUDA_VISIBLE_DEVICES= bin/plugins_nn_tests "nn.model refuses*,nn.model's device auto*"

say "== $([ "$failed" -eq 0 ] && echo "all CUDA checks passed" || echo "CUDA checks FAILED") in $((SECONDS - start)) s"
exit "$failed"
