/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sizing.c: the sizing engine (sizing.h): per-candidate rates, node counts,
 * times, costs and energy for a workload and a target; ranking, the
 * cost/time Pareto front, the composite score and the explanation.
 *
 * The model, in one paragraph (docs/sizing.md has it in full).  A job is a
 * set of phases, one per kernel, each with an amount of work in the
 * kernel's unit (GB moved, GFLOP, dependent loads).  Mix mode derives the
 * work from time fractions on a reference node: phase k's work is
 * weight_k x reference_time_s x the reference's rate for k; the job's time
 * on a node is the sum over phases of work / rate (phases run one after
 * another).  Roofline mode has two phases, the job's GFLOP at the measured
 * peak and its GB at the measured memory bandwidth, and the time is their
 * maximum (Williams, Waterman, Patterson, CACM 52(4), 2009: the attainable
 * rate is min(peak, AI x bandwidth)).  On N nodes a phase runs at
 * N x E(N) x the node's rate, E from an Amdahl fit over measured node
 * counts, else 1 (ideal, and said so).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/fit.h"
#include "sizeup/kernel.h"
#include "sizeup/mix.h"
#include "sizeup/results.h"
#include "sizeup/sizing.h"
#include "model/model_int.h"

const char *su_sizing_target_name(su_sizing_target_t t)
{
  switch (t) {
  case SU_SIZING_THROUGHPUT: return "throughput";
  case SU_SIZING_TIME: return "time_to_solution";
  case SU_SIZING_BUDGET_HOUR: return "budget_per_hour";
  case SU_SIZING_BUDGET_JOB: return "budget_per_job";
  }
  return "?";
}

/* --- rates ----------------------------------------------------------------------- */

static int headline(const char *metric)
{
  return strcmp(metric, "bandwidth") == 0 || strcmp(metric, "flops") == 0 ||
         strcmp(metric, "latency") == 0;
}

static int same_config(const su_result_row_t *a, const su_result_row_t *b)
{
  return strcmp(a->kernel, b->kernel) == 0 && strcmp(a->backend, b->backend) == 0 &&
         strcmp(a->variant, b->variant) == 0 && strcmp(a->precision, b->precision) == 0 &&
         strcmp(a->placement, b->placement) == 0 && strcmp(a->device, b->device) == 0 &&
         strcmp(a->metric, b->metric) == 0 && a->threads == b->threads &&
         a->ranks == b->ranks && a->nodes == b->nodes;
}

/* A row of the null backend: a model of a machine (a plan), not a
 * measurement. */
static int modelled(const su_result_row_t *w)
{
  return strcmp(w->backend, "null") == 0;
}

/* 1 when r's rows are all models (null backend). */
static int all_modelled(const su_results_t *r)
{
  for (size_t i = 0; i < r->nrows; i++)
    if (!modelled(&r->rows[i]))
      return 0;
  return r->nrows > 0;
}

/*
 * A row that may stand for the node's rate on a kernel: ok, a positive
 * figure, measured (not modelled by the null backend), a headline
 * metric, the workload's precision (latency rows have none), and the
 * largest working set of its configuration.  Why the largest: a job's data
 * lives in main memory, so the cache-resident points of a working-set sweep
 * would flatter the node (on the development machine L1 reads run ~5x
 * faster than DRAM, docs/models.md).
 */
static int eligible(const su_results_t *r, size_t i, const char *kernel, const char *prec,
                    const char *kind)
{
  const su_result_row_t *w = &r->rows[i];

  if (strcmp(w->kernel, kernel) != 0 || !su_results_row_ok(w) || !headline(w->metric) ||
      !(w->median > 0) || modelled(w))
    return 0;
  if (strcmp(su_results_row_device_kind(r, w), kind) != 0)
    return 0;
  if (strcmp(w->precision, prec) != 0 && strcmp(w->precision, "none") != 0)
    return 0;
  for (size_t j = 0; j < r->nrows; j++)
    if (j != i && same_config(&r->rows[j], w) && su_results_row_ok(&r->rows[j]) &&
        r->rows[j].size_bytes > w->size_bytes)
      return 0;
  return 1;
}

/* Better: a higher rate, or a lower latency. */
static int better(const su_result_row_t *a, const su_result_row_t *b)
{
  if (!b)
    return 1;
  return strcmp(a->metric, "latency") == 0 ? a->median < b->median : a->median > b->median;
}

/* The CI bounds, or the median where a bound is missing. */
static void ci_of(const su_result_row_t *w, double *lo, double *hi)
{
  *lo = isfinite(w->ci95_lo) ? w->ci95_lo : w->median;
  *hi = isfinite(w->ci95_hi) ? w->ci95_hi : w->median;
}

/* The number k of a "k x NAME [...]" device (several devices at once), 1
 * for one device. */
static unsigned device_count(const char *device)
{
  char *end;
  unsigned long k = strtoul(device, &end, 10);

  return end != device && strncmp(end, " x ", 3) == 0 && k > 1 ? (unsigned)k : 1;
}

/*
 * The node's rate on `kernel`: its best eligible single-node row of device
 * kind `kind` (the node's best configuration: threads, placement, variant,
 * backend; with max_threads > 0, among the rows with at most that many
 * threads), and an Amdahl fit of the best rows per node count when there
 * are at least SU_FIT_MIN_POINTS node counts.  On GPUs (`gpus` > 0) the
 * row of `gpus` devices at once ("k x NAME") where it was measured, else
 * the best one-device row times `gpus` (out->scaled says so; a latency is
 * one device's).  Returns 1 when found, 0 when not.
 */
static int measured_rate(const su_results_t *r, const char *kernel, const char *prec,
                         unsigned max_threads, const char *kind, unsigned gpus,
                         su_sizing_rate_t *out)
{
  const su_result_row_t *best = NULL, *one = NULL;
  double n[64], x[64], f = 1;
  size_t np = 0;

  for (size_t i = 0; i < r->nrows; i++) {
    const su_result_row_t *w = &r->rows[i];
    if (w->nodes != 1 || !eligible(r, i, kernel, prec, kind) ||
        (max_threads && w->threads > max_threads))
      continue;
    if (!gpus) {
      if (better(w, best))
        best = w;
    } else if (device_count(w->device) == gpus && better(w, best)) {
      best = w;
    } else if (device_count(w->device) == 1 && better(w, one)) {
      one = w;
    }
  }
  memset(out, 0, sizeof(*out));
  if (!best && one) {
    best = one;
    if (strcmp(one->metric, "latency") != 0 && gpus > 1) {
      f = gpus;
      out->scaled = gpus;
    }
  }
  if (!best)
    return 0;
  snprintf(out->kernel, sizeof(out->kernel), "%s", kernel);
  snprintf(out->unit, sizeof(out->unit), "%s", best->unit);
  snprintf(out->backend, sizeof(out->backend), "%s", best->backend);
  snprintf(out->device, sizeof(out->device), "%s", best->device);
  out->lower_better = strcmp(best->metric, "latency") == 0;
  out->median = best->median * f;
  out->power_w = best->power_w * f;
  ci_of(best, &out->lo, &out->hi);
  out->lo *= f;
  out->hi *= f;
  out->estimate = 0;
  out->have_fit = 0;
  if (out->lower_better)
    return 1;               /* a latency does not add up over nodes: ideal assumed */
  /* Best aggregate rate per node count (row order; up to 64 counts). */
  for (size_t i = 0; i < r->nrows; i++) {
    const su_result_row_t *w = &r->rows[i];
    size_t j;
    if (!eligible(r, i, kernel, prec, kind) || strcmp(w->metric, best->metric) != 0 ||
        w->nodes == 0 || strcmp(w->device, best->device) != 0)
      continue;
    for (j = 0; j < np && n[j] != (double)w->nodes; j++)
      ;
    if (j == np) {
      if (np == 64)
        continue;
      n[np] = w->nodes;
      x[np++] = w->median * f;
    } else if (w->median * f > x[j]) {
      x[j] = w->median * f;
    }
  }
  if (np >= SU_FIT_MIN_POINTS &&
      su_fit_series(SU_FIT_AMDAHL, n, x, np, &out->fit) == SU_OK &&
      (out->fit.status == SU_FIT_OK || out->fit.status == SU_FIT_EXACT))
    out->have_fit = 1;
  return 1;
}

/*
 * A datasheet estimate for `kernel`: STREAM kernels run at mem_bw_gbs,
 * fma_peak and gemm at the peak (an upper bound), stencil_7pt on the
 * roofline at its work model's arithmetic intensity, latency_chase at
 * mem_latency_ns.  Returns 1 when the datasheet has the figure.
 */
static int datasheet_rate(const su_sizing_candidate_t *c, const char *kernel, const char *prec,
                          su_sizing_rate_t *out)
{
  double peak = strcmp(prec, "fp32") == 0   ? c->peak_gflops_fp32
                : strcmp(prec, "fp64") == 0 ? c->peak_gflops_fp64
                                            : NAN; /* no fp16/bf16 datasheet figure */
  double v = NAN;
  const char *unit = "GFLOP/s";

  if (strncmp(kernel, "stream_", 7) == 0) {
    v = c->mem_bw_gbs;
    unit = "GB/s";
  } else if (strcmp(kernel, "fma_peak") == 0 || strcmp(kernel, "gemm") == 0) {
    v = peak;
  } else if (strcmp(kernel, "stencil_7pt") == 0) {
    const su_kernel_desc_t *d = &su_desc_stencil_7pt;
    double elem = strcmp(prec, "fp32") == 0 ? 4 : 8;
    double ai = d->flops_per_elem / ((d->bytes_read_per_elem + d->bytes_written_per_elem) * elem);
    v = fmin(peak, ai * c->mem_bw_gbs);
  } else if (strcmp(kernel, "latency_chase") == 0) {
    v = c->mem_latency_ns;
    unit = "ns";
  }
  if (!(v > 0))
    return 0;
  memset(out, 0, sizeof(*out));
  snprintf(out->kernel, sizeof(out->kernel), "%s", kernel);
  snprintf(out->unit, sizeof(out->unit), "%s", unit);
  snprintf(out->backend, sizeof(out->backend), "datasheet");
  out->lower_better = strcmp(unit, "ns") == 0;
  out->median = out->lo = out->hi = v;
  out->power_w = NAN;
  out->estimate = 1;
  out->have_fit = 0;
  return 1;
}

