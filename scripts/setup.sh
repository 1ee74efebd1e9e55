#!/bin/bash
# Shared set-up for the README's two commands: install the Debian packages neurode needs (only
# those missing; apt-get update runs only when something is missing), then configure and build
# in ./build. Sourced by scripts/run-main.sh and scripts/run-tests.sh; needs root to install.
set -euo pipefail

NEURODE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NEURODE_BUILD=${NEURODE_BUILD:-$NEURODE_ROOT/build}

# Build: compiler, CMake, and the libraries (the README says what each is for).
NEURODE_PACKAGES=(g++ make cmake pkg-config
                  libsundials-dev libsuitesparse-dev libeigen3-dev libboost-graph-dev libhdf5-dev
                  nlohmann-json3-dev libcli11-dev libgtest-dev libbenchmark-dev libnlopt-dev
                  libopenmpi-dev openmpi-bin
                  pybind11-dev python3-dev
                  python3-numpy python3-h5py python3-matplotlib)
# Tests: independent checks written in Python with Debian's own modules.
NEURODE_TEST_PACKAGES=(python3 python3-numpy python3-h5py openmpi-bin python3-pytest python3-neuron python3-matplotlib)

neurode_install_missing() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "neurode: installing ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        echo "neurode: these Debian packages are missing; run as root or install them: ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# neurode_build [target...]: configure once, then build incrementally.
neurode_build() {
    if [ ! -f "$NEURODE_BUILD/CMakeCache.txt" ]; then
        cmake -S "$NEURODE_ROOT" -B "$NEURODE_BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
    fi
    local jobs
    jobs=$(nproc)
    if [ $# -eq 0 ]; then
        cmake --build "$NEURODE_BUILD" --parallel "$jobs"
    else
        cmake --build "$NEURODE_BUILD" --parallel "$jobs" --target "$@"
    fi
}
