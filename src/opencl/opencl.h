/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * opencl.h: internal to the OpenCL backend: the per-run context (every
 * platform's devices, a lazily created context and profiling queue per
 * device, the cache of built programs), the one check macro every OpenCL
 * call goes through, the watchdog wait, and the kernel ops.
 *
 * Device code lives in src/opencl/kernels/<name>.cl and is embedded at build
 * time (cmake/embed.cmake) as su_cl_sources[], a NULL-terminated table of
 * {name, text} where name is the file name without ".cl".
 *
 * One host thread drives one device.  Several devices at once (multidev.c)
 * set up on their own threads: device creation and the program cache take
 * the context's lock.
 */
#ifndef SIZEUP_OPENCL_H
#define SIZEUP_OPENCL_H

#include <stddef.h>
#include <pthread.h>
#include <stdint.h>

#define CL_USE_DEPRECATED_OPENCL_1_2_APIS /* clCreateCommandQueue for 1.x platforms */
#include <CL/cl.h>

#include "sizeup/backend.h"
#include "sizeup/kernel.h"

/* Generated from src/opencl/kernels/ *.cl by cmake/embed.cmake. */
struct su_cl_source {
  const char *name;
  const char *text;
};
extern const struct su_cl_source su_cl_sources[];

/* One OpenCL device, with the facts the kernels need to size themselves. */
typedef struct su_cl_device {
  cl_platform_id platform;
  cl_device_id id;
  unsigned plat_index, dev_index;   /* the "P:D" selector */
  char name[128];
  char version[128];                /* CL_DEVICE_VERSION */
  cl_uint compute_units;
  uint64_t global_mem_bytes, max_alloc_bytes, local_mem_bytes;
  size_t max_wg_size;
  int has_fp64, has_fp16;
  int cl1x;                         /* device speaks OpenCL 1.x only */
  int is_cpu;                       /* CL_DEVICE_TYPE_CPU (PoCL): runs work-items in turn */
  int lost;                         /* 1: a command outlived the watchdog (`hung`);
                                     * 2: it outlived the grace period too: the
                                     * device is skipped and never waited for */
  cl_event hung;                    /* the command that outlived the watchdog */
  cl_context context;               /* created on first use */
  cl_command_queue queue;           /* in order, profiling enabled */
} su_cl_device_t;

/* A built program, keyed by (device, source, options). */
typedef struct su_cl_prog {
  unsigned dev;
  const char *source;               /* the text pointer: embedded sources are static */
  char options[160];
  cl_program program;
} su_cl_prog_t;

typedef struct su_cl_ctx {
  pthread_mutex_t mu;               /* recursive: device creation, the program cache */
  unsigned ndev;
  su_cl_device_t *devs;
  unsigned nprog, capprog;
  su_cl_prog_t *progs;
} su_cl_ctx_t;

/* "CL_INVALID_VALUE" for a status code; "CL_UNKNOWN_ERROR(<n>)" is never
 * returned: unknown codes give "CL_UNKNOWN_STATUS". */
const char *su__cl_status_name(cl_int st);

/*
 * Records a failed OpenCL call and returns the sizeup code for it.  `expr`
 * is the stringized call; the API name is the first cl* identifier in it.
 * Out-of-memory statuses (CL_MEM_OBJECT_ALLOCATION_FAILURE anywhere, and
 * CL_OUT_OF_RESOURCES from allocation or the first write/fill/map of a
 * buffer) become SU_ESKIP, so that a size the device cannot hold is recorded
 * as `skipped`; every other status is SU_EBACKEND.
 */
int su__cl_fail(cl_int st, const char *expr);

/*
 * The one check macro: evaluates a cl_int expression; on failure sets `err`
 * and jumps to the caller's `out` label.  Calls that return an object take
 * the form SU_CL((obj = clCreateX(..., &st), st)).
 */