/* Work per second of a rate: GB/s and GFLOP/s as they are, latency as
 * loads per second.  which: 0 median, +1 the fast end of the CI, -1 the
 * slow end. */
static double per_second(const su_sizing_rate_t *r, int which)
{
  double v = which == 0 ? r->median : which > 0 ? (r->lower_better ? r->lo : r->hi)
                                                : (r->lower_better ? r->hi : r->lo);
  return r->lower_better ? 1e9 / v : v;
}

/* Parallel efficiency of one phase on n nodes: the fitted Amdahl curve
 * X(n u) / (n X(u)), u the fit's counts per node (1 for node counts, an
 * app's ranks on one node), else 1. */
static double phase_eff(const su_sizing_rate_t *r, unsigned n)
{
  double x1, xn, u = r->fit_per_node > 0 ? r->fit_per_node : 1;

  if (!r->have_fit || n <= 1)
    return 1;
  x1 = su_fit_eval(&r->fit, u);
  xn = su_fit_eval(&r->fit, n * u);
  if (!(x1 > 0) || !(xn > 0))
    return 1;
  return xn / (n * x1);
}

/* The nodes' worth of a phase's rate on n nodes: n x its efficiency; 1 for
 * the serial part, which no node count speeds up. */
static double phase_n(const su_sizing_rate_t *r, unsigned n)
{
  return r->one_core ? 1 : n * phase_eff(r, n);
}

/* A copy between host and device: a phase of its own, never overlapped. */
static int is_copy(const su_sizing_rate_t *r)
{
  return strcmp(r->kernel, "transfer_h2d") == 0;
}

/* Time of one job on n nodes, in seconds: the phases one after another
 * (mix), or the slower of compute and memory (roofline); host copies on
 * top in both. */
static double job_time(const su_sizing_result_t *res, int roofline, unsigned n, int which)
{
  double t = 0, copy = 0;

  for (size_t k = 0; k < res->nrates; k++) {
    double tk;
    if (res->rate[k].none)
      continue;
    tk = res->work[k] / (per_second(&res->rate[k], which) * phase_n(&res->rate[k], n));
    if (is_copy(&res->rate[k]))
      copy += tk;
    else
      t = roofline ? fmax(t, tk) : t + tk;
  }
  return t + copy;
}

/*
 * Energy of one job on n nodes from the measured power of its phases, in
 * kWh, or NaN when a phase that takes time has no measured power.  Mix: each
 * phase at its own power for its time; roofline: the slower of compute and
 * memory at its power for the whole overlap; host copies on top.
 */
static double job_energy_kwh(const su_sizing_result_t *res, int roofline, unsigned n)
{
  double e = 0, tmax = -1, pmax = NAN;

  for (size_t k = 0; k < res->nrates; k++) {
    const su_sizing_rate_t *q = &res->rate[k];
    double tk;
    if (q->none)
      continue;
    tk = res->work[k] / (per_second(q, 0) * phase_n(q, n));
    if (!(q->power_w > 0) && tk > 0)
      return NAN;
    if (roofline && !is_copy(q)) {
      if (tk > tmax) {
        tmax = tk;
        pmax = q->power_w;
      }
    } else {
      e += tk * q->power_w * n;
    }
  }
  if (tmax > 0)
    e += tmax * pmax * n;
  return e / 3.6e6;
}

int su_sizing_figures(const su_sizing_result_t *r, char *buf, size_t len)
{
  size_t pos = 0;

  buf[0] = '\0';
  for (size_t k = 0; k < r->nrates && pos < len; k++) {
    const su_sizing_rate_t *q = &r->rate[k];
    const char *sep = pos ? "; " : "";
    int n;
    if (q->one_core == 1)
      n = snprintf(buf + pos, len - pos, "%sserial part: %s on one core: %s %s (measured)", sep,
                   q->kernel, q->backend, q->device);
    else if (q->one_core)
      n = snprintf(buf + pos, len - pos, "%sserial part: %s on one core: %s / cores (no "
                   "one-thread row)", sep, q->kernel, q->estimate ? "datasheet" : "node figure");
    else if (q->none)
      n = snprintf(buf + pos, len - pos, "%s%s: not applicable (%s node)", sep, q->kernel,
                   r->device);
    else if (q->estimate)
      n = snprintf(buf + pos, len - pos, "%s%s: datasheet", sep, q->kernel);
    else if (q->scaled)
      n = snprintf(buf + pos, len - pos, "%s%s: %s %s x %u (per-GPU figure x %u, no %u-GPU "
                   "row measured)", pos ? "; " : "", q->kernel, q->backend, q->device, q->scaled,
                   q->scaled, q->scaled);
    else if (q->note[0])
      n = snprintf(buf + pos, len - pos, "%s%s: %s %s (measured: %s)", pos ? "; " : "",
                   q->kernel, q->backend, q->device, q->note);
    else
      n = snprintf(buf + pos, len - pos, "%s%s: %s %s (measured)", pos ? "; " : "", q->kernel,
                   q->backend, q->device);
    pos += n > 0 ? (size_t)n : 0;
  }
  return pos < len ? SU_OK : su_errorf(SU_EINVAL, "figure list longer than %zu bytes", len);
}

/* --- one candidate ------------------------------------------------------------- */

static void set_status(su_sizing_result_t *res, const char *status, const char *fmt, ...)
    SU_PRINTF(3, 4);
static void set_status(su_sizing_result_t *res, const char *status, const char *fmt, ...)
{
  va_list ap;

  snprintf(res->status, sizeof(res->status), "%s", status);
  va_start(ap, fmt);
  vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
  va_end(ap);
}

/* The kernels a workload is rated on: its mix, or the two roofline ceilings
 * (measured the way docs/models.md measures them). */
static size_t workload_kernels(const su_sizing_workload_t *w, const char **names)
{
  size_t n;

  if (w->nmix == 0) {
    names[0] = w->compute;     /* fma_peak, or gemm where that is what the job does */
    names[1] = "stream_triad";
    n = 2;
  } else {
    for (n = 0; n < w->nmix && n < SU_SIZING_MAX_KERNELS - 1; n++)
      names[n] = w->kernel[n];
  }
  if (w->host_device_bytes > 0)
    names[n++] = "transfer_h2d";
  return n;
}

/* The work of phase k of a job: from the reference's rate (mix), or as the
 * workload gives it (roofline: GFLOP and GB; host copies: GB). */
static double phase_work(const su_sizing_workload_t *w, const su_sizing_rate_t *ref, size_t k)
{
  if (is_copy(ref))
    return w->host_device_bytes / 1e9;
  if (ref->one_core)
    return w->serial * w->reference_time_s * per_second(ref, 0);
  if (w->nmix)
    return w->weight[k] * w->reference_time_s * per_second(ref, 0);
  return (k == 0 ? w->flops : w->bytes) / 1e9;
}

/*
 * Jobs side by side on one node of c: as many as the node's cores hold
 * cores_per_job, and as its memory holds the job's memory; 1 without
 * cores_per_job or when a job needs more than one node.
 */
static unsigned jobs_per_node(const su_sizing_candidate_t *c, const su_sizing_workload_t *w)
{
  unsigned k;

  if (!w->cores_per_job || w->cores_per_job >= c->cores)
    return 1;
  k = c->cores / w->cores_per_job;
  if (w->memory_gib > 0 && floor(c->memory_gib / w->memory_gib) < k)
    k = (unsigned)floor(c->memory_gib / w->memory_gib);
  return k < 1 ? 1 : k;
}

/*
 * A job's rate when k jobs of cores_per_job cores share a node: what one
 * job measured on at most that many threads (job), else the node's rate x
 * cores_per_job / cores (*scaled = 1); and never more than its share of the
 * node's best (node / k), since the jobs split the node's memory bandwidth
 * and cores.  A latency is the node's: one dependent load takes as long.
 */
static void share_rate(su_sizing_rate_t *node, const su_sizing_rate_t *job, int have_job,
                       double frac, unsigned k, int *scaled)
{
  double f;

  if (node->lower_better)
    return;
  if (!have_job) {
    *scaled = 1;
    node->median *= frac;
    node->lo *= frac;
    node->hi *= frac;
    node->have_fit = 0;
    return;
  }
  f = job->median < node->median / k ? 1 : node->median / k / job->median;
  node->median = job->median * f;
  node->lo = job->lo * f;
  node->hi = job->hi * f;
  node->have_fit = 0;
}

/* What the catalog says a node has against what its results were measured
 * on, into res->warning when they differ (cores exactly; memory within 10%,
 * since the OS and firmware keep some; GPUs when the catalog has some and
 * the results list no device). */
