/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * estimate.c: how long a plan will take, and fitting it to a time limit.
 *
 * A point's round is modelled from what the runner does (runner.c): set up
 * (first touch of its arrays by the bound threads), warm up (at least 20 ms
 * and two samples), timed samples (the budget, or min_reps samples when one
 * sample is longer than budget / min_reps, at most 20x the budget), then
 * verification of the output array (one thread) and 0.1 s of binding,
 * probing and writing (measured, see POINT_OVERHEAD_S); a device's point
 * adds its program, queues and copies through the host (DEVICE_*).  A sample lasts min_sample, or one repetition when
 * that is longer: a repetition moves the point's bytes at a modelled
 * bandwidth.  The machine is one we may not have, so the bandwidths are
 * assumptions, stated here and in docs/architecture.md, and chosen low for
 * a server's memory (an estimate that errs long is the useful one):
 *
 *   memory   10 GB/s per thread, at most 40 GB/s per NUMA node the threads
 *            touch; 40 GB/s per thread while the arrays fit the last-level
 *            cache of the team
 *   touch    4 GB/s per thread (page faults), at most 20 GB/s per NUMA node
 *   verify   10 GB/s over one array (one thread checks the output)
 *   latency  100 ns per dependent load from memory, 5 ns from a cache
 *
 * Kernels that compute (fma_peak, gemm) calibrate their samples to
 * min_sample; an application's sample is its run, taken as the budget.
 *
 * --time-limit drops, level by level, the finest sizes of each sweep and
 * the finest thread rungs (never 1, a boundary of the machine, all cores or
 * all PUs), then shortens the budgets (down to a tenth), then keeps the
 * plan's first points that fit.
 */
#include <hwloc.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "sizeup/error.h"
#include "sizeup/run.h"

#define GB 1e9
#define MEM_GBS_THREAD 10.0
#define MEM_GBS_NODE 40.0
#define CACHE_GBS_THREAD 40.0
#define TOUCH_GBS_THREAD 4.0
#define TOUCH_GBS_NODE 20.0
#define VERIFY_GBS 10.0
#define LAT_MEM_S 100e-9
#define LAT_CACHE_S 5e-9
#define WARMUP_S 0.02
/* What a point's round costs besides its kernel (binding the team, the
 * core-to-core probe, OpenMP teams, writing and syncing its rows): the gap
 * between this model without it and the quick profile's run on the 2-core
 * development VM (26 s modelled, 42-53 s measured, 147 measurements). */
#define POINT_OVERHEAD_S 0.1
/* A device point's round besides its kernel: building or fetching its
 * OpenCL program, queues and events, and its buffers written from and read
 * back to the host (at DEVICE_COPY_GBS): the gap between this model
 * without it and `sizeup run --profile quick --backend opencl` on PoCL on
 * the development VM (13 s modelled, 69 s measured over 31 points and 3
 * rounds: about 0.6 s a point and round). */
#define DEVICE_OVERHEAD_S 0.5
#define DEVICE_COPY_GBS 5.0

/* The NUMA nodes the point's threads run on (at least 1). */
static unsigned point_nodes(hwloc_topology_t topo, const su_point_t *pt)
{
  hwloc_bitmap_t set = hwloc_bitmap_alloc();
  unsigned n = 0;

  if (!set)
    return 1;
  for (unsigned i = 0; pt->pus && i < pt->threads; i++)
    hwloc_bitmap_set(set, pt->pus[i]);
  for (hwloc_obj_t o = NULL; (o = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, o));)
    n += o->cpuset && hwloc_bitmap_intersects(o->cpuset, set);
  hwloc_bitmap_free(set);
  return n ? n : 1;
}

