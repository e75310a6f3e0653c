/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * runner.c: measures one point of a plan.
 *
 * The procedure (Hoefler & Belli, SC15; likwid-bench's calibration; clpeak's
 * status per result):
 *
 *   1. bind OpenMP thread i to pus[i] (hwloc) BEFORE setup, so first touch
 *      places every page next to the thread that will use it, or, for a
 *      point with bound memory (the NUMA matrix), on its memory node;
 *   2. setup; a failure becomes an `unsupported`, `skipped` or `error` row;
 *   3. warm-up: one repetition, discarded; it also calibrates `inner`, the
 *      back-to-back repetitions per timed sample, so that a sample lasts at
 *      least min_sample_s (100 us by default: ~1000x the clock's resolution
 *      and ~100x an OpenMP fork/join on a small machine);
 *   4. timed samples until the 95% CI of the median is within +-ci_target
 *      and min_reps are done, or the time budget is spent, or max_reps;
 *   5. verify against the kernel's independent reference: a wrong answer
 *      becomes `failed_verify` and no number is reported;
 *   6. derived figures (theoretical peak, efficiency, clock).
 *
 * Values are computed per sample: GB/s = bytes / ns, GFLOP/s = flops / ns,
 * latency ns = ns / items.  Device kernels that report profiling-event time
 * are valued by it; the host time is always recorded beside it. *
 * In a distributed run (mo->coll, sizeup run --mpi) every rank measures the
 * same point at the same time, so shared resources (memory bandwidth, the
 * network) are contended as in a real job: a barrier precedes each sample,
 * the sample's time is the maximum over the ranks (the job is as slow as
 * its slowest rank), the work is summed over the ranks (flops and bytes;
 * items, for latency, is the maximum: ranks chase their chains side by
 * side), and every decision (calibration, stopping, status) is taken from
 * reduced values, so that all ranks take it identically.  A rank that fails
 * fails the point for all, with "rank N: " in the reason.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "sizeup/energy.h"
#include "sizeup/error.h"
#include "sizeup/run.h"
#include "sizeup/stats.h"
#include "sizeup/timer.h"

/* Minimum warm-up per point, in ns (see the warm-up loop). */
#define SU_WARMUP_NS 20000000ull
#define SU_MULTIDEV_SAMPLE_NS 10e6 /* several devices at once: host-timed samples */

const char *su_status_name(su_status_t s)
{
  switch (s) {
  case SU_STATUS_OK: return "ok";
  case SU_STATUS_UNSUPPORTED: return "unsupported";
  case SU_STATUS_SKIPPED: return "skipped";
  case SU_STATUS_FAILED_VERIFY: return "failed_verify";
  default: return "error";
  }
}

void su_point_result_fini(su_point_result_t *r)
{
  if (!r)
    return;
  free(r->values);
  free(r->time_ns);
  free(r->device_ns);
  free(r->inners);
  free(r->round);
  free(r->c2c);
  memset(r, 0, sizeof(*r));
}

/* One row that says why there is no number. */
static void result_fail(su_point_result_t *out, const su_point_t *pt, su_status_t st,
                        const char *why)
{
  su_row_t *row = &out->rows[0];

  memset(row, 0, sizeof(*row));
  row->metric = su_desc_metric_name(pt->ops->desc);
  row->unit = su_desc_metric_unit(pt->ops->desc);
  row->status = st;
  snprintf(row->reason, sizeof(row->reason), "%s", why && why[0] ? why : "unknown");
  out->nrows = 1;
}

static su_status_t status_of(int err)
{
  switch (err) {
  case SU_ENOTSUP: return SU_STATUS_UNSUPPORTED;
  case SU_ESKIP:
  case SU_ENOMEM: return SU_STATUS_SKIPPED;
  case SU_EVERIFY: return SU_STATUS_FAILED_VERIFY;
  default: return SU_STATUS_ERROR;
  }
}