static void check_catalog(const su_sizing_candidate_t *c, const su_results_t *r,
                          su_sizing_result_t *res)
{
  const su_fingerprint_t *f = &r->fp;
  double gib = (double)f->memory_bytes / (1024.0 * 1024 * 1024);
  char said[192] = "", meas[192] = "";
  size_t ls = 0, lm = 0;

  if (!f->loaded)
    return;
  if (f->cores && f->cores != c->cores) {
    ls += (size_t)snprintf(said + ls, sizeof(said) - ls, "%u cores", c->cores);
    lm += (size_t)snprintf(meas + lm, sizeof(meas) - lm, "%u cores", f->cores);
  }
  if (f->memory_bytes && fabs(gib - c->memory_gib) > 0.1 * c->memory_gib && ls < sizeof(said) &&
      lm < sizeof(meas)) {
    ls += (size_t)snprintf(said + ls, sizeof(said) - ls, "%s%g GiB of memory", ls ? ", " : "",
                           c->memory_gib);
    lm += (size_t)snprintf(meas + lm, sizeof(meas) - lm, "%s%.3g GiB", lm ? ", " : "", gib);
  }
  if (c->gpus != su_results_gpu_count(r) && ls < sizeof(said) && lm < sizeof(meas)) {
    ls += (size_t)snprintf(said + ls, sizeof(said) - ls, "%s%u GPU(s)", ls ? ", " : "", c->gpus);
    lm += (size_t)snprintf(meas + lm, sizeof(meas) - lm, "%s%zu GPU(s)", lm ? ", " : "",
                           su_results_gpu_count(r));
  }
  if (ls)
    snprintf(res->warning, sizeof(res->warning), "candidate '%s' (catalog line %u): the "
             "catalog says %s per node, but its results '%s' were measured on %s: check that "
             "the results belong to this node type", c->name, c->line, said, c->results_dir,
             meas);
}

/* A workload of an app with neither a [mix] nor flops and bytes. */
static int app_only(const su_sizing_workload_t *w)
{
  return w->app[0] && w->nmix == 0 && !(w->flops > 0) && !(w->bytes > 0);
}

/* --- the app's own measurements -------------------------------------------------- */

/* What recommend makes of the app's rows (one figure for every candidate):
 * their metric and unit, how they become seconds, and how much of it one
 * job is. */
typedef struct app_fig {
  char metric[16], unit[32], work[32];  /* metric "": no candidate has a usable row */
  char from[64];                        /* the candidate the figure was chosen on */
  int kind, inv;
  double f;
  /* Runs (SU__APP_TIME) or units of work (SU__APP_WORK) in one job; NaN when a
   * rate's job size is unknown. */
  double per_job;
  char words[384];                      /* how, for the explanation */
} app_fig_t;

/* Seconds per run (SU__APP_TIME) or per unit of work (SU__APP_WORK) of row q: its
 * median (which 0), the fast (+1) or the slow (-1) end of its CI. */
static double app_secs(const app_fig_t *g, const su_result_row_t *q, int which)
{
  double lo, hi, v;

  ci_of(q, &lo, &hi);
  v = which == 0 ? q->median : (which > 0) == !g->inv ? lo : hi;
  return g->inv ? g->f / v : v * g->f;
}

static int is_app_row(const su_result_row_t *q, const char *app)
{
  return strcmp(q->backend, "app") == 0 && strcmp(q->kernel, app) == 0 &&
         su_results_row_ok(q) && q->nodes <= 1;
}

/*
 * The app's fastest ok single-node row of g's metric and unit on c, on at
 * most the cores one job uses (threads x ranks; cores_per_job, else the
 * node's cores), or NULL.  When c has the app's rows but none of that
 * figure, why says so (a unit that is not about time, or another figure
 * than the other candidates').
 */
static const su_result_row_t *app_row(const su_results_t *r, const su_sizing_candidate_t *c,
                                      const su_sizing_workload_t *w, const app_fig_t *g,
                                      char *why, size_t len)
{
  unsigned cores = w->cores_per_job && w->cores_per_job < c->cores ? w->cores_per_job
                                                                   : c->cores;
  const su_result_row_t *best = NULL, *other = NULL;
  double bt = INFINITY;

  why[0] = '\0';
  for (size_t i = 0; i < r->nrows; i++) {
    const su_result_row_t *q = &r->rows[i];
    double t;
    if (!is_app_row(q, w->app))
      continue;
    if (!g->metric[0] || strcmp(q->metric, g->metric) != 0 || strcmp(q->unit, g->unit) != 0) {
      other = other ? other : q;
      continue;
    }
    if ((unsigned long)q->threads * (q->ranks ? q->ranks : 1) > cores)
      continue;
    t = app_secs(g, q, 0);
    if (t > 0 && isfinite(t) && t < bt) {
      bt = t;
      best = q;
    }
  }
  if (!best && other) {
    double f;
    int inv;
    char wk[32];
    if (su__app_kind(other->metric, other->unit, &f, &inv, wk, sizeof(wk)) == SU__APP_NONE)
      snprintf(why, len, "app '%s' was measured as %s in '%s', which recommend cannot turn "
               "into time (it takes s, ms, us, ns, min, h; X/s, X/day higher is better; "
               "s/X lower is better)", w->app, other->metric, other->unit);
    else
      snprintf(why, len, "app '%s' was measured as %s in '%s' here, as %s in '%s' on '%s': "
               "the candidates are compared on one figure", w->app, other->metric,
               other->unit, g->metric, g->unit, g->from);
  }
  return best;
}

/*
 * The app's figure for the whole catalog: the reference's rows first, then
 * each candidate's in catalog order, the first that has a usable row
 * (a time row before a figure of merit); and one job's size: for times, 1
 * run, or reference_time_s over the reference's own time when it measured
 * the app; for rates and times per unit of work, fom_per_job, else
 * reference_time_s on a reference that measured it, else unknown (NaN:
 * those candidates are no_data, saying what to give).
 */
static void app_fig_choose(const su_sizing_catalog_t *cat, const su_sizing_workload_t *w,
                           const su_sizing_candidate_t *refc, app_fig_t *g)
{
  su_results_t r;
  double tref = NAN;
  char why[256];

  memset(g, 0, sizeof(*g));
  g->per_job = NAN;
  if (!w->app[0])
    return;
  for (size_t pass = 0; pass <= cat->n && !g->metric[0]; pass++) {
    const su_sizing_candidate_t *c = pass == 0 ? refc : &cat->c[pass - 1];
    const su_result_row_t *found = NULL;
    if (!c->results_dir[0] || (pass && c == refc))
      continue;
    memset(&r, 0, sizeof(r));
    if (su_results_load(c->results_dir, &r) != SU_OK) {
      su_errclear();          /* rate_candidate reports it */
      continue;
    }
    for (size_t i = 0; i < r.nrows; i++) {
      const su_result_row_t *q = &r.rows[i];
      double f;
      int inv;
      char wk[32];
      if (is_app_row(q, w->app) &&
          su__app_kind(q->metric, q->unit, &f, &inv, wk, sizeof(wk)) != SU__APP_NONE &&
          (!found || (strcmp(q->metric, "time") == 0 && strcmp(found->metric, "time") != 0)))
        found = q;
    }
    if (found) {
      snprintf(g->metric, sizeof(g->metric), "%s", found->metric);
      snprintf(g->unit, sizeof(g->unit), "%s", found->unit);
      snprintf(g->from, sizeof(g->from), "%s", c->name);
      g->kind = su__app_kind(g->metric, g->unit, &g->f, &g->inv, g->work, sizeof(g->work));
    }
    su_results_fini(&r);
  }
  if (!g->metric[0])
    return;
  memset(&r, 0, sizeof(r));
  if (refc->results_dir[0] && su_results_load(refc->results_dir, &r) == SU_OK) {
    const su_result_row_t *q = app_row(&r, refc, w, g, why, sizeof(why));
    if (q)
      tref = app_secs(g, q, 0);
  }
  su_errclear();
  su_results_fini(&r);
  if (g->kind == SU__APP_TIME) {
    int scaled = w->reference_time_s > 0 && isfinite(tref);
    g->per_job = scaled ? w->reference_time_s / tref : 1;
    snprintf(g->words, sizeof(g->words), "%s%s%s%s", strcmp(g->metric, "time") ? ", its figure "
             "of merit in " : "", strcmp(g->metric, "time") ? g->unit : "",
             strcmp(g->metric, "time") ? ", a time" : "",
             scaled ? ", scaled by reference_time_s over its time on the reference node"
                    : strcmp(g->metric, "time") ? ": one run is one job" : "");
  } else if (w->fom_per_job > 0) {
    /* With a [mix] too, reference_time_s is the inferred candidates' job:
     * said when the two do not describe the same job on the reference. */
    double tjob = w->fom_per_job * tref;
    int off = w->nmix && w->reference_time_s > 0 && isfinite(tref) &&
              fabs(tjob - w->reference_time_s) > 0.01 * w->reference_time_s;
    int k;
    g->per_job = w->fom_per_job;
    k = snprintf(g->words, sizeof(g->words), ", its figure of merit in %s: a job is "
                 "fom_per_job = %g %s", g->unit, g->per_job, g->work);
    if (off && k > 0 && (size_t)k < sizeof(g->words))
      snprintf(g->words + k, sizeof(g->words) - (size_t)k, "; CAUTION: that takes %.4g s on "
               "the reference as measured, not reference_time_s = %g s: the inferred "
               "candidates size another job", tjob, w->reference_time_s);
  } else if (w->reference_time_s > 0 && isfinite(tref)) {
    g->per_job = w->reference_time_s / tref;
    snprintf(g->words, sizeof(g->words), ", its figure of merit in %s: a job is "
             "reference_time_s on the reference node, %.4g %s", g->unit, g->per_job, g->work);
  }
}

/*
 * Scaling over nodes of the app's time on c: an Amdahl fit of its rate
 * (1 / seconds) over the node counts of q's configuration when the results
 * hold at least SU_FIT_MIN_POINTS of them; else over the MPI ranks of q's
 * threads and placement on one node (`sizeup app --ranks`), n nodes then
 * running n x q's ranks.  Neither: out->have_fit stays 0 (ideal assumed).
 */
