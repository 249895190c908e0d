#!/usr/bin/env bash
# Makes gpu-bundle-<part>.tar.xz (git-ignored): the CUDA checks of tools/device/run_cuda_checks.sh
# built here, for a GPU machine that cannot build them. The device tool's machines run an image
# with CUDA, CMake and PyTorch but none of the Debian libraries sluice builds against (oneTBB,
# yaml-cpp, Boost, OpenBLAS, OpenCV, Catch2...) and fetch nothing, so the test binaries, the
# sluice CLI and the plugins travel built (from a CUDA build tree, sm_90), stripped of debug info,
# with every shared library they load except glibc's, libstdc++ and libgcc_s (the image's are
# newer than Debian 12's) and the CUDA driver. cuBLAS is not bundled: nn loads it at run time
# from the image's CUDA. A part is the checks of one plugin, so that each bundle fits in what the
# tool carries (64 MiB with the working tree): `nn` (the nn kernels, the model's CUDA path, the
# GPT and sentence polarity pipelines on the device, with the share/ text they read) and `image`
# (the image kernels and ops, with OpenCV's libraries and the photos of ../shared/data/image,
# which does not travel).
# On the GPU machine (see run_cuda_checks.sh):
#   tar -xJf gpu-bundle-nn.tar.xz && tools/device/run_cuda_checks.sh --prebuilt gpu-bundle nn
# Usage: tools/device/make_gpu_bundle.sh nn|image [CUDA build dir, default build]
set -euo pipefail
cd "$(dirname "$0")/../.."
part=${1:-}
build=${2:-build}
stage=gpu-bundle
source tools/device/check_targets.sh
case "$part" in
  nn) tests=("${nn_tests[@]}") plugins=("${nn_plugins[@]}") ;;
  image) tests=("${image_tests[@]}") plugins=("${image_plugins[@]}") ;;
  *)
    echo "make_gpu_bundle: expected a part, nn or image, found '$part'" >&2
    exit 2 ;;
esac
if ! grep -q "^CMAKE_CUDA_COMPILER:" "$build/CMakeCache.txt" 2>/dev/null; then
  echo "make_gpu_bundle: expected a CUDA build tree in $build (nvcc found at configure), found" \
    "none" >&2
  exit 2
fi
cmake --build "$build" -j"$(nproc)" --target "${tests[@]}" sluice "${plugins[@]}" \
  registry_test_testlayers

bundle=gpu-bundle-$part.tar.xz
rm -rf "$stage" "$bundle"
mkdir -p "$stage/bin" "$stage/lib/sluice/plugins" "$stage/deps" "$stage/share/sluice/data" \
  "$stage/data/image"
for t in "${tests[@]}" sluice; do cp "$build/bin/$t" "$stage/bin/"; done
for p in "${plugins[@]}"; do cp "$build/lib/sluice/plugins/$p.so" "$stage/lib/sluice/plugins/"; done
cp -r "$build/lib/sluice/test-plugins" "$stage/lib/sluice/"
find "$stage/bin" "$stage/lib" -type f \( -perm -u+x -o -name "*.so" \) -exec strip --strip-debug {} +

# Every library the binaries and plugins load, resolved as here, but the C/C++ runtime's (all of
# glibc's: its libresolv, pulled in through OpenCV's dependencies, needs the libc it came with).
base='/(libc|libm|libpthread|libdl|librt|libresolv|libmvec|libnsl|libanl|libutil|libBrokenLocale'
base+='|libnss_[a-z]+|libthread_db|libstdc\+\+|libgcc_s|libcuda|ld-linux-x86-64)\.so'
find "$stage/bin" "$stage/lib" -type f \( -perm -u+x -o -name "*.so" \) -print0 |
  xargs -0 -n1 ldd 2>/dev/null | awk '/=> \// {print $3}' | sort -u | grep -Ev "$base" |
  while read -r lib; do cp -L "$lib" "$stage/deps/"; done

if [ "$part" = nn ]; then
  cp share/data/tinyshakespeare.txt share/data/sentence_polarity.tsv "$stage/share/sluice/data/"
else
  cp -r ../shared/data/image/photos "$stage/data/image/"
fi
# The checksums of the sources it was built from (the tracked files, as they are in the working
# tree), which run_cuda_checks.sh --prebuilt compares with the checkout it runs in.
git ls-files -z | xargs -0 sha256sum >"$stage/SOURCES.sha256"
XZ_OPT=-9e tar -cJf "$bundle" "$stage"
rm -rf "$stage"
echo "$bundle: $(du -h "$bundle" | cut -f1) (the device tool carries at most 64 MiB with the" \
  "working tree)"
