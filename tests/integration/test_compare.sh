#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# sizeup compare and sizeup history on the fixture runs tests/data/compare-base
# and compare-new (a 12% regression of stream_triad at 2 threads): the gate's
# exit codes, the regressed row, compare.csv, well-formed JUnit XML, git-style
# errors for bad input, and the history workflow.
set -u
. "$(dirname "$0")/lib.sh"

BASE=$SRC/tests/data/compare-base
NEW=$SRC/tests/data/compare-new

rc=0
"$SIZEUP" compare "$BASE" "$NEW" --junit j.xml --out cmp >out.txt 2>err.txt || rc=$?
check "compare with a regression exits 3" test "$rc" -eq 3
check "the regressed row is stream_triad at 2 threads" \
  grep -q '^regressed .*stream_triad .*threads=2/' out.txt
check "only one row regressed" test "$(grep -c '^regressed' out.txt)" -eq 1
check "compare.csv written" test -s cmp/compare.csv
check "compare.csv has the regressed row" \
  sh -c "grep -c ',regressed,' cmp/compare.csv | grep -qx 1"
check "plot script and data written" test -s cmp/compare.gp -a -s cmp/compare.dat
if command -v gnuplot >/dev/null; then
  check "plot rendered" test -s cmp/compare.png
fi
if command -v python3 >/dev/null; then
  check "JUnit XML is well-formed, one failure" python3 -c '
import sys, xml.dom.minidom
d = xml.dom.minidom.parse("j.xml")
assert len(d.getElementsByTagName("testcase")) == 6
assert len(d.getElementsByTagName("failure")) == 1
props = {p.getAttribute("name"): p.getAttribute("value") for p in d.getElementsByTagName("property")}
assert props["detectable_change"] == "0.05", props
assert props["too_noisy"] == "0 of 6", props
'
fi

rc=0
"$SIZEUP" compare "$BASE" "$BASE" >same.txt 2>&1 || rc=$?
check "compare a directory with itself exits 0" test "$rc" -eq 0
check "nothing regressed against itself" sh -c "! grep -q '^regressed' same.txt"
check "no compare.csv without --out" test ! -e compare.csv

expect_error "missing directory" "'nope' is not a results directory" "$SIZEUP" compare nope "$NEW"
rc=0; "$SIZEUP" compare nope "$NEW" >/dev/null 2>&1 || rc=$?
check "missing directory exits 2" test "$rc" -eq 2
mkdir empty
expect_error "directory without summary.csv" "summary.csv" "$SIZEUP" compare empty "$NEW"
rc=0; "$SIZEUP" compare empty "$NEW" >/dev/null 2>&1 || rc=$?
check "directory without summary.csv exits 2" test "$rc" -eq 2
expect_error "one directory only" "need two results directories" "$SIZEUP" compare "$BASE"
expect_error "bad threshold" "invalid value 'x' for --threshold" \
  "$SIZEUP" compare --threshold x "$BASE" "$NEW"

# history: add both runs, the new one twice (a no-op), list, check, plot
check "history add base" "$SIZEUP" history add "$BASE" --db h.db
check "history add base again is a no-op" \
  sh -c "'$SIZEUP' history add '$BASE' --db h.db | grep -q 'already in'"
check "history list shows one run" \
  sh -c "'$SIZEUP' history list --db h.db | grep -q '^1 run(s)'"
rc=0
"$SIZEUP" history check "$NEW" --db h.db --junit hj.xml >hc.txt 2>&1 || rc=$?
check "history check finds the regression (exit 3)" test "$rc" -eq 3
check "history check JUnit has a failure" grep -q '<failure' hj.xml
check "history add new" "$SIZEUP" history add "$NEW" --db h.db
check "history plot" "$SIZEUP" history plot --db h.db --out trends
check "trend scripts written" test -s trends/trend_1.gp
check "trend index page" grep -q "memory bandwidth" trends/index.html
check "trend by the run's date (from its run id)" grep -q '^0 1795140000 ' trends/trend_1.dat
check "trend marks the regressed run" grep -Eq '^1 [0-9]+ ([0-9.]+) \1$' trends/trend_1.dat
echo "hello" >text.db
expect_error "foreign database" "'text.db' is not a sizeup history database" \
  "$SIZEUP" history list --db text.db
# What the gate can see: its first line, and --fail-if-blind's own exit code.
"$SIZEUP" compare "$BASE" "$NEW" >out.txt 2>&1
check "compare's first line says what it can see" \
  sh -c "head -1 out.txt | grep -q '^gate: smallest change this check can see: 5% (the threshold'"
check "compare counts the checks too noisy to judge" \
  grep -q 'too noisy to judge: 0 of 6 checks (0%)' out.txt