static void app_scaling(const su_results_t *r, const su_result_row_t *q, const app_fig_t *g,
                        su_sizing_rate_t *out)
{
  for (int by_ranks = 0; by_ranks < 2 && !out->have_fit; by_ranks++) {
    double n[64], x[64];
    size_t np = 0;
    for (size_t i = 0; i < r->nrows; i++) {
      const su_result_row_t *p = &r->rows[i];
      double cnt = by_ranks ? (p->ranks ? p->ranks : 1) : p->nodes, v;
      size_t j;
      if (strcmp(p->backend, "app") != 0 || strcmp(p->kernel, q->kernel) != 0 ||
          !su_results_row_ok(p) || strcmp(p->metric, q->metric) != 0 ||
          strcmp(p->unit, q->unit) != 0 || strcmp(p->placement, q->placement) != 0 ||
          p->threads != q->threads || (by_ranks ? p->nodes > 1 : p->ranks != q->ranks) ||
          !(cnt >= 1))
        continue;
      v = 1 / app_secs(g, p, 0);
      if (!(v > 0) || !isfinite(v))
        continue;
      for (j = 0; j < np && n[j] != cnt; j++)
        ;
      if (j == np && np < 64) {
        n[np] = cnt;
        x[np++] = v;
      } else if (j < np && v > x[j]) {
        x[j] = v;
      }
    }
    if (np >= SU_FIT_MIN_POINTS && su_fit_series(SU_FIT_AMDAHL, n, x, np, &out->fit) == SU_OK &&
        (out->fit.status == SU_FIT_OK || out->fit.status == SU_FIT_EXACT)) {
      out->have_fit = 1;
      out->fit_ranks = by_ranks;
      out->fit_per_node = by_ranks ? (q->ranks ? q->ranks : 1) : 1;
    }
  }
  su_errclear();
}

/* One phase of one job at 1 / (per_job x the row's seconds) jobs per
 * second: the app's measured time, as a rate the node and time arithmetic
 * take unchanged (work 1 job), with its scaling over nodes. */
static void app_rate(const su_results_t *r, const su_result_row_t *q, const app_fig_t *g,
                     su_sizing_rate_t *out)
{
  int k;

  memset(out, 0, sizeof(*out));
  snprintf(out->kernel, sizeof(out->kernel), "%s", q->kernel);
  snprintf(out->unit, sizeof(out->unit), "jobs/s");
  snprintf(out->backend, sizeof(out->backend), "app");
  snprintf(out->device, sizeof(out->device), "%s", q->device);
  out->median = 1 / (g->per_job * app_secs(g, q, 0));
  out->lo = 1 / (g->per_job * app_secs(g, q, -1));
  out->hi = 1 / (g->per_job * app_secs(g, q, +1));
  out->power_w = NAN;
  k = snprintf(out->note, sizeof(out->note), "%s %.4g %s on %u thread(s)", q->metric, q->median,
               q->unit, q->threads);
  if (k > 0 && (size_t)k < sizeof(out->note) && q->ranks > 1)
    k += snprintf(out->note + k, sizeof(out->note) - (size_t)k, " x %u ranks", q->ranks);
  if (k > 0 && (size_t)k < sizeof(out->note) && g->kind == SU__APP_WORK)
    snprintf(out->note + k, sizeof(out->note) - (size_t)k, "; %.4g %s per job", g->per_job,
             g->work);
  else if (k > 0 && (size_t)k < sizeof(out->note) && g->per_job != 1)
    snprintf(out->note + k, sizeof(out->note) - (size_t)k, "; x %.4g to reference_time_s",
             g->per_job);
  app_scaling(r, q, g, out);
}

/* The kernel the serial part runs: the mix's compute kernel (a core's
 * clock and instruction width), else its first. */
static const char *serial_kernel(const su_sizing_workload_t *w)
{
  for (size_t i = 0; i < w->nmix; i++)
    if (strcmp(w->kernel[i], "fma_peak") == 0 || strcmp(w->kernel[i], "gemm") == 0)
      return w->kernel[i];
  return w->kernel[0];
}

/*
 * The serial part's rate on c: its kernel on one core, measured (the best
 * one-thread CPU row; one_core 1), else the node's figure over its cores
 * (one_core 2: from its best row, or the datasheet's; exact for a peak, low
 * for a bandwidth, which one core does not share with the others).  1 when
 * found.
 */
static int serial_rate(const su_sizing_candidate_t *c, const su_results_t *r,
                       const su_sizing_workload_t *w, su_sizing_rate_t *out)
{
  const char *k = serial_kernel(w);
  int ok;

  int per_core = 0;

  if (c->results_dir[0]) {
    ok = measured_rate(r, k, w->precision, 1, "cpu", 0, out) ||
         (per_core = measured_rate(r, k, w->precision, 0, "cpu", 0, out));
  } else {
    ok = per_core = datasheet_rate(c, k, w->precision, out);
  }
  if (ok && per_core && !out->lower_better) {
    out->median /= c->cores;
    out->lo /= c->cores;
    out->hi /= c->cores;
    out->power_w = NAN;
  }
  if (!ok) {
    memset(out, 0, sizeof(*out));
    snprintf(out->kernel, sizeof(out->kernel), "%s", k);
  }
  out->one_core = per_core ? 2 : 1;
  out->have_fit = 0;
  return ok;
}

/* Rates of every workload kernel (a job's rates, when jobs share a node),
 * or, with app (not NULL), the workload's app's measured time where c's
 * results hold it; 0 on success, -1 (status no_data) when one is missing,
 * or a negative SU_E* for a results directory that does not load. */
static int rate_candidate(const su_sizing_candidate_t *c, const su_sizing_workload_t *w,
                          const app_fig_t *app, su_sizing_result_t *res)
{
  const char *names[SU_SIZING_MAX_KERNELS];
  size_t nk = workload_kernels(w, names);
  const int gpu = strcmp(w->device, "gpu") == 0 || (strcmp(w->device, "auto") == 0 && c->gpus);
  const unsigned g = gpu ? w->gpus_per_job : 0;
  unsigned k = gpu ? (c->gpus >= g ? c->gpus / g : 1) : jobs_per_node(c, w);
  double frac = !gpu && w->cores_per_job && w->cores_per_job < c->cores
                    ? (double)w->cores_per_job / c->cores : 1;
  su_results_t r;
  int err, missing = -1;

  memset(res, 0, sizeof(*res));
  res->cand = c;
  res->jobs_per_node = k;
  res->gpus_per_job = g;
  snprintf(res->device, sizeof(res->device), "%s", gpu ? "gpu" : "cpu");
  snprintf(res->status, sizeof(res->status), "ok");
  memset(&r, 0, sizeof(r));
  if (c->results_dir[0] && (err = su_results_load(c->results_dir, &r)) != SU_OK) {
    char why[512];
    snprintf(why, sizeof(why), "%s", su_errmsg());
    return su_errorf(err, "candidate '%s' (catalog line %u): %s", c->name, c->line, why);
  }
  if (c->results_dir[0])
    check_catalog(c, &r, res);
  snprintf(res->basis, sizeof(res->basis), "%s",
           w->app[0] ? "inferred" : w->nmix ? "mix" : "roofline");
  if (app && w->app[0]) {
    char why[256] = "";
    const su_result_row_t *q = c->results_dir[0] ? app_row(&r, c, w, app, why, sizeof(why))
                                                 : NULL;
    if (q || why[0] || app_only(w)) {
      int ok = q && isfinite(app->per_job);
      if (q || why[0])
        snprintf(res->basis, sizeof(res->basis), "measured");
      if (ok) {
        app_rate(&r, q, app, &res->rate[0]);
        res->nrates = 1;
      } else if (q) {
        set_status(res, "no_data", "app '%s' is measured as a rate, %s in %s: give the work "
                   "of one job (fom_per_job = N %s) in [workload], or reference_time_s with a "
                   "reference that measured it", w->app, app->metric, app->unit, app->work);
      } else if (why[0]) {
        set_status(res, "no_data", "%s", why);
      } else {
        res->estimate = !c->results_dir[0];   /* a datasheet has no app */
        snprintf(res->basis, sizeof(res->basis), "none");   /* nothing to infer from */
        set_status(res, "no_data", "no ok row of app '%s'%s%s on at most %u cores%s%s%s, and "
                   "the workload has no [mix] to infer it from", w->app,
                   app->metric[0] ? " in " : "", app->unit,
                   w->cores_per_job && w->cores_per_job < c->cores ? w->cores_per_job
                                                                  : c->cores,
                   c->results_dir[0] ? " in '" : "", c->results_dir,
                   c->results_dir[0] ? "'" : "");
      }
      su_results_fini(&r);
      return ok ? 0 : -1;
    }
  }
  for (size_t j = 0; j < nk; j++) {
    su_sizing_rate_t job;
    int ok;
    if (!gpu && strcmp(names[j], "transfer_h2d") == 0) {
      /* a CPU node's data is in host memory already: no copy */
      memset(&res->rate[j], 0, sizeof(res->rate[j]));
      snprintf(res->rate[j].kernel, sizeof(res->rate[j].kernel), "%s", names[j]);
      res->rate[j].none = 1;
      continue;
    }
    ok = c->results_dir[0] ? measured_rate(&r, names[j], w->precision, 0, res->device, g,
                                           &res->rate[j])
         : !gpu            ? datasheet_rate(c, names[j], w->precision, &res->rate[j])
                           : 0;
    if (!ok && missing < 0)
      missing = (int)j;
    if (res->rate[j].estimate)
      res->estimate = 1;
    if (ok && frac < 1)
      share_rate(&res->rate[j], &job,
                 c->results_dir[0] && measured_rate(&r, names[j], w->precision,
                                                    w->cores_per_job, "cpu", 0, &job),
                 frac, k, &res->cores_scaled);
  }
  if (w->serial > 0 && nk < SU_SIZING_MAX_KERNELS) {
    if (!serial_rate(c, &r, w, &res->rate[nk]) && missing < 0)
      missing = (int)nk;
    names[nk] = res->rate[nk].kernel;
    res->estimate |= res->rate[nk].estimate;
    nk++;
  }
  res->nrates = nk;
  if (missing >= 0) {
    if (gpu && !c->results_dir[0])
      set_status(res, "no_data", "device = gpu: the datasheet has no GPU figures; measure the "
                 "node with 'sizeup run'");
    else if (c->results_dir[0] && all_modelled(&r))
      set_status(res, "no_data", "the results '%s' are MODELLED by the null backend (a plan of "
                 "the machine), not measured: measure the node with 'sizeup run'",
                 c->results_dir);
    else if (c->results_dir[0])
      set_status(res, "no_data", "no ok %s measurement of '%s' on a %s in '%s'%s", w->precision,
                 names[missing], gpu ? "GPU" : "CPU", c->results_dir,
                 gpu && !c->gpus ? " (device = gpu, and the catalog lists no GPUs)" : "");
    else
      set_status(res, "no_data", "the datasheet has no figure for '%s' (see docs/sizing.md)",
                 names[missing]);
  } else if (gpu && c->gpus && g > c->gpus) {
    set_status(res, "unreachable", "a job uses %u GPUs, a node has %u", g, c->gpus);
  }
  su_results_fini(&r);
  return missing >= 0 ? -1 : 0;
}

