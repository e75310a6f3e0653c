/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cpu.h: internal to the CPU (OpenMP) backend: its kernel ops and helpers.
 * One file per kernel family in src/cpu/, one line per kernel in
 * su_cpu_kernels[] (cpu_backend.c).
 */
#ifndef SIZEUP_CPU_H
#define SIZEUP_CPU_H

#include <stddef.h>

#include "sizeup/backend.h"
#include "sizeup/kernel.h"

extern const su_kernel_ops_t su_cpu_stream_copy_ops;
extern const su_kernel_ops_t su_cpu_stream_scale_ops;
extern const su_kernel_ops_t su_cpu_stream_add_ops;
extern const su_kernel_ops_t su_cpu_stream_triad_ops;
extern const su_kernel_ops_t su_cpu_stream_dot_ops;
extern const su_kernel_ops_t su_cpu_stream_read_ops;
extern const su_kernel_ops_t su_cpu_fma_peak_ops;
extern const su_kernel_ops_t su_cpu_latency_chase_ops;
extern const su_kernel_ops_t su_cpu_gemm_ops;
extern const su_kernel_ops_t su_cpu_stencil_7pt_ops;

/*
 * Page-aligned (2 MiB-aligned for large sizes, so transparent huge pages can
 * back it) allocation that is NOT touched: the caller first-touches it from
 * the bound threads.  NULL on failure (su_test_alloc_fail_after() can force
 * failures in tests).
 */
void *su__cpu_alloc(size_t bytes);
void su__cpu_free(void *p);

/*
 * Runs fn(arg, tid) on each thread tid < nthreads of one OpenMP team of
 * nthreads.  SU_EBACKEND, naming `what` (the kernel), when OpenMP ran a
 * team of another size; fn has then run on the threads that existed.
 */
typedef void (*su__cpu_thread_fn)(void *arg, unsigned tid);
int su__cpu_each_thread(unsigned nthreads, su__cpu_thread_fn fn, void *arg, const char *what);

/* The ISA features this CPU has, as detected at run time. */
typedef struct su_cpu_isa {
  int sse2, avx, avx2, fma, avx512f;
} su_cpu_isa_t;
void su__cpu_isa(su_cpu_isa_t *out);

#endif /* SIZEUP_CPU_H */