rc=0
"$SIZEUP" compare "$BASE" "$BASE" --threshold 1 --fail-if-blind 0.5 >blind.txt 2>blind.err || rc=$?
check "a blind check fails with exit 4" test "$rc" -eq 4
check "the blind check's first line says so" \
  sh -c "head -1 blind.txt | grep -q 'too noisy to judge: 6 of 6 checks (100%)'"
check "the blind check names its cause on stderr" \
  grep -q "^sizeup: error: the check is blind: 6 of 6 checks" blind.err
# As cron mails it (docs/nightly.md: both streams into one file): the error
# is a line of its own, never inside a table row.
"$SIZEUP" compare "$BASE" "$BASE" --threshold 1 --fail-if-blind 0.5 >mail.txt 2>&1
check "one file: the error on a line of its own, after the table it judges" \
  sh -c "tail -n 1 mail.txt | grep -q '^sizeup: error: the check is blind'"
check "one file: every row whole" \
  test "$(grep -c 'sizeup: error' mail.txt)" -eq "$(grep -c '^sizeup: error' mail.txt)"
rc=0
"$SIZEUP" compare "$BASE" "$BASE" --threshold 1 --fail-if-blind 100% >/dev/null 2>&1 || rc=$?
check "--fail-if-blind 100% never fails" test "$rc" -eq 0
expect_error "bad --fail-if-blind" "invalid value '2' for --fail-if-blind" \
  "$SIZEUP" compare --fail-if-blind 2 "$BASE" "$NEW"

# A regression alert says what changed on the machine (system.json).
cp -r "$NEW" changed
sed -i -e 's/"kernel": "6.1.0-26-amd64"/"kernel": "6.1.0-28-amd64"/' \
  -e 's/"version": "0.1.0"/"version": "0.2.0"/' changed/system.json
rc=0
"$SIZEUP" compare "$BASE" changed >wc.txt 2>&1 || rc=$?
check "regression with a changed machine exits 3" test "$rc" -eq 3
check "what changed: the kernel" grep -q '^  host.kernel: 6.1.0-26-amd64 -> 6.1.0-28-amd64$' wc.txt
check "what changed: sizeup's version" grep -q '^  sizeup.version: 0.1.0 -> 0.2.0$' wc.txt
check "what changed lists only what changed" \
  test "$(sed -n '/^what changed on the machine/,$p' wc.txt | grep -c '^  ')" -eq 2
check "compare without a regression says nothing of changes" sh -c "! grep -q 'what changed' same.txt"

# The first night: no database, then an empty one; a changed label is named.
rc=0
"$SIZEUP" history check "$NEW" --db first.db >fn.txt 2>&1 || rc=$?
check "first night without a database exits 0" test "$rc" -eq 0
check "first night says there is no baseline yet" grep -q '^gate: no baseline yet' fn.txt
check "first night without --add creates nothing" test ! -e first.db
rc=0
"$SIZEUP" history check "$BASE" --db first.db --add --junit fn.xml >fn2.txt 2>&1 || rc=$?
check "first night with --add exits 0" test "$rc" -eq 0
check "first night with --add records the baseline" grep -q '^gate: baseline recorded' fn2.txt
check "first night still writes its JUnit file" test -s fn.xml
rc=0
"$SIZEUP" history check "$NEW" --db first.db --add >fn3.txt 2>&1 || rc=$?
check "second night finds the regression" test "$rc" -eq 3
check "second night's first line says what it can see" \
  sh -c "head -1 fn3.txt | grep -q '^gate: smallest change this check can see'"
check "second night's alert says what changed" grep -q '^what changed on the machine' fn3.txt
check "second night was added" \
  sh -c "'$SIZEUP' history list --db first.db | grep -q '^2 run(s)'"
cp -r "$NEW" relabelled
sed -i -e 's/"instance": "devvm"/"instance": "devvm-2"/' \
  -e 's/devvm-0002/devvm-0003/' relabelled/system.json
rc=0
"$SIZEUP" history check relabelled --db first.db >lab.txt 2>&1 || rc=$?
check "a changed label is not a failure" test "$rc" -eq 0
check "a changed label is named" grep -q "label instance 'devvm-2' here, 'devvm' in the history" lab.txt

# A VM's memory moves by a few percent between runs: still the same machine.
cp -r "$NEW" moved
sed -i -e 's/"memory_bytes": 5347737600/"memory_bytes": 5400000000/' \
  -e 's/devvm-0002/devvm-0004/' moved/system.json
rc=0
"$SIZEUP" history check moved --db first.db >mem.txt 2>&1 || rc=$?
check "1% more memory is the same machine" grep -q '^baseline: 2 comparable run(s)' mem.txt

check "history --help has examples" sh -c "'$SIZEUP' history --help | grep -q '^examples:'"
check "compare --help has examples" sh -c "'$SIZEUP' compare --help | grep -q '^examples:'"

finish