static unsigned ceil_u(double x)
{
  double c = ceil(x - 1e-9);      /* 4.0000000001 from rounding is still 4 */
  return c < 1 ? 1 : c > 4e9 ? 4000000000u : (unsigned)c;
}

/* Node counts, time, cost and energy for the target. */
static void size_candidate(su_sizing_result_t *res, const su_sizing_workload_t *w)
{
  const su_sizing_candidate_t *c = res->cand;
  int roof = w->nmix == 0;
  unsigned m = 1, conc = 1, k = res->jobs_per_node, cores_used;
  double mem = w->memory_gib;

  res->time1_s = job_time(res, roof, 1, 0);
  res->jobs_per_hour_node = k * 3600 / res->time1_s;
  if (mem > 0)
    m = ceil_u(mem / c->memory_gib);
  if (w->cores_per_job > c->cores && ceil_u((double)w->cores_per_job / c->cores) > m)
    m = ceil_u((double)w->cores_per_job / c->cores);
  if (m > SU_SIZING_MAX_NODES) {
    set_status(res, "unreachable", "a job needs %g GiB, more than %d nodes of %g GiB", mem,
               SU_SIZING_MAX_NODES, c->memory_gib);
    m = SU_SIZING_MAX_NODES;
  }
  res->nodes_per_job = m;
  switch (w->target) {
  case SU_SIZING_THROUGHPUT:
    /* Jobs are independent: the target needs `conc` jobs running at once,
     * each on the fewest nodes its memory allows (efficiency <= 1, so more
     * nodes per job never buys throughput), k of them to a node. */
    conc = ceil_u(w->target_value * job_time(res, roof, m, 0) / 3600);
    break;
  case SU_SIZING_TIME: {
    unsigned n;
    double best = INFINITY;
    unsigned best_n = m;
    /* A job of cores_per_job cores has its size: more nodes do not help. */
    unsigned top = w->cores_per_job ? m : SU_SIZING_MAX_NODES;
    for (n = m; n <= top; n++) {
      double t = job_time(res, roof, n, 0);
      if (t < best) {
        best = t;
        best_n = n;
      }
      if (t <= w->target_value * (1 + 1e-12))
        break;
    }
    if (n > top) {
      if (!strcmp(res->status, "ok"))
        set_status(res, "unreachable", "the shortest time is %.4g s (on %u nodes%s), above the "
                   "target of %g s", best, best_n, w->cores_per_job ? ", cores_per_job fixed" : "",
                   w->target_value);
      n = best_n;
    }
    res->nodes_per_job = n;
    break;
  }
  case SU_SIZING_BUDGET_HOUR:
    break;                  /* below, once the node's cost is known */
  case SU_SIZING_BUDGET_JOB:
    break;
  }
  /* The cores in use on a node carry the per-core licences: the jobs' cores
   * when they share nodes, else every core. */
  cores_used = w->cores_per_job && res->nodes_per_job == 1 ? k * w->cores_per_job : c->cores;
  res->cores_per_job = w->cores_per_job ? w->cores_per_job : c->cores * res->nodes_per_job;
  res->node_cost_per_hour = c->cost_per_hour + c->licence_per_node_hour +
                            c->licence_per_core_hour * cores_used;
  if (w->target == SU_SIZING_BUDGET_HOUR) {
    double afford = floor(w->target_value / res->node_cost_per_hour + 1e-9);
    conc = afford >= m ? (unsigned)fmin(afford / m * k, 4e9 / m) : 1;
    if (afford < m && !strcmp(res->status, "ok"))
      set_status(res, "over_budget", "%u node(s) per job cost %.4g per hour, above the budget "
                 "of %g", m, m * res->node_cost_per_hour, w->target_value);
  }
  /* conc jobs at once, k to a node, each on nodes_per_job nodes */
  res->nodes = res->nodes_per_job * ceil_u((double)conc / k);
  res->time_s = job_time(res, roof, res->nodes_per_job, 0);
  res->time_lo_s = job_time(res, roof, res->nodes_per_job, +1);
  res->time_hi_s = job_time(res, roof, res->nodes_per_job, -1);
  if (w->mix_error > 0 && strcmp(res->basis, "measured") != 0 && w->nmix) {
    /* through the mix: its own error beside the kernels' */
    res->time_lo_s *= 1 - w->mix_error;
    res->time_hi_s *= 1 + w->mix_error;
  }
  res->efficiency = res->time1_s / (res->nodes_per_job * res->time_s);
  {
    size_t nfit = 0;
    for (size_t j = 0; j < res->nrates; j++) {
      nfit += res->rate[j].have_fit != 0;
      res->efficiency_ranks |= res->rate[j].have_fit && res->rate[j].fit_ranks;
    }
    res->efficiency_fitted = nfit == 0 ? 0 : nfit == res->nrates ? 2 : 1;
  }
  res->jobs_per_hour = conc * 3600 / res->time_s;
  res->jobs_per_day = res->jobs_per_hour * 24;
  res->jobs_per_month = res->jobs_per_hour * SU_SIZING_HOURS_PER_MONTH;
  res->cost_per_hour_system = res->nodes * res->node_cost_per_hour;
  res->cost_per_hour_system_lo = res->cost_per_hour_system_hi = res->cost_per_hour_system;
  if (w->target == SU_SIZING_THROUGHPUT) {
    /* the whole nodes the target needs at each end of the time's range */
    for (int end = 0; end < 2; end++) {
      double t = end ? res->time_hi_s : res->time_lo_s;
      unsigned n = res->nodes_per_job * ceil_u((double)ceil_u(w->target_value * t / 3600) / k);
      *(end ? &res->cost_per_hour_system_hi : &res->cost_per_hour_system_lo) =
          n * res->node_cost_per_hour;
    }
  }
  res->licence_per_hour_system = res->nodes * (res->node_cost_per_hour - c->cost_per_hour);
  res->cost_per_month_system = res->cost_per_hour_system * SU_SIZING_HOURS_PER_MONTH;
  res->cost_per_year_system = res->cost_per_hour_system * SU_SIZING_HOURS_PER_YEAR;
  /* A job is charged for the node-hours it occupies (its share of a node
   * when k jobs share one). */
  {
    double share = (double)res->nodes_per_job / k;
    res->cost_per_job = share * res->node_cost_per_hour * res->time_s / 3600;
    res->cost_per_job_lo = share * res->node_cost_per_hour * res->time_lo_s / 3600;
    res->cost_per_job_hi = share * res->node_cost_per_hour * res->time_hi_s / 3600;
    double measured = job_energy_kwh(res, roof, res->nodes_per_job);
    res->energy_measured = isfinite(measured);
    /* measured: a GPU job's rows are its own GPUs' power; a CPU row is the
     * packages', shared by the k jobs on the node */
    res->energy_per_job_kwh = res->energy_measured
                                  ? measured / (strcmp(res->device, "gpu") == 0 ? 1 : k)
                                  : share * c->power_watts * res->time_s / 3600 / 1000;
  }
  res->jobs_per_dollar = 1 / res->cost_per_job;
  res->jobs_per_kwh = 1 / res->energy_per_job_kwh;
  if (w->target == SU_SIZING_BUDGET_JOB && res->cost_per_job > w->target_value &&
      !strcmp(res->status, "ok"))
    set_status(res, "over_budget", "a job costs %.4g, above the budget of %g per job",
               res->cost_per_job, w->target_value);
}

/* --- ranking --------------------------------------------------------------------- */

/* The figure a target ranks by, smaller is better. */
static double rank_key(const su_sizing_result_t *r, su_sizing_target_t t)
{
  switch (t) {
  case SU_SIZING_THROUGHPUT: return r->cost_per_hour_system;
  case SU_SIZING_TIME: return r->cost_per_job;
  case SU_SIZING_BUDGET_HOUR: return -r->jobs_per_hour;
  case SU_SIZING_BUDGET_JOB: return r->time_s;
  }
  return 0;
}

static su_sizing_target_t sort_target;

static int cmp_result(const void *pa, const void *pb)
{
  const su_sizing_result_t *a = pa, *b = pb;
  int oka = strcmp(a->status, "ok") == 0, okb = strcmp(b->status, "ok") == 0;
  double ka, kb;

  if (oka != okb)
    return okb - oka;
  if (oka) {
    ka = rank_key(a, sort_target);
    kb = rank_key(b, sort_target);
    /* Equal within rounding: the faster job first. */
    if (fabs(ka - kb) > 1e-9 * fmax(fabs(ka), fabs(kb)))
      return ka < kb ? -1 : 1;
    if (a->time_s != b->time_s)
      return a->time_s < b->time_s ? -1 : 1;
  }
  return a->cand->line < b->cand->line ? -1 : a->cand->line > b->cand->line;
}

