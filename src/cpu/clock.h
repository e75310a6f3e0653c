/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * clock.h: internal to the CPU backend: measures the sustained core clock
 * under load, for the theoretical peak that fma_peak derives.
 *
 * The clock that /proc/cpuinfo, the TSC or OpenCL report is the nominal one;
 * on virtual machines it can be 40% below what the cores actually run at
 * under load, so a theoretical peak built on it is wrong.  sizeup measures
 * the clock instead: a chain of dependent integer adds retires exactly one
 * add per cycle, so adds per nanosecond is GHz.
 */
#ifndef SIZEUP_CPU_CLOCK_H
#define SIZEUP_CPU_CLOCK_H

/*
 * Warm-up hook run by every thread of the measuring team just before the
 * clock is measured (e.g. a few milliseconds of FMAs, so that the clock
 * reflects the loaded state of the kernel being characterised).  `tid` is
 * the OpenMP thread number.  May be NULL.
 */
typedef void (*su_clock_warmup_fn)(void *arg, unsigned tid);

/*
 * Measures the sustained clock concurrently on `nthreads` OpenMP threads
 * (bound by the caller, as for a kernel run): each thread runs `warmup`,
 * the team meets at a barrier, then each thread times several ~2 ms blocks
 * of dependent adds (about 16 ms in all).  A thread's clock is the median
 * of its blocks (robust to a block lost to preemption); *ghz is the median
 * over threads.  Returns SU_OK, SU_EINVAL (nthreads == 0), SU_ENOMEM,
 * SU_ENOTSUP (no inline-assembly add chain for this architecture: only
 * x86-64 has one), or SU_EBACKEND when OpenMP runs fewer threads than asked.
 * *ghz is untouched on failure.
 */
int su__cpu_measure_clock_ghz(unsigned nthreads, su_clock_warmup_fn warmup,
                              void *arg, double *ghz);

#endif /* SIZEUP_CPU_CLOCK_H */
