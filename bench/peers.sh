#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Measures sizeup against its peers on this machine and prints the ratios of
# the medians (sizeup / peer).  Runs are interleaved (sizeup, peer, sizeup,
# peer, ...) and repeated ROUNDS times, because a shared machine drifts
# between states: compare medians, never single runs.
#
#   CPU:    likwid-bench copy/stream (STREAM triad) kernels, plain and
#           non-temporal (*_mem_*), same threads, same total working set;
#           sizeup's FP64 FMA peak against the theoretical peak it reports
#           (and likwid-bench peakflops for reference).
#   OpenCL: clpeak's global bandwidth and FP32/FP64 compute on the first
#           OpenCL device (PoCL on a CPU-only machine); and sizeup's GEMM
#           through CLBlast against its own hand-tiled kernel, fp32 and
#           fp64, at the device's default size (GEMM_SIZE to set one).
#
# usage: bench/peers.sh [cpu] [opencl]       (default: both)
# env:   SIZEUP=build/sizeup ROUNDS=5 SIZE_BYTES=768000000 THREADS="1 N"
#        GEMM_SIZE= (bytes of the three matrices; empty: the device default)
#        (install the peers with scripts/install-deps.sh --bench)
set -euo pipefail

SIZEUP=${SIZEUP:-build/sizeup}
ROUNDS=${ROUNDS:-5}
SIZE_BYTES=${SIZE_BYTES:-768000000}
THREADS=${THREADS:-"1 $(nproc)"}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
what=${*:-cpu opencl}

die() { echo "peers.sh: error: $*" >&2; exit 1; }
[ -x "$SIZEUP" ] || die "no sizeup binary at '$SIZEUP' (build first, or set SIZEUP)"

median() { sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.3f", a / b; else print "nan"}'; }

# sizeup_value KERNEL VARIANTS PRECISION THREADS METRIC [extra run args...]
# prints the median of the configuration (the best over VARIANTS) from a fresh run.
run_n=0
sizeup_value() {
  local k=$1 v=$2 p=$3 t=$4 m=$5
  shift 5
  run_n=$((run_n + 1))
  "$SIZEUP" run -q -k "$k" --variants "$v" --precision "$p" -t "$t" -P compact \
    --out "$WORK/s$run_n" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; return 1; }
  # the best median over the variants run (one row on the CPU)
  awk -F, -v m="$m" 'NR > 1 && $14 == m && $16 == "ok" && $18 > best {best = $18}
    END {if (best != "") print best}' "$WORK/s$run_n/summary.csv"
}

# likwid_gbs TEST THREADS: likwid-bench's MByte/s for the test, as GB/s (1e9).
likwid_gbs() {
  likwid-bench -t "$1" -w "S0:$((SIZE_BYTES / 1000))kB:$2" 2>/dev/null |
    awk -F: '/^MByte\/s/ {gsub(/[ \t]/, "", $2); printf "%.3f\n", $2 / 1000}'
}
likwid_gflops() {
  likwid-bench -t "$1" -w "S0:32kB:$2" 2>/dev/null |
    awk -F: '/^MFlops\/s/ {gsub(/[ \t]/, "", $2); printf "%.3f\n", $2 / 1000}'
}

cpu_isa_suffix() {
  if grep -qw avx512f /proc/cpuinfo; then echo _avx512
  elif grep -qw avx /proc/cpuinfo; then echo _avx
  else echo _sse; fi
}

bench_cpu() {
  command -v likwid-bench >/dev/null || die "likwid-bench not found: scripts/install-deps.sh --bench"
  local isa pairs
  isa=$(cpu_isa_suffix)
  # sizeup kernel:variant  <->  likwid-bench test
  pairs="stream_copy:omp:copy$isa stream_triad:omp:stream$isa stream_copy:nt:copy_mem$isa stream_triad:nt:stream_mem$isa"
  printf '%-22s %4s %12s %12s %8s\n' "kernel" "thr" "sizeup GB/s" "likwid GB/s" "ratio"
  for t in $THREADS; do
    for pair in $pairs; do
      IFS=: read -r k v l <<<"$pair"
      : >"$WORK/a"
      : >"$WORK/b"
      for _ in $(seq "$ROUNDS"); do
        sizeup_value "$k" "$v" fp64 "$t" bandwidth -S "$SIZE_BYTES" -b 0.5 >>"$WORK/a"
        likwid_gbs "$l" "$t" >>"$WORK/b"
      done
      a=$(median <"$WORK/a")
      b=$(median <"$WORK/b")
      printf '%-22s %4s %12.2f %12.2f %8s  (vs %s)\n' "$k:$v" "$t" "$a" "$b" "$(ratio "$a" "$b")" "$l"
    done
  done

  echo
  printf '%-22s %4s %12s %12s %8s %12s\n' "fma_peak fp64" "thr" "GFLOP/s" "theoretical" "ratio" "likwid"
  for t in $THREADS; do
    : >"$WORK/a"
    : >"$WORK/c"
    : >"$WORK/l"
    for _ in $(seq "$ROUNDS"); do
      run_n=$((run_n + 1))
      "$SIZEUP" run -q -k fma_peak --precision fp64 -t "$t" -P compact --out "$WORK/s$run_n" >/dev/null
      awk -F, 'NR > 1 && $14 == "flops" {print $18}' "$WORK/s$run_n/summary.csv" >>"$WORK/a"
      awk -F, 'NR > 1 && $14 == "peak_theoretical" {print $18}' "$WORK/s$run_n/summary.csv" >>"$WORK/c"
      likwid_gflops "peakflops${isa}_fma" "$t" >>"$WORK/l" || true
    done
    a=$(median <"$WORK/a")
    c=$(median <"$WORK/c")
    l=$(median <"$WORK/l")
    printf '%-22s %4s %12.2f %12.2f %8s %12s\n' "fma_peak" "$t" "$a" "$c" "$(ratio "$a" "$c")" "$l"
  done
}

