#!/bin/bash
# The whole test suite: installs what is missing, builds everything, runs CTest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
neurode_install_missing "${NEURODE_PACKAGES[@]}" "${NEURODE_TEST_PACKAGES[@]}"
neurode_build
cd "$NEURODE_BUILD"
ctest --parallel "$(nproc)" --output-on-failure