static void mark_pareto(su_sizing_t *s)
{
  for (size_t i = 0; i < s->n; i++) {
    su_sizing_result_t *a = &s->res[i];
    if (strcmp(a->status, "ok") != 0)
      continue;
    a->pareto = 1;
    for (size_t j = 0; j < s->n; j++) {
      const su_sizing_result_t *b = &s->res[j];
      if (j == i || strcmp(b->status, "ok") != 0)
        continue;
      if (b->time_s <= a->time_s && b->cost_per_job <= a->cost_per_job &&
          (b->time_s < a->time_s || b->cost_per_job < a->cost_per_job)) {
        a->pareto = 0;
        break;
      }
    }
  }
}

/* --- explanation ----------------------------------------------------------------- */

static int say(su_sizing_t *s, const char *fmt, ...) SU_PRINTF(2, 3);
static int say(su_sizing_t *s, const char *fmt, ...)
{
  va_list ap;
  char buf[768];

  if (s->nsentences == SU_SIZING_MAX_SENTENCES)
    return SU_OK;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  if (!(s->sentence[s->nsentences] = malloc(strlen(buf) + 1)))
    return su_errorf(SU_ENOMEM, "cannot explain the recommendation");
  strcpy(s->sentence[s->nsentences++], buf);
  return SU_OK;
}

const char *su_sizing_target_words(const su_sizing_workload_t *w, char *buf, size_t len)
{
  const char *unit = "hour";

  switch (w->target) {
  case SU_SIZING_THROUGHPUT:
    if (strstr(w->target_key, "_per_day"))
      unit = "day";
    else if (strstr(w->target_key, "_per_month"))
      unit = "month";
    snprintf(buf, len, "%g jobs per %s", w->target_key[0] ? w->target_given : w->target_value,
             unit);
    break;
  case SU_SIZING_TIME: snprintf(buf, len, "%g s per job", w->target_value); break;
  case SU_SIZING_BUDGET_HOUR: snprintf(buf, len, "a budget of %g per hour", w->target_value); break;
  case SU_SIZING_BUDGET_JOB: snprintf(buf, len, "a budget of %g per job", w->target_value); break;
  }
  return buf;
}

/*
 * The hourly price at which `b` would tie with the winner `a` (all else
 * equal), or NaN when price cannot change the order.  Costs are linear in
 * the price at a fixed node count, except for a budget per hour, where the
 * price sets the node count.
 */
static double price_to_win(const su_sizing_result_t *a, const su_sizing_result_t *b,
                           const su_sizing_workload_t *w)
{
  double node = NAN;                    /* b's node cost per hour at the tie */

  switch (w->target) {
  case SU_SIZING_THROUGHPUT:
    node = a->cost_per_hour_system / b->nodes;
    break;
  case SU_SIZING_TIME:
    node = a->cost_per_job * b->jobs_per_node / (b->nodes_per_job * b->time_s / 3600);
    break;
  case SU_SIZING_BUDGET_HOUR: {
    double per_slot = b->jobs_per_node * 3600 / b->time_s;  /* jobs per hour of one b node set */
    double slots = floor(a->jobs_per_hour / per_slot) + 1;
    node = w->target_value / (slots * b->nodes_per_job);
    break;
  }
  case SU_SIZING_BUDGET_JOB:
    return NAN;
  }
  /* the licences stay what they are: only the hardware's price can move */
  return node - (b->node_cost_per_hour - b->cand->cost_per_hour);
}

static int explain(su_sizing_t *s)
{
  const su_sizing_workload_t *w = s->w;
  const char *cur = s->cat->currency;
  const su_sizing_result_t *a = &s->res[0];
  char tw[96];
  size_t nok = 0, said = 0;
  int err;

  for (size_t i = 0; i < s->n; i++)
    nok += strcmp(s->res[i].status, "ok") == 0;
  su_sizing_target_words(w, tw, sizeof(tw));
  if (nok == 0)
    return say(s, "No candidate meets the target (%s): see the reasons in the table.", tw);
  switch (w->target) {
  case SU_SIZING_THROUGHPUT:
    err = say(s, "%s is the first choice: %u node(s) deliver the target of %s for %s %.2f per "
              "hour in total, %s %.0f per month, %s %.0f per year (%s %.4g per job, %.4g s "
              "per job).", a->cand->name, a->nodes, tw, cur, a->cost_per_hour_system, cur,
              a->cost_per_month_system, cur, a->cost_per_year_system, cur, a->cost_per_job,
              a->time_s);
    break;
  case SU_SIZING_TIME:
    err = say(s, "%s is the first choice: %u node(s) finish a job in %.4g s (target %s) at the "
              "lowest cost per job, %s %.4g.", a->cand->name, a->nodes, a->time_s, tw, cur,
              a->cost_per_job);
    break;
  case SU_SIZING_BUDGET_HOUR:
    err = say(s, "%s is the first choice: within %s it affords %u node(s), which complete the "
              "most jobs, %.4g per hour.", a->cand->name, tw, a->nodes, a->jobs_per_hour);
    break;
  default:
    err = say(s, "%s is the first choice: within %s (%s %.4g per job) it finishes a job "
              "fastest, in %.4g s.", a->cand->name, tw, cur, a->cost_per_job, a->time_s);
    break;
  }
  if (err)
    return err;
  if (w->app[0]) {
    size_t nmeas = 0, ninf = 0;
    for (size_t i = 0; i < s->n; i++) {
      nmeas += strcmp(s->res[i].basis, "measured") == 0 && strcmp(s->res[i].status, "no_data");
      ninf += strcmp(s->res[i].basis, "inferred") == 0 && strcmp(s->res[i].status, "no_data");
    }
    if (nmeas && app_only(w))
      err = say(s, "%zu candidate(s) are sized on the MEASURED times of app '%s' (basis "
                "measured)%s.", nmeas, w->app, s->app_words);
    else if (nmeas)
      err = say(s, "%zu candidate(s) are sized on the MEASURED times of app '%s' (basis "
                "measured)%s; %zu on its %s through their kernel figures (basis inferred), an "
                "inference.", nmeas, w->app, s->app_words, ninf,
                w->nmix ? "[mix]" : "flops and bytes");
    if (!err && w->mix_error > 0 && w->nmix && ninf)
      err = say(s, "The times inferred through the [mix] have the mix's own error in their 95%% "
                "ranges (mix_error = %.3g: %.3g%% either way, beside the kernel figures' "
                "spread).", w->mix_error, 100 * w->mix_error);
    if (err)
      return err;
    for (size_t i = 0; nmeas && i < s->n; i++)
      if (strcmp(s->res[i].basis, "measured") == 0 && strcmp(s->res[i].status, "no_data") &&
          !isfinite(s->res[i].score_node)) {
        const su_sizing_result_t *rr = NULL;
        for (size_t j = 0; j < s->n && !rr; j++)
          if (s->res[j].cand == s->reference)
            rr = &s->res[j];
        if ((err = say(s, "No score: the reference '%s' has no time per job for this workload "
                       "(%s), and a measured candidate's score is the reference's time over "
                       "its own.", s->reference->name, rr && rr->reason[0] ? rr->reason
                                                                          : "not rated")))
          return err;
        break;
      }
  }
  if (a->licence_per_hour_system > 0 &&
      (err = say(s, "Software licences are %s %.2f of that %s %.2f per hour (%.0f%%): %u "
                 "core(s) per job, %u job(s) per node.", cur, a->licence_per_hour_system, cur,
                 a->cost_per_hour_system,
                 100 * a->licence_per_hour_system / a->cost_per_hour_system,
                 a->cores_per_job, a->jobs_per_node)))
    return err;
  for (size_t i = 1; i < s->n && said < 3; i++) {
    const su_sizing_result_t *b = &s->res[i];
    double p;
    if (strcmp(b->status, "ok") != 0)
      continue;
    said++;
    p = price_to_win(a, b, w);
    if (w->target == SU_SIZING_BUDGET_JOB) {
      err = say(s, "%s would win if it finished a job in under %.4g s (now %.4g s) while "
                "staying within the budget.", b->cand->name, a->time_s, b->time_s);
    } else if (!(p > 0)) {
      err = say(s, "%s cannot overtake %s on price alone.", b->cand->name, a->cand->name);
    } else if (!isnan(b->cand->price_per_hour)) {
      err = say(s, "%s would win if its price fell below %s %.4g per hour per node (now "
                "%s %.4g).", b->cand->name, cur, p, cur, b->cand->cost_per_hour);
    } else {
      /* Bought: which purchase price gives that hourly cost. */
      double buy = (p - b->cand->power_watts / 1000 * b->cand->electricity_per_kwh) *
                   b->cand->years * 8760;
      if (buy > 0)
        err = say(s, "%s would win if its hourly cost fell below %s %.4g (now %.4g), i.e. a "
                  "purchase price below %s %.0f (now %.0f) over %g years.", b->cand->name,
                  cur, p, b->cand->cost_per_hour, cur, buy, b->cand->purchase_price,
                  b->cand->years);
      else
        err = say(s, "%s cannot overtake %s even if it were free: its electricity alone "
                  "costs more.", b->cand->name, a->cand->name);
    }
    if (err)
      return err;
  }
  if (nok >= 2) {
    const su_sizing_result_t *b = NULL;
    for (size_t i = 1; i < s->n && !b; i++)
      if (strcmp(s->res[i].status, "ok") == 0)
        b = &s->res[i];
    /* what ranks them: the system's cost per hour for a throughput, else
     * the cost per job */
    const int sys = w->target == SU_SIZING_THROUGHPUT;
    const char *what = sys ? "the system's cost per hour" : "the cost per job";
    double alo = sys ? a->cost_per_hour_system_lo : a->cost_per_job_lo;
    double ahi = sys ? a->cost_per_hour_system_hi : a->cost_per_job_hi;
    double blo = sys ? b->cost_per_hour_system_lo : b->cost_per_job_lo;
    double bhi = sys ? b->cost_per_hour_system_hi : b->cost_per_job_hi;
    if (ahi >= blo && bhi >= alo && (ahi > alo || bhi > blo))
      err = say(s, "Uncertain: the 95%% confidence ranges of %s of %s (%.4g to %.4g) and %s "
                "(%.4g to %.4g) overlap, so measure both on the real workload before deciding "
                "between them.", what, a->cand->name, alo, ahi, b->cand->name, blo, bhi);
    else
      err = say(s, "The order of %s and %s holds across the measurements' 95%% confidence "
                "ranges of %s.", a->cand->name, b->cand->name, what);
    if (err)
      return err;
  }
  if (w->target == SU_SIZING_THROUGHPUT && a) {
    /* cheaper per job but not first: whole nodes */
    const su_sizing_result_t *c = NULL;
    for (size_t i = 1; i < s->n; i++)
      if (strcmp(s->res[i].status, "ok") == 0 && s->res[i].cost_per_job < a->cost_per_job &&
          (!c || s->res[i].cost_per_job < c->cost_per_job))
        c = &s->res[i];
    if (c && (err = say(s, "%s costs less per job (%.4g against %.4g), but systems come in whole "
                        "nodes: the smallest %s system that meets the target, %u node(s) for "
                        "%.3g jobs per hour, costs %.4g per hour against %.4g for %s.",
                        c->cand->name, c->cost_per_job, a->cost_per_job, c->cand->name,
                        c->nodes, c->jobs_per_hour, c->cost_per_hour_system,
                        a->cost_per_hour_system, a->cand->name)))
      return err;
  }
  for (size_t i = 0; i < s->n; i++) {
    const su_sizing_result_t *r = &s->res[i];
    if (r->estimate && strcmp(r->status, "no_data") != 0 &&
        (err = say(s, "%s is an ESTIMATE from datasheet peaks, not a measurement: real codes "
                   "rarely reach peak, so it looks better than it will be; measure it with "
                   "'sizeup run' before buying.", r->cand->name)))
      return err;
  }
  for (size_t i = 0; i < s->n; i++) {
    const su_sizing_result_t *r = &s->res[i];
    if (r->cores_scaled && !r->estimate && strcmp(r->status, "no_data") != 0 &&
        (err = say(s, "%s: a job's rate on %u core(s) was not measured for every kernel; it "
                   "was taken as the node's rate x %u / %u cores (measure with -t %u to know).",
                   r->cand->name, w->cores_per_job, w->cores_per_job, r->cand->cores,
                   w->cores_per_job)))
      return err;
  }
  for (size_t i = 0; i < s->n; i++) {
    const su_sizing_result_t *r = &s->res[i];
    if (strcmp(r->status, "no_data") != 0 && r->energy_measured &&
        (err = say(s, "%s's energy per job comes from MEASURED power (%s counters: the %s "
                   "only, not the whole node); candidates without it use the catalog's "
                   "power_watts (a datasheet figure).", r->cand->name,
                   strcmp(r->device, "gpu") == 0 ? "NVML" : "RAPL",
                   strcmp(r->device, "gpu") == 0 ? "GPU boards" : "CPU packages")))
      return err;
  }
  for (size_t i = 0; i < s->n; i++) {
    const su_sizing_result_t *r = &s->res[i];
    if (strcmp(r->status, "ok") != 0 || r->nodes_per_job <= 1 ||
        (r->efficiency_fitted == 2 && !r->efficiency_ranks))
      continue;
    if (r->efficiency_ranks)
      err = say(s, "%s runs a job on %u nodes: its efficiency (%.0f%%) comes from an Amdahl fit "
                "of app '%s' over MPI ranks on ONE node (up to %g ranks), at %g ranks a node; "
                "the network was not measured, so check on a few nodes before buying many.",
                r->cand->name, r->nodes_per_job, 100 * r->efficiency, w->app,
                r->rate[0].fit.nmax, r->rate[0].fit_per_node);
    else if (r->efficiency_fitted == 0)
      err = say(s, "%s runs a job on %u nodes and no multi-node measurement was available: "
                "ideal scaling was ASSUMED, so its time and cost per job are optimistic.",
                r->cand->name, r->nodes_per_job);
    else
      err = say(s, "%s runs a job on %u nodes: its efficiency (%.0f%%) comes from a fit over "
                "measured node counts for some kernels only; ideal scaling was ASSUMED for the "
                "others.", r->cand->name, r->nodes_per_job, 100 * r->efficiency);
    if (err)
      return err;
  }
  return SU_OK;
}

