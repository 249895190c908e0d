#!/usr/bin/env bash
# The checks that need a CUDA device, in one short run for a GPU machine: prints the device
# (nvidia-smi), runs every [cuda] test binary (the image kernels against the CPU path on the
# photos, the ops and a pipeline with device: cuda, the stream pool and device caches, the nn layer
# kernels against the CPU kernels, the nn model's CUDA path against the CPU model, a plugin's layer
# through its CUDA entry points and tinyshakespeare_gpt trained with device: cuda), the
# device-param and kernel-arithmetic unit tests with the device visible, the nn kernels' bandwidth
# benchmark (bench_nn_kernels: GB/s and the fraction of peak and of a device copy), the
# device-param tests again with CUDA_VISIBLE_DEVICES="" (device: cuda refused at load naming the
# node or resource, auto on the CPU), and last the training step against PyTorch on the same GPU
# (bench_train.py, where python3 has torch).
#
# Two ways to get the binaries:
#   tools/device/run_cuda_checks.sh [build dir, default build-gpu]
#     configures and builds only what the checks need with CUDA on (a machine with sluice's
#     Debian build dependencies; < 8 minutes on 16 cores), then runs the checks of both parts;
#   tools/device/run_cuda_checks.sh --prebuilt DIR nn|image
#     runs one part's checks from a bundle made here by tools/device/make_gpu_bundle.sh and
#     unpacked into DIR (the device tool's machines have CUDA but not those dependencies, and
#     fetch nothing): the bundle's libraries first on the loader's path of the checks alone (not
#     of this script's own tools), then the CUDA toolkit's and PyTorch's cuBLAS (nn loads cuBLAS
#     at run time; the wheels' nvidia/*/lib), after checking with ldd that every binary and
#     plugin of the bundle finds its libraries here; the tests pointed at DIR for the build tree
#     and its data and at this checkout for the sources.
# Every output line is also written to $OUT/cuda_checks.log when OUT is set (the device tool
# brings $OUT back, even from a run killed at its limit), else to <build>/cuda_checks.log. Each
# test binary runs under a limit of SLUICE_CHECK_TIMEOUT_S seconds (default 150; over it, it
# fails with 124 and the others still run), and nothing starts once SLUICE_CHECK_DEADLINE_S
# seconds (default 540, inside the device tool's 600 s a command) have passed since the checks
# began (after the build, when this builds):
# each step gets at most what is left, and a step not run fails, named. Exits non-zero when a
# test fails, times out or is not run, when a test filter matched no test case, or when a [cuda]
# test (or the benchmark) skipped with the device visible.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
if [ "${1:-}" = "--prebuilt" ]; then
  build=$(cd "${2:?--prebuilt needs the bundle directory}" && pwd)
  parts=("${3:?--prebuilt needs the part: nn or image}")
else
  build=${1:-build-gpu}
  parts=(nn image)
fi
jobs=$(nproc)
mkdir -p "$build" "${OUT:-$build}"
log="${OUT:-$build}/cuda_checks.log"
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