/*
 * Binds OpenMP thread i of a team of pt->threads to pt->pus[i].  libgomp
 * reuses the same pool threads in the same team positions for later
 * parallel regions of the same size, so the binding holds for the kernel's
 * own regions.  Returns SU_OK, or the first thread's error.
 */
static int bind_team(su_topo_t *t, const su_point_t *pt)
{
  int err = SU_OK, got = 0;
  char why[256] = "";

  if (!su_topo_is_this_system(t))
    return su_errorf(SU_ENOTSUP, "the topology is not this machine's: cannot bind threads");
#pragma omp parallel num_threads(pt->threads) reduction(min : err)
  {
    int tid = omp_get_thread_num();
    int e = su_place_bind_self(t, pt->pus[tid]);
    /* Memory bound to one node (the NUMA matrix), before setup's first touch. */
    if (!e && pt->mem_bound)
      e = su_place_membind_self(t, pt->mem_numa);
    if (tid == 0)
      got = omp_get_num_threads();
    if (e) {
#pragma omp critical(su_bind_err)
      if (!why[0])
        snprintf(why, sizeof(why), "%s", su_errmsg());
    }
    err = e;
  }
  if (err)
    return su_errorf(err, "%s", why);
  if (got != (int)pt->threads)
    return su_errorf(SU_EINVAL, "OpenMP gave %d threads, not %u (check OMP_THREAD_LIMIT)", got,
                     pt->threads);
  return SU_OK;
}

static void unbind_team(su_topo_t *t, unsigned threads)
{
#pragma omp parallel num_threads(threads)
  su_place_unbind_self(t);
}

static double sample_value(const su_kernel_desc_t *d, const su_work_t *w, uint64_t inner,
                           uint64_t ns)
{
  double n = (double)inner, tns = (double)(ns ? ns : 1);

  switch (d->metric) {
  case SU_METRIC_BANDWIDTH: return w->bytes * n / tns;
  case SU_METRIC_FLOPS: return w->flops * n / tns;
  case SU_METRIC_TIME: return tns * 1e-9 / n;
  default: return tns / (w->items * n);
  }
}

/* realloc for the array *pp points to; *pp is unchanged on failure. */
static int regrow(void *pp, size_t n, size_t size)
{
  void *old, *p;

  memcpy(&old, pp, sizeof(old));
  if (!(p = realloc(old, n * size)))
    return SU_ENOMEM;
  memcpy(pp, &p, sizeof(p));
  return SU_OK;
}

int su_point_result_reserve(su_point_result_t *out, size_t cap)
{
  if (regrow(&out->values, cap, sizeof(double)) || regrow(&out->time_ns, cap, sizeof(uint64_t)) ||
      regrow(&out->device_ns, cap, sizeof(uint64_t)) ||
      regrow(&out->inners, cap, sizeof(uint64_t)) || regrow(&out->round, cap, sizeof(unsigned)) ||
      regrow(&out->c2c, cap, sizeof(double)))
    return SU_ENOMEM;
  return SU_OK;
}

/* Times one sample of `inner` repetitions on the sampler's clock.  *own is
 * the value the kernel measured itself (su_timing_t.has_value), NaN when it
 * did not. */
static int time_sample(const su__sampler_t *s, uint64_t inner, uint64_t *host_ns,
                       uint64_t *dev_ns, double *own)
{
  su_timing_t tm = {0};
  uint64_t t0 = s->clock_ns();
  int err = s->ops->run(s->state, inner, &tm);

  *host_ns = s->clock_ns() - t0;
  *dev_ns = s->dev_timer ? tm.device_ns : 0;
  *own = tm.has_value ? tm.value : NAN;
  return err;
}

/*
 * In a distributed run, every rank adopts the outcome of the lowest failing
 * rank: why (len bytes) gets its message.  Without one, why gets this
 * thread's error context.  Returns the agreed error.
 */
static int agree(const su_collective_t *c, int err, char *why, size_t len)
{
  snprintf(why, len, "%s", err ? su_errmsg() : "");
  if (!c)
    return err;
  return c->agree(c, err, why, len);
}

