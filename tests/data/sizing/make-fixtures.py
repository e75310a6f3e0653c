#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the hand-made results directories of the sizing tests (alpha, beta,
# delta): summary.csv with the 26 contract columns of docs/csv-schema.md and a
# small system.json labelled with the instance type.  Every number is chosen
# by hand (see tests/unit/test_sizing.c for the arithmetic); nothing here was
# measured.  Rerun after editing: python3 make-fixtures.py
import json, os

COLS = ("schema_version,run_id,kernel,variant,backend,device,precision,threads,ranks,"
        "nodes,placement,cpuset,size_bytes,metric,unit,status,reason,median,min,max,mean,"
        "stddev,cv,ci95_lo,ci95_hi,reps")
GIB = 1073741824

def row(run, kernel, variant, prec, threads, nodes, size, metric, unit, med, lo, hi,
        status="ok"):
    reason = "" if status == "ok" else "output differs from the reference"
    return ",".join(str(v) for v in (
        1, run, kernel, variant, "cpu", "Fixture CPU", prec, threads, nodes, nodes,
        "compact", "0-%d" % (threads - 1), size, metric, unit, status, reason,
        med, lo, hi, med, (hi - lo) / 4, (hi - lo) / 4 / med, lo, hi, 11))

def write(name, instance, rows, topology=None):
    os.makedirs(name, exist_ok=True)
    run = "20261201T000000Z-%s-0001" % name
    with open(os.path.join(name, "summary.csv"), "w") as f:
        f.write(COLS + "\n")
        for r in rows:
            f.write(row(run, *r) + "\n")
    doc = {"schema_version": 1, "run_id": run,
           "host": {"hostname": name},
           "labels": {"instance": instance,
                      "note": "hand-made test fixture, not a measurement"}}
    if topology:
        doc["topology"] = topology
    with open(os.path.join(name, "system.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")

# alpha: triad 100 GB/s, gemm 1000 GFLOP/s, DRAM latency 100 ns, fma_peak 1500.
# Rows that must NOT be picked: a cache-resident triad point (smaller size of
# the same configuration), an fp32 triad, a gemm that failed verification, an
# L1 latency point.  gemm has a node series 1, 2, 4 following Amdahl with
# p = 0.95: X(N) = 1000 / (0.05 + 0.95 / N).
write("alpha", "fixture.alpha", [
    ("stream_triad", "omp", "fp64", 1, 1, GIB, "bandwidth", "GB/s", 30, 29, 31),
    ("stream_triad", "omp", "fp64", 16, 1, GIB, "bandwidth", "GB/s", 100, 95, 105),
    ("stream_triad", "omp", "fp64", 16, 1, 1048576, "bandwidth", "GB/s", 400, 390, 410),
    ("stream_triad", "omp", "fp32", 16, 1, GIB, "bandwidth", "GB/s", 120, 115, 125),
    ("gemm", "blocked", "fp64", 16, 1, 6291456, "flops", "GFLOP/s", 1000, 980, 1020),
    ("gemm", "blocked", "fp64", 16, 2, 6291456, "flops", "GFLOP/s", 1000 / (0.05 + 0.95 / 2),
     1900, 1910),
    ("gemm", "blocked", "fp64", 16, 4, 6291456, "flops", "GFLOP/s", 1000 / (0.05 + 0.95 / 4),
     3470, 3490),
    ("gemm", "cblas", "fp64", 16, 1, 6291456, "flops", "GFLOP/s", 5000, 4900, 5100,
     "failed_verify"),
    ("latency_chase", "random", "none", 1, 1, GIB, "latency", "ns", 100, 98, 102),
    ("latency_chase", "random", "none", 1, 1, 65536, "latency", "ns", 1.1, 1.0, 1.2),
    ("fma_peak", "avx512", "fp64", 16, 1, 0, "flops", "GFLOP/s", 1500, 1480, 1520),
])
# beta (the reference): triad 40, gemm 500, latency 125 ns, fma_peak 700.
write("beta", "fixture.beta", [
    ("stream_triad", "omp", "fp64", 8, 1, GIB, "bandwidth", "GB/s", 40, 39, 41),
    ("gemm", "blocked", "fp64", 8, 1, 6291456, "flops", "GFLOP/s", 500, 490, 510),
    ("latency_chase", "random", "none", 1, 1, GIB, "latency", "ns", 125, 123, 127),
    ("fma_peak", "avx512", "fp64", 8, 1, 0, "flops", "GFLOP/s", 700, 690, 710),
])
# delta: no latency_chase measured (cannot be rated on a mix that needs it).
write("delta", "fixture.delta", [
    ("stream_triad", "omp", "fp64", 8, 1, GIB, "bandwidth", "GB/s", 35, 34, 36),
    ("gemm", "blocked", "fp64", 8, 1, 6291456, "flops", "GFLOP/s", 450, 440, 460),
    ("fma_peak", "avx512", "fp64", 8, 1, 0, "flops", "GFLOP/s", 600, 590, 610),
])

# eta and theta (catalog-cores.csv, cores.ini): jobs of 4 cores side by side.
# Both measured the same, at 16 and at 4 threads: triad 100 and 40 GB/s, gemm
# 1000 and 300 GFLOP/s.  eta's system.json agrees with the catalog (16 cores,
# 64 GiB); theta's says 2 cores and 4 GiB where the catalog says 32 and 128:
# the catalog-against-results warning.
SHARED = [
    ("stream_triad", "omp", "fp64", 16, 1, GIB, "bandwidth", "GB/s", 100, 95, 105),
    ("stream_triad", "omp", "fp64", 4, 1, GIB, "bandwidth", "GB/s", 40, 39, 41),
    ("gemm", "blocked", "fp64", 16, 1, 6291456, "flops", "GFLOP/s", 1000, 980, 1020),
    ("gemm", "blocked", "fp64", 4, 1, 6291456, "flops", "GFLOP/s", 300, 290, 310),
]
write("eta", "fixture.eta", SHARED,
      {"packages": 1, "numa_nodes": 1, "cores": 16, "pus": 16, "memory_bytes": 64 * GIB})
write("theta", "fixture.theta", SHARED,
      {"packages": 1, "numa_nodes": 1, "cores": 2, "pus": 2, "memory_bytes": 4 * GIB})
