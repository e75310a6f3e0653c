/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kernel.h: the kernel interface shared by every backend.
 *
 * A kernel is data plus four functions (likwid-bench's .ptt header is the
 * work model; BabelStream's Stream class is the interface):
 *
 *   - su_kernel_desc_t: the name, family and the work model per element
 *     (flops and bytes read/written, STREAM's byte convention: bytes the
 *     kernel asks for, no write-allocate traffic).  One per kernel name, in
 *     src/core/workmodel.c, shared by all backends that implement it.
 *   - su_kernel_ops_t: one backend's implementation: the precisions and
 *     variants it offers, its sizing rule, and setup (allocate, first touch
 *     by the bound threads), run (`inner` back-to-back repetitions, complete
 *     on return), verify (against an independent reference, after timing)
 *     and teardown.
 *
 * The driver, not the kernel, times run() and turns su_work_t into GB/s,
 * GFLOP/s or ns.  Adding a kernel is one file plus one table line.
 */
#ifndef SIZEUP_KERNEL_H
#define SIZEUP_KERNEL_H

#include <stddef.h>
#include <stdint.h>

/* What a kernel's headline figure is; decides the metric and unit columns. */
typedef enum su_metric_kind_e {
  SU_METRIC_BANDWIDTH, /* "bandwidth", "GB/s"    = work.bytes / time, 1e9 B/s */
  SU_METRIC_FLOPS,     /* "flops",     "GFLOP/s" = work.flops / time          */
  SU_METRIC_LATENCY,   /* "latency",   "ns"      = time / work.items          */
  SU_METRIC_TIME,      /* "time",      "s"       = wall time of one run (an app)  */
  SU_METRIC_FOM        /* "fom", the desc's unit = a figure the program printed   */
} su_metric_kind_t;

typedef enum su_precision_e {
  SU_PREC_NONE = 0, /* kernel has no floating-point type (pointer chase) */
  SU_PREC_FP16 = 1,
  SU_PREC_FP32 = 2,
  SU_PREC_FP64 = 4
} su_precision_t;

/* How the driver picks problem sizes when the user gives none. */
typedef enum su_size_rule_e {
  SU_SIZE_NONE,       /* size does not matter (register-only peak kernels) */
  SU_SIZE_4X_LLC,     /* total working set >= 4x the last-level cache (STREAM rule) */
  SU_SIZE_FIXED,      /* desc->default_size_bytes */
  SU_SIZE_SWEEP_CACHE,/* 16 KiB .. 8x LLC, geometric: the cache-plateau sweep */
  SU_SIZE_SWEEP_LAT,  /* 4 KiB .. 8x the LLC: the latency sweep */
  SU_SIZE_SWEEP_XFER  /* 64 KiB .. 256 MiB, x2 steps: host<->device transfers */
} su_size_rule_t;

typedef struct su_kernel_desc {
  const char *name;        /* stable lower_snake, part of the CSV contract */
  const char *family;      /* "stream" | "peak" | "latency" | "gemm" | "stencil" | ... */
  const char *desc;        /* one sentence, shown by `sizeup list` */
  su_metric_kind_t metric;
  double flops_per_elem;   /* per element per repetition; 0 for pure data movement */
  double bytes_read_per_elem;    /* in units of the element size (x sizeof(REAL)) */
  double bytes_written_per_elem; /* ditto; STREAM convention, no write-allocate */
  unsigned nstreams;       /* arrays touched (likwid STREAMS) */
  const char *work_note;   /* how the work model is counted, for `sizeup list` */
  double verify_rel_tol;   /* in units of the type's epsilon (BabelStream uses 100) */
  /* Optional overrides of the metric's name and unit (an application's
   * figure of merit: "fom" or "fom_lower", in the user's unit); NULL = the
   * kind's own (su_metric_name, su_metric_unit). */
  const char *metric_name, *metric_unit;
} su_kernel_desc_t;

/* The shared work models (src/core/workmodel.c): one per kernel name. */
extern const su_kernel_desc_t su_desc_stream_copy, su_desc_stream_scale,
    su_desc_stream_add, su_desc_stream_triad, su_desc_stream_dot,
    su_desc_stream_read, su_desc_fma_peak, su_desc_latency_chase, su_desc_gemm,
    su_desc_stencil_7pt, su_desc_transfer_h2d, su_desc_transfer_d2h,
    su_desc_launch_latency, su_desc_transfer_d2d;

/* What setup() is asked to build. */
typedef struct su_params {
  su_precision_t prec;
  const char *variant;     /* one of ops->variants, or another the backend accepts */
  uint64_t size_bytes;     /* requested total working set (all arrays); 0 for NONE */
  unsigned nthreads;       /* OpenMP threads, already bound by the driver */
  unsigned device;         /* device index within the backend */
  void *backend_ctx;       /* the backend's per-run context (NULL for cpu) */
  /* The planned point (its PUs, placement, ranks), the topology it was
   * planned on, and the results directory (NULL when there is none): what
   * a backend that starts processes (app) needs to bind and keep output. */
  const struct su_point *point;
  const struct su_topo *topo;
  const char *out_dir;
} su_params_t;

/*
 * Work done by ONE inner repetition, filled by setup().  The driver divides
 * by time to get the rate, so these are exact counts, not estimates.
 */
typedef struct su_work {
  double flops;            /* floating-point operations */
  double bytes;            /* bytes moved, STREAM convention */
  double items;            /* e.g. dependent loads, for latency kernels */
  uint64_t size_bytes;     /* actual working set after rounding */
  char variant[24];        /* resolved variant name, e.g. "avx512" for "best" */
} su_work_t;

/* Timing a backend measured itself (device events); 0 when host-timed only. */
typedef struct su_timing {
  uint64_t device_ns;
  /* A sample's value the kernel measured itself, in the metric's unit, used
   * instead of the driver's when has_value (an application's own wall time,
   * without sizeup's fork and output handling, or its figure of merit). */
  double value;
  int has_value;
} su_timing_t;

/* Result of verify(): the worst error found and the tolerance it was held to. */
typedef struct su_verify {
  double max_rel_err;
  double tol;
} su_verify_t;

/* A figure a kernel derives once per configuration, beside its headline. */
typedef struct su_derived {
  const char *metric;      /* lower_snake, e.g. "peak_theoretical", "efficiency" */
  const char *unit;
  double value;            /* used when primary_scale == 0 */
  double primary_scale;    /* > 0: row = headline statistics x this factor */
} su_derived_t;

#define SU_MAX_DERIVED 4

typedef struct su_kernel_ops {
  const su_kernel_desc_t *desc;  /* the shared work model */
  /* What this backend's implementation offers and runs by default: */
  unsigned precisions;     /* bitmask of su_precision_t implemented */
  const char *variants;    /* comma list the default plan runs, e.g. "omp,nt" */
  su_size_rule_t size_rule;
  uint64_t default_size_bytes; /* for SU_SIZE_FIXED */
  uint64_t accel_size_bytes;   /* for SU_SIZE_FIXED on a GPU or accelerator; 0 = default */
  /*
   * Allocates and initialises the kernel's data; on the CPU backend the
   * arrays are first touched inside `#pragma omp parallel num_threads(
   * p->nthreads)` with the same static schedule as run(), so each page lands
   * next to the thread that uses it.  Fills *work.  Returns SU_OK,
   * SU_ENOTSUP (precision/variant/ISA not available), SU_ENOMEM, SU_EINVAL.
   * On failure *state is left untouched and nothing is leaked.
   */
  int (*setup)(const su_params_t *p, void **state, su_work_t *work);
  /* Runs `inner` (>= 1) repetitions back to back; complete on return. */
  int (*run)(void *state, uint64_t inner, su_timing_t *t);
  /* Checks the output against an independent reference; SU_EVERIFY if wrong. */
  int (*verify)(void *state, su_verify_t *v);
  /* NULL-safe; cannot fail. */
  void (*teardown)(void *state);
  /* Optional: extra figures (theoretical peak, efficiency, clock).  *n <= max. */
  int (*derive)(void *state, su_derived_t *out, unsigned max, unsigned *n);
  /* Optional, for tests: damages the output so that verify() must fail. */
  void (*corrupt)(void *state);
  /* SU_KERNEL_OWN_BINDING: the kernel binds its own work (a child process,
   * the app backend), so the driver binds no OpenMP team of its own and
   * probes no core-to-core latency. */
  unsigned flags;
} su_kernel_ops_t;

#define SU_KERNEL_OWN_BINDING 1u
/* SU_KERNEL_PAIRS: the kernel runs between two devices (su_point_t.peer):
 * the plan makes one point per ordered pair of the selected devices, the
 * diagonal included (a copy matrix, like NVIDIA's nvbandwidth). */
#define SU_KERNEL_PAIRS 2u

/* "fp64" / "fp32" / "fp16" / "none". */
const char *su_precision_name(su_precision_t p);
/* Parses a precision name; SU_EINVAL if unknown. */
int su_precision_parse(const char *s, su_precision_t *out);
/* Size in bytes of one element of that precision (0 for NONE). */
size_t su_precision_size(su_precision_t p);
/* "bandwidth"/"GB/s", "flops"/"GFLOP/s", "latency"/"ns". */
const char *su_metric_name(su_metric_kind_t m);
const char *su_metric_unit(su_metric_kind_t m);
/* A kernel's metric name and unit: the desc's overrides, else the kind's. */
const char *su_desc_metric_name(const su_kernel_desc_t *d);
const char *su_desc_metric_unit(const su_kernel_desc_t *d);
/* 1 when smaller values of metric `name` are better: "latency", "time",
 * "fom_lower" (everything else, rates and "fom", is higher-is-better). */
int su_metric_lower_is_better(const char *name);

#endif /* SIZEUP_KERNEL_H */
