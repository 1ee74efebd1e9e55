#!/bin/bash
# Installs the built tree into a scratch prefix and builds examples/pkg_config (a plain Makefile)
# against it with pkg-config, exactly as a user would. Args: BUILD_DIR CONSUMER_SOURCE WORK_DIR
set -euo pipefail
build=$1 source=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }
cp -r "$source" "$work/consumer"
pc=$(find "$work/prefix" -name neurode.pc)
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
make -s -C "$work/consumer" > "$work/make.log" 2>&1 || { cat "$work/make.log"; exit 1; }
LD_LIBRARY_PATH=$(pkg-config --variable=libdir neurode) "$work/consumer/relaxation"
