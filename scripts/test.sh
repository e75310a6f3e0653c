#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# From a fresh clone: installs the packages, builds with warnings as errors and
# runs every test (ctest).  BUILD_DIR and extra CMake arguments as for
# scripts/build.sh.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build} scripts/build.sh -DSIZEUP_WERROR=ON "$@"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j 2
