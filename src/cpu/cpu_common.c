/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cpu_common.c: what the CPU kernels share beyond allocation: running one
 * function on each thread of an OpenMP team and checking that OpenMP gave
 * the team that was asked for (an OMP_THREAD_LIMIT or a nested region can
 * give fewer threads, and a run on fewer threads than recorded would report
 * a per-thread rate that was never measured).
 */
#include <omp.h>

#include "cpu/cpu.h"
#include "sizeup/error.h"

int su__cpu_each_thread(unsigned nthreads, su__cpu_thread_fn fn, void *arg, const char *what)
{
  int team = 0;

#pragma omp parallel num_threads(nthreads)
  {
    unsigned tid = (unsigned)omp_get_thread_num();

    if (tid == 0)
      team = omp_get_num_threads();
    if (tid < nthreads)
      fn(arg, tid);
  }
  if ((unsigned)team != nthreads)
    return su_errorf(SU_EBACKEND, "openmp ran %d threads, not %u, for '%s'", team, nthreads,
                     what);
  return SU_OK;
}