int su__sample(const su__sampler_t *s, uint64_t inner, uint64_t *host_ns, uint64_t *dev_ns,
               double *own, int *stopped, char *why, size_t len)
{
  const su_collective_t *c = s->coll;
  uint64_t v[4];
  int err;

  if (!c) {
    err = time_sample(s, inner, host_ns, dev_ns, own);
    *stopped = s->stop && *s->stop != 0;
    return agree(NULL, err, why, len);
  }
  if ((err = c->barrier(c)))
    return agree(NULL, err, why, len);
  err = time_sample(s, inner, host_ns, dev_ns, own);
  v[0] = *host_ns;
  v[1] = *dev_ns;
  v[2] = s->stop && *s->stop != 0;
  v[3] = err != SU_OK;
  if (c->max_u64(c, v, 4))
    return agree(NULL, SU_EBACKEND, why, len);
  *host_ns = v[0];
  *dev_ns = v[1];
  *stopped = v[2] != 0;
  if (!v[3])
    return SU_OK;
  return agree(c, err, why, len);
}

int su__calibrate(const su__sampler_t *s, double target_ns, uint64_t warmup_ns, uint64_t *inner,
                  char *why, size_t len)
{
  const su_collective_t *c = s->coll;
  uint64_t host_ns, dev_ns, n = 1, start = s->clock_ns();
  double own;
  int err, stopped;

  for (;;) {
    uint64_t warm_done;
    if ((err = su__sample(s, n, &host_ns, &dev_ns, &own, &stopped, why, len)))
      return err;
    if (stopped)
      return SU_EINTR;
    if (n >= (1ull << 40))
      break;
    warm_done = s->clock_ns() - start >= warmup_ns;
    if (c && host_ns >= target_ns && (err = c->bcast(c, &warm_done, sizeof(warm_done)))) {
      snprintf(why, len, "%s", su_errmsg());
      return err;
    }
    if (host_ns >= target_ns) {
      if (warm_done)
        break;
      continue;
    }
    /* Aim 20% above the target; at least double, to converge fast. */
    double f = host_ns ? 1.2 * target_ns / (double)host_ns : 1024.0;
    n = (uint64_t)((double)n * (f > 2.0 ? f : 2.0));
  }
  *inner = n;
  return SU_OK;
}

su__stop_t su__stop_rule(const double *values, size_t n, double elapsed_ns, double budget_ns,
                         const su_measure_opts_t *mo)
{
  su_stats_t st;

  if (n >= mo->max_reps)
    return SU__STOP_MAX_REPS;
  if (n >= mo->min_reps) {
    if (elapsed_ns >= budget_ns)
      return SU__STOP_BUDGET;
    if (su_stats_compute(values, n, &st) == SU_OK && su_stats_ci_rel(&st) <= mo->ci_target)
      return SU__STOP_CI;
  } else if (elapsed_ns >= 20 * budget_ns && n >= 3) {
    return SU__STOP_SLOW; /* a very slow point: 3 samples beat a run that never ends */
  }
  return SU__GO;
}

int su__sample_loop(const su__sampler_t *s, const su_kernel_desc_t *d, uint64_t inner,
                    double budget_ns, const su_measure_opts_t *mo, su_point_result_t *out,
                    char *why, size_t len)
{
  const su_collective_t *c = s->coll;
  uint64_t host_ns, dev_ns, start = s->clock_ns();
  size_t cap = out->nsamples;
  double own;
  int err, stopped;

  for (;;) {
    if (out->nsamples == cap) {
      cap = cap ? cap * 2 : 64;
      /* An allocation failure on one rank must stop all of them. */
      err = su_point_result_reserve(out, cap) ? su_errorf(SU_ENOMEM, "out of memory for samples")
                                              : SU_OK;
      if ((err = agree(c, err, why, len)))
        return err;
    }
    if ((err = su__sample(s, inner, &host_ns, &dev_ns, &own, &stopped, why, len)))
      return err;
    if (stopped)
      return SU_EINTR;
    out->time_ns[out->nsamples] = host_ns;
    out->device_ns[out->nsamples] = dev_ns;
    out->inners[out->nsamples] = inner;
    out->round[out->nsamples] = 0;
    out->c2c[out->nsamples] = NAN;
    out->values[out->nsamples] = isfinite(own) ? own
                                 : sample_value(d, &out->work, inner, dev_ns ? dev_ns : host_ns);
    out->nsamples++;

    /* Rank 0's clock decides for everyone (a broadcast), so that all ranks
     * stop after the same sample. */
    uint64_t elapsed_ns = s->clock_ns() - start;
    if (c && (err = c->bcast(c, &elapsed_ns, sizeof(elapsed_ns)))) {
      snprintf(why, len, "%s", su_errmsg());
      return err;
    }
    if (su__stop_rule(out->values, out->nsamples, (double)elapsed_ns, budget_ns, mo) != SU__GO)
      return SU_OK;
  }
}

