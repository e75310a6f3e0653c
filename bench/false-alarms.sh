#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# False-alarm rate of `sizeup compare` on this machine: runs the same suite
# N times with nothing changed, compares every run with the first, and
# prints regressed configurations / compared configurations; then the same
# for `history check` against the pooled earlier runs.  Since nothing
# changed between the runs, every "regressed" is a false alarm; the gate is
# meant to keep this at 0.  The other side: each later run again with every
# sample made INJECT% worse, and how many configurations the gate catches
# then (the rest it calls noisy: this machine moves that much by itself).
#
#   bench/false-alarms.sh                  # quick profile, 10 runs
#   N=3 SUITE=tests/data/tiny.ini bench/false-alarms.sh
#
# Environment: N (runs, default 10), SIZEUP (default build/sizeup), SUITE (an
# INI file; default the quick profile), OUT (work directory, default a new
# temporary one; finished runs already in it are reused, so the comparisons
# can be redone with other settings), THRESHOLD and ALPHA (passed to compare;
# its defaults), INJECT (the injected regression, percent, default 10).
# Exit status: 0 when the rate is 0, 1 when there were false alarms, 2 when
# something failed.
set -u

N=${N:-10}
INJECT=${INJECT:-10}
SIZEUP=${SIZEUP:-build/sizeup}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/sizeup-false-alarms.XXXXXX")}

if ! [ -x "$SIZEUP" ]; then
  echo "false-alarms: '$SIZEUP' is not executable (build first, or set SIZEUP)" >&2
  exit 2
fi
case $N in ''|*[!0-9]*) echo "false-alarms: N must be a number, got '$N'" >&2; exit 2 ;; esac
if [ "$N" -lt 2 ]; then
  echo "false-alarms: N must be at least 2" >&2
  exit 2
fi
if [ -n "${SUITE:-}" ]; then
  suite_args=(--suite "$SUITE")
else
  suite_args=(--profile quick)
fi
cmp_args=()
[ -n "${THRESHOLD:-}" ] && cmp_args+=(--threshold "$THRESHOLD")
[ -n "${ALPHA:-}" ] && cmp_args+=(--alpha "$ALPHA")

mkdir -p "$OUT"
echo "false-alarms: $N runs of ${suite_args[*]} into $OUT"
for i in $(seq 1 "$N"); do
  if [ -s "$OUT/run$i/summary.csv" ]; then
    echo "false-alarms: reusing $OUT/run$i"
    continue
  fi
  rm -rf "$OUT/run$i"
  if ! "$SIZEUP" run "${suite_args[@]}" -q --out "$OUT/run$i" >"$OUT/run$i.log" 2>&1; then
    echo "false-alarms: run $i failed, see $OUT/run$i.log" >&2
    exit 2
  fi
done

regressed=0
improved=0
noisy=0
compared=0
for i in $(seq 2 "$N"); do
  rc=0
  "$SIZEUP" compare "$OUT/run1" "$OUT/run$i" ${cmp_args[@]+"${cmp_args[@]}"} \
    --out "$OUT/cmp$i" >"$OUT/cmp$i.txt" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
    echo "false-alarms: compare of run $i failed (exit $rc), see $OUT/cmp$i.txt" >&2
    exit 2
  fi
  # the last line of the table: "N compared: R regressed, I improved, U unchanged, Z noisy, ..."
  read -r c r im z < <(sed -n 's/^\([0-9]*\) compared: \([0-9]*\) regressed, \([0-9]*\) improved, [0-9]* unchanged, \([0-9]*\) noisy.*/\1 \2 \3 \4/p' "$OUT/cmp$i.txt")
  if [ -z "${c:-}" ]; then
    echo "false-alarms: no summary line in $OUT/cmp$i.txt" >&2
    exit 2
  fi
  echo "run $i vs run 1: $r regressed, $im improved, $z noisy of $c compared (exit $rc)"
  grep '^regressed\|^improved' "$OUT/cmp$i.txt" | sed 's/^/    /'
  regressed=$((regressed + r))
  improved=$((improved + im))
  noisy=$((noisy + z))
  compared=$((compared + c))
