/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * core_int.h: internal to src/core: the multi-device adapter the runner
 * uses for points with several devices (multidev.c), the core-to-core
 * latency probe of a thread team (c2c.c), the placement pairs of the
 * planner (memplan.c), and the parts of the runner.
 */
#ifndef SIZEUP_CORE_INT_H
#define SIZEUP_CORE_INT_H

#include <signal.h>
#include <stdint.h>

#include "sizeup/kernel.h"
#include "sizeup/run.h"
#include "sizeup/topo.h"

/* What the adapter's setup finds in su_params_t.backend_ctx. */
typedef struct su__multidev {
  const su_kernel_ops_t *ops;   /* the per-device kernel */
  void *backend_ctx;            /* the backend's own context */
  unsigned n;                   /* devices */
  const unsigned *devices;      /* device indices within the backend */
} su__multidev_t;

/* Fills *out with an ops table that runs `per_device` on several devices at
 * once; its setup expects a su__multidev_t as params->backend_ctx. */
void su__multidev_ops(const su_kernel_ops_t *per_device, su_kernel_ops_t *out);

/* The one-way core-to-core latency of the current OpenMP team of `threads`
 * (bound by the caller), ns: the largest over thread 0's partners (all of a
 * team of up to 9, else 8 spread over it).  NaN for one thread, or when a
 * partner did not answer within 20 ms (an oversubscribed machine).  Takes
 * well under a millisecond per partner. */
double su__team_c2c_ns(unsigned threads);

/* Where one point's threads run and its memory lives (memplan.c). */
typedef struct su__place_pair {
  char place[64];          /* a placement su_place_parse accepts */
  int mem;                 /* memory bound to this NUMA node; -1: first touch */
  uint64_t mem_bytes;      /* the bound node's memory; 0 with first touch */
  unsigned threads;        /* > 0: the NUMA matrix's thread count, not the group's */
  uint64_t size_bytes;     /* > 0: the NUMA matrix's size (sizes = auto) */
  unsigned limit;          /* > 0 (kind:N): the kind's PUs, the most threads it places */
  unsigned kind_cores;     /* > 0 (kind:N): the kind's cores, a rung of its ladder */
  char why[160];           /* non-empty: the pair's points are `unsupported`, for this reason */
} su__place_pair_t;

/*
 * Crosses placement tokens ltok[0..nl-1] (`kinds` expands to kind:0..K-1
 * on a hybrid CPU, to nothing elsewhere) with the memory placements of
 * `memory` ("local", "mem:J", "each", a comma list; NULL or "" = local) for
 * kernel ops; auto_size says the group's sizes are "auto"; no_each drops
 * `each` (first touch instead, when nothing else is left).  *out is
 * malloc'ed.  SU_EINVAL naming a bad memory placement or a node that does
 * not exist, SU_ENOMEM.
 */
int su__place_pairs(su_topo_t *t, const char *memory, int no_each, char **ltok, unsigned nl,
                    const su_kernel_ops_t *ops, int auto_size, su__place_pair_t **out,
                    unsigned *n);

/*
 * The parts of su_point_measure (runner.c), each testable alone.
 *
 * A sampler times samples of one set-up kernel: `inner` repetitions of
 * ops->run on `state`, on clock_ns (the host's monotonic clock, or a
 * virtual backend's), with device time when dev_timer.  With coll, every
 * rank samples at once and the times are the maxima over the ranks.  stop
 * (may be NULL) non-zero asks to stop after the current sample.
 */
typedef struct su__sampler {
  const su_kernel_ops_t *ops;
  void *state;
  int dev_timer;
  const su_collective_t *coll;
  volatile sig_atomic_t *stop;
  uint64_t (*clock_ns)(void);
} su__sampler_t;

/* Times one sample; *own is the value the kernel measured itself, NaN
 * when none; *stopped when stop was raised (on any rank).  Returns the
 * (agreed) error of run(), with its message in why. */
int su__sample(const su__sampler_t *s, uint64_t inner, uint64_t *host_ns, uint64_t *dev_ns,
               double *own, int *stopped, char *why, size_t len);

/*
 * Warm-up and calibration: samples (discarded) with `inner` growing until
 * one lasts at least target_ns, then more of them until warmup_ns have
 * passed on the sampler's clock.  *inner is the calibrated count.  SU_OK,
 * SU_EINTR when stopped, or run()'s error (message in why).
 */
int su__calibrate(const su__sampler_t *s, double target_ns, uint64_t warmup_ns, uint64_t *inner,
                  char *why, size_t len);

/* Why sampling stops (su__stop_rule). */
typedef enum su__stop_e {
  SU__GO,              /* take another sample */
  SU__STOP_MAX_REPS,   /* mo->max_reps samples */
  SU__STOP_BUDGET,     /* min_reps done and the budget spent */
  SU__STOP_CI,         /* min_reps done and the CI95 of the median within +-ci_target */
  SU__STOP_SLOW        /* fewer than min_reps, but 3 and 20 budgets spent */
} su__stop_t;

/* The stop rule (Hoefler & Belli): decides from the n values so far and
 * the time spent sampling.  Pure: same inputs, same answer. */
su__stop_t su__stop_rule(const double *values, size_t n, double elapsed_ns, double budget_ns,
                         const su_measure_opts_t *mo);

/*
 * Timed samples of `inner` repetitions appended to out (values from
 * out->work and d's metric, per-sample arrays grown as needed) until the
 * stop rule says stop.  SU_OK, SU_EINTR, SU_ENOMEM, or run()'s error
 * (message in why).
 */
int su__sample_loop(const su__sampler_t *s, const su_kernel_desc_t *d, uint64_t inner,
                    double budget_ns, const su_measure_opts_t *mo, su_point_result_t *out,
                    char *why, size_t len);

/* Estimates the plan's duration into plan->est_* and each point's est_s
 * (estimate.c, where the model is). */
void su__plan_estimate(su_plan_t *plan, const su_topo_t *t, const su_measure_opts_t *mo);
/* Drops the finest sizes and thread rungs, then shortens budgets, then
 * keeps the first points, until the estimate fits limit_s; plan->fit says
 * what went.  SU_EINVAL when one point alone is longer than the limit. */
int su__plan_fit(su_plan_t *plan, const su_topo_t *t, const su_measure_opts_t *mo,
                 double limit_s);

#endif /* SIZEUP_CORE_INT_H */
