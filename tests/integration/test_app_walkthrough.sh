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
section() { awk '/^## Walkthrough/ {on=1} on' "$DOC"; }
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
  grep -qx 'stream_triad = 0.4650' cfd-workload.ini
check "step 3 names the reference" grep -qx 'reference = our-node' cfd-workload.ini
check "step 4 ranks the candidates" grep -q 'is the first choice' step4.log
check "step 4 writes recommend.csv" test -s cfd-rec/recommend.csv
check "our node is ranked" grep -q ',our-node,' cfd-rec/recommend.csv

finish