/* Sums flops and bytes over the ranks; items is the maximum. */
static int reduce_work(const su_collective_t *c, su_work_t *w)
{
  double fb[2] = {w->flops, w->bytes};
  uint64_t items = (uint64_t)w->items;
  int err;

  if (!c)
    return SU_OK;
  if ((err = c->sum_f64(c, fb, 2)) || (err = c->max_u64(c, &items, 1)))
    return err;
  w->flops = fb[0];
  w->bytes = fb[1];
  w->items = (double)items;
  return SU_OK;
}

/* *d = the headline's statistics *h times k (a derived row in another unit). */
static void scale_stats(su_stats_t *d, const su_stats_t *h, double k)
{
  *d = *h;
  d->median *= k;
  d->min *= k;
  d->max *= k;
  d->mean *= k;
  d->stddev *= k;
  d->ci95_lo *= k;
  d->ci95_hi *= k;
}

/* The derived rows a kernel offers (peak_theoretical, efficiency, ...). */
static void add_derived(su_point_result_t *out, const su_point_t *pt, void *state)
{
  su_derived_t d[SU_MAX_DERIVED];
  unsigned n = 0;
  const su_stats_t *h = &out->rows[0].stats;

  if (!pt->ops->derive || pt->ops->derive(state, d, SU_MAX_DERIVED, &n) != SU_OK)
    return;
  for (unsigned i = 0; i < n && out->nrows < SU_MAX_ROWS; i++) {
    su_row_t *row = &out->rows[out->nrows++];
    memset(row, 0, sizeof(*row));
    row->metric = d[i].metric;
    row->unit = d[i].unit;
    row->status = SU_STATUS_OK;
    if (d[i].primary_scale > 0) {
      scale_stats(&row->stats, h, d[i].primary_scale);
    } else {
      su_stats_t s = {1, d[i].value, d[i].value, d[i].value, d[i].value, 0, 0,
                      d[i].value, d[i].value};
      row->stats = s;
    }
  }
}

/* The clock of a backend's samples: its own (virtual) or the host's. */
static uint64_t (*clock_of(const su_backend_t *b))(void)
{
  return b->clock_ns ? b->clock_ns : su_time_ns;
}

/* A failure becomes the point's only row; the point itself is done. */
static int point_fail(su_point_result_t *out, const su_point_t *pt, int err, const char *why)
{
  if (err == SU_EINTR)
    return SU_EINTR;
  result_fail(out, pt, status_of(err), why);
  return SU_OK;
}

/*
 * The cumulative energy counter behind a point, in joules: RAPL's CPU
 * packages for the CPU backend, NVML's GPUs (summed over the point's
 * devices, found by PCI bus id) for a device backend.  SU_ENOTSUP where the
 * machine has none; never an error of the point.
 */
