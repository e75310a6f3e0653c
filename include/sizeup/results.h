/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * results.h: loading a results directory for analysis (fit, report).
 *
 * A results directory (docs/csv-schema.md) holds summary.csv, samples.csv
 * and system.json.  The analysing commands read only those files, so a
 * directory written on any machine can be analysed anywhere.  This module
 * loads summary.csv into one struct per row (columns are found by header
 * name, so added columns do not break older readers) and the fingerprint of
 * system.json (through libjansson when sizeup was built with it).
 *
 * Every string loaded here is UNTRUSTED: results are exchanged between
 * organisations.  Consumers escape them for their output format (HTML,
 * gnuplot, Markdown); nothing here interprets them.
 */
#ifndef SIZEUP_RESULTS_H
#define SIZEUP_RESULTS_H

#include <stddef.h>
#include <stdint.h>

/* One row of summary.csv.  Strings are owned by the su_results_t, never NULL
 * ("" when the cell is empty).  Missing numbers are NaN. */
typedef struct su_result_row {
  char *run_id, *kernel, *variant, *backend, *device, *precision;
  char *placement, *cpuset, *metric, *unit, *status, *reason, *timer;
  /* "strong" (default) or "weak": the optional `scaling` column marks a
   * weak-scaling series (work grows with N); absent means strong. */
  char *scaling;
  unsigned threads, ranks, nodes, reps;
  uint64_t size_bytes;
  double median, min, max, mean, stddev, cv, ci95_lo, ci95_hi;
  double flops, bytes;     /* per kernel repetition; NaN when absent */
  double energy_j, power_w; /* measured energy and mean power (schema 3); NaN when not */
  int noisy;               /* 0 when absent */
  int cpu_numa, mem_numa;  /* the threads' and the memory's NUMA node; -1 when empty */
} su_result_row_t;

typedef struct su_cache_info {
  unsigned level;          /* 1, 2, 3 ... */
  uint64_t size_bytes;     /* one instance */
  unsigned count;          /* instances in the machine */
  unsigned pus_per_instance;
} su_cache_info_t;

#define SU_RESULTS_MAX_CACHES 8

/* The parts of system.json the reports show.  Strings never NULL. */
typedef struct su_fingerprint {
  int loaded;              /* 1 when system.json was found and parsed */
  char *run_id, *sizeup_version, *git_commit;
  char *hostname, *os, *kernel;
  char *cpu_model, *cpu_vendor, *arch, *isa;    /* isa: "avx2 avx512f ..." */
  char *compiler_id, *compiler_flags, *command_line;
  unsigned packages, numa_nodes, cores, pus;
  uint64_t memory_bytes, llc_bytes;
  su_cache_info_t caches[SU_RESULTS_MAX_CACHES];
  size_t ncaches;
  char **label_keys, **label_vals;              /* user labels, nlabels each */
  size_t nlabels;
  char **device_names;                          /* "devices"[i].name */
  char **device_types;                          /* "gpu", "accelerator", "cpu" (the cpu
                                                   backend's and PoCL's), "" unknown */
  size_t ndevices;
} su_fingerprint_t;

typedef struct su_results {
  char *dir;               /* as given */
  char *run_id;            /* system.json's, else the rows', else the dir's basename */
  su_result_row_t *rows;
  size_t nrows;
  su_fingerprint_t fp;
} su_results_t;

/*
 * Loads DIR/summary.csv (required) and DIR/system.json (optional: without
 * it, or in a build without libjansson, fp.loaded stays 0).  On success the
 * caller owns *out and releases it with su_results_fini.  Returns SU_OK;
 * SU_EIO when summary.csv cannot be opened; SU_EINVAL for malformed input
 * (a missing required column, an unsupported schema_version, a bad number,
 * invalid JSON) with the file and line in the context; SU_ENOMEM.  *out is
 * left zeroed on failure.
 */
int su_results_load(const char *dir, su_results_t *out);
void su_results_fini(su_results_t *r);   /* NULL-safe, idempotent */

/* "gpu" for a row measured on a GPU or accelerator (an OpenCL device that
 * system.json does not call a CPU), else "cpu". */
