#!/usr/bin/env bash
# Sets up sluice on Debian 12: installs the Debian packages it needs (only those missing), then
# configures and builds the build/ tree (build/bin/sluice, build/lib/sluice/plugins/).
# Usage: tools/setup.sh [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config
  libtbb-dev libyaml-cpp-dev libboost1.81-dev libboost-json1.81-dev
  libfmt-dev libspdlog-dev libcli11-dev libicu-dev catch2 libbenchmark-dev
  libopencv-dev libsndfile1-dev libsoxr-dev libfftw3-dev libopenblas-dev libdnnl-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
fi

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j"$jobs"
