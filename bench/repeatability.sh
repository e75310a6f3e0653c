#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a profile N times and prints, for the headline figures, the median of
# each run and the coefficient of variation ACROSS runs: how far a result can
# be trusted to repeat on this machine.
#
#   FP64 stream_triad (omp) at 1 thread and at max threads, compact, at the
#   profile's DRAM size; fma_peak FP64 at 1 and max threads.
#
# usage: bench/repeatability.sh        env: SIZEUP=build/sizeup N=5 PROFILE=quick
set -euo pipefail

SIZEUP=${SIZEUP:-build/sizeup}
N=${N:-5}
PROFILE=${PROFILE:-quick}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
[ -x "$SIZEUP" ] || { echo "repeatability.sh: error: no sizeup binary at '$SIZEUP'" >&2; exit 1; }
max=$(nproc)

for i in $(seq "$N"); do
  "$SIZEUP" run -q --profile "$PROFILE" --out "$WORK/r$i" >/dev/null
done

# figure KERNEL VARIANT THREADS: one median per run (largest size, compact, fp64)
figure() {
  for i in $(seq "$N"); do
    awk -F, -v k="$1" -v v="$2" -v t="$3" '
      NR > 1 && $3 == k && $4 == v && $7 == "fp64" && $8 == t && $11 == "compact" &&
      ($14 == "bandwidth" || $14 == "flops") && $16 == "ok" {
        if ($13 + 0 >= big) { big = $13 + 0; m = $18 } }
      END { print m }' "$WORK/r$i/summary.csv"
  done
}

printf '%-24s %4s %10s %10s %10s %8s\n' "figure" "thr" "median" "min" "max" "cv %"
for spec in "stream_triad omp 1" "stream_triad omp $max" "fma_peak avx512 1" "fma_peak avx512 $max"; do
  read -r k v t <<<"$spec"
  vals=$(figure "$k" "$v" "$t")
  if [ -z "$(echo "$vals" | tr -d '\n ')" ]; then
    # no AVX-512: take whatever variant fma_peak resolved to
    [ "$k" = fma_peak ] && vals=$(for i in $(seq "$N"); do awk -F, -v t="$t" 'NR > 1 && $3 == "fma_peak" && $7 == "fp64" && $8 == t && $11 == "compact" && $14 == "flops" {print $18; exit}' "$WORK/r$i/summary.csv"; done)
  fi
  echo "$vals" | sort -g | awk -v name="$k:$v" -v t="$t" '
    NF { x[++n] = $1; s += $1 }
    END { lo = x[1]; hi = x[n] }
    END {
      if (n == 0) { printf "%-24s %4s %10s\n", name, t, "n/a"; exit }
      m = s / n; for (i = 1; i <= n; i++) ss += (x[i] - m) ^ 2
      med = (n % 2) ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
      cv = (n > 1) ? 100 * sqrt(ss / (n - 1)) / m : 0
      printf "%-24s %4s %10.2f %10.2f %10.2f %8.2f\n", name, t, med, lo, hi, cv }'
done
echo "($N runs of the '$PROFILE' profile)"
