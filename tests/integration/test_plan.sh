#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Plans of machines of every size, as the docs show them: ladders, skipped
# rows, the estimate, --time-limit, and bench/plan-scale.sh.
set -u
. "$(dirname "$0")/lib.sh"

# README: the standard profile fitted to 10 minutes on this machine.
"$SIZEUP" run --profile standard --time-limit 10m --dry-run >std.txt 2>&1
check "standard --time-limit 10m plans" grep -q "^estimated duration: " std.txt

# README: a NUMA node's ladder stops at its node.
"$SIZEUP" run --topology "$SRC/tests/data/big-2s-24numa.xml" -P numa:3 -t 1..max --dry-run \
  >numa.txt 2>&1
check "numa:3 with 1..max: 1 to its 8 cores" test \
  "$(awk '$7 == "numa:3" {print $6}' numa.txt | sort -nu | paste -sd, -)" = "1,2,3,4,5,6,7,8"
check "numa:3 never beyond its node" sh -c "! grep -q 'skipped' numa.txt"

# The ladder of a 2 x 96-core machine: 12 thread counts, not 192.
zen="pack:2 numa:4(memory=96GiB) l3:3(size=32MiB) core:8 pu:2"
"$SIZEUP" run --topology "$zen" -k stream_triad --precision fp64 --variants omp -P compact \
  -S 1M --dry-run >zen.txt 2>&1
check "ladder: 1,2,4,8,16,24,32,64,96,128,192,384" test \
  "$(awk '$2 == "stream_triad" {print $6}' zen.txt | paste -sd, -)" = \
  "1,2,4,8,16,24,32,64,96,128,192,384"
check "the estimate is printed" grep -q "^estimated duration: " zen.txt

# Every profile plans on a 384-PU machine; the quick one's time fits a limit.
for p in quick standard nightly full; do
  check "$p plans on 2 x 96 cores" "$SIZEUP" run --profile "$p" --topology "$zen" --dry-run -q
done
"$SIZEUP" run --profile quick --topology "$zen" --time-limit 3m --dry-run >fit.txt 2>&1
check "--time-limit says what it dropped" grep -q "^--time-limit 180 s: the full plan" fit.txt

# bench/plan-scale.sh on the test topologies.
SIZEUP="$SIZEUP" bash "$SRC/bench/plan-scale.sh" "$SRC/tests/data" "quick nightly" >scale.txt 2>&1
check "plan-scale.sh: only the hwloc 3 XML fails (it must)" \
  test "$(grep -c 'error' scale.txt)" -eq "$(grep -c '^hwloc3-format.*error' scale.txt)"
check "plan-scale.sh: the 24-NUMA machine planned" grep -q "^big-2s-24numa.xml .* quick " scale.txt
check "plan-scale.sh: a table and the growth" grep -q "^points per core" scale.txt
finish
