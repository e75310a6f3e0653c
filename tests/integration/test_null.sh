#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `sizeup run --backend null`: a real run, into a results directory, on a
# topology that is not this machine (the null backend binds nothing), with
# failures on demand, and its --resume; the commands are README.md's.
# Without --backend null such a topology is planned only.
set -u
. "$(dirname "$0")/lib.sh"
cd "$SRC"
OUT=$WORK

rc=0
"$SIZEUP" run --backend null --topology "pack:2 numa:2 core:8 pu:2" -k stream_triad,fma_peak \
  -S 1M -t pow2 -P compact,scatter -o "$OUT/null-run" -q >"$OUT/run.log" 2>&1 || rc=$?
check "null run on a synthetic topology exits 0 (rc=$rc)" test "$rc" -eq 0
check "it wrote summary.csv" test -s "$OUT/null-run/summary.csv"
check "and system.json" test -s "$OUT/null-run/system.json"
# 6 thread counts (1..32 cores) x 2 placements: 12 triad points x 2 precisions x 2
# variants, 12 fma_peak points x 2 precisions.
check "every point has a row" test "$(tail -n +2 "$OUT/null-run/summary.csv" | wc -l)" -eq 72
check "every row is on the null backend" \
  test "$(tail -n +2 "$OUT/null-run/summary.csv" | grep -vc ',null,')" -eq 0
check "scatter spreads over both packages" grep -q ',scatter,"0,32",' "$OUT/null-run/summary.csv"
# Its report is a model: every verdict sentence and headline figure says so.
"$SIZEUP" report "$OUT/null-run" --out "$OUT/null-report" >"$OUT/report.log" 2>&1
check "null report exits 0" test $? -eq 0
check "verdict: memory, MODELLED" \
  grep -qF -- '- **Memory-bound work, MODELLED by the null backend, not measured**' "$OUT/null-report/report.md"
check "verdict: compute, MODELLED" \
  grep -qF -- '- **Compute-bound work, MODELLED by the null backend, not measured**' "$OUT/null-report/report.md"
check "every headline figure measured is MODELLED" \
  test "$(grep -E '^\| (memory|peak) ' "$OUT/null-report/report.md" | grep -v 'not measured' |
          grep -vc 'MODELLED by the null backend, not measured')" -eq 0

rc=0
"$SIZEUP" run --backend null --topology tests/data/big-2s-24numa.xml -k stream_triad \
  -S 1M --variants omp,fail_verify@4 -t 1,2,4 -o "$OUT/null-fail" -q >"$OUT/fail.log" 2>&1 || rc=$?
check "a failed verification fails the run (rc=$rc)" test "$rc" -eq 1
check "one failed_verify row per precision and placement" \
  test "$(grep -c ",failed_verify," "$OUT/null-fail/summary.csv")" -eq 4
check "the summary counts it" grep -q "4 failed verification" "$OUT/fail.log"

# A resume of a complete run measures nothing and keeps every row.
rc=0
"$SIZEUP" run --resume "$OUT/null-run" >"$OUT/resume.log" 2>&1 || rc=$?
check "resume of a finished null run exits 0 (rc=$rc)" test "$rc" -eq 0
check "it measured nothing" grep -q "^0 configurations measured" "$OUT/resume.log"
check "rows kept" test "$(tail -n +2 "$OUT/null-run/summary.csv" | wc -l)" -eq 72

# gemm's work is not per element: 2 n^3 flops of three n x n matrices, so
# its modelled rate is the cores' (32 GFLOP/s each, both placements), never 0.
"$SIZEUP" run --backend null --topology "pack:1 core:4 pu:1" -k gemm -t 1,4 -S 24M \
  -o "$OUT/null-gemm" -q >"$OUT/gemm.log" 2>&1
check "null gemm: 32 GFLOP/s a core" \
  awk -F, '$3 == "gemm" {n++; if ($18 / $8 < 31 || $18 / $8 > 33) bad++} END {exit !(n == 4 && !bad)}' \
  "$OUT/null-gemm/summary.csv"

# recommend takes no modelled figure for a measurement: a candidate whose
# results are a null run is no_data, saying so; no inf or nan anywhere.
D=$SRC/tests/data/sizing
{ head -n 1 "$D/catalog.csv"; grep '^beta,' "$D/catalog.csv" | sed "s|,beta,|,$D/beta,|"
  echo "planned,cloud,32,2,0,128,0.50,,,,400,$OUT/null-run,,,,2026-12,a null run"; } \
  >"$OUT/null-catalog.csv"
{ echo '[workload]'; echo 'name = w'; echo 'reference = beta'; echo 'reference_time_s = 100'
  echo '[mix]'; echo 'stream_triad = 0.5'; echo 'fma_peak = 0.5'
  echo '[target]'; echo 'throughput_jobs_per_hour = 10'; } >"$OUT/null-w.ini"
rc=0
"$SIZEUP" recommend --catalog "$OUT/null-catalog.csv" --workload "$OUT/null-w.ini" \
  --out "$OUT/null-rec" --no-render >"$OUT/rec.log" 2>&1 || rc=$?
check "recommend beside a null run exits 0 (rc=$rc)" test "$rc" -eq 0
check "the null run is no_data, MODELLED" \
  grep -q 'planned .*no_data: the results .* are MODELLED by the null backend' "$OUT/rec.log"
check "no inf or nan in the table" sh -c "! grep -qiw 'inf\|nan\|-nan%' '$OUT/rec.log'"
check "no inf or nan in the CSV" sh -c "! grep -qiw 'inf\|nan' '$OUT/null-rec/recommend.csv'"

# The cpu backend on another machine's topology: the plan only, nothing written.
rc=0
"$SIZEUP" run --topology tests/data/big-2s-24numa.xml -k stream_triad -t 1,2 \
  -o "$OUT/cpu-foreign" >"$OUT/cpu.log" 2>"$OUT/cpu.err" || rc=$?
check "cpu on a foreign topology exits 0 (rc=$rc)" test "$rc" -eq 0
check "and says it shows the plan only" grep -q "showing the plan only" "$OUT/cpu.err"
check "and writes nothing" test ! -e "$OUT/cpu-foreign"
finish
