#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the results directories of the GPU sizing tests and of the AI
# training example (bench/workloads/ai-training.ini): a CPU node, a node with
# one GPU and a node with eight.  The rows have the layout of a PoCL run of
# the accelerator group (`sizeup run --backend opencl`: backend opencl,
# device "NAME [P:D]", "k x NAME [...]" for k devices at once, threads = k)
# with the device renamed and typed "gpu" in system.json; every number is
# chosen by hand so that tests/integration/test_gpu_sizing.sh can check the
# arithmetic.  Nothing here was measured on a GPU.  gpu8-node's rows carry
# measured power (schema 3, energy_j and power_w: one GPU 700 W in gemm,
# 500 W in triad, 100 W copying), the others have none.  Rerun after editing:
# python3 make-fixtures.py
import json, os

COLS = ("schema_version,run_id,kernel,variant,backend,device,precision,threads,ranks,"
        "nodes,placement,cpuset,size_bytes,metric,unit,status,reason,median,min,max,mean,"
        "stddev,cv,ci95_lo,ci95_hi,reps")
GIB = 1073741824
GPU = "Fixture GPU"

POWER = {"gemm": 700, "stream_triad": 500, "transfer_h2d": 100}

def row(run, power, backend, device, kernel, variant, prec, threads, size, metric, unit, med):
    lo, hi = med * 0.99, med * 1.01
    cells = [3 if power else 1, run, kernel, variant, backend, '"%s"' % device, prec, threads,
             1, 1, "compact" if backend == "cpu" else "near_device", '"0-%d"' % (threads - 1),
             size, metric, unit, "ok", "", med, lo, hi, med, (hi - lo) / 4, (hi - lo) / 4 / med,
             lo, hi, 11]
    if power:
        w = POWER.get(kernel, 600) * threads if backend == "opencl" else 400
        cells += [w * 10.0, w]       # 10 s of samples
    return ",".join(str(v) for v in cells)

def write(name, rows, devices, power=False):
    os.makedirs(name, exist_ok=True)
    run = "20261201T000000Z-%s-0001" % name
    with open(os.path.join(name, "summary.csv"), "w") as f:
        f.write(COLS + (",energy_j,power_w" if power else "") + "\n")
        for r in rows:
            f.write(row(run, power, *r) + "\n")
    doc = {"schema_version": 1, "run_id": run, "host": {"hostname": name},
           "labels": {"note": "hand-made test fixture, not a measurement"},
           "devices": [{"backend": b, "id": i, "name": n, "facts": {"type": t}}
                       for b, i, n, t in devices]}
    with open(os.path.join(name, "system.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")

def cpu_rows():
    # the CPU: gemm 1000 GFLOP/s, triad 200 GB/s (fp32), fma_peak 2000
    return [("cpu", "Fixture CPU", "gemm", "blocked", "fp32", 32, 6291456, "flops", "GFLOP/s", 1000),
            ("cpu", "Fixture CPU", "fma_peak", "avx512", "fp32", 32, 0, "flops", "GFLOP/s", 2000),
            ("cpu", "Fixture CPU", "stream_triad", "omp", "fp32", 32, GIB, "bandwidth", "GB/s", 200)]

def gpu_rows(k):
    # one GPU: gemm 20000 GFLOP/s (clblast; tiled 5000), triad 2000 GB/s,
    # pinned host-to-device 25 GB/s (pageable 10), fma_peak 40000
    one = "%s [0:0]" % GPU
    r = [("opencl", one, "gemm", "clblast", "fp32", 1, 402653184, "flops", "GFLOP/s", 20000),
         ("opencl", one, "gemm", "tiled", "fp32", 1, 402653184, "flops", "GFLOP/s", 5000),
         ("opencl", one, "fma_peak", "v8", "fp32", 1, 0, "flops", "GFLOP/s", 40000),
         ("opencl", one, "stream_triad", "v4", "fp32", 1, 6 * GIB, "bandwidth", "GB/s", 2000),
         ("opencl", one, "transfer_h2d", "pinned_blocking", "none", 1, 256 << 20, "bandwidth", "GB/s", 25),
         ("opencl", one, "transfer_h2d", "pageable_blocking", "none", 1, 256 << 20, "bandwidth", "GB/s", 10)]
    if k >= 8:
        ids = ",".join("0:%d" % i for i in range(8))
        two = "2 x %s [0:0,0:1]" % GPU
        all8 = "8 x %s [%s]" % (GPU, ids)
        # two at once: gemm only (38000); all eight: gemm, triad, copies
        r += [("opencl", two, "gemm", "clblast", "fp32", 2, 805306368, "flops", "GFLOP/s", 38000),
              ("opencl", all8, "gemm", "clblast", "fp32", 8, 3221225472, "flops", "GFLOP/s", 150000),
              ("opencl", all8, "stream_triad", "v4", "fp32", 8, 48 * GIB, "bandwidth", "GB/s", 16000),
              ("opencl", all8, "transfer_h2d", "pinned_blocking", "none", 8, 2 << 30, "bandwidth", "GB/s", 100)]
    return r

cpu_dev = [("cpu", "0", "Fixture CPU", "cpu")]
write("cpu-node", cpu_rows(), cpu_dev)
write("gpu1-node", cpu_rows() + gpu_rows(1), cpu_dev + [("opencl", "0:0", GPU, "gpu")])
write("gpu8-node", cpu_rows() + gpu_rows(8),
      cpu_dev + [("opencl", "0:%d" % i, GPU, "gpu") for i in range(8)], power=True)
