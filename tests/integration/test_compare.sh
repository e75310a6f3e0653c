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
echo "hello" >text.db
expect_error "foreign database" "'text.db' is not a sizeup history database" \
  "$SIZEUP" history list --db text.db
check "history --help has examples" sh -c "'$SIZEUP' history --help | grep -q '^examples:'"
check "compare --help has examples" sh -c "'$SIZEUP' compare --help | grep -q '^examples:'"

finish
