#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# sizeup run --mpi under real Open MPI, 2 and 4 ranks on one machine
# (oversubscribed): one results directory, ranks/nodes/scaling columns, the
# rank-to-node map, the communication and distributed kernels verified, and a
# rank killed mid-run keeps the finished rows.  Skips (77) without an MPI
# build or without mpirun.  Never asserts on timings.
set -u
. "$(dirname "$0")/lib.sh"

command -v mpirun >/dev/null || { echo "SKIP: no mpirun"; exit 77; }
"$SIZEUP" list | grep -q '^  mpi_latency' || { echo "SKIP: sizeup built without MPI"; exit 77; }

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Oversubscribed ranks spin in MPI waits unless they yield.
export OMPI_MCA_mpi_yield_when_idle=1
# Under AddressSanitizer, Open MPI's own components (dlopen'ed and unloaded
# before LeakSanitizer looks) leave ~120 KB behind at exit; those are not
# sizeup's, so leak checking is off for MPI processes (every other check of
# the sanitizers stays on, and the non-MPI tests keep leak checking).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
MPIRUN="timeout 120 mpirun --oversubscribe"
QUICK=(-b 0.02 --min-reps 3 --max-reps 30 -q)
COMM=mpi_latency,mpi_pingpong,mpi_bibw,mpi_allreduce,mpi_alltoall,mpi_triad_dot,mpi_stencil

# col FILE NAME: the values of column NAME (no quoted commas in these files).
col() {
  awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
                        { print $c }' "$1"
}
# row FILE KERNEL VARIANT NAME: column NAME of the kernel's headline row.
row() {
  awk -F, -v k="$2" -v v="$3" -v name="$4" '
    NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $h["kernel"] == k && $h["variant"] == v { print $h[name]; exit }' "$1"
}

# Without --mpi the mpi backend's kernels are rows that say why.
"$SIZEUP" run --backend mpi -k mpi_latency -S 8 "${QUICK[@]}" -o solo >solo.log 2>&1
check "mpi kernels without --mpi: a row each" test "$(row solo/summary.csv mpi_latency intra status)" = unsupported
check "the reason names --mpi" grep -q "sizeup run --mpi" solo/summary.csv

for n in 2 4; do
  rc=0
  $MPIRUN -n $n "$SIZEUP" run --mpi --backend mpi -k $COMM -S 8,64K "${QUICK[@]}" \
    -o comm$n --label ranks_test=$n >comm$n.log 2>&1 || rc=$?
  check "$n ranks: communication kernels exit 0 (rc=$rc)" test "$rc" -eq 0
  [ "$rc" -eq 0 ] || cat comm$n.log >&2
  s=comm$n/summary.csv
  check "$n ranks: one results directory" test "$(ls -d comm$n*/ | wc -l)" -eq 1
  check "$n ranks: 24 rows" test "$(($(wc -l <$s) - 1))" -eq 24
  check "$n ranks: ranks column" test "$(col $s ranks | sort -u)" = "$n"
  check "$n ranks: nodes column" test "$(col $s nodes | sort -u)" = 1
  for k in mpi_latency mpi_pingpong mpi_bibw; do
    check "$n ranks: $k intra ok" test "$(row $s $k intra status)" = ok
    check "$n ranks: $k inter unsupported on one node" test "$(row $s $k inter status)" = unsupported
  done
  for k in mpi_allreduce mpi_alltoall; do
    check "$n ranks: $k ok" test "$(row $s $k default status)" = ok
  done
  for k in mpi_triad_dot mpi_stencil; do
    for v in strong weak; do
      # 8 bytes is too small a problem: a skipped row; 64 KiB runs.
      check "$n ranks: $k $v skipped at 8 bytes" test "$(row $s $k $v status)" = skipped
      check "$n ranks: $k $v ok at 64K" \
        test "$(grep -c ",$k,$v,.*,ok,,.*,$v,[0-9]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*\$" $s)" -eq 1
      check "$n ranks: $k $v scaling column" test "$(row $s $k $v scaling)" = $v
    done
  done
  check "$n ranks: no failures" test -z "$(col $s status | grep -v '^ok$\|^unsupported$\|^skipped$')"
  check "$n ranks: samples written" test "$(wc -l <comm$n/samples.csv)" -gt 20
  check "$n ranks: rank map in system.json" \
    test "$(grep -c '"local_rank"' comm$n/system.json)" -eq $n
  check "$n ranks: one node fingerprint" test "$(grep -c '"fingerprint"' comm$n/system.json)" -eq 1
  check "$n ranks: label kept" grep -q '"ranks_test": "'$n'"' comm$n/system.json
done

# A node-local CPU kernel on all ranks at once: aggregate rows, each rank
# bound to its own share of the node (wrapping when oversubscribed).
rc=0
$MPIRUN -n 4 "$SIZEUP" run --mpi -k stream_triad -t 1 -P compact -S 1M --precision fp64 \
  --variants omp "${QUICK[@]}" -o local4 >local4.log 2>&1 || rc=$?
check "4 ranks: stream_triad exits 0 (rc=$rc)" test "$rc" -eq 0
check "4 ranks: stream_triad ok" test "$(row local4/summary.csv stream_triad omp status)" = ok
check "4 ranks: stream_triad ranks=4" test "$(row local4/summary.csv stream_triad omp ranks)" = 4
npu=$("$SIZEUP" topo 2>/dev/null | awk '/^PUs:/ { print $2; exit }')
npu=${npu:-2}
check "4 ranks: the ranks' cpusets cover min(4, PUs) PUs" \
  test "$(grep -A1 '"threads": 1,' local4/system.json | grep -o '"cpuset": "[0-9]*"' |
          sort -u | wc -l)" -eq $((npu < 4 ? npu : 4))

# A rank killed at point 3: a clear error, rows of points 0-2 kept on disk
# (one round: with several, a point's rows wait for its last round).
rc=0
SIZEUP_TEST_FAIL_RANK=1 SIZEUP_TEST_FAIL_POINT=3 \
  $MPIRUN -n 2 "$SIZEUP" run --mpi --backend mpi -k mpi_allreduce,mpi_alltoall \
  -S 8,64,512,4K,32K "${QUICK[@]}" --rounds 1 -o killed >killed.log 2>&1 || rc=$?
check "killed rank: non-zero exit (rc=$rc)" test "$rc" -ne 0 -a "$rc" -ne 124
check "killed rank: the error names the rank" grep -qiE "rank 1|process rank 1" killed.log
f=killed/summary.csv.part
[ -f "$f" ] || f=killed/summary.csv
check "killed rank: finished rows kept" test "$(col $f point | sort -nu | paste -sd, -)" = "0,1,2"
check "killed rank: kept rows are ok" test "$(col $f status | sort -u)" = ok

# Resuming the killed run with mpirun measures only the missing points.
rc=0
$MPIRUN -n 2 "$SIZEUP" run --resume killed >resumed.log 2>&1 || rc=$?
check "resume under mpirun exits 0 (rc=$rc)" test "$rc" -eq 0
check "resume completes all 10 points" test "$(col killed/summary.csv point | sort -nu | wc -l)" -eq 10

finish
