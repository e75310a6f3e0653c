#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Bad input: one git-style error line, a non-zero exit, nothing half-written.
set -u
. "$(dirname "$0")/lib.sh"

run() { "$SIZEUP" run --suite "$SRC/tests/data/tiny.ini" -q "$@"; }

expect_error "unknown kernel" "unknown kernel 'nope'" run -k nope --out e1
expect_error "unknown placement" "unknown placement 'diagonal'" run -P diagonal --out e2
# A point the machine cannot hold is a skipped row with its reason, not the end of the plan.
run -k stream_triad -t 4096 --precision fp64 --variants omp --out skip3 >/dev/null 2>&1
check "too many threads: a skipped row" \
  grep -q ",skipped,cannot place 4096 threads with 'compact': the topology has" skip3/summary.csv
run -k stream_triad -S 64T --precision fp64 --variants omp -t 1 --out skip4 >/dev/null 2>&1
check "size larger than memory: a skipped row" grep -q ",skipped,.*larger than memory" \
  skip4/summary.csv
expect_error "numa:N beyond the machine" "NUMA node 7 does not exist" \
  run -k stream_triad -P numa:7 --out e3
expect_error "time limit too short for one point" "too short: one point of this plan takes" \
  "$SIZEUP" run --profile quick --time-limit 0.01s --dry-run
expect_error "bad time limit" "invalid value 'soon' for --time-limit" \
  "$SIZEUP" run --profile quick --time-limit soon --dry-run
expect_error "topology of hwloc XML format 3.0" "hwloc XML format 3.0 is newer than hwloc" \
  "$SIZEUP" run --profile quick --topology "$SRC/tests/data/hwloc3-format-192em64t.v3.xml"
expect_error "topology file that is not XML" "not an hwloc XML file" \
  "$SIZEUP" topo --topology "$SRC/tests/data/tiny.ini"
expect_error "synthetic topology of millions of objects" "it would build 4719168 objects" \
  "$SIZEUP" topo --topology "pack:64 numa:8 core:1024 pu:8"
expect_error "bad size" "invalid size '12Q'" run -k stream_triad -S 12Q --out e5
expect_error "unknown profile" "unknown profile 'huge'" "$SIZEUP" run --profile huge --out e6
expect_error "unknown option" "bad or incomplete option '--frobnicate'" run --frobnicate
expect_error "bad label" "invalid label 'novalue'" run --label novalue --out e7
expect_error "bad budget" "invalid value 'soon' for --budget" run --budget soon --out e8
expect_error "unknown command" "'frob' is not a sizeup command" "$SIZEUP" frob
expect_error "bad topology" "topology" "$SIZEUP" topo --topology "pack:banana"

printf '[run]\nbudget = 0.1\n[stream]\nkernels = stream_triad\nthreads = 1..max\nwidth = 3\n' >bad1.ini
expect_error "unknown suite key names file and line" "bad1.ini:6: unknown key 'width'" \
  "$SIZEUP" run --suite bad1.ini --out e9
printf '[run]\nbudget = -1\n[stream]\nkernels = stream_triad\n' >bad2.ini
expect_error "bad suite value" "bad2.ini:2: invalid value '-1' for 'budget'" \
  "$SIZEUP" run --suite bad2.ini --out e10
printf '[stream]\nthreads = 1\n' >bad3.ini
expect_error "suite without kernels" "has no 'kernels'" "$SIZEUP" run --suite bad3.ini --out e11
expect_error "missing suite" "cannot open suite 'missing.ini'" "$SIZEUP" run --suite missing.ini --out e12

# Did you mean: commands, options, kernels, profiles, placements, backends.
expect_error "mistyped command" "'comapre' is not a sizeup command; did you mean 'compare'?" \
  "$SIZEUP" comapre
expect_error "mistyped option" "bad or incomplete option '--profle' (did you mean '--profile'?)" \
  "$SIZEUP" run --profle quick
expect_error "mistyped option with a value" "option '--treshold=3' (did you mean '--threshold'?)" \
  "$SIZEUP" compare --treshold=3 a b
expect_error "mistyped kernel" "unknown kernel 'stream_triade' (did you mean 'stream_triad'?" \
  run -k stream_triade --out e13
expect_error "mistyped profile" "unknown profile 'nightley' (did you mean 'nightly'? profiles: full, nightly, numa, quick, standard" \
  "$SIZEUP" run --profile nightley --out e14
expect_error "mistyped placement" "unknown placement 'scater' (did you mean 'scatter'?" \
  run -k stream_triad -P scater --out e15
expect_error "mistyped backend" "unknown backend 'cpuu' (did you mean 'cpu'?" \
  run -k stream_triad --backend cpuu --out e16
expect_error "mistyped precision" "unknown precision 'fp46' (did you mean 'fp64'?" \
  run -k stream_triad --precision fp46 --out e18
expect_error "mistyped backend in list" "unknown backend 'cpuu' (did you mean 'cpu'? built in: cpu" \
  "$SIZEUP" list --backend cpuu
expect_error "mistyped history subcommand" "not a history subcommand (did you mean 'check'?" \
  "$SIZEUP" history chek --db h.db

# No generic errno tail where the context says it all.
"$SIZEUP" run -k nope --out e17 -q 2>tail.txt
check "no ': invalid argument' tail" sh -c "! grep -q 'invalid argument' tail.txt"
mkdir -p norun
"$SIZEUP" report norun 2>tail.txt
check "the system's reason, no ': input/output error' tail" \
  grep -qx "sizeup: error: cannot open 'norun/summary.csv': No such file or directory" tail.txt

# A folder of runs where one run is expected lists the runs in it.
mkdir -p runs/20261101T0100Z runs/20261102T0100Z runs/notarun
cp "$SRC/tests/data/compare-base/summary.csv" runs/20261101T0100Z/
cp "$SRC/tests/data/compare-new/summary.csv" runs/20261102T0100Z/
expect_error "report of a folder of runs lists them" \
  "'runs' is a folder of 2 runs, not one run: 'runs/20261101T0100Z', 'runs/20261102T0100Z'; give one of them (report and compare take several)" \
  "$SIZEUP" report runs --out rep
expect_error "compare of a folder of runs lists them" "'runs' is a folder of 2 runs" \
  "$SIZEUP" compare runs runs/20261102T0100Z

# The help lists every profile, from bench/*.ini.
check "run --help lists every profile" \
  sh -c "'$SIZEUP' run --help | grep -q 'full | nightly | numa | quick | standard'"

# None of the failed runs left a results directory behind.
for d in e1 e2 e3 e5 e6 e7 e8 e9 e10 e11 e12 e13 e14 e15 e16 e17 e18; do
  check "no directory '$d' after an error" test ! -e "$d"
done

# An unwritable output directory.
mkdir ro && chmod 0555 ro
if [ "$(id -u)" -eq 0 ]; then
  # root ignores permissions: use a path below a regular file instead.
  touch file
  expect_error "unwritable --out" "cannot create directory 'file/x'" run -k stream_triad -t 1 --out file/x
else
  expect_error "unwritable --out" "cannot create directory" run -k stream_triad -t 1 --out ro/x
fi

# --help works and ends with examples, for every command.
for c in run list topo report fit; do
  check "sizeup $c --help has examples" sh -c "'$SIZEUP' $c --help | grep -q '^examples:'"
done
check "sizeup --version" sh -c "'$SIZEUP' --version | grep -q '^sizeup [0-9]'"

finish