#define SU_CL(expr)                                                           \
  do {                                                                        \
    cl_int su_st_ = (expr);                                                   \
    if (su_st_ != CL_SUCCESS) {                                               \
      err = su__cl_fail(su_st_, #expr);                                       \
      goto out;                                                               \
    }                                                                         \
  } while (0)

/* The device by flat index, with its context and queue created; SU_EINVAL
 * for a bad index, SU_EBACKEND if the runtime refuses. */
int su__cl_device(su_cl_ctx_t *c, unsigned dev, su_cl_device_t **out);

/*
 * Builds `source` for device `dev` with `options`, or returns the cached
 * program.  A failed build returns SU_EBACKEND whose context carries the
 * first lines of CL_PROGRAM_BUILD_LOG.  The program stays owned by the
 * cache (released by fini).  `source` must outlive the context.
 */
int su__cl_build(su_cl_ctx_t *c, unsigned dev, const char *source,
                 const char *options, cl_program *out);
/* The embedded source "stream", "peak", ...; NULL when absent. */
const char *su__cl_source(const char *name);
/* Options for REAL = the precision's type, plus `extra`, into buf. */
void su__cl_options(su_precision_t prec, const char *extra, char *buf, size_t len);
/* Creates kernel `name` from an embedded source built for (dev, prec, extra). */
int su__cl_kernel(su_cl_ctx_t *c, unsigned dev, const char *source_name,
                  su_precision_t prec, const char *extra, const char *name,
                  cl_kernel *out);

/*
 * Waits until `ev` completes, or until `timeout_ns` have passed: returns
 * SU_OK, SU_ETIMEOUT (the device did not finish; the event is left to the
 * runtime) or SU_EBACKEND (the command ended with an error status).  Waits
 * on a condition variable signalled by an event callback, so that the host
 * thread does not steal a core from a CPU device while it waits.
 */
int su__cl_wait(cl_event ev, uint64_t timeout_ns);
/* The watchdog deadline for a run whose last run took last_ns:
 * max(10 s, 100 x last_ns). */
uint64_t su__cl_deadline_ns(uint64_t last_ns);
/* END - START (or END - QUEUED when from_queued) of a completed event, ns. */
int su__cl_event_ns(cl_event ev, int from_queued, uint64_t *ns);

/*
 * Teardown of a kernel family's state: waits for d's queue (when d has one),
 * then releases k and the nmem buffers of mems; NULL handles are skipped.
 * Cannot fail.
 */
void su__cl_release(su_cl_device_t *d, cl_kernel k, const cl_mem *mems, unsigned nmem);
/*
 * Bytes per array when req_bytes are split over narrays arrays, clamped so
 * that each array fits CL_DEVICE_MAX_MEM_ALLOC_SIZE and all of them fit in
 * 90% of the global memory.  narrays must be > 0.
 */
uint64_t su__cl_array_bytes(const su_cl_device_t *d, uint64_t req_bytes, unsigned narrays);

/* Enqueues one repetition of `state`'s command with a profiling event in
 * *ev; returns SU_OK, or the error of the failed call (no event then). */
typedef int (*su__cl_enqueue_fn)(void *state, cl_event *ev);
#define SU_CL_MAX_BATCH 64

/* What a repetition's time is, from its profiling events. */
typedef enum su_cl_clock_e {
  SU_CL_EACH,       /* each event's END - START, summed: the command's own time */
  SU_CL_DISPATCH,   /* each event's START - QUEUED, summed: launch overhead (clpeak) */
  SU_CL_SPAN        /* first START to last END of each batch: gaps between
                     * back-to-back commands count, and a coarse device timer
                     * (1 us on NVIDIA) does not quantize each small copy */
} su_cl_clock_t;

/*
 * Runs `inner` repetitions of enqueue(state) on device d, `batch`
 * (1..SU_CL_MAX_BATCH) back to back before one watchdog wait on the last (the
 * queue is in order); with batch 1 the queue is flushed right after each
 * enqueue, so the command is submitted at once.  `clock` says how events
 * become time; *last_rep_ns holds the latest repetition's time, for the next
 * deadline.  On success t->device_ns (t may be NULL) is the total; on error t
 * is untouched.  A watchdog timeout marks d lost (su_cl_device_t.lost).
 */
int su__cl_run_timed(su_cl_device_t *d, su__cl_enqueue_fn enqueue, void *state, uint64_t inner,
                     unsigned batch, su_cl_clock_t clock, uint64_t *last_rep_ns, su_timing_t *t);
/* su__cl_run_timed of one NDRange launch of k on d's queue (gsz, lsz: dim
 * sizes each; lsz may be NULL). */
int su__cl_run_kernel(su_cl_device_t *d, cl_kernel k, cl_uint dim, const size_t *gsz,
                      const size_t *lsz, uint64_t inner, unsigned batch, su_cl_clock_t clock,
                      uint64_t *last_rep_ns, su_timing_t *t);
/*
 * The local size for a kernel on d: min(cap, CL_KERNEL_WORK_GROUP_SIZE), a
 * power of two, and a divisor of `global` when possible (clpeak: fp64 v8
 * needs ~130 registers per work-item, so the driver's largest group can fail
 * with CL_OUT_OF_RESOURCES).  0 on a CPU device: the runtime chooses.
 */
size_t su__cl_local_size(const su_cl_device_t *d, cl_kernel k, size_t cap, size_t global);

/* Marks d lost after a watchdog timeout on ev (retained). */
void su__cl_mark_lost(su_cl_device_t *d, cl_event ev);
/* 1 while d is lost.  The first call after the timeout waits up to
 * SU_CL_GRACE_NS more for the command: if it ends (a slow command, not a
 * hung one) the mark is cleared and 0 returned; if not, d stays lost for
 * good and later calls return 1 at once. */
#define SU_CL_GRACE_NS (60ull * 1000000000ull)
int su__cl_still_lost(su_cl_device_t *d);

/* SU_ENOTSUP unless the device supports the precision. */
int su__cl_check_prec(const su_cl_device_t *d, su_precision_t prec);
/* Parses a vector-width variant "v1", "v2", ... "v16"; SU_ENOTSUP otherwise. */
int su__cl_parse_vec(const char *variant, unsigned *vec);

/* Kernel ops (one file per family). */
extern const su_kernel_ops_t su_opencl_stream_copy_ops;
extern const su_kernel_ops_t su_opencl_stream_scale_ops;
extern const su_kernel_ops_t su_opencl_stream_add_ops;
extern const su_kernel_ops_t su_opencl_stream_triad_ops;
extern const su_kernel_ops_t su_opencl_stream_dot_ops;
extern const su_kernel_ops_t su_opencl_fma_peak_ops;
extern const su_kernel_ops_t su_opencl_gemm_ops;
extern const su_kernel_ops_t su_opencl_transfer_h2d_ops;
extern const su_kernel_ops_t su_opencl_transfer_d2h_ops;
extern const su_kernel_ops_t su_opencl_transfer_d2d_ops;
extern const su_kernel_ops_t su_opencl_launch_latency_ops;

#endif /* SIZEUP_OPENCL_H */
