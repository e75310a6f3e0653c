#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# docs/app.md's walkthrough, command by command as the page shows them: the
# suite INI and every `sizeup` line of its sh blocks are taken from the page
# and run.  ./solver is the stand-in application (tests/apps/standin.c).
# This machine has 2 cores, too few thread counts to infer a mix from, so
# after step 1 has run here, results/cfd-node is replaced by the hand-made
# 16-core node of tests/data/results-app16 (whose solver times follow a
# known mix) before steps 2-4.
set -u
. "$(dirname "$0")/lib.sh"
STANDIN="$(dirname "$SIZEUP")/tests/standin"
DOC="$SRC/docs/app.md"

# The walkthrough section's blocks.
section() { awk '/^## Walkthrough/ {on=1; print; next} on && /^## / {exit} on' "$DOC"; }
section | awk '/^```ini/ {on=1; next} /^```/ {on=0} on' >cfd.ini
section | awk '/^```sh/ {on=1; next} /^```/ {on=0} on' >commands.txt
check "the walkthrough has a suite" grep -q '^command = ./solver case.dat' cfd.ini
check "the walkthrough has 4 commands" test "$(grep -c '^sizeup ' commands.txt)" -eq 4

printf '#!/bin/sh\nexec %s --serial 0.002 --parallel 0.01 "$@"\n' "$STANDIN" >solver
chmod +x solver
: >case.dat
sed 's/budget = 0.2/budget = 0.05/' cfd.ini >cfd-fast.ini && mv cfd-fast.ini cfd.ini

# The candidates: the sizing fixtures, and our node.
D=$SRC/tests/data/sizing
cp -r "$D/alpha" "$D/beta" "$D/delta" .
{ cat "$D/catalog.csv"
  echo "our-node,cloud,16,1,0,64,1.60,,,,350,results/cfd-node,,,,2026-12,the measured node"
} >catalog.csv

# The page's first example, before the walkthrough.
awk '/^## Walkthrough/ {exit} /^```sh/ {on=1; next} /^```/ {on=0} on' "$DOC" >intro.txt
check "the page opens with one example" test "$(grep -c '^sizeup app ' intro.txt)" -eq 1
eval "\"\$SIZEUP\" $(sed 's/^sizeup //' intro.txt)" >intro.log 2>&1
check "the first example exits 0" test $? -eq 0
check "the first example measured 4 thread counts" \
  test "$(cat results/*/summary.csv | awk -F, '$5=="app" && $16=="ok"' | wc -l)" -eq 4
rm -rf results

step=0
while IFS= read -r line; do
  step=$((step + 1))
  if [ "$step" -eq 2 ]; then
    check "step 1 measured the solver here" \
      test "$(awk -F, '$3=="cfd" && $5=="app" && $16=="ok"' results/cfd-node/summary.csv | wc -l)" -ge 1
    if [ "$(nproc)" -lt 4 ]; then
      "$SIZEUP" fit results/cfd-node --app cfd --workload-out small.ini >small.log 2>&1
      check "a node too small to infer a mix says so" \
        grep -q "this node has [0-9]* cores, too few: measure on a node with at least 4" small.log
    fi
    rm -rf results/cfd-node
    cp -r "$SRC/tests/data/results-app16" results/cfd-node
  fi
  eval "\"\$SIZEUP\" ${line#sizeup }" >"step$step.log" 2>&1
  rc=$?
  check "walkthrough step $step exits 0: $line" test "$rc" -eq 0
  [ "$rc" -eq 0 ] || cat "step$step.log" >&2
done <commands.txt

check "step 2 chooses and predicts" grep -q 'on 64 threads this would take about' step2.log
check "step 2 writes predictions.csv" test -s results/cfd-node/predictions.csv
check "step 3 finds the mix: 0.5 s serial, 40 GB, 300 GFLOP" \
  grep -q 'T(N) = 0.5 s + 40 GB of stream_triad + 300 GFLOP of fma_peak' cfd-workload.ini
check "step 3's file is the one the page shows" \
  grep -qx 'stream_triad = 0.2690' cfd-workload.ini
check "step 3 keeps the serial part apart" grep -qx 'serial = 0.4214' cfd-workload.ini
check "step 3 names the reference" grep -qx 'reference = our-node' cfd-workload.ini
check "step 4 ranks the candidates" grep -q 'is the first choice' step4.log
check "step 4 writes recommend.csv" test -s cfd-rec/recommend.csv
check "our node is ranked" grep -q ',our-node,' cfd-rec/recommend.csv