/* One round of one point, in its three parts (s). */
static void point_est(const su_point_t *pt, unsigned nodes, uint64_t llc_bytes,
                      const su_measure_opts_t *mo, double scale, double part[3])
{
  const su_kernel_desc_t *d = pt->ops->desc;
  const int host = (pt->backend->flags & SU_BACKEND_HOST_THREADS) != 0;
  const double thr = pt->threads ? pt->threads : 1;
  const double bytes = (double)pt->size_bytes * (d->metric == SU_METRIC_LATENCY ? thr : 1);
  const double budget = (pt->budget_s > 0 ? pt->budget_s : mo->budget_s) * scale;
  double rep = 0, sample, timed, setup = 0, verify = 0;

  part[0] = part[1] = part[2] = 0;
  if (pt->skipped[0] || pt->unsupported[0] || pt->same_as)
    return;
  if (host && bytes > 0) {
    double fits = bytes <= (double)llc_bytes;
    double bw = fits ? thr * CACHE_GBS_THREAD : fmin(thr * MEM_GBS_THREAD, nodes * MEM_GBS_NODE);
    if (d->metric == SU_METRIC_BANDWIDTH)
      rep = bytes / (bw * GB);
    else if (d->metric == SU_METRIC_LATENCY)
      rep = (double)pt->size_bytes / 64 * (fits ? LAT_CACHE_S : LAT_MEM_S);
    setup = bytes / (fmin(thr * TOUCH_GBS_THREAD, nodes * TOUCH_GBS_NODE) * GB);
    verify = bytes / (d->nstreams ? d->nstreams : 1) / (VERIFY_GBS * GB);
  }
  if (!host && d->metric != SU_METRIC_TIME && d->metric != SU_METRIC_FOM) {
    /* a device: its arrays written and read back through the host */
    setup = DEVICE_OVERHEAD_S + (double)pt->size_bytes / (DEVICE_COPY_GBS * GB);
    verify = (double)pt->size_bytes / (d->nstreams ? d->nstreams : 1) / (DEVICE_COPY_GBS * GB);
  }
  if (d->metric == SU_METRIC_TIME || d->metric == SU_METRIC_FOM)
    rep = budget;                          /* an application: one run per sample */
  sample = fmax(mo->min_sample_s, rep);
  timed = mo->min_reps * sample;
  if (timed < budget)
    timed = fmin(budget, mo->max_reps * sample);
  else
    timed = fmin(timed, fmax(20 * budget, 3 * sample));
  part[0] = timed;
  part[1] = fmax(WARMUP_S, 2 * sample);
  part[2] = POINT_OVERHEAD_S + setup + verify;
}

/* Sums the plan's estimate with budgets scaled by `scale`. */
static void sum_plan(su_plan_t *plan, const su_topo_t *t, const su_measure_opts_t *mo,
                     double scale)
{
  hwloc_topology_t topo = su_topo_hwloc(t);
  su_topo_summary_t s;
  const unsigned rounds = mo->rounds ? mo->rounds : 1;
  uint64_t llc = 32ull << 20;

  if (su_topo_summarize(t, &s) == SU_OK && s.llc_instance_bytes)
    llc = s.llc_instance_bytes;
  plan->est_timed_s = plan->est_warm_s = plan->est_setup_s = 0;
  for (size_t i = 0; i < plan->n; i++) {
    su_point_t *pt = &plan->points[i];
    double part[3];
    unsigned nodes = point_nodes(topo, pt);
    /* the cache a team reaches: one instance per NUMA node it spans, roughly */
    point_est(pt, nodes, llc * nodes, mo, scale, part);
    pt->est_s = part[0] + part[1] + part[2];
    plan->est_timed_s += rounds * part[0];
    plan->est_warm_s += rounds * part[1];
    plan->est_setup_s += rounds * part[2];
  }
  plan->rounds = rounds;
  plan->est_s = plan->est_timed_s + plan->est_warm_s + plan->est_setup_s;
}

void su__plan_estimate(su_plan_t *plan, const su_topo_t *t, const su_measure_opts_t *mo)
{
  sum_plan(plan, t, mo, 1.0);
}

/* Removes the points for which drop[i] is set, renumbering the rest (and
 * their same_as: a point whose twin went is measured itself).  newidx has
 * room for plan->n entries. */
static void drop_points(su_plan_t *plan, const unsigned char *drop, unsigned *newidx)
{
  size_t m = 0;

  for (size_t i = 0; i < plan->n; i++) {
    su_point_t *pt = &plan->points[i];
    newidx[i] = (unsigned)m;
    if (drop[i]) {
      free(pt->pus);
      free(pt->cpuset);
      continue;
    }
    if (pt->same_as) {
      unsigned j = pt->same_as - 1;
      pt->same_as = drop[j] ? 0 : newidx[j] + 1;
      plan->ndup -= pt->same_as == 0;
    }
    pt->index = (unsigned)m;
    plan->points[m++] = *pt;
  }
  plan->n = m;
}

