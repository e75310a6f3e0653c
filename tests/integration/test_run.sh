#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a tiny suite end to end and checks summary.csv, samples.csv and
# system.json against the documented contract (docs/csv-schema.md).
set -u
. "$(dirname "$0")/lib.sh"

"$SIZEUP" run --suite "$SRC/tests/data/tiny.ini" --out run1 -q --label instance=test.small \
  --label 'note=a "quoted", =odd label' >run1.log 2>&1
rc=$?
check "tiny suite exits 0 (rc=$rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat run1.log >&2
check "summary.csv exists" test -s run1/summary.csv
check "samples.csv exists" test -s run1/samples.csv
check "system.json exists" test -s run1/system.json
check "run.args exists" test -s run1/run.args
check "no .part file left" test -z "$(ls run1/*.part 2>/dev/null)"
check "run ends with the next commands" sh -c "tail -4 run1.log | grep -q '^next:' && \
  grep -q '^  sizeup report run1 ' run1.log && grep -q '^  sizeup compare EARLIER_RUN run1 ' run1.log"

# The header is exactly the documented columns, in order.
doc_cols() {
  awk -v sect="$1" '
    /^## / { on = ($2 == sect) }
    on && /^\| `/ { gsub(/^\| `|`.*$/, ""); print }' "$SRC/docs/csv-schema.md" | paste -sd, -
}
check "summary.csv header matches docs/csv-schema.md" \
  test "$(head -n 1 run1/summary.csv)" = "$(doc_cols summary.csv)"
want_samples="$(doc_cols summary.csv | cut -d, -f1-13),metric,unit,point,rep,inner,time_ns,device_ns,value,round,c2c_ns"
check "samples.csv header matches docs/csv-schema.md" \
  test "$(head -n 1 run1/samples.csv)" = "$want_samples"

# Every kernel of the suite at 1 and 2 threads for compact and scatter has an ok row.
for k in stream_copy stream_scale stream_add stream_triad stream_dot stream_read; do
  for t in 1 2; do
    for p in compact scatter; do
      n=$(awk -F, -v k=$k -v t=$t -v p=$p '$3==k && $8==t && $11==p && $16=="ok"' \
          run1/summary.csv | wc -l)
      check "$k t=$t $p has ok rows" test "$n" -ge 1
    done
  done
done
for k in fma_peak latency_chase gemm stencil_7pt; do
  check "$k has an ok row" grep -q "^3,[^,]*,$k,.*,ok," run1/summary.csv
done
check "fma_peak reports its theoretical peak" grep -q ",fma_peak,.*,peak_theoretical,GFLOP/s,ok," run1/summary.csv
check "fma_peak reports its efficiency" grep -q ",fma_peak,.*,efficiency,%,ok," run1/summary.csv
check "nt variant measured" grep -q ",stream_triad,nt,cpu," run1/summary.csv

# Every row has the documented number of fields and a valid status; ok rows
# have median/min/max/ci, and min <= median <= max, ci_lo <= median <= ci_hi.
check "rows are well formed" awk -F, '
  NR == 1 { n = NF; next }
  NF != n { print "bad field count on line " NR; exit 1 }
  $16 !~ /^(ok|unsupported|skipped|failed_verify|error)$/ { print "bad status " NR; exit 1 }
  $16 == "ok" && ($18 == "" || $19 == "" || $20 == "" || $24 == "" || $25 == "") { print "missing stats " NR; exit 1 }
  $16 == "ok" && !($19 <= $18 && $18 <= $20 && $24 <= $18 && $18 <= $25) { print "inconsistent stats line " NR; exit 1 }
  $16 == "ok" && $17 != "" { print "reason on an ok row " NR; exit 1 }
  $1 != 3 { print "schema_version " NR; exit 1 }
' run1/summary.csv

# Labels land in system.json, quoted safely.
check "system.json has the label" grep -q '"instance": "test.small"' run1/system.json
check "system.json escapes quotes" grep -q '"note": "a \\"quoted\\", =odd label"' run1/system.json
check "system.json is complete" grep -q '"complete": true' run1/system.json
check "system.json records the timer" grep -q '"resolution_ns"' run1/system.json
if command -v python3 >/dev/null; then
  check "system.json is valid JSON" python3 -c "import json,sys; json.load(open('run1/system.json'))"
fi
check "system.json records the machine's facts" grep -q '"microcode": ' run1/system.json
if command -v python3 >/dev/null; then
  check "every empty machine fact has its reason" python3 -c "
import json
m = json.load(open('run1/system.json'))['machine']
why = m.pop('unreadable')
assert all(v or k in why for k, v in m.items()), [k for k, v in m.items() if not v and k not in why]
assert all(not m[k] for k in why)"
fi

# Without an instance label, the firmware's product name (the cloud instance
# type) is the run's instance; read from a fixture /proc and /sys tree.
SIZEUP_SYSROOT="$SRC/tests/data/sysroot" "$SIZEUP" run -k stream_triad -t 1 -P compact -S 1M \
  --precision fp64 --variants omp -b 0.01 --min-reps 3 --max-reps 5 --out prod -q >prod.log 2>&1
check "run with a fixture sysroot exits 0" test $? -eq 0
check "product name is the default instance label" grep -q '"instance": "m7i.8xlarge"' prod/system.json
check "the fixture's microcode is recorded" grep -q '"microcode": "0x2b0004d0"' prod/system.json

# Rounds: every sample names its round, the summary the rounds pooled and
# reps all of their samples; two-thread rows carry the threads' core-to-core
# latency, one-thread rows none.
"$SIZEUP" run -k stream_triad -t 1..max -P compact -S 1M --precision fp64 --variants omp \
  --rounds 3 -b 0.01 --min-reps 3 --max-reps 20 --out rounds -q >rounds.log 2>&1
check "--rounds 3 exits 0" test $? -eq 0
col() { head -n 1 "$1" | tr , '\n' | grep -nx "$2" | cut -d: -f1; }
sr=$(col rounds/summary.csv rounds)
sc=$(col rounds/summary.csv c2c_ns)
sreps=$(col rounds/summary.csv reps)
check "summary rows pool 3 rounds" test "$(awk -F, -v c="$sr" 'NR > 1 && $c != 3' rounds/summary.csv | wc -l)" -eq 0
check "samples of rounds 0, 1 and 2" test "$(awk -F, -v c="$(col rounds/samples.csv round)" 'NR > 1 { print $c }' rounds/samples.csv | sort -u | paste -sd, -)" = "0,1,2"
check "reps counts every round's samples" test "$(awk -F, -v c="$sreps" 'NR == 2 { print $c }' rounds/summary.csv)" -eq "$(awk -F, 'NR > 1 && $8 == 1' rounds/samples.csv | wc -l)"
check "one thread: no c2c latency" test -z "$(awk -F, -v c="$sc" 'NR > 1 && $8 == 1 { print $c }' rounds/summary.csv)"
if [ "$(nproc)" -ge 2 ]; then
  check "two threads: a c2c latency in ns" awk -F, -v c="$sc" \
    'NR > 1 && $8 == 2 { n++; if (!($c > 1 && $c < 100000)) exit 1 } END { exit n != 1 }' rounds/summary.csv
fi
expect_error "--rounds 0 refused" "invalid value '0' for --rounds" \
  "$SIZEUP" run -k stream_triad --rounds 0 --out rounds0 -q

# The same out directory again is refused, and nothing is overwritten.
before=$(md5sum run1/summary.csv)
expect_error "existing results refused" "is not empty" \
  "$SIZEUP" run --suite "$SRC/tests/data/tiny.ini" --out run1 -q
check "existing results untouched" test "$before" = "$(md5sum run1/summary.csv)"

# How sure: figures that missed their confidence target are counted in the
# verdict, the headline among them with its range; none, no sentence.
Q=$SRC/tests/data/results-quick
mkdir -p noisy && cp "$Q/system.json" noisy/
awk -F, -v OFS=, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "noisy") c = i; print; next}
  $3 == "stream_triad" {$c = 1} {print}' "$Q/summary.csv" >noisy/summary.csv
"$SIZEUP" report noisy --out noisy-rep --no-render >noisy-rep.log 2>&1
check "noisy figures: report exits 0" test $? -eq 0
n=$(awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "noisy") c = i; next}
  $16 == "ok" && $c == 1 {n++} END {print n + 0}' noisy/summary.csv)
check "noisy figures: counted in the verdict ($n)" \
  grep -q "How sure.* $n of the [0-9]* figures measured missed their confidence target" noisy-rep/report.md
check "noisy figures: the headline among them, with its range" \
  grep -q "Among them the memory bandwidth [0-9.]* GB/s (95% range [0-9.]* to [0-9.]*)" noisy-rep/report.md
"$SIZEUP" report "$Q" --out quiet-rep --no-render >quiet-rep.log 2>&1
check "no noisy figure: no such sentence" test "$(grep -c 'How sure' quiet-rep/report.md)" -eq 0

finish