# Step 4 with `app = cfd` (written by step 3): our node measured the solver,
# the others did not.  Columns: 3 candidate, 18 time_per_job_s, 42 jobs per
# node, 50 basis.
col() { awk -F, -v c="$2" -v k="$3" '$3==c {print $k}' "$1"; }
check "step 3 names the app" grep -qx 'app = cfd' cfd-workload.ini
# our-node: the solver's row at 16 threads (its 16 cores), 1.18656 s, scaled
# by reference_time_s / its own time = 1.18656 / 1.18656 = 1.
check "our node: basis measured" test "$(col cfd-rec/recommend.csv our-node 50)" = measured
check "our node: the measured 1.18656 s" test "$(col cfd-rec/recommend.csv our-node 18)" = 1.18656
# delta (no solver rows): the mix through its kernels, and the serial part
# at one core's fma_peak: our node's one-thread row (58.7 GFLOP/s) against
# delta's node figure over its 8 cores (no one-thread row: 600 / 8),
# 1.18656 x (0.2690 x 125.301205 / 35 + 0.3096 x 816.695652 / 600
#            + 0.4214 x 58.7 / 75)
#   = 1.18656 x (0.963029 + 0.421415 + 0.329816) = 2.03407 s
check "delta: basis inferred" test "$(col cfd-rec/recommend.csv delta 50)" = inferred
check "delta: 2.03407 s from the mix and the serial part" \
  awk -F, '$3=="delta" && $18 > 2.03402 && $18 < 2.03412 {f=1} END {exit !f}' cfd-rec/recommend.csv
check "delta: the serial part's figure is named" \
  grep -q 'serial part: fma_peak on one core: node figure / cores (no one-thread row)' step4.log
check "the table has a basis column" grep -q 'our-node .* measured measured ' step4.log
check "a sentence says which basis" grep -q 'MEASURED times of app .cfd.' step4.log
check "the page shows the basis" grep -q '<td>inferred</td>' cfd-rec/recommend.html

# Two-core jobs of 8 cores, reference beta (no solver rows: no scaling): our
# node uses the solver's best row on at most 8 threads, 1.65433 s, 2 jobs a node.
{ echo '[workload]'; echo 'name = cfd8'; echo 'app = cfd'; echo 'reference = beta'
  echo 'reference_time_s = 1000'; echo 'cores_per_job = 8'
  echo '[mix]'; echo 'stream_triad = 0.5'; echo 'fma_peak = 0.5'
  echo '[target]'; echo 'throughput_jobs_per_day = 20'; } >cfd8.ini
"$SIZEUP" recommend --catalog catalog.csv --workload cfd8.ini --out cfd8 --no-render >cfd8.log 2>&1
check "8 cores per job: exits 0" test $? -eq 0
check "8 cores per job: 1.65433 s measured" \
  test "$(col cfd8/recommend.csv our-node 18),$(col cfd8/recommend.csv our-node 50)" = 1.65433,measured
check "8 cores per job: 2 jobs a node" test "$(col cfd8/recommend.csv our-node 42)" = 2
# beta: the reference, 1000 s by definition
check "8 cores per job: beta inferred, 1000 s" \
  test "$(col cfd8/recommend.csv beta 18),$(col cfd8/recommend.csv beta 50)" = 1000,inferred

# No [mix] and an app measured nowhere: a range of mixes.
{ echo '[workload]'; echo 'name = guess'; echo 'app = nosuch'; echo 'reference = beta'
  echo 'reference_time_s = 1000'; echo '[target]'; echo 'budget_per_job = 0.3'; } >guess.ini
"$SIZEUP" recommend --catalog catalog.csv --workload guess.ini --out guess --no-render >guess.log 2>&1
check "range: exits 0" test $? -eq 0
check "range: says the first choice depends on the mix" \
  grep -q 'The first choice DEPENDS on the mix: gamma when memory-bound, beta when compute-bound (100/75/50/25/0% stream_triad: gamma, gamma, gamma, alpha, beta)' guess.log
check "range: basis assumed" test "$(col guess/recommend.csv beta 50)" = assumed
sed 's/budget_per_job = 0.3/throughput_jobs_per_hour = 36/' guess.ini >guess36.ini
"$SIZEUP" recommend --catalog catalog.csv --workload guess36.ini --out guess36 --no-render >guess36.log 2>&1
check "range: a first choice that holds" grep -q 'The first choice, delta, holds across the whole range' guess36.log
sed '/reference_time_s/d' guess.ini >guess-notime.ini
"$SIZEUP" recommend --catalog catalog.csv --workload guess-notime.ini --out guess-notime --no-render >notime.log 2>&1
check "range without reference_time_s: exit 2" test $? -eq 2
check "range without reference_time_s: one error line" \
  grep -qx "sizeup: error: guess-notime.ini: app 'nosuch' was measured on no candidate and the workload has no \[mix\]: give reference_time_s.*" notime.log
check "range without reference_time_s: nothing written" test ! -e guess-notime/recommend.csv

finish
