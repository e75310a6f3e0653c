#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The device-to-device matrix of `sizeup report` from hand-made rows (a
# fixture for the drawing, not a measurement): three devices, one pair not
# measured, one pair at two sizes, one failed pair.  The matrix of a real
# two-device run is checked in test_opencl_devices.sh.
set -u
. "$(dirname "$0")/lib.sh"
DATA="$SRC/tests/data"

mkdir -p m
cp "$DATA/results-quick/system.json" m/
# Cell (i, j) = 10 i + j + 1 GB/s at 1 MiB; (0, 1) also 99 GB/s at 4 KiB (the
# larger size wins); (2, 0) failed (empty); (1, 2) not measured (empty).
awk -F, -v OFS=, '
  NR == 1 { print; next }
  NR == 2 { for (i = 0; i < 3; i++) for (j = 0; j < 3; j++) {
      if (i == 1 && j == 2) continue
      $3 = "transfer_d2d"; $4 = (i == j ? "on_device" : "via_host"); $5 = "opencl"
      $6 = "GPU X [0:" i "] -> [0:" j "]"; $13 = 1048576; $14 = "bandwidth"; $15 = "GB/s"
      $16 = "ok"; $18 = 10 * i + j + 1; $29 = 0
      if (i == 2 && j == 0) { $16 = "failed_verify"; $18 = "" }
      print
      if (i == 0 && j == 1) { $13 = 4096; $18 = 99; print } } }' \
  "$DATA/results-quick/summary.csv" >m/summary.csv
rc=0
"$SIZEUP" report m --out r >r.log 2>&1 || { rc=$?; cat r.log >&2; }
check "report of a 3 x 3 matrix exits 0 (rc=$rc)" test "$rc" -eq 0
check "3 x 3 cells in the heat map data" test "$(grep -vc '^#\|^$' r/d2d_bandwidth_1.dat)" -eq 9
check "cell (0, 1): the larger size" grep -q '^1 0 2$' r/d2d_bandwidth_1.dat
check "cell (2, 1)" grep -q '^1 2 22$' r/d2d_bandwidth_1.dat
check "the pair not measured is NaN" grep -qi '^2 1 nan$' r/d2d_bandwidth_1.dat
check "the failed pair is NaN" grep -qi '^0 2 nan$' r/d2d_bandwidth_1.dat
check "devices as tics" grep -q "set xtics ('0:0' 0, '0:1' 1, '0:2' 2)" r/d2d_bandwidth_1.gp
check "report.md has the matrix" grep -q '^## Device-to-device copies' r/report.md
check "report.md: the head row" \
  grep -qxF '| bandwidth \[GB/s\] | to \[0:0\] | to \[0:1\] | to \[0:2\] |' r/report.md
check "report.md: source row 1, one empty cell" \
  grep -qxF '| from GPU X \[0:1\] | 11 | 12 |  |' r/report.md
check "report.html has the matrix" grep -q 'id="d2d-matrix"' r/report.html
check "no roofline from copies alone (nothing to draw)" test ! -e r/roofline_1.gp
check "no NUMA matrix from copies" test ! -e r/numa_bandwidth_1.gp
if command -v gnuplot >/dev/null; then
  check "heat map rendered" test -s r/d2d_bandwidth_1.png
fi

# Results without transfer_d2d rows: no matrix.
"$SIZEUP" report "$DATA/results-quick" --out r0 --no-render >r0.log 2>&1
check "no matrix without transfer_d2d rows" test ! -e r0/d2d_bandwidth_1.gp
check "no matrix section without rows" eval '! grep -q d2d-matrix r0/report.html'

finish