done

rate=$(awk -v r="$regressed" -v c="$compared" 'BEGIN { printf "%.4f", c ? r / c : 0 }')
echo "false-alarm rate: $regressed / $compared = $rate" \
  "(and $improved false improvements; $noisy called noisy)"

# The other side of the gate: what it catches.  Every later run again, with
# all its samples made INJECT% worse (bandwidth and flops x f, latency / f,
# f = 1 - INJECT/100), compared with the first run: the configurations
# flagged regressed are those such a regression would be caught in here.
caught=0
for i in $(seq 2 "$N"); do
  w="$OUT/worse$i"
  rm -rf "$w"
  mkdir -p "$w"
  cp "$OUT/run$i/summary.csv" "$OUT/run$i/system.json" "$w/"
  # value is the third column from the end (then round, c2c_ns): counted
  # from there, a quoted comma in a device name cannot shift it
  awk -F, -v OFS=, -v f="$(awk -v p="$INJECT" 'BEGIN { print 1 - p / 100 }')" '
    NR > 1 && $(NF - 2) != "" { $(NF - 2) = /,latency,ns,/ ? $(NF - 2) / f : $(NF - 2) * f }
    { print }' "$OUT/run$i/samples.csv" >"$w/samples.csv"
  "$SIZEUP" compare "$OUT/run1" "$w" ${cmp_args[@]+"${cmp_args[@]}"} >"$OUT/worse$i.txt" 2>&1
  r=$(sed -n 's/^[0-9]* compared: \([0-9]*\) regressed.*/\1/p' "$OUT/worse$i.txt")
  caught=$((caught + ${r:-0}))
done
echo "a $INJECT% regression injected into runs 2..$N: caught in $caught of $compared configurations"

# The nightly gate of docs/nightly.md on the same runs: the first half goes
# into a history database, then every later run is checked against the
# pooled runs before it (--window 10) and added.
h_regressed=0
h_compared=0
h_caught=0
db="$OUT/history.db"
rm -f "$db"
half=$(( (N + 1) / 2 ))
for i in $(seq 1 "$N"); do
  if [ "$i" -gt "$half" ]; then
    rc=0
    "$SIZEUP" history check "$OUT/run$i" --db "$db" --window 10 ${cmp_args[@]+"${cmp_args[@]}"} \
      >"$OUT/check$i.txt" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
      echo "false-alarms: history check of run $i failed (exit $rc), see $OUT/check$i.txt" >&2
      exit 2
    fi
    read -r c r < <(sed -n 's/^\([0-9]*\) compared: \([0-9]*\) regressed.*/\1 \2/p' "$OUT/check$i.txt")
    h_regressed=$((h_regressed + ${r:-0}))
    h_compared=$((h_compared + ${c:-0}))
    # the same run made INJECT% worse, against the same baseline
    "$SIZEUP" history check "$OUT/worse$i" --db "$db" --window 10 \
      ${cmp_args[@]+"${cmp_args[@]}"} >"$OUT/check-worse$i.txt" 2>&1
    r=$(sed -n 's/^[0-9]* compared: \([0-9]*\) regressed.*/\1/p' "$OUT/check-worse$i.txt")
    h_caught=$((h_caught + ${r:-0}))
  fi
  "$SIZEUP" history add "$OUT/run$i" --db "$db" >/dev/null 2>&1 ||
    { echo "false-alarms: history add of run $i failed" >&2; exit 2; }
done
echo "history check (runs $((half + 1))..$N against the pooled runs before them):" \
  "$h_regressed / $h_compared regressed; the $INJECT% regression caught in $h_caught of $h_compared"
[ "$regressed" -eq 0 ]
