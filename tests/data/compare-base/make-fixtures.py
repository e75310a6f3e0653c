#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes the fixtures tests/data/compare-base and tests/data/compare-new: two
# small synthetic results directories (docs/csv-schema.md) of the same
# machine, 12 samples per configuration, lognormal noise of cv ~2%, drawn
# with a fixed seed.  compare-new differs from compare-base by a real 12%
# regression of stream_triad at 2 threads; everything else is unchanged noise.
# Rerun from the repository root: python3 tests/data/compare-base/make-fixtures.py
import json
import math
import os
import random
import statistics

KEYS = ["schema_version", "run_id", "kernel", "variant", "backend", "device", "precision",
        "threads", "ranks", "nodes", "placement", "cpuset", "size_bytes"]
SUMMARY = KEYS + ["metric", "unit", "status", "reason", "median", "min", "max", "mean",
                  "stddev", "cv", "ci95_lo", "ci95_hi", "reps", "point", "inner", "flops",
                  "bytes", "timer", "noisy"]
SAMPLES = KEYS + ["metric", "unit", "point", "rep", "inner", "time_ns", "device_ns", "value"]
DEVICE = "AMD EPYC 9R14 2-Core Processor"
# kernel, variant, precision, threads, placement, cpuset, size_bytes, metric, unit, median
CONFIGS = [
    ("stream_triad", "omp", "fp64", 1, "compact", "0", 134217720, "bandwidth", "GB/s", 24.6),
    ("stream_triad", "omp", "fp64", 2, "compact", "0-1", 134217720, "bandwidth", "GB/s", 48.1),
    ("stream_copy", "omp", "fp64", 1, "compact", "0", 134217712, "bandwidth", "GB/s", 22.9),
    ("fma_peak", "avx512", "fp64", 1, "compact", "0", 0, "flops", "GFLOP/s", 58.4),
    ("latency_chase", "random", "none", 1, "compact", "0", 16384, "latency", "ns", 1.09),
    ("latency_chase", "random", "none", 1, "compact", "0", 67108864, "latency", "ns", 152.0),
]


def ci_ranks(n):
    # 0-based order-statistic ranks of the 95% CI of the median (binomial)
    if n < 6:
        return 0, n - 1
    best = (0, n - 1)
    for lo in range(n // 2, -1, -1):
        hi = n - 1 - lo
        p = sum(math.comb(n, k) for k in range(lo + 1, hi + 1)) / 2 ** n
        if p >= 0.95:
            best = (lo, hi)
            break
    return best


def write(dirname, run_id, factor, seed):
    rng = random.Random(seed)
    os.makedirs(dirname, exist_ok=True)
    srows, prows = [], []
    for point, c in enumerate(CONFIGS):
        kernel, variant, prec, threads, place, cpuset, size, metric, unit, med = c
        m = med * factor.get((kernel, threads), 1.0)
        vals = [m * math.exp(0.02 * rng.gauss(0, 1)) for _ in range(12)]
        key = [1, run_id, kernel, variant, "cpu", DEVICE, prec, threads, 1, 1, place, cpuset,
               size]
        s = sorted(vals)
        lo, hi = ci_ranks(len(s))
        mean = statistics.fmean(vals)
        sd = statistics.stdev(vals)
        srows.append(key + [metric, unit, "ok", "", "%.9g" % statistics.median(vals),
                            "%.9g" % s[0], "%.9g" % s[-1], "%.9g" % mean, "%.9g" % sd,
                            "%.9g" % (sd / mean), "%.9g" % s[lo], "%.9g" % s[hi], len(vals),
                            point, 1, "", "", "host", 0])
        for rep, v in enumerate(vals):
            prows.append(key + [metric, unit, point, rep, 1, "", "", "%.9g" % v])
    for name, header, rows in (("summary.csv", SUMMARY, srows), ("samples.csv", SAMPLES, prows)):
        with open(os.path.join(dirname, name), "w") as f:
            f.write(",".join(header) + "\n")
            for r in rows:
                f.write(",".join('"%s"' % x if "," in str(x) else str(x) for x in r) + "\n")
    system = {
        "schema_version": 1, "run_id": run_id,
        "sizeup": {"version": "0.1.0", "git_commit": "0123456789ab"},
        "host": {"hostname": "devvm", "os": "Debian GNU/Linux 12", "kernel": "6.1.0-26-amd64"},
        "cpu": {"model": "AMD EPYC 9R14 (synthetic fixture)", "vendor": "AuthenticAMD",
                "arch": "x86_64", "isa": ["avx2", "avx512f"]},
        "topology": {"packages": 1, "numa_nodes": 1, "cores": 2, "pus": 2,
                     "memory_bytes": 5347737600, "llc_bytes": 33554432},
        "labels": {"instance": "devvm"},
    }
    with open(os.path.join(dirname, "system.json"), "w") as f:
        json.dump(system, f, indent=2)
        f.write("\n")


write("tests/data/compare-base", "20261120T020000Z-devvm-0001", {}, 1)
write("tests/data/compare-new", "20261121T020000Z-devvm-0002", {("stream_triad", 2): 0.88}, 2)
