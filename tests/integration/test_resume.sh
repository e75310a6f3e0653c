#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Ctrl-C keeps every finished configuration; --resume completes the run with
# exactly the missing ones.  Also: a crash that cut a row in half.
set -u
. "$(dirname "$0")/lib.sh"

# A run long enough to interrupt: 12 points of ~0.3 s each.
"$SIZEUP" run -k stream_triad,stream_copy -t 1 -P compact -S 1M,2M,4M \
  --precision fp64,fp32 --variants omp -b 0.3 --min-reps 3 --rounds 1 --out r1 -q >r1.log 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  [ -s r1/summary.csv.part ] && [ "$(wc -l <r1/summary.csv.part)" -ge 3 ] && break
  sleep 0.1
done
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
check "interrupted run exits 130 (rc=$rc)" test "$rc" -eq 130
check "interrupted run says how to resume" grep -q "sizeup run --resume r1" r1.log
check "interrupted run's summary says so, and how much of the plan" \
  grep -q "^[0-9]* of the plan's 12 configurations measured (INTERRUPTED) in " r1.log
check "finished rows kept in summary.csv" test "$(wc -l <r1/summary.csv)" -ge 2
check "system.json says incomplete" grep -q '"complete": false' r1/system.json
kept=$(($(wc -l <r1/summary.csv) - 1))
check "interrupted before the end" test "$kept" -lt 12

"$SIZEUP" run --resume r1 >r2.log 2>&1
rc=$?
check "resume exits 0 (rc=$rc)" test "$rc" -eq 0
check "all 12 points after resume" test "$(($(wc -l <r1/summary.csv) - 1))" -eq 12
check "every point exactly once" test "$(tail -n +2 r1/summary.csv | awk -F, '{print $27}' | sort -n | uniq -d | wc -l)" -eq 0
check "resume measured only the missing points" grep -q "^$((12 - kept)) configurations measured" r2.log
check "system.json says complete" grep -q '"complete": true' r1/system.json
check "one run id" test "$(tail -n +2 r1/summary.csv | cut -d, -f2 | sort -u | wc -l)" -eq 1

# A crash mid-write: a truncated last row in the .part file is dropped on resume.
mv r1/summary.csv r1/summary.csv.part
mv r1/samples.csv r1/samples.csv.part
head -c -20 r1/summary.csv.part >r1/t && mv r1/t r1/summary.csv.part
"$SIZEUP" run --resume r1 >r3.log 2>&1
rc=$?
check "resume after a crash exits 0 (rc=$rc)" test "$rc" -eq 0
check "the cut point was measured again" grep -q "^1 configurations measured" r3.log
check "still 12 points" test "$(($(wc -l <r1/summary.csv) - 1))" -eq 12

# Ctrl-C during the second of three rounds: every point keeps the round it
# had (rounds = 1); resume measures the rounds left, pools them with the
# ones on disk, and writes each point once.
"$SIZEUP" run -k stream_triad,stream_copy -t 1 -P compact -S 1M,2M,4M \
  --precision fp64,fp32 --variants omp -b 0.1 --ci 0.0001 --max-reps 1000000 --rounds 3 --out r4 -q \
  >r4.log 2>&1 &
pid=$!
sleep 1.5
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
check "interrupted rounds exit 130 (rc=$rc)" test "$rc" -eq 130
colof() { head -n 1 "$1" | tr , '\n' | grep -nx "$2" | cut -d: -f1; }
rcol=$(colof r4/summary.csv rounds)
kept=$(($(wc -l <r4/summary.csv) - 1))
check "interrupted rounds: points kept" test "$kept" -ge 1
check "interrupted rounds: fewer than 3 rounds for some" \
  test "$(awk -F, -v c="$rcol" 'NR > 1 && $c < 3' r4/summary.csv | wc -l)" -ge 1
check "interrupted rounds: the samples of every round written" \
  test "$(awk -F, -v c="$rcol" 'NR > 1 { n += $c } END { print n }' r4/summary.csv)" -eq \
       "$(awk -F, -v p="$(colof r4/samples.csv point)" -v r="$(colof r4/samples.csv round)" \
          'NR > 1 { print $p "," $r }' r4/samples.csv | sort -u | wc -l)"
"$SIZEUP" run --resume r4 >r5.log 2>&1
check "resume after interrupted rounds exits 0" test $? -eq 0
check "resume after interrupted rounds: all 12 points" test "$(($(wc -l <r4/summary.csv) - 1))" -eq 12
check "resume after interrupted rounds: 3 rounds each" \
  test "$(awk -F, -v c="$rcol" 'NR > 1 && $c != 3' r4/summary.csv | wc -l)" -eq 0
check "resume after interrupted rounds: each point once" \
  test "$(tail -n +2 r4/summary.csv | awk -F, '{print $27}' | sort -n | uniq -d | wc -l)" -eq 0
check "resume after interrupted rounds: samples of rounds 0-2, as many as reps" \
  test "$(awk -F, -v p="$(colof r4/samples.csv point)" -v r="$(colof r4/samples.csv round)" \
          'NR > 1 { print $p "," $r }' r4/samples.csv | sort -u | wc -l)" -eq 36 -a \
       "$(tail -n +2 r4/samples.csv | wc -l)" -eq \
       "$(awk -F, -v c="$(colof r4/summary.csv reps)" 'NR > 1 { n += $c } END { print n }' r4/summary.csv)"
check "resume after interrupted rounds: measured the rounds left" grep -q "^12 configurations measured" r5.log

# A resumed round that fails fails the point: its earlier samples go too.
# OMP_THREAD_LIMIT=1 makes the two-thread team of the resumed rounds fail.
# (A round lasts about 1.1 s: the interrupt lands in round 2, but every
# check below holds wherever it lands before the end.)
if [ "$(nproc)" -ge 2 ]; then
  "$SIZEUP" run -k stream_triad -t 2 -P compact -S 1M,2M --precision fp64 --variants omp \
    -b 0.5 --ci 0.0001 --max-reps 1000000 --rounds 3 --out r6 -q >r6.log 2>&1 &
  pid=$!
  sleep 1.4
  kill -INT "$pid"
  wait "$pid"
  OMP_THREAD_LIMIT=1 "$SIZEUP" run --resume r6 >r7.log 2>&1
  check "failed resumed rounds: exit 1" test $? -eq 1
  check "failed resumed rounds: each point once, as error" \
    test "$(tail -n +2 r6/summary.csv | cut -d, -f16 | sort | uniq -c | awk '{ print $1 " " $2 }')" = "2 error"
  check "failed resumed rounds: no samples left" test "$(wc -l <r6/samples.csv)" -eq 1
fi

expect_error "resume of a non-results directory" "cannot resume" "$SIZEUP" run --resume nowhere

finish
