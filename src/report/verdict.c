/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * verdict.c: the report's first section, in plain words for a reader who
 * knows no HPC terms: what each machine is strong and weak at (memory-bound,
 * compute-bound and latency-bound work), how far its figures are from the
 * ceilings sizeup knows (fma_peak's theoretical peak), where adding cores
 * stops paying (the scaling fits), and with several machines which one wins
 * each kind of work.
 *
 * Every number comes from the results: the headline figures of results.h,
 * the peak_theoretical and clock rows of fma_peak, the fits and the cache
 * plateaus the report computed anyway.  A winner is named only when its 95%
 * confidence interval does not overlap the runner-up's; otherwise the
 * verdict says the two cannot be told apart.  Where a figure is missing the
 * sentence says what to run, instead of guessing.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "sizeup/error.h"

static int say(su__report_t *rp, const char *lead, const char *fmt, ...) SU_PRINTF(3, 4);
static int say(su__report_t *rp, const char *lead, const char *fmt, ...)
{
  su__say_t *v;
  va_list ap;

  if (!(v = realloc(rp->verdict, (rp->nverdict + 1) * sizeof(*v))))
    return su_errorf(SU_ENOMEM, "cannot write the verdict");
  rp->verdict = v;
  v = &v[rp->nverdict++];
  snprintf(v->lead, sizeof(v->lead), "%s", lead);
  va_start(ap, fmt);
  vsnprintf(v->text, sizeof(v->text), fmt, ap);
  va_end(ap);
  return SU_OK;
}

/* A derived fma_peak row (metric "peak_theoretical", "clock") of the
 * configuration that gave the FP64 peak, else the first of its kind. */
static double derived(const su__dir_t *d, const char *metric)
{
  const su_result_row_t *ref = d->headrow[SU_HEAD_PEAK64], *any = NULL;
  const su_results_t *r = d->r;

  for (size_t i = 0; i < r->nrows; i++) {
    const su_result_row_t *w = &r->rows[i];
    if (!su_results_row_ok(w) || strcmp(w->metric, metric) != 0 ||
        strcmp(w->kernel, "fma_peak") != 0 || strcmp(w->precision, "fp64") != 0)
      continue;
    if (ref && w->threads == ref->threads && strcmp(w->variant, ref->variant) == 0 &&
        strcmp(w->placement, ref->placement) == 0)
      return w->median;
    if (!any)
      any = w;
  }
  return any ? any->median : NAN;
}

/*
 * Whether a theoretical peak can stand as the ceiling of a measured rate:
 * NaN (none recorded) is fine; a peak below the measurement is not (the
 * runner derives it from the clock it measured, which a busy machine gets
 * wrong).  2% of slack for the rate's own noise.
 */
static int ceiling_ok(double measured, double theo)
{
  return !isfinite(theo) || !(theo > 0) || measured <= 1.02 * theo;
}

void su__fmt_bytes(char *buf, size_t len, double b)
{
  if (!(b > 0))
    snprintf(buf, len, "-");
  else if (b >= 1024.0 * 1024 * 1024)
    snprintf(buf, len, "%.4g GiB", b / (1024.0 * 1024 * 1024));
  else if (b >= 1024.0 * 1024)
    snprintf(buf, len, "%.4g MiB", b / (1024.0 * 1024));
  else if (b >= 1024.0)
    snprintf(buf, len, "%.4g KiB", b / 1024.0);
  else
    snprintf(buf, len, "%.0f B", b);
}

void su__where_of(const su_results_t *r, const su_result_row_t *w, su__where_t *at)
{
  memset(at, 0, sizeof(*at));
  at->fits = -1;
  if (!w)
    return;
  at->modelled = strcmp(w->backend, "null") == 0;
  at->device = !at->modelled && strcmp(w->backend, "cpu") != 0;
  at->gpu = at->device && (strcmp(w->backend, "opencl") != 0 ||
                           strcmp(su_results_row_device_kind(r, w), "gpu") == 0);
  if (!at->gpu)
    at->llc = su_results_llc_of_row(r, w, &at->level);
  if (at->llc)
    at->fits = w->size_bytes <= at->llc;
}

/* Appends to buf (a string of len bytes), cut where it is full. */
static void addf(char *buf, size_t len, const char *fmt, ...) SU_PRINTF(3, 4);
static void addf(char *buf, size_t len, const char *fmt, ...)
{
  size_t used = strlen(buf);
  va_list ap;

  va_start(ap, fmt);
  if (used < len)
    vsnprintf(buf + used, len - used, fmt, ap);
  va_end(ap);
}

/* "32 MiB L3" (or "32 MiB last-level cache") of at. */
static void cache_name(const su__where_t *at, char *buf, size_t len)
{
  char c[24];

  su__fmt_bytes(c, sizeof(c), (double)at->llc);
  if (at->level)
    snprintf(buf, len, "%s L%u", c, at->level);
  else
    snprintf(buf, len, "%s last-level cache", c);
}

/* "8 MiB, fits the 32 MiB L3" of a working set that fits its cache. */
static void fits_words(const su__where_t *at, uint64_t size_bytes, char *buf, size_t len)
{
  char ws[24], c[48];

  su__fmt_bytes(ws, sizeof(ws), (double)size_bytes);
  cache_name(at, c, sizeof(c));
  snprintf(buf, len, "%s, fits the %s", ws, c);
}

void su__where_note(const su__where_t *at, uint64_t size_bytes, char *buf, size_t len)
{
  char f[96];

  buf[0] = '\0';
  if (at->modelled)
    addf(buf, len, "MODELLED by the null backend, not measured");
  if (at->device)
    addf(buf, len, "%s%s", buf[0] ? "; " : "", at->gpu ? "the GPU's" : "an OpenCL device's");
  if (at->fits == 1) {
    fits_words(at, size_bytes, f, sizeof(f));
    addf(buf, len, "%scaches, not memory: %s", buf[0] ? "; " : "", f);
  }
}

static const char *const modelled_lead = ", MODELLED by the null backend, not measured";

/* Where a memory figure's data came from: "main memory", "the GPU's
 * memory", "the OpenCL device's memory". */
static const char *memory_of(const su__where_t *at)
{
  return at->gpu ? "the GPU's memory" : at->device ? "the OpenCL device's memory"
                                                   : "main memory";
}

/*
 * The sentence of a memory figure (h: SU_HEAD_MEM_BW or SU_HEAD_LATENCY) of
 * row w (value v): main memory only when the working set is larger than the
 * last-level cache its cores use; a cache-sized working set is called the
 * caches' and the reader is told what to run; an OpenCL device's figure is
 * its own memory's.  extra: what follows a main-memory figure.
 */
static int say_memory(su__report_t *rp, const su__dir_t *d, su_head_t h,
                      const su_result_row_t *w, double v, const char *lead, const char *gloss,
                      const char *extra)
{
  int bw = h == SU_HEAD_MEM_BW;
  const char *kern = bw ? "STREAM triad" : "latency_chase";
  char l[192], fig[64], ws[32], c[48], f[128], dev[160] = "";
  su__where_t at;

  su__where_of(d->r, w, &at);
  snprintf(l, sizeof(l), "%s%s%s", lead,
           *gloss && at.gpu ? " on the GPU" : *gloss && at.device ? " on the OpenCL device" : "",
           at.modelled ? modelled_lead : "");
  snprintf(fig, sizeof(fig), bw ? "%.4g GB/s" : "%.4g ns per access", v);
  su__fmt_bytes(ws, sizeof(ws), (double)w->size_bytes);
  if (at.device)
    snprintf(dev, sizeof(dev), ", %s", w->device);
  if (at.fits == 1) {
    fits_words(&at, w->size_bytes, f, sizeof(f));
    return say(rp, l, "%s%s, from the caches, not %s: %s's largest working set, %s its cores "
               "use. Run %s to know the memory %s.", gloss, fig, memory_of(&at), kern, f,
               bw ? "'sizeup run -k stream_triad' (by default 4x the last-level cache)"
                  : "'sizeup run -k latency_chase -S sweep'", bw ? "bandwidth" : "latency");
  }
  if (at.fits == 0) {
    cache_name(&at, c, sizeof(c));
    snprintf(f, sizeof(f), ", larger than the %s its cores use", c);
  } else {
    snprintf(f, sizeof(f), "; %s", at.gpu ? "sizeup does not know the GPU's caches"
                                          : "these results carry no cache sizes to compare with");
  }
  return say(rp, l, "%s%s %s %s%s (%s at its largest working set, %s%s)%s", gloss, fig,
             bw ? "from" : "to", memory_of(&at), dev, kern, ws, f, extra);
}

/* The bandwidth of the first sweep's first plateau when it is a cache level
 * (L1, L2 ...), and its name. */
static double fastest_cache(const su__dir_t *d, const char **level)
{
  for (size_t s = 0; s < d->nbw; s++)
    for (size_t k = 0; k < d->bw_sweeps[s].nplateaus; k++) {
      const su_plateau_t *p = &d->bw_sweeps[s].plateau[k];
      if (p->level[0] == 'L') {
        *level = p->level;
        return p->bw;
      }
    }
  return NAN;
}

/* Where a series stops paying, from its best fit: *n_stop is the thread
 * count beyond which more threads add little or nothing (NaN when the fit
 * says it keeps growing up to the largest N measured), *eff the efficiency
 * at the largest N. */
static const su_fit_t *scaling_of(const su__dir_t *d, const char *kernel, const char *metric,
                                  double *n_stop, double *eff, int *modelled)
{
  const su_fit_series_t *best = NULL;
  const su_fit_t *f;

  for (size_t s = 0; s < d->fits.nseries; s++) {
    const su_fit_series_t *se = &d->fits.series[s];
    if (strcmp(se->kernel, kernel) != 0 || strcmp(se->metric, metric) != 0 ||
        strcmp(se->axis, "threads") != 0 ||
        (se->scaling && strcmp(se->scaling, "weak") == 0) || !su__best_fit(se))
      continue;
    if (!best || se->x[se->npoints - 1] > best->x[best->npoints - 1])
      best = se;
  }
  if (!best)
    return NULL;
  f = su__best_fit(best);
  *modelled |= strcmp(best->backend, "null") == 0;
  *eff = f->eff_at_nmax;
  *n_stop = NAN;
  if (f->model == SU_FIT_BWSAT && f->param[0] > 0 && f->param[1] / f->param[0] < f->nmax)
    *n_stop = f->param[1] / f->param[0];
  else if (f->model == SU_FIT_USL && isfinite(f->nstar) && f->nstar < f->nmax)
    *n_stop = f->nstar;
  return f;
}

static int say_scaling(su__report_t *rp, const su__dir_t *d, const char *who)
{
  static const struct {
    const char *kernel, *metric, *what;
  } k[] = {{"stream_triad", "bandwidth", "Memory bandwidth"},
           {"fma_peak", "flops", "The floating-point rate"}};
  char buf[640], lead[192];
  size_t len = 0;
  int modelled = 0;

  buf[0] = '\0';
  for (size_t i = 0; i < sizeof(k) / sizeof(k[0]) && len < sizeof(buf); i++) {
    double n_stop, eff;
    const su_fit_t *f = scaling_of(d, k[i].kernel, k[i].metric, &n_stop, &eff, &modelled);
    if (!f)
      continue;
    if (isfinite(n_stop))
      len += (size_t)snprintf(buf + len, sizeof(buf) - len,
                              "%s%s stops growing at about %.0f threads (%s fit): threads "
                              "beyond that add %s.", len ? " " : "",
                              k[i].what, n_stop, su_fit_model_name(f->model),
                              f->model == SU_FIT_USL ? "nothing and then slow it down"
                                                     : "nothing");
    else
      len += (size_t)snprintf(buf + len, sizeof(buf) - len,
                              "%s%s keeps growing up to the %.0f threads measured, at %.0f%% "
                              "efficiency there (%s fit%s).", len ? " " : "", k[i].what,
                              f->nmax, 100 * eff, su_fit_model_name(f->model),
                              len ? "" : "; 100% = every thread adds as much as the first");
  }
  if (!len)
    return say(rp, who, "not enough thread counts were measured to tell (a scaling fit "
               "needs at least 3 distinct counts): run with -t 1..max on a machine with more "
               "cores.");
  snprintf(lead, sizeof(lead), "%s%s", who, modelled ? modelled_lead : "");
  return say(rp, lead, "%s", buf);
}

/* --- one machine --------------------------------------------------------------- */

/* The figures of an OpenCL device in a run that also has the CPU's: its
 * own sentence, never the CPU's main memory. */
static int say_device(su__report_t *rp, const su__dir_t *d)
{
  su_headline_t h[SU_HEAD_N];
  const su_result_row_t *rows = d->r->rows;
  char lead[160];
  int err = SU_OK;

  su_results_headlines_of(rows, d->r->nrows, "opencl", h);
  for (int k = 0; k < SU_HEAD_N && !err; k++) {
    const su_result_row_t *w = h[k].row < d->r->nrows ? &rows[h[k].row] : NULL;
    su__where_t at;
    if (!w || d->headrow[k] == w)
      continue;             /* not measured, or already said */
    su__where_of(d->r, w, &at);
    snprintf(lead, sizeof(lead), "On %s", at.gpu ? "the GPU" : "the OpenCL device");
    if (k == SU_HEAD_MEM_BW || k == SU_HEAD_LATENCY)
      err = say_memory(rp, d, (su_head_t)k, w, h[k].value, lead, "", ".");
    else if (k == SU_HEAD_PEAK64)
      err = say(rp, lead, "up to %.4g GFLOP/s in FP64 (fma_peak, %s).", h[k].value,
                w->device);
  }
  return err;
}

static int say_noise(su__report_t *rp, const su__dir_t *d);

static int verdict_one(su__report_t *rp, const su__dir_t *d)
{
  double bw = d->head[SU_HEAD_MEM_BW], p64 = d->head[SU_HEAD_PEAK64];
  double p32 = d->head[SU_HEAD_PEAK32], lat = d->head[SU_HEAD_LATENCY];
  double theo = derived(d, "peak_theoretical"), ghz = derived(d, "clock"), l1;
  const char *level = NULL;
  su__where_t at_bw, at_p64, at_lat;
  char extra[256], lead[160];
  int err;

  su__where_of(d->r, d->headrow[SU_HEAD_MEM_BW], &at_bw);
  su__where_of(d->r, d->headrow[SU_HEAD_PEAK64], &at_p64);
  su__where_of(d->r, d->headrow[SU_HEAD_LATENCY], &at_lat);
  snprintf(lead, sizeof(lead), "Compute-bound work%s%s",
           at_p64.gpu ? " on the GPU" : at_p64.device ? " on the OpenCL device" : "",
           at_p64.modelled ? modelled_lead : "");
  if (isfinite(p64)) {
    if (isfinite(p32))
      snprintf(extra, sizeof(extra), " (%.4g in FP32, single precision)", p32);
    else
      extra[0] = '\0';
    if (!ceiling_ok(p64, theo)) {
      err = say(rp, lead,
                "(dense matrix products, tight arithmetic loops, limited by how fast the cores "
                "calculate): up to %.4g GFLOP/s in FP64, double precision%s. The theoretical "
                "peak recorded with it, %.4g GFLOP/s, is below that: the clock measured during "
                "the run was wrong (a busy or throttled machine?), so there is no ceiling to "
                "compare with; measure again on a quiet machine.", p64, extra, theo);
      ghz = NAN;            /* the same clock: no cycles from it either */
    } else if (isfinite(theo) && theo > 0)
      err = say(rp, lead,
                "(dense matrix products, tight arithmetic loops, limited by how fast the cores "
                "calculate): up to %.4g GFLOP/s in FP64, double precision%s. That is %.0f%% "
                "of this processor's theoretical peak of %.4g GFLOP/s (cores x clock x "
                "operations per cycle), which real programs never quite reach.",
                p64, extra, 100 * p64 / theo, theo);
    else
      err = say(rp, lead,
                "(dense matrix products, tight arithmetic loops, limited by how fast the cores "
                "calculate): up to %.4g GFLOP/s in FP64, double precision%s. These results "
                "carry no theoretical peak to compare it with.", p64, extra);
  } else {
    err = say(rp, "Compute-bound work", "not measured: run 'sizeup run -k fma_peak' to know "
              "the floating-point peak.");
  }
  if (err)
    return err;
  if (isfinite(bw)) {
    l1 = fastest_cache(d, &level);
    if (isfinite(l1) && l1 > bw && !at_bw.device)
      snprintf(extra, sizeof(extra), ". sizeup knows no theoretical ceiling for memory "
               "bandwidth. Data small enough for the %s cache moves at %.4g GB/s, %.1fx "
               "faster.", level, l1, l1 / bw);
    else
      snprintf(extra, sizeof(extra), ". sizeup knows no theoretical ceiling for memory "
               "bandwidth.");
    err = say_memory(rp, d, SU_HEAD_MEM_BW, d->headrow[SU_HEAD_MEM_BW], bw, "Memory-bound work",
                     "(streaming through data much larger than the caches, as most "
                     "fluid-dynamics, climate and sparse-matrix codes do, limited by how fast "
                     "data comes from memory): ", extra);
  } else {
    err = say(rp, "Memory-bound work", "not measured: run 'sizeup run -k stream_triad' to know "
              "the memory bandwidth.");
  }
  if (err)
    return err;
  /* clock cycles: the CPU's clock, for the CPU's own main memory */
  if (isfinite(ghz) && ghz > 0 && !at_lat.device && !at_lat.modelled)
    snprintf(extra, sizeof(extra), ", about %.0f clock cycles of waiting each.", lat * ghz);
  else
    snprintf(extra, sizeof(extra), ".");
  if (isfinite(lat))
    err = say_memory(rp, d, SU_HEAD_LATENCY, d->headrow[SU_HEAD_LATENCY], lat,
                     "Latency-bound work", "(following pointers: graphs, trees, databases, "
                     "where each memory access waits for the previous one): ", extra);
  else
    err = say(rp, "Latency-bound work", "not measured: run 'sizeup run -k latency_chase -S "
              "sweep' to know the memory latency.");
  if (err)
    return err;
  if ((err = say_device(rp, d)))
    return err;
  /* the machine balance: the CPU's peak against its main memory only */
  if (isfinite(bw) && isfinite(p64) && bw > 0 && at_bw.fits != 1 && !at_bw.device &&
      !at_p64.device) {
    const su_result_row_t *w = d->headrow[SU_HEAD_MEM_BW];
    double balance = p64 / bw;
    double ai = w && w->flops > 0 && w->bytes > 0 ? w->flops / w->bytes : NAN;
    snprintf(lead, sizeof(lead), "In short%s",
             at_bw.modelled || at_p64.modelled ? modelled_lead : "");
    if (isfinite(ai))
      err = say(rp, lead,
                "this machine does %.3g floating-point operations in the time it moves one "
                "byte from memory (its machine balance). Code that does fewer operations per "
                "byte waits for memory: a memory-bound code like STREAM triad (%.3g per "
                "byte) can use at most %.1f%% of its floating-point peak, so for such work "
                "its memory bandwidth, not its peak, is the figure to compare.",
                balance, ai, 100 * bw * ai / p64);
    else
      err = say(rp, lead,
                "this machine does %.3g floating-point operations in the time it moves one "
                "byte from memory (its machine balance): code doing fewer operations per "
                "byte is limited by memory bandwidth, code doing more by the peak.", balance);
    if (err)
      return err;
  }
  if ((err = say_noise(rp, d)))
    return err;
  return say_scaling(rp, d, "Where adding cores stops paying");
}

/*
 * How sure the figures are: the ok rows that missed their confidence
 * target (`noisy`: the 95% CI of the median wider than the target, +-2%
 * by default, when the budget ran out), and each headline among them with
 * its range.  Nothing when every figure met it.
 */
static int say_noise(su__report_t *rp, const su__dir_t *d)
{
  static const char *const what[SU__NHEAD] = {"memory bandwidth", "FP64 peak", "FP32 peak",
                                              "memory latency"};
  size_t nok = 0, nnoisy = 0;
  char heads[384] = "";

  for (size_t i = 0; i < d->r->nrows; i++) {
    const su_result_row_t *w = &d->r->rows[i];
    if (!su_results_row_ok(w))
      continue;
    nok++;
    nnoisy += w->noisy != 0;
  }
  if (!nnoisy)
    return SU_OK;
  for (int h = 0; h < SU__NHEAD; h++) {
    const su_result_row_t *w = d->headrow[h];
    if (w && w->noisy && isfinite(w->ci95_lo) && isfinite(w->ci95_hi))
      addf(heads, sizeof(heads), "%s%s %.4g %s (95%% range %.4g to %.4g)",
           heads[0] ? "; " : " Among them the ", what[h], w->median, w->unit, w->ci95_lo,
           w->ci95_hi);
  }
  return say(rp, "How sure", "%zu of the %zu figures measured missed their confidence target "
             "(marked noisy in summary.csv: the machine varied more than the time budget could "
             "average out).%s%s Compare such figures by their ranges, not their medians, or "
             "measure again on a quiet machine, with more --rounds.", nnoisy, nok, heads,
             heads[0] ? "." : "");
}

/* --- several machines ------------------------------------------------------------ */

static int overlap(const su_result_row_t *a, const su_result_row_t *b)
{
  double alo = isfinite(a->ci95_lo) ? a->ci95_lo : a->median;
  double ahi = isfinite(a->ci95_hi) ? a->ci95_hi : a->median;
  double blo = isfinite(b->ci95_lo) ? b->ci95_lo : b->median;
  double bhi = isfinite(b->ci95_hi) ? b->ci95_hi : b->median;

  return alo <= bhi && blo <= ahi;
}

/* Whether machine d's figure h takes part in the comparison: measured, and
 * for a memory figure not from the caches (a cache-sized working set is no
 * match for another machine's main memory). */
static int contests(const su__dir_t *d, su_head_t h)
{
  su__where_t at;

  if (!isfinite(d->head[h]))
    return 0;
  if (h != SU_HEAD_MEM_BW && h != SU_HEAD_LATENCY)
    return 1;
  su__where_of(d->r, d->headrow[h], &at);
  return at.fits != 1;
}

static int winner(su__report_t *rp, su_head_t h, const char *lead, const char *gloss,
                  const char *what, const char *unit)
{
  int lower = h == SU_HEAD_LATENCY;
  const su__dir_t *best = NULL, *second = NULL;
  su__where_t at;
  char list[512] = "";
  size_t len = 0, nlisted = 0;

  for (size_t i = 0; i < rp->ndirs; i++) {
    const su__dir_t *d = &rp->dirs[i];
    if (!isfinite(d->head[h]))
      continue;
    if (!contests(d, h))
      ;                     /* listed, not compared */
    else if (!best || (lower ? d->head[h] < best->head[h] : d->head[h] > best->head[h])) {
      second = best;
      best = d;
    } else if (!second ||
               (lower ? d->head[h] < second->head[h] : d->head[h] > second->head[h])) {
      second = d;
    }
    su__where_of(d->r, d->headrow[h], &at);
    nlisted++;
    if (len < sizeof(list))
      len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s %.4g%s%s", len ? ", " : "",
                              d->name, d->head[h], at.modelled ? " MODELLED" : "",
                              at.fits == 1 ? " from the caches, not compared"
                              : at.gpu ? " on the GPU"
                              : at.device ? " on an OpenCL device" : "");
  }
  if (!best && !len)
    return say(rp, lead, "(%s): no machine measured %s.", gloss, what);
  if (!best)
    return say(rp, lead, "(%s): no machine measured %s beyond the caches (%s %s).", gloss,
               what, list, unit);
  if (!second && nlisted == 1)
    return say(rp, lead, "(%s): only %s measured %s: %s %s.", gloss, best->name, what,
               list + strlen(best->name) + 1, unit);
  if (!second)
    return say(rp, lead, "(%s): only %s measured %s beyond the caches (%s %s).", gloss,
               best->name, what, list, unit);
  if (overlap(best->headrow[h], second->headrow[h]))
    return say(rp, lead, "(%s): no clear winner: %s and %s are within each other's 95%% "
               "confidence ranges of %s (%s %s).", gloss, best->name, second->name, what, list,
               unit);
  return say(rp, lead, "(%s): %s wins, with %.3gx the %s of %s (%s %s).", gloss, best->name,
             lower ? second->head[h] / best->head[h] : best->head[h] / second->head[h],
             lower ? "speed of access" : what, second->name, list, unit);
}

