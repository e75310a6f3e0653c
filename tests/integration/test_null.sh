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

# The cpu backend on another machine's topology: the plan only, nothing written.
rc=0
"$SIZEUP" run --topology tests/data/big-2s-24numa.xml -k stream_triad -t 1,2 \
  -o "$OUT/cpu-foreign" >"$OUT/cpu.log" 2>"$OUT/cpu.err" || rc=$?
check "cpu on a foreign topology exits 0 (rc=$rc)" test "$rc" -eq 0
check "and says it shows the plan only" grep -q "showing the plan only" "$OUT/cpu.err"
check "and writes nothing" test ! -e "$OUT/cpu-foreign"
finish
