#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Configures and builds sizeup in BUILD_DIR (default: build).  Extra
# arguments go to CMake, e.g. scripts/build.sh -DSIZEUP_SANITIZE=ON.
set -eu
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-Release} "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
