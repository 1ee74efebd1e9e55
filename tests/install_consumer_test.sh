#!/usr/bin/env bash
# Installs the built tree into a scratch prefix and builds an outside project against it with
# find_package(neurode), exactly as a user would. Args: BUILD_DIR CONSUMER_SOURCE WORK_DIR
set -euo pipefail
build=$1 source=$2 work=$3
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" > "$work.install.log" 2>&1 || { cat "$work.install.log"; exit 1; }
cmake -S "$source" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$work/build" -j2 > /dev/null
"$work/build/consumer"