/* The machine that wins figure h outright (its CI clear of every other's),
 * or NULL. */
static const su__dir_t *clear_winner(const su__report_t *rp, su_head_t h)
{
  const su__dir_t *best = NULL;
  int lower = h == SU_HEAD_LATENCY;

  for (size_t i = 0; i < rp->ndirs; i++) {
    const su__dir_t *d = &rp->dirs[i];
    if (contests(d, h) &&
        (!best || (lower ? d->head[h] < best->head[h] : d->head[h] > best->head[h])))
      best = d;
  }
  for (size_t i = 0; best && i < rp->ndirs; i++)
    if (&rp->dirs[i] != best && contests(&rp->dirs[i], h) &&
        overlap(best->headrow[h], rp->dirs[i].headrow[h]))
      return NULL;
  return best;
}

/* The one-line answer: one machine wins every kind of work measured on
 * more than one machine, or the choice depends on the work. */
static int overall(su__report_t *rp)
{
  static const su_head_t kinds[] = {SU_HEAD_MEM_BW, SU_HEAD_PEAK64, SU_HEAD_LATENCY};
  static const char *const names[] = {"memory-bound", "compute-bound", "latency-bound"};
  const su__dir_t *w[3], *all = NULL;
  char buf[512];
  size_t len = 0, ncontested = 0, same = 1;

  for (size_t k = 0; k < 3; k++) {
    size_t nmeasured = 0;
    w[k] = NULL;
    for (size_t i = 0; i < rp->ndirs; i++)
      nmeasured += contests(&rp->dirs[i], kinds[k]) != 0;
    if (nmeasured < 2)
      continue;
    ncontested++;
    w[k] = clear_winner(rp, kinds[k]);
    if (!w[k] || (all && all != w[k]))
      same = 0;
    if (w[k])
      all = w[k];
  }
  if (!ncontested)
    return SU_OK;
  if (same && all)
    return say(rp, "In short", "%s is the faster machine for every kind of work measured on "
               "more than one of them; whether it is worth its price is what 'sizeup "
               "recommend' answers.", all->name);
  for (size_t k = 0; k < 3 && len < sizeof(buf); k++)
    if (w[k])
      len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s for %s work", len ? ", " : "",
                              w[k]->name, names[k]);
  if (!len)
    return say(rp, "In short", "the machines cannot be told apart on these measurements: "
               "their 95%% confidence ranges overlap.");
  return say(rp, "In short", "the choice depends on the work you run: %s (details below).",
             buf);
}

