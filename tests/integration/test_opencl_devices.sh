#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Devices as a scaling axis: with two OpenCL devices (PoCL can expose two
# CPU devices: POCL_DEVICES="pthread pthread"), each device is measured
# alone, then both at once, with aggregate work and one host thread each.
set -u
. "$(dirname "$0")/lib.sh"

"$SIZEUP" list --backend opencl >/dev/null 2>&1 || { echo "SKIP: built without OpenCL"; exit 77; }
export POCL_DEVICES="pthread pthread"
# Under the sanitizer build, LeakSanitizer's tracer itself dies (signal 11)
# while it stops the worker threads of two PoCL devices at exit; the address
# and undefined-behaviour checks stay on.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
n=$("$SIZEUP" run --backend opencl -k stream_triad --precision fp32 --variants v4 -n 2>/dev/null |
    grep -c stream_triad)
[ "$n" -eq 3 ] || { echo "SKIP: no two OpenCL devices here (PoCL needed; got $n points)"; exit 77; }

"$SIZEUP" run --backend opencl -k stream_triad,fma_peak --precision fp32 --variants v4 -S 16M \
  -b 0.05 --min-reps 3 -q --out d1 >d1.log 2>&1
rc=$?
check "two-device run exits 0 (rc=$rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat d1.log >&2
check "each device alone" test "$(grep -c ' \[0:[01]\],fp32,1,1,1,.*,ok,' d1/summary.csv)" -eq 4
check "both at once, one host thread each" grep -q '"2 x [^"]*\[0:0,0:1\]",fp32,2,1,1,[^,]*,"\?0-1"\?,[0-9]*,bandwidth,GB/s,ok,' d1/summary.csv
check "fma_peak on both at once" grep -q '^3,[^,]*,fma_peak,v4,opencl,"2 x [^"]*",fp32,2,.*,flops,GFLOP/s,ok,' d1/summary.csv
# The aggregate working set is the sum of the devices'.
one=$(awk -F, '$3 == "stream_triad" && $8 == 1 {print $13; exit}' d1/summary.csv)
both=$(grep '"2 x' d1/summary.csv | grep stream_triad | sed 's/"[^"]*"/X/g' | cut -d, -f13)
check "aggregate size is the sum ($one x 2 = $both)" test "$((one * 2))" -eq "$both"

# Device-to-device copies: a 2 x 2 matrix (the diagonal on the device, the
# rest as peers: PoCL's two devices share a platform, so one context holds
# both), and the host path beside it (docs/opencl.md's command, smaller).
"$SIZEUP" run --backend opencl -k transfer_d2d --variants copy,via_host -S 1M -b 0.02 \
  --min-reps 3 --rounds 1 -q --out d2 >d2.log 2>&1
check "d2d: six ok pairs" test "$(grep -c ',transfer_d2d,.*,ok,' d2/summary.csv)" -eq 6
check "d2d: the diagonal on the device" grep -q ',transfer_d2d,on_device,opencl,"\?[^,]*\[0:1\] -> \[0:1\]' d2/summary.csv
check "d2d: across devices as peers" grep -q ',transfer_d2d,peer,opencl,"\?[^,]*\[0:0\] -> \[0:1\],.*,ok,' d2/summary.csv
check "d2d: across devices through the host" grep -q ',transfer_d2d,via_host,opencl,"\?[^,]*\[0:1\] -> \[0:0\],.*,ok,' d2/summary.csv
check "d2d: no host path on the diagonal, with the reason" \
  test "$(grep -c ',transfer_d2d,via_host,.*\[0:\([01]\)\] -> \[0:\1\],.*,unsupported,.*the diagonal' d2/summary.csv)" -eq 2
check "d2d: a path that cannot be had is unsupported, not a failure" \
  sh -c '! grep -q ",transfer_d2d,.*,failed," d2/summary.csv'
# The report draws them as a 2 x 2 matrix: a heat map and a table.
"$SIZEUP" report d2 --out r2 >r2.log 2>&1
check "d2d: report exits 0" test $? -eq 0
check "d2d: heat map script" test -s r2/d2d_bandwidth_1.gp
check "d2d: 2 x 2 measured cells" \
  test "$(grep -v '^#' r2/d2d_bandwidth_1.dat | grep -ci '^[01] [01] [0-9.e+]*$')" -eq 4
if command -v gnuplot >/dev/null; then
  check "d2d: heat map rendered" test -s r2/d2d_bandwidth_1.png
fi
check "d2d: report.html has the matrix" grep -q 'id="d2d-matrix"' r2/report.html
check "d2d: report.md table, two destinations" \
  grep -qF '| bandwidth \[GB/s\] | to \[0:0\] | to \[0:1\] |' r2/report.md
check "d2d: report.md names the paths measured" grep -q '^Paths measured: .*peer' r2/report.md
check "d2d: report.md table, two measured sources" \
  test "$(grep -c '^| from .*\\\[0:[01]\\\] | [0-9.e+]* | [0-9.e+]* |$' r2/report.md)" -eq 2
# A device-to-device copy is no memory bandwidth: the verdict and the
# headline table say memory was not measured.
check "d2d: verdict, memory bandwidth not measured" \
  grep -qF -- '- **Memory-bound work**: not measured' r2/report.md
check "d2d: headline, memory bandwidth not measured" \
  grep -qF '| memory bandwidth (STREAM triad, largest working set) | GB/s | not measured |' r2/report.md
check "d2d: the verdict never says main memory" \
  sh -c '! grep "^- \*\*" r2/report.md | grep -q "main memory"'

finish
