/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * clock.c: the sustained core clock, measured with a chain of dependent
 * integer adds on every thread of a loaded team.
 *
 * Why an add chain: `add reg, reg` has a latency of exactly one cycle on
 * every x86-64 core of the last fifteen years (Agner Fog, "Instruction
 * tables"; uops.info), and when each add needs the previous result no
 * out-of-order trick can retire more than one per cycle, so adds per
 * nanosecond is the clock in GHz whatever the nominal frequency says.  The
 * added operand is a register holding 1, not an immediate, because some
 * recent renamers fold chains of small immediate adds and would make the
 * clock look faster than it is.  The loop counter and branch are
 * independent of the chain and execute beside it.
 *
 * Why not /proc/cpuinfo or the TSC: both report the nominal clock; on the
 * virtual machines sizeup is developed on they read 2.6 GHz while the cores
 * sustain ~3.65 GHz under load (likwid-bench peakflops agrees with the
 * measured figure), so a theoretical peak from the nominal clock is 40% off.
 */
#include <stdint.h>
#include <stdlib.h>

#include <omp.h>

#include "cpu/clock.h"
#include "sizeup/error.h"
#include "sizeup/timer.h"

#define SU_CLOCK_ADDS_PER_BLOCK 1000 /* must match the .rept count below */
#define SU_CLOCK_CHUNK_NS 2000000u   /* one timed chunk: 2 ms */
#define SU_CLOCK_CHUNKS 8            /* 8 x 2 ms = 16 ms per thread */
#define SU_CLOCK_CALIB_BLOCKS 256    /* ~70 us at 4 GHz, to size a chunk */

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Median of n values; sorts x in place. */
static double median_inplace(double *x, size_t n)
{
  qsort(x, n, sizeof(*x), cmp_double);
  return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

#if defined(__x86_64__)

/* Runs nblocks x SU_CLOCK_ADDS_PER_BLOCK dependent adds (one cycle each). */
static uint64_t add_chain(uint64_t nblocks)
{
  uint64_t acc = 0, one = 1;

  for (uint64_t i = 0; i < nblocks; i++)
    __asm__ volatile(".rept 1000\n\taddq %1, %0\n\t.endr" : "+r"(acc) : "r"(one));
  return acc;
}

/* One thread's clock in GHz: the fastest of SU_CLOCK_CHUNKS timed chunks.
 * A chunk the scheduler interrupted (another process on the core, the
 * hypervisor) counts its adds over a longer wall time and reads low, and no
 * chunk can read high: a chain retires at most one add per cycle.  The
 * median of the chunks fell below 0.5 GHz on a 2-core machine with twenty
 * runnable processes; the fastest chunk still reads the clock. */
static double thread_clock_ghz(void)
{
  double ghz[SU_CLOCK_CHUNKS];
  uint64_t t0, dt_ns, nblocks;

  t0 = su_time_ns();
  add_chain(SU_CLOCK_CALIB_BLOCKS);
  dt_ns = su_time_ns() - t0;
  if (dt_ns == 0)
    dt_ns = 1;
  nblocks = (uint64_t)SU_CLOCK_CALIB_BLOCKS * SU_CLOCK_CHUNK_NS / dt_ns;
  if (nblocks == 0)
    nblocks = 1;
  for (unsigned c = 0; c < SU_CLOCK_CHUNKS; c++) {
    t0 = su_time_ns();
    add_chain(nblocks);
    dt_ns = su_time_ns() - t0;
    ghz[c] = dt_ns ? (double)nblocks * SU_CLOCK_ADDS_PER_BLOCK / (double)dt_ns : 0.0;
  }
  double best = 0.0;
  for (unsigned c = 0; c < SU_CLOCK_CHUNKS; c++)
    best = ghz[c] > best ? ghz[c] : best;
  return best;
}

int su__cpu_measure_clock_ghz(unsigned nthreads, su_clock_warmup_fn warmup,
                              void *arg, double *ghz)
{
  double *per_thread = NULL;
  int team = 0, err = SU_OK;

  if (nthreads == 0)
    return su_errorf(SU_EINVAL, "clock measurement needs at least one thread");
  per_thread = calloc(nthreads, sizeof(*per_thread));
  if (!per_thread)
    return su_errorf(SU_ENOMEM, "cannot allocate %u clock results", nthreads);

#pragma omp parallel num_threads(nthreads)
  {
    unsigned tid = (unsigned)omp_get_thread_num();

#pragma omp single
    team = omp_get_num_threads();
    if (warmup)
      warmup(arg, tid);
    /* Start together, so every thread is measured while all are busy. */
#pragma omp barrier
    if (tid < nthreads)
      per_thread[tid] = thread_clock_ghz();
  }
  if ((unsigned)team != nthreads) {
    err = su_errorf(SU_EBACKEND, "openmp ran %d threads, not %u, for 'clock'", team,
                    nthreads);
    goto out;
  }
  *ghz = median_inplace(per_thread, nthreads);
out:
  free(per_thread);
  return err;
}

#else /* !__x86_64__ */

int su__cpu_measure_clock_ghz(unsigned nthreads, su_clock_warmup_fn warmup,
                              void *arg, double *ghz)
{
  (void)nthreads;
  (void)warmup;
  (void)arg;
  (void)ghz;
  (void)median_inplace;
  return su_errorf(SU_ENOTSUP, "clock measurement has no add chain for this architecture");
}

#endif
