#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sizing with devices: the AI training example (bench/workloads/ai-training.ini)
# ranked on a CPU node, a 1-GPU node and an 8-GPU node, whose results are the
# hand-made fixtures of tests/data/gpu-nodes (make-fixtures.py: one GPU does
# gemm 20000 GFLOP/s, triad 2000 GB/s, host-to-device 25 GB/s; the CPU gemm
# 1000 GFLOP/s, triad 200 GB/s).  The expectations are computed by hand:
#   one job: 6e6 GFLOP, 1e5 GB, 200 GB copied to the device
#   GPU: max(6e6 / 20000, 1e5 / 2000) + 200 / 25 = 300 + 8 = 308 s
#   CPU: max(6e6 / 1000, 1e5 / 200) = 6000 s (no copy: the data is in host memory)
#   2000 jobs per day = 83.33 per hour at once: 83.33 x 308 / 3600 -> 8 jobs,
#   so 8 one-GPU nodes (USD 32 per hour) or one 8-GPU node (8 jobs side by
#   side, USD 30); the CPU needs 83.33 x 6000 / 3600 -> 139 nodes (USD 278)
#   two GPUs per job: gemm from the measured "2 x" row (38000), triad and
#   copies per-GPU x 2: max(6e6 / 38000, 1e5 / 4000) + 200 / 50 = 161.89 s
set -u
. "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/gpu-nodes

# README's GPU step, as written there, in a copy of the files it names.
mkdir -p w/bench/catalogs w/bench/workloads w/tests/data
cp "$SRC/bench/catalogs/ai-example.csv" w/bench/catalogs/
cp "$SRC/bench/workloads/ai-training.ini" w/bench/workloads/
cp -r "$D" w/tests/data/
(cd w && "$SIZEUP" recommend --catalog bench/catalogs/ai-example.csv \
                  --workload bench/workloads/ai-training.ini --out reports/ai) >ai.txt 2>ai.err
rc=$?
ln -s w/reports/ai ai
check "example: exits 0 (rc=$rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat ai.err >&2
check "example: the 8-GPU node first, 1 node, 308 s, USD 30/h" \
  grep -q '^4,1,gpu8-node,cloud,measured,ok,.*,1,1,1,single_node,93.50649[0-9]*,19.4805[0-9]*,308,.*,USD,30,30,' ai/recommend.csv
check "example: the 1-GPU node second, 8 nodes, USD 32/h" \
  grep -q '^4,2,gpu1-node,cloud,measured,ok,.*,8,1,1,single_node,11.6883[0-9]*,19.4805[0-9]*,308,.*,USD,4,32,' ai/recommend.csv
check "example: the CPU node third, 139 nodes, 6000 s" \
  grep -q '^4,3,cpu-node,cloud,measured,ok,.*,139,1,1,single_node,0.6,1,6000,.*,USD,2,278,' ai/recommend.csv
check "example: eight jobs side by side on the 8-GPU node" \
  grep -q '^4,1,gpu8-node,.*,32,8,30,0,,gpu,1,' ai/recommend.csv
check "example: each figure's device named in the csv" \
  grep -q ',gpu,1,"\?gemm: opencl Fixture GPU \[0:0\] (measured); stream_triad: opencl Fixture GPU \[0:0\] (measured); transfer_h2d: opencl Fixture GPU \[0:0\] (measured)' ai/recommend.csv
check "example: the CPU node's figures and no copy" \
  grep -q ',cpu,0,"\?gemm: cpu Fixture CPU (measured); stream_triad: cpu Fixture CPU (measured); transfer_h2d: not applicable' ai/recommend.csv
check "example: figures named in the table" grep -q 'on 1 GPU(s) per job: gemm: opencl Fixture GPU' ai.txt
check "example: figures named in the page" grep -q 'figures (gpu): gemm: opencl Fixture GPU' ai/recommend.html
# Energy: the 8-GPU node's rows carry measured power (gemm 700 W, copies 100 W
# per GPU): (300 s x 700 W + 8 s x 100 W) / 3.6e6 = 0.058556 kWh per job; the
# 1-GPU node's have none: the catalog's 900 W x 308 s = 0.077 kWh.
check "example: measured energy per job where the rows have power" \
  grep -q '^4,1,gpu8-node,.*,0.0585555[0-9]*,.*,measured,[a-z]*$' ai/recommend.csv
