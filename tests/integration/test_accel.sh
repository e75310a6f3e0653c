#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The accelerator group of every profile: GPUs and accelerators by default,
# nothing (and a note in system.json) where there are none, CPU OpenCL
# devices (PoCL) when asked with --backend opencl or --device.  On PoCL,
# CI's OpenCL device, which is a CPU device.
set -u
. "$(dirname "$0")/lib.sh"

"$SIZEUP" list --backend opencl >/dev/null 2>&1 || { echo "SKIP: built without OpenCL"; exit 77; }
"$SIZEUP" run --backend opencl -k stream_triad -n >/dev/null 2>&1 ||
  { echo "SKIP: no OpenCL device here"; exit 77; }
gpus=$(clinfo 2>/dev/null | grep -cE 'Device Type +(GPU|Accelerator)' || true)

for p in quick standard nightly full; do
  "$SIZEUP" run --profile $p --backend opencl -n >plan_$p.txt 2>plan_$p.err
  rc=$?
  check "--profile $p --backend opencl plans (rc=$rc)" test "$rc" -eq 0
  check "--profile $p --backend opencl has only opencl points" \
    test "$(grep -c ' opencl ' plan_$p.txt)" -gt 0 -a "$(grep -c ' cpu ' plan_$p.txt)" -eq 0
  check "--profile $p: an accelerator group" grep -q '^\[accel\]' "$SRC/bench/$p.ini"
  if [ "$gpus" -eq 0 ]; then
    "$SIZEUP" run --profile $p -n >cpu_$p.txt 2>&1
    check "--profile $p without --backend: no CPU OpenCL device" \
      test "$(grep -c ' opencl ' cpu_$p.txt)" -eq 0
  fi
done
"$SIZEUP" run --backend opencl -n >plan_default.txt 2>&1
check "run --backend opencl (standard) plans" grep -q ' stream_triad .* opencl ' plan_default.txt

# The quick profile's accelerator figures: copy and triad, FP64/FP32/FP16
# peak, GEMM, launch latency, host<->device copies pinned and pageable.
for k in stream_copy stream_triad fma_peak gemm launch_latency transfer_h2d transfer_d2h transfer_d2d; do
  check "quick --backend opencl plans $k" grep -q " $k " plan_quick.txt
done
check "quick: fp16 peak" grep -q ' fma_peak .* fp16 ' plan_quick.txt
check "quick: pinned and pageable copies" \
  test "$(grep -c 'transfer_h2d *p[a-z]*_blocking' plan_quick.txt)" -ge 2

# --device selects the accelerator group's device by id, whatever its type.
"$SIZEUP" run --profile quick --device 0:0 -n >dev.txt 2>&1
check "--device 0:0 plans the accelerator group" grep -q ' stream_triad .* opencl ' dev.txt
check "--device 0:0 keeps the CPU groups" grep -q ' stream_triad .* cpu ' dev.txt

# A tiny real run of the quick profile on the OpenCL device.
"$SIZEUP" run --profile quick --backend opencl -S 1M -b 0.01 --min-reps 3 --max-reps 5 \
  --rounds 1 -q --out q >q.log 2>&1
rc=$?
check "quick --backend opencl runs (rc=$rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat q.log >&2
for k in stream_copy stream_triad fma_peak gemm launch_latency transfer_h2d transfer_d2h; do
  check "quick run: $k ok" grep -q "^[0-9]*,[^,]*,$k,[^,]*,opencl,.*,ok," q/summary.csv
done
check "quick run: no failures" test "$(grep -c ',failed_verify,\|,error,' q/summary.csv)" -eq 0

# Without a GPU and without --backend, the accelerator group measures nothing
# and system.json says why; no error, no rows.
if [ "$gpus" -eq 0 ]; then
  "$SIZEUP" run --profile quick -k stream_triad -t 1 -P compact -S 1M -b 0.01 --min-reps 3 \
    --max-reps 5 --rounds 1 -q --out c >c.log 2>&1
  rc=$?
  check "no GPU: the run succeeds (rc=$rc)" test "$rc" -eq 0
  check "no GPU: no opencl rows" test "$(grep -c ',opencl,' c/summary.csv)" -eq 0
  check "no GPU: system.json says why" grep -q '"opencl: no GPU or accelerator found' c/system.json
fi

# Energy: columns energy_j and power_w; empty with the reason in system.json
# where the machine has no readable counter (no powercap, no NVIDIA driver).
check "energy columns in the header" grep -q ',energy_j,power_w$' q/summary.csv
check "system.json says where energy is measured" grep -q '"energy": {' q/system.json
if ! cat /sys/class/powercap/intel-rapl:0/energy_uj >/dev/null 2>&1; then
  check "no RAPL: the reason" grep -q '"cpu": "rapl: ' q/system.json
fi
if ! ldconfig -p 2>/dev/null | grep -q libnvidia-ml.so.1; then
  check "no NVML: the reason" grep -q '"gpu": "nvml: libnvidia-ml.so.1 not found' q/system.json
  check "no NVML: the OpenCL rows' energy is empty" \
    test "$(awk -F, 'NR > 1 && $5 == "opencl" && $(NF - 1) != "" {n++} END {print n + 0}' q/summary.csv)" -eq 0
fi

finish
