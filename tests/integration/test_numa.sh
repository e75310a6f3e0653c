#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The NUMA matrix end to end: measured here (one NUMA node: one cell, memory
# bound with hwloc), planned on machines with CPU-less memory (KNL MCDRAM,
# GPU memory), drawn by the report; CPU kinds in `sizeup topo`.
set -u
. "$(dirname "$0")/lib.sh"
DATA="$SRC/tests/data"

# Measured: stream_triad and latency_chase, the cores of node 0 to the
# memory of node 0 (small sizes: a test, not a benchmark).
cat >numa.ini <<'EOF'
[run]
budget = 0.02
min_reps = 3

[numa_bw]
kernels = stream_triad
precision = fp64
variants = omp
sizes = 16M
memory = each

[numa_lat]
kernels = latency_chase
sizes = 16M
memory = each
EOF
"$SIZEUP" run --suite numa.ini -o m1 -q >m1.log 2>&1
rc=$?
check "matrix run exits 0 (rc=$rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat m1.log >&2
col() { head -n 1 m1/summary.csv | tr , '\n' | grep -nx "$1" | cut -d: -f1; }
cn=$(col cpu_numa)
mn=$(col mem_numa)
check "summary.csv has cpu_numa and mem_numa" test -n "$cn" -a -n "$mn"
check "schema version 2 or later" awk -F, 'NR > 1 && $1 < 2 { exit 1 }' m1/summary.csv
for k in stream_triad latency_chase; do
  check "$k: one cell numa:0+mem:0, ok or unsupported with a reason" awk -F, -v k=$k \
    -v cn="$cn" -v mn="$mn" '
    $3 == k && $11 == "numa:0+mem:0" && $cn == 0 && $mn == 0 &&
      ($16 == "ok" || ($16 == "unsupported" && $17 != "")) { n++ }
    END { exit n == 1 ? 0 : 1 }' m1/summary.csv
done
check "latency_chase ran one thread" awk -F, '$3 == "latency_chase" && $8 != 1 { exit 1 }' \
  m1/summary.csv
check "system.json records NUMA nodes and CPU kinds" \
  grep -q '"has_cpus"' m1/system.json
check "system.json has cpu_kinds" grep -q '"cpu_kinds"' m1/system.json

# The report draws the cell and lists it.
"$SIZEUP" report m1 --out r1 --no-render >r1.log 2>&1
check "report of the matrix exits 0" test $? -eq 0
check "bandwidth heat map script" test -s r1/numa_bandwidth_1.gp
check "latency heat map script" test -s r1/numa_latency_1.gp
check "report.md has the NUMA matrix" grep -q "^## NUMA matrix" r1/report.md
check "report.html has the NUMA matrix" grep -q 'id="numa-matrix"' r1/report.html

# A 2 x 4 matrix (rows of the measured cell copied to other nodes: a fixture
# for the drawing, not a measurement): every cell in the .dat, empty ones NaN.
mkdir -p m2
awk -F, -v OFS=, -v cn="$cn" -v mn="$mn" '
  NR == 1 { print; next }
  $3 == "stream_triad" { for (i = 0; i < 2; i++) for (j = 0; j < 4; j++) {
      if (i == 1 && j == 3) continue
      $11 = "numa:" i "+mem:" j; $cn = i; $mn = j; print } }' m1/summary.csv >m2/summary.csv
"$SIZEUP" report m2 --out r2 >r2.log 2>&1
check "report of a 2 x 4 matrix exits 0" test $? -eq 0
check "2 x 4 cells in the heat map data" test "$(grep -vc '^#\|^$' r2/numa_bandwidth_1.dat)" -eq 8
check "the missing cell is NaN" grep -q '^3 1 nan$\|^3 1 NaN$' r2/numa_bandwidth_1.dat
check "memory nodes 0-3 as tics" grep -q "set xtics ('0' 0, '1' 1, '2' 2, '3' 3)" \
  r2/numa_bandwidth_1.gp
if command -v gnuplot >/dev/null; then
  check "heat map rendered" test -s r2/numa_bandwidth_1.png
fi
check "no latency map without latency rows" test ! -e r2/numa_latency_1.gp

# Results of schema version 1 (no NUMA columns) still load, with no matrix.
"$SIZEUP" report "$DATA/results-quick" --out r3 --no-render >r3.log 2>&1
check "version-1 results still report" test $? -eq 0
check "no NUMA matrix from version-1 results" test -z "$(ls r3/numa_* 2>/dev/null)"

# docs/numa.md's commands, run from the source tree as written there.
cd "$SRC"
"$SIZEUP" run --profile numa -o "$WORK/n1" -q >"$WORK/n1.log" 2>&1
rc=$?
check "sizeup run --profile numa exits 0 (rc=$rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$WORK/n1.log" >&2
check "the numa profile: two cells here" test "$(grep -c 'numa:0+mem:0' "$WORK/n1/summary.csv")" -eq 2
"$SIZEUP" report "$WORK/n1" --out "$WORK/rn1" --no-render >/dev/null 2>&1
check "report of the numa profile" test -s "$WORK/rn1/numa_latency_1.gp"
# Planned on machines we do not have: CPU-less memory as targets.
sizeup() { "$SIZEUP" "$@"; }
sizeup run --topology tests/data/gpu-hbm-numa-nodes-kept-cpuless.xml --profile numa \
  >"$WORK/gpu.txt" 2>&1
check "GPU memory: 2 CPU nodes x 8 nodes x 2 kernels" \
  test "$(grep -c 'numa:[0-9]*+mem:' "$WORK/gpu.txt")" -eq 32