const char *su_results_row_device_kind(const su_results_t *r, const su_result_row_t *row);
/* The last-level cache that the cores of a CPU row (cpu, null, or an
 * OpenCL CPU device) can use, from system.json's caches: one instance per
 * PU of its cpuset (every PU for OpenCL), at most all of them, times its
 * nodes; *level its level (0 when system.json gives only the total).  An
 * upper bound, so a working set larger than it is in main memory.  0 when
 * not known: no system.json, or a GPU row. */
uint64_t su_results_llc_of_row(const su_results_t *r, const su_result_row_t *row,
                               unsigned *level);
/* GPUs and accelerators in system.json's devices. */
size_t su_results_gpu_count(const su_results_t *r);

/* 1 when the row's status is "ok" and its median is a finite number. */
int su_results_row_ok(const su_result_row_t *row);

/* A label from system.json's "labels", or NULL. */
const char *su_results_label(const su_results_t *r, const char *key);

/* One field of system.json that differs between two runs (sysdiff.c). */
typedef struct su_sysdiff {
  char *field;             /* "host.kernel", "labels.instance", "devices[0].version" */
  char *base, *cur;        /* the values as text; "" when absent on that side */
} su_sysdiff_t;

/*
 * What changed on the machine between two runs: the leaves of two system.json
 * documents (given as text) that differ, arrays of strings compared joined,
 * base order first.  Fields that differ on every run are left out (run_id,
 * written_at, complete, command_line, the timer's overhead and tick,
 * settings.points, environment.SLURM_JOB_ID).  Untrusted text, kept as is.
 * SU_OK with *out (free with su_results_sysdiff_free) and *n; SU_EINVAL with
 * context when a document is not a JSON object; SU_ENOTSUP without libjansson;
 * SU_ENOMEM.
 */
int su_results_sysdiff(const char *base_json, const char *new_json, su_sysdiff_t **out,
                       size_t *n);
void su_results_sysdiff_free(su_sysdiff_t *d, size_t n);

/*
 * The headline figures of a set of rows, the same everywhere they are shown
 * (the report's first table, its verdict, the history's trend plots):
 *   SU_HEAD_MEM_BW   memory bandwidth: the best FP64 stream_triad median at
 *                    its largest working set (any precision when no FP64);
 *                    never another kernel's bandwidth
 *   SU_HEAD_PEAK64,  the best fma_peak median, FP64 and FP32
 *   SU_HEAD_PEAK32
 *   SU_HEAD_LATENCY  memory latency: the best latency_chase latency at its
 *                    largest working set; never another kernel's latency
 *                    (launch_latency, ping-pong)
 * Each figure comes from one backend: the cpu backend's rows when they give
 * it, else the null backend's (a model, not a measurement), else any other
 * backend's (an OpenCL device): the row says which.  Whether the working
 * set is larger than the caches is for the caller (su_results_llc_of_row).
 * Only rows that are ok count.  value is NaN and row is (size_t)-1 when no
 * row gives the figure; row is the index of the row that gave it.
 */
typedef enum su_head_e {
  SU_HEAD_MEM_BW, SU_HEAD_PEAK64, SU_HEAD_PEAK32, SU_HEAD_LATENCY, SU_HEAD_N
} su_head_t;
typedef struct su_headline {
  double value;
  size_t row;
} su_headline_t;
void su_results_headlines(const su_result_row_t *rows, size_t n, su_headline_t out[SU_HEAD_N]);
/* The same figures from the rows of one backend only ("opencl"); backend
 * NULL is su_results_headlines. */
void su_results_headlines_of(const su_result_row_t *rows, size_t n, const char *backend,
                             su_headline_t out[SU_HEAD_N]);
/* "memory bandwidth", "peak FP64", "peak FP32", "memory latency"; and the
 * unit: "GB/s", "GFLOP/s", "GFLOP/s", "ns".  NULL out of range. */
const char *su_results_head_name(su_head_t h);
const char *su_results_head_unit(su_head_t h);

#endif /* SIZEUP_RESULTS_H */
