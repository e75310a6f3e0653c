/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mix.h: the workload of an application, inferred from its times.
 *
 * With an application (`sizeup app`: wall time, or a figure of merit in a
 * unit of time, a time per run or a rate such as ns/day) and the kernels
 * measured on one node at the same core counts (threads x ranks), the
 * application's time (per run, or per unit of work) is modelled as
 *
 *   T(N) = a0 + sum_k w_k t_k(N),      a0, w_k >= 0
 *
 * where t_k(N) is kernel k's time per unit of work at N threads (1 / GB/s
 * for stream_triad, 1 / GFLOP/s for gemm or fma_peak, latency / N for
 * latency_chase: N chains chased side by side), w_k the job's work of that
 * kind (GB, GFLOP, dependent loads) and a0 a serial part that no thread
 * count shortens.  The weights are a non-negative least-squares fit over
 * the ladder (every subset of the unknowns solved, the best feasible kept:
 * exact for these few unknowns).  The time fractions at the largest count,
 * sum_k w_k t_k(N) / T(N), are the [mix] of a workload file.
 */
#ifndef SIZEUP_MIX_H
#define SIZEUP_MIX_H

#include <stddef.h>
#include <stdio.h>

#include "sizeup/results.h"

#define SU_MIX_MAX 3
#define SU_MIX_REFITS 64   /* the counts a mix is fitted on, at most */

typedef struct su_mix {
  char app[64], placement[64];
  size_t nk;
  char kernel[SU_MIX_MAX][32];
  char work_unit[SU_MIX_MAX][16];   /* "GB", "GFLOP", "loads" */
  double work[SU_MIX_MAX];          /* w_k */
  double serial_s;                  /* a0 */
  double share[SU_MIX_MAX];         /* time fractions at nmax (with serial_share: 1) */
  double serial_share;
  double nmax;                      /* largest core count (threads x ranks) of the fit */
  double time_at_nmax;              /* the application's measured median there, s (per
                                       unit of work when kind is a rate) */
  /* The rows fitted: their unit ("s" for wall time, else the figure of
   * merit's) and how it became seconds (SU__APP_TIME a time per run,
   * SU__APP_WORK a time per unit `work_of`, e.g. "ns" of ns/day). */
  char unit[32], work_of[32];
  int kind;
  int over_ranks;                   /* 1 when the app ran over MPI ranks */
  double r2, max_rel_err;           /* fit quality over the ladder */
  double held_out_err;              /* the largest relative error predicting a count left
                                       out of the fit (NaN: a refit failed) */
  /* The shares at nmax over those refits, lowest and highest: [0] the
   * serial part, [1 + k] kernel k (NaN: a refit failed). */
  double share_lo[1 + SU_MIX_MAX], share_hi[1 + SU_MIX_MAX];
  /* Those refits' shares, one per count left out ([i][0] serial, [i][1 + k]
   * kernel k); nrefit 0 when a refit failed. */
  size_t nrefit;
  double refit_share[SU_MIX_REFITS][1 + SU_MIX_MAX];
  size_t npoints;
} su_mix_t;

/*
 * Infers the mix of application `app` (NULL: the only one) from results r,
 * which must hold its single-node rows in a unit of time and ok rows of
 * stream_triad and of gemm or fma_peak (latency_chase is used when present)
 * at the same core counts (threads x ranks) and placement.  SU_EINVAL with context saying what to measure when that
 * is not so (fewer counts than unknowns + 1), SU_ENOMEM.
 */
int su_mix_infer(const su_results_t *r, const char *app, su_mix_t *out);

/* "serial 40-52%, stream_triad 2-31%, ..." from share_lo/hi into buf, ""
 * when a refit failed. */
void su_mix_share_ranges(const su_mix_t *m, char *buf, size_t len);

/* 1 when a share moves by more than 20 points with a count left out. */
int su_mix_loose(const su_mix_t *m);

/*
 * Writes the mix as a workload file sizeup recommend reads (docs/sizing.md):
 * [workload] with the measured reference time, [mix] (the serial share as
 * `serial`, the kernels' shares beside it), and
 * [target] `target` ("throughput_jobs_per_day=20") when given, else a
 * commented example to change; `reference` (may be NULL) names the
 * catalog entry of the measured machine.  SU_OK, SU_EIO.
 */
int su_mix_write_workload(const su_mix_t *m, const su_results_t *r, const char *target,
                          const char *reference, FILE *fp);

#endif /* SIZEUP_MIX_H */