static int point_energy(su_plan_t *plan, const su_point_t *pt, int slot, double *j)
{
  void *ctx = slot < 8 ? plan->backend_ctx[slot] : NULL;
  unsigned n = pt->ndevices > 1 ? pt->ndevices : 1;
  double sum = 0;

  if (!plan->energy_tried) {
    plan->energy_tried = 1;
    if (su_energy_open(&plan->energy) != SU_OK)
      plan->energy = NULL;
  }
  if (!plan->energy)
    return SU_ENOTSUP;
  if (strcmp(pt->backend->name, "cpu") == 0)
    return su_energy_read(plan->energy, NULL, j) == SU_OK ? SU_OK : (su_errclear(), SU_ENOTSUP);
  if (su_energy_why(plan->energy, 1)[0] || !pt->backend->device_info)
    return SU_ENOTSUP;
  for (unsigned i = 0; i < n; i++) {
    su_device_info_t info;
    double v;
    memset(&info, 0, sizeof(info));
    if (pt->backend->device_info(ctx, n > 1 ? pt->devices[i] : pt->device, &info) != SU_OK ||
        !info.pci[0] || su_energy_read(plan->energy, info.pci, &v) != SU_OK) {
      su_errclear();
      return SU_ENOTSUP;
    }
    sum += v;
  }
  *j = sum;
  return SU_OK;
}

