#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fuzzes every reader of untrusted files for a given time each, with the
# libFuzzer harnesses of tests/fuzz (clang, ASan, UBSan):
#
#   bench/fuzz.sh [SECONDS] [TARGET...]     default: 60 s, every target
#
# Targets: summary, samples, system, suite, catalog, workload, resume.  Each
# starts from its corpus in tests/fuzz/corpus/TARGET (read only); new inputs
# go to build-fuzz/corpus/TARGET.  A crash leaves crash-* in build-fuzz/ and
# this script exits 1: copy the file into tests/fuzz/corpus/TARGET/ as
# repro-<what>, fix the bug, and ctest replays it from then on.
# Needs clang (scripts/install-deps.sh --fuzz); without it, says so and exits 77.
set -u
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=${*:-summary samples system suite catalog workload resume}
if ! command -v clang >/dev/null; then
  echo "fuzz.sh: clang not found (scripts/install-deps.sh --fuzz installs it)" >&2
  exit 77
fi
B=build-fuzz
mkdir -p $B
CC=clang cmake -S . -B $B -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIZEUP_FUZZ=ON -DSIZEUP_TESTS=OFF \
  -DSIZEUP_NATIVE=OFF -DSIZEUP_WITH_OPENCL=OFF -DSIZEUP_WITH_MPI=OFF >$B/build.log 2>&1 ||
  { echo "fuzz.sh: cmake failed: see $B/build.log" >&2; exit 1; }
# shellcheck disable=SC2086
for t in $targets; do
  cmake --build $B -j2 --target fuzz_$t >>$B/build.log 2>&1 ||
    { echo "fuzz.sh: build of fuzz_$t failed: see $B/build.log" >&2; exit 1; }
done
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export OMP_NUM_THREADS=1
rc=0
for t in $targets; do
  mkdir -p $B/corpus/$t
  (cd $B && tests/fuzz/fuzz_$t -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
     -print_final_stats=1 corpus/$t ../tests/fuzz/corpus/$t >fuzz_$t.log 2>&1)
  r=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' $B/fuzz_$t.log | grep -o '[0-9]*$')
  if [ $r -eq 0 ]; then
    echo "fuzz $t: ${secs}s, ${runs:-?} inputs, no finding"
  else
    echo "fuzz $t: FINDING (exit $r): see $B/fuzz_$t.log and $B/crash-*" >&2
    rc=1
  fi
done
exit $rc