/* --- evaluate -------------------------------------------------------------------- */

void su_sizing_fini(su_sizing_t *s)
{
  if (!s)
    return;
  free(s->res);
  for (size_t i = 0; i < s->nsentences; i++)
    free(s->sentence[i]);
  free(s->own_w);
  memset(s, 0, sizeof(*s));
}

static int evaluate_one(const su_sizing_catalog_t *cat, const su_sizing_workload_t *w,
                        su_sizing_t *out)
{
  su_sizing_t s;
  su_sizing_result_t ref;
  const su_sizing_candidate_t *refc = NULL;
  app_fig_t app;
  double tref = NAN;
  int err = SU_OK, rc, refrc;

  memset(out, 0, sizeof(*out));
  memset(&s, 0, sizeof(s));
  s.cat = cat;
  s.w = w;
  if (!cat || !w || cat->n == 0)
    return su_errorf(SU_EINVAL, "nothing to evaluate");
  for (size_t i = 0; i < cat->n && !refc; i++)
    if (!w->reference[0] || strcmp(cat->c[i].name, w->reference) == 0)
      refc = &cat->c[i];
  if (!refc)
    return su_errorf(SU_EINVAL, "%s: field 'reference': '%s' is not in the catalog '%s'",
                     w->path, w->reference, cat->path);
  s.reference = refc;
  if ((refrc = rate_candidate(refc, w, NULL, &ref)) < -1)
    return refrc;
  /* The app's figure, and one job's size in it: times scaled to
   * reference_time_s when the reference node measured the app too (the
   * mix's time and the measured one are then the same case). */
  app_fig_choose(cat, w, refc, &app);
  snprintf(s.app_words, sizeof(s.app_words), "%s", app.words);
  if (refrc == -1 && !app_only(w))
    return su_errorf(SU_EINVAL, "reference candidate '%s' cannot be rated: %s", refc->name,
                     ref.reason);
  if (!(s.res = calloc(cat->n, sizeof(*s.res))))
    return su_errorf(SU_ENOMEM, "cannot evaluate the catalog");
  s.n = cat->n;
  for (size_t i = 0; i < cat->n; i++) {
    su_sizing_result_t *res = &s.res[i];
    if ((rc = rate_candidate(&cat->c[i], w, &app, res)) < -1) {
      err = rc;
      goto out;
    }
    /* The job's work per phase: the reference's rates fix it (mix), or the
     * workload gives it (roofline: GFLOP and GB); one job of the app. */
    for (size_t k = 0; k < res->nrates; k++)
      res->work[k] = strcmp(res->basis, "measured") == 0 ? 1 : phase_work(w, &ref.rate[k], k);
    if (rc == -1)
      continue;
    size_candidate(res, w);
    /* Composite score in the spirit of NERSC's SSP (Kramer et al., "The
     * NERSC Sustained System Performance (SSP) Metric", LBNL-58868, 2005):
     * the geometric mean of the per-kernel rates normalised to the
     * reference node, and that times the node count for the system. */
    {
      double lg = 0;
      size_t np = 0;
      for (size_t k = 0; k < res->nrates && strcmp(res->basis, "measured") != 0; k++)
        if (!res->rate[k].none && !ref.rate[k].none) {
          lg += log(per_second(&res->rate[k], 0) / per_second(&ref.rate[k], 0));
          np++;
        }
      res->score_node = np ? exp(lg / (double)np) : NAN;
      res->score_system = res->score_node * res->nodes;
    }
    res->speedup_vs_reference = NAN;
  }
  /* The reference's own single-node time, for the relative speed. */
  for (size_t i = 0; i < s.n; i++)
    if (s.res[i].cand == refc && strcmp(s.res[i].status, "no_data") != 0)
      tref = s.res[i].time1_s;
  /* A measured candidate's score: the app itself is its one kernel, so
   * its rate relative to the reference's is the reference's time per job
   * over its own (NaN when the reference has none: said below). */
  for (size_t i = 0; i < s.n; i++)
    if (strcmp(s.res[i].status, "no_data") != 0) {
      s.res[i].speedup_vs_reference = tref / s.res[i].time1_s;
      if (strcmp(s.res[i].basis, "measured") == 0) {
        s.res[i].score_node = s.res[i].speedup_vs_reference;
        s.res[i].score_system = s.res[i].score_node * s.res[i].nodes;
      }
    }
  sort_target = w->target;
  qsort(s.res, s.n, sizeof(*s.res), cmp_result);
  for (size_t i = 0; i < s.n; i++)
    s.res[i].rank = (unsigned)i + 1;
  mark_pareto(&s);
  if ((err = explain(&s)) != SU_OK)
    goto out;
out:
  if (err != SU_OK) {
    su_sizing_fini(&s);
    return err;
  }
  *out = s;
  return SU_OK;
}

