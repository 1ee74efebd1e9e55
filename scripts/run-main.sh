#!/bin/bash
# The main job on its embedded default configuration: installs what is missing, builds, runs.
# Extra arguments go to `neurode` (for example: demo --print-config).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
neurode_install_missing "${NEURODE_PACKAGES[@]}"
neurode_build neurode
cd "$NEURODE_ROOT"
exec "$NEURODE_BUILD/app/neurode" "$@"