static int verdict_many(su__report_t *rp)
{
  int err;

  if ((err = overall(rp)))
    return err;

  if ((err = winner(rp, SU_HEAD_MEM_BW, "Memory-bound work",
                    "streaming through data larger than the caches, as most fluid-dynamics, "
                    "climate and sparse-matrix codes do", "memory bandwidth", "GB/s")) ||
      (err = winner(rp, SU_HEAD_PEAK64, "Compute-bound work",
                    "dense matrix products, tight arithmetic loops", "FP64 peak",
                    "GFLOP/s")) ||
      (err = winner(rp, SU_HEAD_LATENCY, "Latency-bound work",
                    "following pointers: graphs, trees, databases", "memory latency", "ns")))
    return err;
  for (size_t i = 0; i < rp->ndirs; i++) {
    const su__dir_t *d = &rp->dirs[i];
    double theo = derived(d, "peak_theoretical");
    char lead[128];
    if (isfinite(theo) && theo > 0 && isfinite(d->head[SU_HEAD_PEAK64]) &&
        (err = ceiling_ok(d->head[SU_HEAD_PEAK64], theo)
                   ? say(rp, d->name, "reaches %.0f%% of its theoretical FP64 peak (%.4g of "
                         "%.4g GFLOP/s).", 100 * d->head[SU_HEAD_PEAK64] / theo,
                         d->head[SU_HEAD_PEAK64], theo)
                   : say(rp, d->name, "its recorded theoretical FP64 peak (%.4g GFLOP/s) is "
                         "below its measured %.4g: the clock measured during the run was "
                         "wrong, so there is no ceiling to compare with.", theo,
                         d->head[SU_HEAD_PEAK64])))
      return err;
    snprintf(lead, sizeof(lead), "%s, adding cores", d->name);
    if ((err = say_scaling(rp, d, lead)))
      return err;
  }
  return SU_OK;
}

int su__report_verdict(su__report_t *rp)
{
  for (size_t i = 0; i < rp->ndirs; i++) {
    su__dir_t *d = &rp->dirs[i];
    su_headline_t h[SU_HEAD_N];
    su_results_headlines(d->r->rows, d->r->nrows, h);
    for (int k = 0; k < SU_HEAD_N; k++) {
      d->head[k] = h[k].value;
      d->headrow[k] = h[k].row < d->r->nrows ? &d->r->rows[h[k].row] : NULL;
    }
  }
  return rp->ndirs == 1 ? verdict_one(rp, &rp->dirs[0]) : verdict_many(rp);
}