int su_point_measure(su_plan_t *plan, su_topo_t *t, const su_point_t *pt,
                     const su_measure_opts_t *mo, volatile sig_atomic_t *stop,
                     su_point_result_t *out)
{
  const su_kernel_ops_t *ops = pt->ops;
  const su_kernel_desc_t *d = ops->desc;
  su_kernel_ops_t multi_ops;
  su__multidev_t multi;
  const su_collective_t *c = mo->coll;
  const int virt = (pt->backend->flags & SU_BACKEND_VIRTUAL) != 0;
  su__sampler_t smp;
  su_params_t p;
  su_verify_t v = {0, 0};
  void *state = NULL;
  uint64_t inner = 1;
  double target_ns = mo->min_sample_s * 1e9, budget_ns;
  int err, bound = 0, slot = 0, probe_c2c;
  char why[256];

  memset(out, 0, sizeof(*out));
  out->ranks = pt->ranks ? pt->ranks : c ? c->ranks : 1;
  out->nodes = c ? c->nodes : 1;
  out->rounds = 1;
  out->c2c_ns = NAN;
  out->energy_j = NAN;
  if (pt->unsupported[0]) {
    result_fail(out, pt, SU_STATUS_UNSUPPORTED, pt->unsupported);
    return SU_OK;
  }
  if (pt->skipped[0]) {
    result_fail(out, pt, SU_STATUS_SKIPPED, pt->skipped);
    return SU_OK;
  }
  for (const su_backend_t *const *b = su_backends(); *b && *b != pt->backend; b++)
    slot++;
  memset(&p, 0, sizeof(p));
  p.prec = pt->prec;
  p.variant = pt->variant;
  p.size_bytes = pt->size_bytes;
  p.nthreads = pt->threads;
  p.device = pt->device;
  p.backend_ctx = slot < 8 ? plan->backend_ctx[slot] : NULL;
  p.point = pt;
  p.topo = t;
  p.out_dir = plan->out_dir[0] ? plan->out_dir : NULL;
  out->device_timer = pt->backend->timer == SU_TIMER_DEVICE_EVENTS;
  if (pt->ndevices > 1) {
    /* Several devices are timed by the host clock around all of them: the
     * slowest device's event time would show perfect scaling even if the
     * devices ran one after another.  Samples of at least 10 ms keep the
     * launch and the threads' fork/join small against the work. */
    out->device_timer = 0;
    if (target_ns < SU_MULTIDEV_SAMPLE_NS)
      target_ns = SU_MULTIDEV_SAMPLE_NS;
    /* Several devices at once: the adapter is the kernel (multidev.c). */
    multi = (su__multidev_t){pt->ops, p.backend_ctx, pt->ndevices, pt->devices};
    su__multidev_ops(pt->ops, &multi_ops);
    ops = &multi_ops;
    p.backend_ctx = &multi;
  }

  /* 1-2. Bind, then set up. */
  su_errclear();
  /* A modelled backend runs nowhere, and a kernel that binds its own
   * processes (app) needs no team: neither is bound here. */
  const int nobind = virt || (pt->ops->flags & SU_KERNEL_OWN_BINDING);
  err = nobind ? SU_OK : bind_team(t, pt);
  bound = !nobind && err == SU_OK;
  if ((err = agree(c, err, why, sizeof(why)))) {
    result_fail(out, pt, SU_STATUS_ERROR, why);
    err = SU_OK;
    goto out;
  }
  if ((err = ops->setup(&p, &state, &out->work)))
    state = NULL;
  if ((err = agree(c, err, why, sizeof(why))) ||
      (err = agree(c, reduce_work(c, &out->work), why, sizeof(why)))) {
    err = point_fail(out, pt, err, why);
    goto out;
  }
  if (!out->work.variant[0])
    snprintf(out->work.variant, sizeof(out->work.variant), "%s", pt->variant);
  smp = (su__sampler_t){ops, state, out->device_timer, c, stop, clock_of(pt->backend)};

  /* 3. Warm-up and calibration of `inner` (discarded).  The warm-up lasts
   * at least SU_WARMUP_NS: the first samples after setup run at a lower
   * clock (frequency ramp, AVX-512 licences) and with cold TLBs; fma_peak's
   * first 1-ms sample reads ~25% low on the development VM without it.  In
   * a distributed run every rank reaches the same `inner`: it is computed
   * from the reduced time, and the warm-up clock is rank 0's (broadcast). */
  if ((err = su__calibrate(&smp, target_ns, SU_WARMUP_NS, &inner, why, sizeof(why)))) {
    err = point_fail(out, pt, err, why);
    goto out;
  }
  out->inner = inner;

  /* Where the threads sit, just before and after the samples (c2c.c): a
   * hypervisor that moves vCPUs changes it, and with it what the samples
   * measure.  Not in a distributed run, whose ranks each have their own. */
  probe_c2c = !c && bound && pt->threads > 1;
  if (probe_c2c)
    out->c2c_ns = su__team_c2c_ns(pt->threads);

  /* 4. Timed samples until the stop rule says enough, their energy read
   * around them where the machine has a counter. */
  budget_ns = (pt->budget_s > 0 ? pt->budget_s : mo->budget_s) * 1e9;
  {
    double e0 = NAN, e1 = NAN;
    uint64_t t0;
    point_energy(plan, pt, slot, &e0);
    t0 = su_time_ns();
    err = su__sample_loop(&smp, d, inner, budget_ns, mo, out, why, sizeof(why));
    if (!err && !isnan(e0) && point_energy(plan, pt, slot, &e1) == SU_OK && e1 >= e0) {
      out->energy_j = e1 - e0;
      out->energy_s = (double)(su_time_ns() - t0) / 1e9;
    }
  }
  if (err) {
    /* No memory for more samples is an error of the run, not of the point. */
    err = err == SU_ENOMEM ? point_fail(out, pt, SU_EBACKEND, why) : point_fail(out, pt, err, why);
    goto out;
  }
  if (probe_c2c)
    out->c2c_ns = fmax(out->c2c_ns, su__team_c2c_ns(pt->threads));
  for (size_t i = 0; i < out->nsamples; i++)
    out->c2c[i] = out->c2c_ns;

  /* 5. Verify after timing, against the kernel's independent reference. */
  err = ops->verify(state, &v);
  if ((err = agree(c, err, why, sizeof(why)))) {
    err = point_fail(out, pt, err, why);
    goto out;
  }

  memset(&out->rows[0], 0, sizeof(out->rows[0]));
  out->rows[0].metric = su_desc_metric_name(d);
  out->rows[0].unit = su_desc_metric_unit(d);
  out->rows[0].status = SU_STATUS_OK;
  if ((err = su_stats_compute(out->values, out->nsamples, &out->rows[0].stats))) {
    result_fail(out, pt, SU_STATUS_ERROR, su_errmsg());
    err = SU_OK;
    goto out;
  }
  out->rows[0].noisy = out->rows[0].stats.cv > mo->noise_cv;
  out->nrows = 1;
  /* 6. Derived figures (a theoretical peak, an efficiency) are one
   * process's: over several ranks they would mix one rank's peak with the
   * aggregate. */
  if (!c || c->ranks == 1)
    add_derived(out, pt, state);

out:
  ops->teardown(state);
  if (bound)
    unbind_team(t, pt->threads);
  return err;
}