# clpeak_value SECTION-REGEX: the best figure clpeak prints in that section.
clpeak_best() {
  awk -v sect="$1" '
    /^ *[A-Za-z].*\(.*\)$/ { on = ($0 ~ sect) }
    on && /: *[0-9.]+ *$/ { split($0, f, ":"); v = f[2] + 0; if (v > best) best = v }
    END { print best + 0 }' "$2"
}

bench_opencl() {
  command -v clpeak >/dev/null || die "clpeak not found: scripts/install-deps.sh --bench"
  printf '%-26s %12s %12s %8s\n' "figure" "sizeup" "clpeak" "ratio"
  : >"$WORK/bw_a"; : >"$WORK/bw_b"; : >"$WORK/sp_a"; : >"$WORK/sp_b"; : >"$WORK/dp_a"; : >"$WORK/dp_b"
  for _ in $(seq "$ROUNDS"); do
    # clpeak's figure is read-only bandwidth; sizeup's nearest is stream_dot (2 reads)
    sizeup_value stream_dot v1,v4,v8,v16 fp32 1 bandwidth --backend opencl -b 0.5 >>"$WORK/bw_a" || true
    clpeak -p 0 -d 0 --global-bandwidth >"$WORK/c1" 2>&1 || true
    clpeak_best "Global memory bandwidth" "$WORK/c1" >>"$WORK/bw_b"
    sizeup_value fma_peak v4,v8,v16 fp32 1 flops --backend opencl -b 0.5 >>"$WORK/sp_a" || true
    clpeak -p 0 -d 0 --compute-sp >"$WORK/c2" 2>&1 || true
    clpeak_best "Single-precision compute" "$WORK/c2" >>"$WORK/sp_b"
    sizeup_value fma_peak v4,v8,v16 fp64 1 flops --backend opencl -b 0.5 >>"$WORK/dp_a" || true
    clpeak -p 0 -d 0 --compute-dp >"$WORK/c3" 2>&1 || true
    clpeak_best "Double-precision compute" "$WORK/c3" >>"$WORK/dp_b"
  done
  for f in "bw:read bandwidth GB/s" "sp:FP32 peak GFLOP/s" "dp:FP64 peak GFLOP/s"; do
    IFS=: read -r key label <<<"$f"
    a=$(median <"$WORK/${key}_a")
    b=$(median <"$WORK/${key}_b")
    printf '%-26s %12.2f %12.2f %8s\n' "$label" "$a" "$b" "$(ratio "$a" "$b")"
  done

  # GEMM: the tuned library against the hand kernel, interleaved
  local size=() p
  [ -n "${GEMM_SIZE:-}" ] && size=(-S "$GEMM_SIZE")
  echo
  printf '%-26s %12s %12s %8s\n' "gemm GFLOP/s" "clblast" "tiled" "ratio"
  for p in fp32 fp64; do
    : >"$WORK/g_a"; : >"$WORK/g_b"
    for _ in $(seq "$ROUNDS"); do
      sizeup_value gemm clblast "$p" 1 flops --backend opencl -b 0.5 "${size[@]}" >>"$WORK/g_a" || true
      sizeup_value gemm tiled "$p" 1 flops --backend opencl -b 0.5 "${size[@]}" >>"$WORK/g_b" || true
    done
    a=$(median <"$WORK/g_a")
    b=$(median <"$WORK/g_b")
    printf '%-26s %12.2f %12.2f %8s\n' "gemm $p" "$a" "$b" "$(ratio "$a" "$b")"
  done
}

echo "sizeup $("$SIZEUP" --version | cut -d' ' -f2-) vs peers; $ROUNDS interleaved rounds, medians"
for w in $what; do
  case $w in
  cpu) echo; echo "== CPU: sizeup vs likwid-bench ($SIZE_BYTES bytes total)"; bench_cpu ;;
  opencl) echo; echo "== OpenCL: sizeup vs clpeak"; bench_opencl ;;
  *) die "unknown part '$w' (cpu or opencl)" ;;
  esac
done