/* Appends to plan->fit. */
static void fit_say(su_plan_t *plan, const char *fmt, ...) SU_PRINTF(2, 3);
static void fit_say(su_plan_t *plan, const char *fmt, ...)
{
  size_t n = strlen(plan->fit);
  va_list ap;

  va_start(ap, fmt);
  if (n < sizeof(plan->fit))
    vsnprintf(plan->fit + n, sizeof(plan->fit) - n, fmt, ap);
  va_end(ap);
}

int su__plan_fit(su_plan_t *plan, const su_topo_t *t, const su_measure_opts_t *mo,
                 double limit_s)
{
  const unsigned rounds = mo->rounds ? mo->rounds : 1;
  unsigned char *drop = NULL;
  unsigned *newidx = NULL;
  size_t before = plan->n, nsize = 0, nrung = 0, ntail = 0;
  double full = plan->est_s, scale = 1.0, first = -1;
  char rungs[96] = "";
  size_t rlen = 0;

  plan->fit[0] = '\0';
  if (limit_s <= 0 || plan->est_s <= limit_s)
    return SU_OK;
  for (size_t i = 0; i < plan->n && first < 0; i++)
    if (plan->points[i].est_s > 0)
      first = plan->points[i].est_s * rounds;
  if (first > limit_s)
    return su_errorf(SU_EINVAL,
                     "--time-limit %.0f s is too short: one point of this plan takes about "
                     "%.0f s (give a longer limit, or fewer kernels with -k)",
                     limit_s, ceil(first));
  drop = calloc(plan->n ? plan->n : 1, 1);
  newidx = calloc(plan->n ? plan->n : 1, sizeof(*newidx));
  if (!drop || !newidx) {
    free(drop);
    free(newidx);
    return su_errorf(SU_ENOMEM, "out of memory while fitting the plan");
  }
  /* Finest first: sizes of level L, then thread rungs of level L. */
  for (unsigned lvl = 1; lvl < 64 && plan->est_s > limit_s; lvl++) {
    for (int axis = 0; axis < 2 && plan->est_s > limit_s; axis++) {
      size_t hit = 0;
      memset(drop, 0, plan->n);
      for (size_t i = 0; i < plan->n; i++) {
        const su_point_t *pt = &plan->points[i];
        if ((axis == 0 ? pt->size_keep : pt->rung_keep) == lvl) {
          drop[i] = 1;
          hit++;
          if (axis == 1) {
            char num[16];
            int len = snprintf(num, sizeof(num), "%u", pt->threads);
            if (!strstr(rungs, num) && rlen + (size_t)len + 2 < sizeof(rungs))
              rlen += (size_t)snprintf(rungs + rlen, sizeof(rungs) - rlen, "%s%s",
                                       rlen ? "," : "", num);
          }
        }
      }
      if (!hit)
        continue;
      drop_points(plan, drop, newidx);
      *(axis == 0 ? &nsize : &nrung) += hit;
      sum_plan(plan, t, mo, scale);
    }
  }
  /* Shorter budgets, down to a tenth. */
  while (plan->est_s > limit_s && scale > 0.11) {
    scale *= 0.8;
    sum_plan(plan, t, mo, scale);
  }
  if (scale < 1.0)
    for (size_t i = 0; i < plan->n; i++) {
      su_point_t *pt = &plan->points[i];
      pt->budget_s = (pt->budget_s > 0 ? pt->budget_s : mo->budget_s) * scale;
    }
  /* The first points that fit. */
  if (plan->est_s > limit_s) {
    double acc = 0;
    memset(drop, 0, plan->n);
    for (size_t i = 0; i < plan->n; i++) {
      acc += plan->points[i].est_s * rounds;
      if (acc > limit_s) {
        drop[i] = 1;
        ntail++;
      }
    }
    drop_points(plan, drop, newidx);
    sum_plan(plan, t, mo, 1.0);
  }
  free(drop);
  free(newidx);
  snprintf(plan->fit, sizeof(plan->fit), "--time-limit %.0f s: the full plan (%zu points) "
           "would take about %.0f s", limit_s, before, full);
  if (nsize)
    fit_say(plan, "; dropped %zu points of the finest sizes", nsize);
  if (nrung)
    fit_say(plan, "; dropped %zu points at thread counts %s", nrung, rungs);
  if (scale < 1.0)
    fit_say(plan, "; budgets x%.2f", scale);
  if (ntail)
    fit_say(plan, "; dropped the last %zu points", ntail);
  return SU_OK;
}
