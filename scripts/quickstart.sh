#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# From a fresh clone: installs the packages, builds, runs the quick suite and
# writes a report with plots.  Prints where the results and the report are.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
./build/sizeup run --profile quick "$@"
run=$(ls -td results/*/ | head -n 1)
run=${run%/}
./build/sizeup report "$run" --out "reports/$(basename "$run")"

echo "report:  reports/$(basename "$run")/report.html"