# The loader's path of the checks (and of ldd), set in run only, not for this script's own tools
# (grep, tee): the bundle's libraries and cuBLAS when prebuilt, else the caller's.
libpath=
if [ "${1:-}" = "--prebuilt" ]; then
  # PyTorch's wheels hold cuBLAS in nvidia/cublas/lib (CUDA 12) or nvidia/cu13/lib (CUDA 13):
  # every nvidia/*/lib with a libcublas.so.*, after the toolkit's.
  cublas_dirs=/usr/local/cuda/lib64:/usr/local/cuda/lib
  if wheel_cublas=$(python3 -c "import glob, os, nvidia; print(':'.join(sorted({
      os.path.dirname(p) for d in nvidia.__path__
      for p in glob.glob(os.path.join(d, '*', 'lib', 'libcublas.so.*'))})))" 2>/dev/null) &&
      [ -n "$wheel_cublas" ]; then
    cublas_dirs=$cublas_dirs:$wheel_cublas
  fi
  libpath=$build/deps:$cublas_dirs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  export SLUICE_TEST_BUILD_DIR=$build SLUICE_TEST_SOURCE_DIR=$PWD SLUICE_SHARED_DATA=$build/data
  say "== prebuilt ${parts[*]} checks from $build"
  cublas_found=$(IFS=:; for d in $cublas_dirs; do
    if compgen -G "$d/libcublas.so.*" >/dev/null; then
      printf "%s (%s) " "$d" "$(cd "$d" && echo libcublas.so.*)"
    fi
  done)
  say "cuBLAS: ${cublas_found:-none in $cublas_dirs (the nn CUDA path will not find it)}"
  say "$(ldd --version | head -1)"
  # The bundle must be built from the sources it is checked with (make_gpu_bundle.sh records them).
  if [ ! -f "$build/SOURCES.sha256" ]; then
    say "FAILED: expected $build/SOURCES.sha256 (the sources the bundle was built from), found" \
      "none: make the bundle again with tools/device/make_gpu_bundle.sh"
    exit 1
  fi
  if ! differing=$(sha256sum --quiet -c "$build/SOURCES.sha256" 2>&1); then
    say "$(echo "$differing" | head -20)"
    say "FAILED: the bundle was built from other sources than this checkout's" \
      "($(echo "$differing" | grep -c ": FAILED") files differ, above): make it again from this" \
      "commit with tools/device/make_gpu_bundle.sh"
    exit 1
  fi
  missing=$(for f in "$build"/bin/* "$build"/lib/sluice/plugins/*.so; do
    env LD_LIBRARY_PATH="$libpath" ldd "$f" 2>&1 | grep "not found" | sed "s|^[[:space:]]*|${f#"$build"/}: |"
  done)
  if [ -n "$missing" ]; then
    say "$missing"
    say "FAILED: the bundle's libraries do not load here: $(echo "$missing" | wc -l) not found" \
      "(above: a library the bundle lacks, or a glibc newer than this machine's)"
    exit 1
  fi
else
  say "== configure and build ($jobs jobs)"
  if ! cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_CUDA=on \
      -DSLUICE_BUILD_BENCHMARKS=ON >>"$log" 2>&1; then
    tail -30 "$log"
    say "FAILED: configure (see $log)"
    exit 1
  fi
  grep "CUDA kernels:" "$log" | tail -1
  source tools/device/check_targets.sh
  if ! cmake --build "$build" -j"$jobs" --target "${nn_tests[@]}" "${nn_plugins[@]}" \
      "${image_tests[@]}" "${image_plugins[@]}" sluice registry_test_testlayers >>"$log" 2>&1; then
    grep -E "error|Error" "$log" | head -40
    say "FAILED: build (see $log)"
    exit 1
  fi
  say "built in $((SECONDS - start)) s"
fi

failed=0
deadline=${SLUICE_CHECK_DEADLINE_S:-540}
checks_start=$SECONDS
# Sets `limit` to the seconds the next step may take: SLUICE_CHECK_TIMEOUT_S, or what is left
# before the deadline if less; false (the step is marked failed, not run) when under 10 s are left.
step_limit() {
  local left=$((deadline - (SECONDS - checks_start)))
  limit=${SLUICE_CHECK_TIMEOUT_S:-150}
  [ "$left" -lt "$limit" ] && limit=$left
  if [ "$limit" -lt 10 ]; then
    say "FAILED (not run: the $deadline s deadline has passed): $*"
    failed=1
    return 1
  fi
}
# Runs a test binary from the build tree as ctest does (SLUICE_PLUGIN_PATH cleared), with the
# bundle's libraries on the loader's path when prebuilt, for at most its step_limit.
run() {
  say "== $*"
  step_limit "$@" || return 0
  (cd "$build" && timeout -k 5 "$limit" env ${libpath:+LD_LIBRARY_PATH="$libpath"} \
    SLUICE_PLUGIN_PATH= "$@") 2>&1 | grep -v "^libpng " | tee -a "$log"
  local rc=${PIPESTATUS[0]}
  case $rc in
    0) ;;
    124) say "FAILED (124, over the $limit s limit): $*" ;;
    137) say "FAILED (137, killed: 5 s past the $limit s limit, or out of memory): $*" ;;
    *) say "FAILED ($rc): $*" ;;
  esac
  [ "$rc" -eq 0 ] || failed=1
}
has_part() { [[ " ${parts[*]} " == *" $1 "* ]]; }

device_log_start=$(wc -l <"$log")
run bin/plugins_common_cuda_tests
run bin/plugins_common_cuda_device_tests
if has_part image; then
  run bin/plugins_image_cuda_tests --durations yes
  run bin/plugins_image_tests "[image_gpu]"
fi
if has_part nn; then
  run bin/plugins_nn_cuda_tests --durations yes
  run bin/plugins_nn_gpu_math_tests
  run bin/plugins_nn_device_cuda_tests --durations yes
  run bin/plugins_nn_device_plan_tests
  run bin/plugins_nn_tests "nn.model refuses*"
  run bin/plugins_nn_tests "[nn_device]"
  run bin/bench_nn_kernels
fi
if tail -n +"$device_log_start" "$log" | grep -qE "SKIPPED:|nothing measured"; then
  say "FAILED: a [cuda] test or the benchmark skipped with the device visible (see above why)"
  failed=1
fi

say "== without a visible device (CUDA_VISIBLE_DEVICES=\"\")"
run env CUDA_VISIBLE_DEVICES= bin/plugins_common_cuda_tests "the device check*"
if has_part image; then run env CUDA_VISIBLE_DEVICES= bin/plugins_image_tests "[image_gpu]"; fi
if has_part nn; then
  run env CUDA_VISIBLE_DEVICES= bin/plugins_nn_tests "nn.model refuses*,nn.model's device auto*"
fi
# The training step against PyTorch on the same GPU (tools/bench/bench_train.py: the MLP, CNN and
# GPT in float32, the GPT with bf16 products too), where python3 has numpy, safetensors and a
# torch that sees the device; sluice through a wrapper with the checks' loader path.
if has_part nn; then
  if python3 -c "import numpy, safetensors, torch; assert torch.cuda.is_available()" 2>/dev/null
  then
    wrapper=$build/sluice-with-libs
    printf '#!/bin/sh\nexec env %s "%s/bin/sluice" "$@"\n' \
      "${libpath:+LD_LIBRARY_PATH=$libpath}" "$build" >"$wrapper"
    chmod +x "$wrapper"
    for bench in "--models mlp cnn gpt" "--models gpt --matmul bf16"; do
      say "== bench_train.py --device cuda $bench"
      step_limit "bench_train.py $bench" || continue
      # shellcheck disable=SC2086  # $bench is the options, word by word
      timeout -k 5 "$limit" python3 tools/bench/bench_train.py --sluice "$wrapper" --device cuda \
        --threads 1 --repeat 3 $bench 2>&1 | tee -a "$log"
      rc=${PIPESTATUS[0]}
      if [ "$rc" -ne 0 ]; then say "FAILED ($rc): bench_train.py $bench"; failed=1; fi
    done
  else
    say "bench_train.py: not run (python3 lacks numpy, safetensors or a torch that sees a GPU)"
  fi
fi

# Catch2 exits 0 when a filter matches no test case.
if grep -q "No test cases matched" "$log"; then
  say "FAILED: a test filter matched no test case (see above which)"
  failed=1
fi

say "== $([ "$failed" -eq 0 ] && echo "all CUDA checks passed" || echo "CUDA checks FAILED") in $((SECONDS - start)) s"
exit "$failed"