sizeup run --topology tests/data/gpu-hbm-numa-nodes-kept-cpuless.xml -k stream_triad -P numa:4 -t 4 -S 64M --memory local,mem:7 \
  >"$WORK/gpu2.txt" 2>&1
check "mem:7 beside first touch" test "$(grep -c ' numa:4+mem:7 ' "$WORK/gpu2.txt")" -ge 1
check "and first touch beside mem:7" test "$(grep -c ' numa:4 ' "$WORK/gpu2.txt")" -ge 1
check "the same points bound and not" \
  test "$(grep -c ' numa:4+mem:7 ' "$WORK/gpu2.txt")" -eq "$(grep -c ' numa:4 ' "$WORK/gpu2.txt")"
sizeup run --topology tests/data/knl-a2a-mcdram-rootnuma-4c-8pu.xml --profile numa \
  >"$WORK/knl.txt" 2>&1
check "KNL: DDR and MCDRAM cells" grep -q "numa:0+mem:1" "$WORK/knl.txt"
check "KNL: MCDRAM is no CPU node" test -z "$(grep 'numa:1+mem' "$WORK/knl.txt")"
sizeup topo --topology tests/data/arm-nvidia-gb10-20c-hybrid.xml >"$WORK/gb10.txt" 2>&1
sizeup run --topology tests/data/arm-nvidia-gb10-20c-hybrid.xml -k stream_triad -t 1,4,max -P compact,kinds \
  >"$WORK/gb10-plan.txt" 2>&1
cd "$WORK"

expect_error "a memory node that does not exist" "NUMA node 3 does not exist" \
  "$SIZEUP" run -k stream_triad --memory mem:3 -n
expect_error "an unknown memory placement" "unknown memory placement 'far'" \
  "$SIZEUP" run -k stream_triad --memory far -n
expect_error "kinds on a machine of one kind" "placement 'kinds' plans nothing here" \
  "$SIZEUP" run -k stream_triad -P kinds -n
check "nothing written for bad input" test -z "$(ls results 2>/dev/null)"

# The whole matrix of a machine we do not have, through the null backend
# (a model from hwloc's NUMA distances: nothing is measured), to the heat map.
"$SIZEUP" run --backend null --topology "$DATA/intel-2s-4numa-40c-80pu-memsidecache.xml" \
  --profile numa -o z1 -q >z1.log 2>&1
check "null matrix run exits 0" test $? -eq 0
check "null matrix: 16 cells x 2 kernels, all ok" test "$(grep -c ',ok,' z1/summary.csv)" -eq 32
"$SIZEUP" report z1 --out rz1 --no-render >/dev/null 2>&1
for m in latency bandwidth; do
  check "null matrix: 4 x 4 $m cells, every one measured" \
    test "$(grep -v '^#' rz1/numa_${m}_1.dat | grep -vci 'nan\|^$')" -eq 16
done
check "null matrix: remote latency above local" awk '
  /^[0-9]/ { v[$1, $2] = $3 } END { exit !(v[2, 0] > v[0, 0] && v[0, 2] > v[2, 2]) }' \
  rz1/numa_latency_1.dat
check "null matrix: remote bandwidth below local" awk '
  /^[0-9]/ { v[$1, $2] = $3 } END { exit !(v[2, 0] < v[0, 0] && v[0, 3] < v[3, 3]) }' \
  rz1/numa_bandwidth_1.dat
check "null matrix: said to be a model" grep -q "MODELLED by the null backend" rz1/report.md

# 24 NUMA nodes: 576 cells, tables of 16 memory nodes at most, no numbers in the map.
"$SIZEUP" run --backend null --topology "$DATA/big-2s-24numa.xml" -k stream_triad \
  --precision fp64 --variants omp --memory each -o z3 -q >z3.log 2>&1
check "24 NUMA nodes: 576 cells" test "$(grep -c ',ok,' z3/summary.csv)" -eq 576
"$SIZEUP" report z3 --out rz3 --no-render >/dev/null 2>&1
check "24 NUMA nodes: two tables of 24 rows" test "$(grep -c '^| CPUs of node' rz3/report.md)" -eq 48
check "24 NUMA nodes: at most 16 memory columns" test -z "$(grep '^| bandwidth' rz3/report.md |
  awk -F'|' 'NF - 2 > 17')"
check "24 NUMA nodes: colours only" test -z "$(grep 'with labels' rz3/numa_bandwidth_1.gp)"

# A node too small for a working set beyond the caches: unsupported cells, said why.
"$SIZEUP" run --backend null --topology "pack:2 numa:1(memory=64MB) core:2 pu:1" \
  -k stream_triad --precision fp64 --variants omp --memory each -o z2 -q >z2.log 2>&1
check "small nodes: the run completes" test $? -eq 0
check "small nodes: 4 unsupported cells with the reason" test "$(grep -c \
  ",unsupported,NUMA node [01]'s memory (61 MiB) cannot hold a working set beyond the caches" \
  z2/summary.csv)" -eq 4

# Hybrid CPUs: kinds in `sizeup topo`, a ladder per kind.
check "topo lists two CPU kinds" grep -q "^CPU kinds:  2" gb10.txt
check "kind 0 is the big cores" grep -q "kind 0:   10 cores, PUs 5-9,15-19" gb10.txt
"$SIZEUP" topo --json --topology "$DATA/arm-nvidia-gb10-20c-hybrid.xml" >gb10.json 2>&1
check "topo --json has hwloc's five kinds" test "$(grep -c '"hwloc_index"' gb10.json)" -eq 5
check "one thread on the fastest core" grep -q " 1 *compact *19 " gb10-plan.txt
check "a ladder inside each kind" grep -q " 10 *kind:1 *0-4,10-14 " gb10-plan.txt

finish
