#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Does this machine move its threads?  Measures two-thread triad, at a
# DRAM-sized and at a fork/join-bound working set, in many short rounds, and
# groups the rounds by the core-to-core latency sizeup records with each
# (c2c_ns): on a cloud VM whose hypervisor moves vCPUs between core complex
# dies the rounds fall into groups far apart, and the bandwidth follows.
#
#   bench/placement.sh              # 100 rounds, about 80 s on 2 cores
#   ROUNDS=50 bench/placement.sh
#
# Environment: ROUNDS (default 100, at most 100), SIZEUP (default build/sizeup), OUT
# (results directory, default a new temporary one), THREADS (default 2),
# SPLIT (ns between "near" and "far", default 120).
set -u

ROUNDS=${ROUNDS:-100}
SIZEUP=${SIZEUP:-build/sizeup}
THREADS=${THREADS:-2}
SPLIT=${SPLIT:-120}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/sizeup-placement.XXXXXX")/run}

if ! [ -x "$SIZEUP" ]; then
  echo "placement: '$SIZEUP' is not executable (build first, or set SIZEUP)" >&2
  exit 2
fi
"$SIZEUP" run -k stream_triad -t "$THREADS" -P compact -S 48K,384M --precision fp64 \
  --variants omp --rounds "$ROUNDS" -b 0.3 --ci 0.0001 --max-reps 100000 -q --out "$OUT" >/dev/null || exit 2

# One line per (size, round): the round's median is approximated by its
# mean of samples (a round's samples agree to 1-2%), with its c2c_ns.
awk -F, -v cut="$SPLIT" '
  NR == 1 {
    for (i = 1; i <= NF; i++) col[$i] = i
    next
  }
  {
    k = $col["size_bytes"] " " $col["round"]
    sum[k] += $col["value"]; n[k]++; lat[k] = $col["c2c_ns"]
  }
  END {
    for (k in sum) {
      split(k, a, " ")
      if (lat[k] == "") continue
      g = a[1] " " (lat[k] + 0 > cut ? "far" : "near")
      bw[g] += sum[k] / n[k]; rounds[g]++
      if (!(g in lo) || lat[k] + 0 < lo[g]) lo[g] = lat[k] + 0
      if (lat[k] + 0 > hi[g]) hi[g] = lat[k] + 0
    }
    for (g in bw) {
      split(g, a, " ")
      printf "%-10s %-5s %4d rounds  c2c %4.0f-%4.0f ns  triad %7.1f GB/s\n",
             (a[1] >= 1048576 ? a[1] / 1048576 " MiB" : a[1] / 1024 " KiB"), a[2], rounds[g],
             lo[g], hi[g], bw[g] / rounds[g]
    }
  }' "$OUT/samples.csv" | sort -k1,1n -k2,2
echo "results: $OUT"