/*
 * Neither a [mix] nor a measurement of the app: the ranking over
 * SU_SIZING_RANGE mixes of stream_triad (memory-bound) and the compute
 * ceiling (w->compute: compute-bound) of reference_time_s on the reference
 * node.  *out is the half-and-half mix's (basis assumed), with a sentence
 * first saying whether its first choice holds across the range.
 */
#define SU_SIZING_RANGE 5
static int evaluate_range(const su_sizing_catalog_t *cat, const su_sizing_workload_t *w,
                          su_sizing_t *out)
{
  const char *win[SU_SIZING_RANGE];
  su_sizing_t keep, s;
  size_t same = 0, nsaid;
  int err;
  char *first;

  memset(&keep, 0, sizeof(keep));
  if (!(w->reference_time_s > 0))
    return su_errorf(SU_EINVAL, "%s: app '%s' was measured on no candidate and the workload has "
                     "no [mix]: give reference_time_s (one job's seconds on one reference "
                     "node) to rank over a range of mixes, or a [mix] ('sizeup fit DIR --app "
                     "%s --workload-out FILE' infers one)", w->path, w->app, w->app);
  for (size_t i = 0; i < SU_SIZING_RANGE; i++) {
    double f = 1 - (double)i / (SU_SIZING_RANGE - 1);   /* stream_triad's fraction */
    su_sizing_workload_t *m = malloc(sizeof(*m));
    if (!m) {
      su_sizing_fini(&keep);
      return su_errorf(SU_ENOMEM, "cannot evaluate a range of mixes");
    }
    *m = *w;
    m->nmix = 2;
    snprintf(m->kernel[0], sizeof(m->kernel[0]), "stream_triad");
    snprintf(m->kernel[1], sizeof(m->kernel[1]), "%s", w->compute);
    m->weight[0] = f;
    m->weight[1] = 1 - f;
    if ((err = evaluate_one(cat, m, &s)) != SU_OK) {
      free(m);
      su_sizing_fini(&keep);
      return err;
    }
    s.own_w = m;
    win[i] = strcmp(s.res[0].status, "ok") == 0 ? s.res[0].cand->name : "no candidate";
    same += strcmp(win[i], win[0]) == 0;
    if (i == SU_SIZING_RANGE / 2)
      keep = s;
    else
      su_sizing_fini(&s);
  }
  for (size_t i = 0; i < keep.n; i++)
    if (strcmp(keep.res[i].status, "no_data") != 0)
      snprintf(keep.res[i].basis, sizeof(keep.res[i].basis), "assumed");
  nsaid = keep.nsentences;
  if (nsaid == SU_SIZING_MAX_SENTENCES) {    /* room for the range's sentence */
    free(keep.sentence[nsaid - 1]);
    keep.nsentences = --nsaid;
  }
  if (same == SU_SIZING_RANGE)
    err = say(&keep, "No [mix] and no measurement of '%s' on any candidate: ranked over %d mixes "
              "from all stream_triad (memory-bound) to all %s (compute-bound); the table shows "
              "the half-and-half mix (basis assumed). The first choice, %s, holds across the "
              "whole range.", w->app, SU_SIZING_RANGE, w->compute, win[0]);
  else
    err = say(&keep, "No [mix] and no measurement of '%s' on any candidate: ranked over %d mixes "
              "from all stream_triad (memory-bound) to all %s (compute-bound); the table shows "
              "the half-and-half mix (basis assumed). The first choice DEPENDS on the mix: %s "
              "when memory-bound, %s when compute-bound (100/75/50/25/0%% stream_triad: %s, %s, "
              "%s, %s, %s); measure the app on the candidates ('sizeup app') or infer its mix "
              "('sizeup fit --app') before deciding.", w->app, SU_SIZING_RANGE, w->compute,
              win[0], win[SU_SIZING_RANGE - 1], win[0], win[1], win[2], win[3], win[4]);
  if (err) {
    su_sizing_fini(&keep);
    return err;
  }
  /* said first: it qualifies everything below it (the last one said goes
   * when the list was full) */
  if (keep.nsentences == SU_SIZING_MAX_SENTENCES && keep.nsentences > nsaid) {
    free(keep.sentence[keep.nsentences - 2]);
    keep.sentence[keep.nsentences - 2] = keep.sentence[keep.nsentences - 1];
    keep.nsentences--;
  }
  if (keep.nsentences > nsaid) {
    first = keep.sentence[keep.nsentences - 1];
    memmove(keep.sentence + 1, keep.sentence, nsaid * sizeof(keep.sentence[0]));
    keep.sentence[0] = first;
  }
  *out = keep;
  return SU_OK;
}

/*
 * The workload's [mix], when it is the mix inferred from its app on the
 * reference node (`sizeup fit --workload-out`, unchanged): m filled, 1;
 * 0 otherwise (no app, no results, a mix changed by hand).
 */
static int inferred_mix(const su_sizing_workload_t *w, const su_sizing_candidate_t *ref,
                        su_mix_t *m)
{
  su_results_t r;
  int same;

  if (!w->app[0] || !w->nmix || !ref || !ref->results_dir[0] ||
      su_results_load(ref->results_dir, &r) != SU_OK)
    return 0;
  same = su_mix_infer(&r, w->app, m) == SU_OK && m->nrefit > 0 &&
         fabs(m->serial_share - w->serial) < 1e-3;
  su_results_fini(&r);
  for (size_t k = 0; same && k < m->nk; k++) {
    double given = 0;
    for (size_t i = 0; i < w->nmix; i++)
      if (strcmp(w->kernel[i], m->kernel[k]) == 0)
        given = w->weight[i];
    same = fabs(given - m->share[k]) < 1e-3;
  }
  return same;
}

/*
 * How firmly the measurements fix the first choice: the workload's mix,
 * inferred from its app, fitted again with each count left out (mix.c);
 * every candidate ranked again on each of those mixes, and one sentence,
 * said first, on whether the first choice holds across them.
 */
static int check_refits(const su_sizing_catalog_t *cat, const su_sizing_workload_t *w,
                        su_sizing_t *out)
{
  su_sizing_workload_t *m2;
  su_mix_t *mix;
  const char *first = out->n && strcmp(out->res[0].status, "ok") == 0
                          ? out->res[0].cand->name : NULL;
  char other[256] = "";
  size_t same = 0, n = 0, nsaid = out->nsentences;
  int err = SU_OK;

  if (!first || !(mix = malloc(sizeof(*mix))))
    return first ? su_errorf(SU_ENOMEM, "cannot check the mix") : SU_OK;
  if (!(m2 = malloc(sizeof(*m2)))) {
    free(mix);
    return su_errorf(SU_ENOMEM, "cannot check the mix");
  }
  if (!inferred_mix(w, out->reference, mix))
    goto out;
  for (size_t i = 0; i < mix->nrefit && !err; i++) {
    su_sizing_t s;
    const char *win;

    *m2 = *w;
    m2->nmix = 0;
    m2->serial = mix->refit_share[i][0];
    for (size_t k = 0; k < mix->nk; k++)
      if (mix->refit_share[i][1 + k] > 0) {
        snprintf(m2->kernel[m2->nmix], sizeof(m2->kernel[0]), "%s", mix->kernel[k]);
        m2->weight[m2->nmix++] = mix->refit_share[i][1 + k];
      }
    if (m2->nmix == 0 || (err = evaluate_one(cat, m2, &s)) != SU_OK)
      continue;
    win = s.n && strcmp(s.res[0].status, "ok") == 0 ? s.res[0].cand->name : "no candidate";
    n++;
    if (strcmp(win, first) == 0)
      same++;
    else if (!strstr(other, win) && strlen(other) + strlen(win) + 3 < sizeof(other))
      snprintf(other + strlen(other), sizeof(other) - strlen(other), "%s%s",
               other[0] ? ", " : "", win);
    su_sizing_fini(&s);
  }
  if (err || n == 0)
    goto out;
  if (same == n)
    err = say(out, "The mix was inferred from '%s' on '%s'; fitted again with each of its %zu "
              "counts left out, it ranks %s first every time: the first choice does not hang "
              "on the mix.", w->app, out->reference->name, n, first);
  else
    err = say(out, "The mix was inferred from '%s' on '%s'; fitted again with each of its %zu "
              "counts left out, it ranks %s first %zu times and %s the other %zu: the first "
              "choice HANGS ON THE MIX, which these measurements fix only loosely; run '%s' on "
              "the candidates ('sizeup app') before deciding.", w->app, out->reference->name,
              n, first, same, other, n - same, w->app);
  /* said first: it qualifies everything below it */
  if (!err && out->nsentences > nsaid) {
    char *said = out->sentence[out->nsentences - 1];
    memmove(out->sentence + 1, out->sentence, nsaid * sizeof(out->sentence[0]));
    out->sentence[0] = said;
  }
out:
  free(m2);
  free(mix);
  return err;
}

int su_sizing_evaluate(const su_sizing_catalog_t *cat, const su_sizing_workload_t *w,
                       su_sizing_t *out)
{
  su_sizing_result_t res;
  app_fig_t app;
  int rc;

  memset(out, 0, sizeof(*out));
  if (!cat || !w || cat->n == 0)
    return su_errorf(SU_EINVAL, "nothing to evaluate");
  if (!app_only(w)) {
    if ((rc = evaluate_one(cat, w, out)) == SU_OK && (rc = check_refits(cat, w, out)))
      su_sizing_fini(out);
    return rc;
  }
  /* measured somewhere (usable, or saying why not): no range */
  app_fig_choose(cat, w, &cat->c[0], &app);
  for (size_t i = 0; i < cat->n; i++) {
    if ((rc = rate_candidate(&cat->c[i], w, &app, &res)) < -1)
      return rc;
    if (strcmp(res.basis, "measured") == 0)
      return evaluate_one(cat, w, out);
  }
  return evaluate_range(cat, w, out);
}