/* The median of the rounds' c2c latencies (NaN when none was measured). */
static double rounds_c2c(const su_point_result_t *r)
{
  double v[128];                       /* sizeup run allows 100 rounds */
  size_t n = 0;
  su_stats_t s;

  for (size_t i = 0; i < r->nsamples && n < 128; i++)
    if ((i == 0 || r->round[i] != r->round[i - 1]) && isfinite(r->c2c[i]))
      v[n++] = r->c2c[i];
  return n && su_stats_compute(v, n, &s) == SU_OK ? s.median : NAN;
}

int su_point_result_merge(su_point_result_t *acc, su_point_result_t *r, unsigned round,
                          double noise_cv)
{
  su_stats_t old, now;
  size_t n;
  int err = SU_OK;

  if (acc->nrows == 0 && acc->nsamples == 0) {   /* the first round */
    *acc = *r;
    memset(r, 0, sizeof(*r));
    for (size_t i = 0; i < acc->nsamples; i++)
      acc->round[i] = round;
    return SU_OK;
  }
  if (acc->nrows == 0) {
    /* Samples of earlier rounds read back by --resume, without rows: the
     * rows (and derived figures) are this round's, recomputed below. */
    memcpy(acc->rows, r->rows, sizeof(acc->rows));
    acc->nrows = r->nrows;
    acc->work = r->work;
    acc->device_timer = r->device_timer;
    acc->ranks = r->ranks;
    acc->nodes = r->nodes;
    acc->energy_j = NAN;    /* the earlier rounds' energy was not kept */
  }
  if (r->rows[0].status != SU_STATUS_OK || acc->rows[0].status != SU_STATUS_OK) {
    if (r->rows[0].status != SU_STATUS_OK) {
      char why[sizeof(r->rows[0].reason)];
      snprintf(why, sizeof(why), "%s", r->rows[0].reason);
      acc->rows[0] = r->rows[0];
      snprintf(acc->rows[0].reason, sizeof(acc->rows[0].reason), "round %u: %.230s", round + 1,
               why);
      acc->nrows = 1;
    }
    goto out;
  }
  n = acc->nsamples + r->nsamples;
  if (su_point_result_reserve(acc, n ? n : 1)) {
    err = su_errorf(SU_ENOMEM, "out of memory for samples");
    goto out;
  }
  for (size_t i = 0, j = acc->nsamples; i < r->nsamples; i++, j++) {
    acc->values[j] = r->values[i];
    acc->time_ns[j] = r->time_ns[i];
    acc->device_ns[j] = r->device_ns[i];
    acc->inners[j] = r->inners[i];
    acc->round[j] = round;
    acc->c2c[j] = r->c2c[i];
  }
  if (su_stats_compute(acc->values, n, &now) != SU_OK) {
    err = su_errorf(SU_ENOMEM, "out of memory for samples");
    goto out;
  }
  acc->nsamples = n;
  acc->inner = r->inner;
  acc->rounds++;
  acc->c2c_ns = rounds_c2c(acc);
  acc->energy_j += r->energy_j;   /* NaN when a round had no counter */
  acc->energy_s += r->energy_s;
  old = acc->rows[0].stats;
  acc->rows[0].stats = now;
  acc->rows[0].noisy = now.cv > noise_cv;
  /* Derived rows scaled from the headline (add_derived) follow it; single
   * figures (a clock, a theoretical peak) stay those of the first round. */
  for (unsigned i = 1; i < acc->nrows; i++) {
    su_stats_t *d = &acc->rows[i].stats;
    if (d->n == old.n && old.median != 0 && d->n > 1)
      scale_stats(d, &now, d->median / old.median);
  }
out:
  su_point_result_fini(r);
  return err;
}