check "example: the catalog's power elsewhere" \
  grep -q '^4,2,gpu1-node,.*,0.077,.*,catalog,[a-z]*$' ai/recommend.csv
check "example: says which energy is measured" \
  grep -q "gpu8-node's energy per job comes from MEASURED power (NVML counters: the GPU boards only" ai.txt

# Two GPUs per job: the measured "2 x" GEMM, per-GPU figures x 2 for the rest.
"$SIZEUP" recommend -c "$D/catalog.csv" -w "$D/ai-2gpus.ini" -o two --no-render >two.txt 2>&1
check "2 GPUs: 161.89 s on the 8-GPU node, 4 jobs a node" \
  grep -q '^4,[0-9],gpu8-node,.*,161.8947[0-9]*,.*,4,30,0,,gpu,2,' two/recommend.csv
check "2 GPUs: the measured 2 x row and the scaled ones said" \
  grep -q 'gemm: opencl 2 x Fixture GPU \[0:0,0:1\] (measured); stream_triad: opencl Fixture GPU \[0:0\] x 2 (per-GPU figure x 2' two/recommend.csv
check "2 GPUs: a 1-GPU node cannot hold a job" \
  grep -q '^4,[0-9],gpu1-node,cloud,measured,unreachable,"a job uses 2 GPUs, a node has 1"' two/recommend.csv

# device = gpu: a candidate without GPU figures is no_data, with the reason.
"$SIZEUP" recommend -c "$D/catalog.csv" -w "$D/ai-gpu.ini" -o gpu --no-render \
  >gpu.txt 2>gpu.err
rc=$?
check "device = gpu: the CPU node as reference cannot be rated (rc=$rc)" test "$rc" -ne 0
check "device = gpu: one error line naming the reason" \
  grep -q "^sizeup: error: reference candidate 'cpu-node' cannot be rated: no ok fp32 measurement of 'gemm' on a GPU in '.*cpu-node' (device = gpu, and the catalog lists no GPUs)" gpu.err
sed 's/^name = ai-training/name = ai-gpu\nreference = gpu1-node/' "$D/ai-gpu.ini" >ai-gpu-ref.ini
"$SIZEUP" recommend -c "$D/catalog.csv" -w ai-gpu-ref.ini -o gpu2 --no-render >gpu2.txt 2>&1
check "device = gpu: the CPU node is no_data" \
  grep -q "^4,3,cpu-node,cloud,measured,no_data,\"\\?no ok fp32 measurement of 'gemm' on a GPU" gpu2/recommend.csv

# fp16: no fp16 rows in these results: the reference cannot be rated.
expect_error "fp16 without fp16 rows" "no ok fp16 measurement of 'gemm' on a GPU" \
  "$SIZEUP" recommend -c "$D/catalog.csv" -w "$D/ai-fp16.ini" -o fp16 --no-render

# A catalog gpus count that disagrees with the results: a warning naming both.
"$SIZEUP" recommend -c "$D/catalog-4gpus.csv" -w "$D/ai.ini" -o four --no-render \
  >four.txt 2>four.err
check "gpus mismatch: a warning naming both counts" \
  grep -q "sizeup: warning: candidate 'gpu8-node' (catalog line 4): the catalog says 4 GPU(s) per node, but its results '.*gpu8-node' were measured on 8 GPU(s)" four.err

expect_error "device = tpu" "field 'device': invalid value 'tpu' (cpu, gpu or auto)" \
  "$SIZEUP" recommend -c "$D/catalog.csv" -w "$D/bad-device.ini" -o bad --no-render
expect_error "host copies on the CPU" "field 'host_device_bytes': only meaningful with device = gpu or auto" \
  "$SIZEUP" recommend -c "$D/catalog.csv" -w "$D/bad-copy.ini" -o bad --no-render

finish
