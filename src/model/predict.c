/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * predict.c: fits that predict.  Choosing a scaling law by how well it
 * predicts counts it was not fitted on, predicting at larger counts with
 * intervals, hand-made tables, predictions.csv.
 *
 * The choice follows Extra-P (Calotoiu et al., SC13), which picks among
 * hypotheses by cross-validation rather than by the fit's own error: a law
 * with more parameters always fits its points at least as well, but only a
 * law that describes the machine predicts the point it did not see.
 *
 * The intervals come from a residual bootstrap over the counts' medians
 * (Davison and Hinkley, 1997, alg. 6.4 for prediction): the chosen curve
 * times one plus a held-out (leave-one-out) relative residual at every
 * count, every model fitted and chosen again on each replicate (Efron,
 * JASA 2014: the choice's own uncertainty), the replicate's choice
 * predicting, times one plus one more held-out residual for the new
 * measurement's miss; the 2.5% and 97.5% quantiles of those predictions
 * bound the median a new measurement at that count would give
 * (docs/models.md).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/model_int.h"
#include "sizeup/csv.h"
#include "sizeup/error.h"
#include "sizeup/fit.h"
#include "sizeup/kernel.h"
#include "sizeup/samples.h"

static int usable(const su_fit_t *f)
{
  return f->status == SU_FIT_OK || f->status == SU_FIT_EXACT;
}

/* Model m's held-out predictions over the points (n, x)[0..np-1],
 * ascending in n: xp[j] = f_-j(n_j), where f_-j was fitted without the
 * count n_j (each distinct count left out in turn); NaN where that fit
 * failed or predicts nothing positive.  tn, tx: np slots of scratch. */
static int loo_predict(su_fit_model_t m, const double *n, const double *x, size_t np, double *xp,
                       double *tn, double *tx)
{
  for (size_t i = 0; i < np; i++) {
    size_t k = 0;
    su_fit_t f;
    int err;
    if (i > 0 && n[i] == n[i - 1])
      continue;               /* each count once */
    for (size_t j = 0; j < np; j++)
      if (n[j] != n[i]) {
        tn[k] = n[j];
        tx[k++] = x[j];
      }
    if ((err = su__fit_quick(m, tn, tx, k, &f)))
      return err;
    for (size_t j = i; j < np && n[j] == n[i]; j++) {
      double y = usable(&f) ? su_fit_eval(&f, n[j]) : NAN;
      xp[j] = isfinite(y) && y > 0 ? y : NAN;
    }
  }
  return SU_OK;
}

/* Model m's mean relative error |f_-j - x_j| / x_j over the counts that
 * could be predicted; NaN when fewer than 2 could.  xp, tn, tx: np slots
 * of scratch. */
static int loo_error(su_fit_model_t m, const double *n, const double *x, size_t np, double *out,
                     double *xp, double *tn, double *tx)
{
  double sum = 0;
  size_t k = 0;
  int err;

  *out = NAN;
  if ((err = loo_predict(m, n, x, np, xp, tn, tx)))
    return err;
  for (size_t j = 0; j < np; j++)
    if (isfinite(xp[j])) {
      sum += fabs(xp[j] - x[j]) / x[j];
      k++;
    }
  if (k >= 2)
    *out = sum / (double)k;
  return SU_OK;
}

/* The choice among the models whose fit[m] is usable, from their
 * leave-one-out errors loo[m] (NaN: not cross-validated): the smallest
 * error, then parsimony (fewer parameters within 10% of the best error
 * win).  -1 when none could be cross-validated. */
static int choose_by_loo(const su_fit_t *fit, const double *loo)
{
  int best = -1;

  for (int m = 0; m < SU_FIT_NMODELS; m++)
    if (isfinite(loo[m]) && (best < 0 || loo[m] < loo[best]))
      best = m;
  for (int m = 0; best >= 0 && m < SU_FIT_NMODELS; m++)
    if (isfinite(loo[m]) && fit[m].nparams < fit[best].nparams &&
        loo[m] <= 1.1 * loo[best] + 1e-9)
      best = m;
  return best;
}

/* Fits the models of fitted[] to (n, x) and chooses one as su_fit_choose
 * does: *chosen (-1 when none), fit[] and loo[] filled.  scratch: 3 np
 * slots. */
static int fit_and_choose(const int *fitted, const double *n, const double *x, size_t np,
                          su_fit_t *fit, double *loo, int *chosen, double *scratch)
{
  int err;

  for (int m = 0; m < SU_FIT_NMODELS; m++) {
    loo[m] = NAN;
    if (!fitted[m])
      continue;
    if ((err = su__fit_quick((su_fit_model_t)m, n, x, np, &fit[m])))
      return err;
    if (usable(&fit[m]) &&
        (err = loo_error((su_fit_model_t)m, n, x, np, &loo[m], scratch, scratch + np,
                         scratch + 2 * np)))
      return err;
  }
  *chosen = choose_by_loo(fit, loo);
  return SU_OK;
}

int su_fit_choose(su_fit_series_t *s)
{
  double *scratch = malloc(3 * (s->npoints ? s->npoints : 1) * sizeof(double));
  int best, err = SU_OK;
  size_t k = 0;

  s->chosen = -1;
  s->why[0] = '\0';
  if (!scratch)
    return su_errorf(SU_ENOMEM, "out of memory");
  for (int m = 0; m < SU_FIT_NMODELS; m++) {
    s->loo[m] = NAN;
    if (s->fitted[m] && usable(&s->fit[m]) &&
        (err = loo_error((su_fit_model_t)m, s->n, s->x, s->npoints, &s->loo[m], scratch,
                         scratch + s->npoints, scratch + 2 * s->npoints)))
      break;
  }
  free(scratch);
  if (err)
    return err;
  if ((best = choose_by_loo(s->fit, s->loo)) < 0) {
    snprintf(s->why, sizeof(s->why), "no model could be cross-validated (too few counts)");
    return SU_OK;
  }
  s->chosen = best;
  k = (size_t)snprintf(s->why, sizeof(s->why), "%s: leave-one-out error %.1f%%",
                       su_fit_model_name((su_fit_model_t)best), 100 * s->loo[best]);
  for (int m = 0; m < SU_FIT_NMODELS && k < sizeof(s->why); m++) {
    if (m == best || !s->fitted[m])
      continue;
    if (isfinite(s->loo[m]))
      k += (size_t)snprintf(s->why + k, sizeof(s->why) - k, "; %s %.1f%%",
                            su_fit_model_name((su_fit_model_t)m), 100 * s->loo[m]);
    else
      k += (size_t)snprintf(s->why + k, sizeof(s->why) - k, "; %s n/a",
                            su_fit_model_name((su_fit_model_t)m));
  }
  return SU_OK;
}

/* --- the bootstrap ---------------------------------------------------------- */

/* xorshift64*: reproducible draws for a given seed. */
static unsigned long long rnd_next(unsigned long long *st)
{
  unsigned long long x = *st;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *st = x;
  return x * 2685821657736338717ull;
}

static size_t rnd_below(unsigned long long *st, size_t n)
{
  return (size_t)(rnd_next(st) >> 11) % (n ? n : 1);
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The q-quantile (0..1) of v[0..n-1], sorted in place; NaN for n = 0. */
static double quantile(double *v, size_t n, double q)
{
  double pos;
  size_t i;

  if (n == 0)
    return NAN;
  qsort(v, n, sizeof(*v), cmp_double);
  pos = q * (double)(n - 1);
  i = (size_t)pos;
  return i + 1 < n ? v[i] + (pos - (double)i) * (v[i + 1] - v[i]) : v[n - 1];
}

static double median_of(double *v, size_t n)
{
  return quantile(v, n, 0.5);
}

/* The value of rate x in the series' own metric. */
static double own(const su_fit_series_t *s, double x)
{
  return s->inverted ? 1 / x : x;
}

/*
 * The bootstrap of a series' prediction.  Its unit is a point (a count's
 * median), not a sample: the samples of one count are taken one after the
 * other and share the state the machine was in then (its load, its
 * clocks), so resampling them says how well that moment is known, not how
 * far a count measured at another moment falls.  How far a point falls is
 * its held-out residual, x_j / f_-j(n_j) - 1, f_-j fitted without it (the
 * jackknife+ of Barber, Candes, Ramdas and Tibshirani, Ann. Statist.
 * 2021), relative: a scatter that grows with the value (a fixed delay
 * added to every run is a larger share of a shorter one; docs/models.md
 * says what that leaves out).
 *
 * A replicate (a residual bootstrap, Davison and Hinkley 1997, alg. 6.4):
 * the chosen curve times one plus a held-out residual drawn at every
 * point; on those points every model is fitted and chosen again by
 * leave-one-out, as the series' own choice was made (so a choice that a
 * new measurement could overturn widens the interval: Efron, "Estimation
 * and accuracy after model selection", JASA 2014); the replicate's choice
 * predicts, times one plus another drawn residual (the new measurement's
 * own miss).  The 2.5% and 97.5% quantiles are the interval.
 */
static int predict_series(su_fit_series_t *s, const double *at, size_t nat, unsigned nboot,
                          unsigned long long seed)
{
  const su_fit_t *f = &s->fit[s->chosen];
  const size_t np = s->npoints;
  double *res = NULL, *xb = NULL, *draws = NULL, *nst = NULL, *scratch = NULL;
  size_t nns = 0, nres = 0, *kept = NULL;
  unsigned long long st = seed * 0x9E3779B97F4A7C15ull + 1;
  int err = SU_OK;

  free(s->pred);
  s->npred = 0;
  if (!(s->pred = calloc(nat ? nat : 1, sizeof(*s->pred))))
    return su_errorf(SU_ENOMEM, "out of memory");
  res = malloc(np * sizeof(double));
  xb = malloc(np * sizeof(double));
  scratch = malloc(3 * np * sizeof(double));
  draws = malloc((nat ? nat : 1) * nboot * sizeof(double));
  kept = calloc(nat ? nat : 1, sizeof(size_t));
  nst = malloc(nboot * sizeof(double));
  if (!res || !xb || !scratch || !draws || !kept || !nst) {
    err = su_errorf(SU_ENOMEM, "out of memory");
    goto out;
  }
  if ((err = loo_predict(f->model, s->n, s->x, np, xb, scratch, scratch + np)))
    goto out;
  for (size_t j = 0; j < np; j++)
    if (isfinite(xb[j]))
      res[nres++] = s->x[j] / xb[j] - 1;
  /* A chosen model predicted at least 2 left-out counts (su_fit_choose);
   * with fewer there would be no interval rather than a zero-width one. */
  if (nres < 2)
    nres = 0;
  for (unsigned b = 0; b < nboot && nres > 0; b++) {
    su_fit_t fb[SU_FIT_NMODELS];
    double loo[SU_FIT_NMODELS];
    int cb;
    for (size_t i = 0; i < np; i++)
      xb[i] = su_fit_eval(f, s->n[i]) * (1 + res[rnd_below(&st, nres)]);
    if ((err = fit_and_choose(s->fitted, s->n, xb, np, fb, loo, &cb, scratch)))
      goto out;
    if (cb < 0)
      continue;
    for (size_t a = 0; a < nat; a++) {
      double y = su_fit_eval(&fb[cb], at[a]) * (1 + res[rnd_below(&st, nres)]);
      if (isfinite(y) && y > 0)
        draws[a * nboot + kept[a]++] = y;
    }
    /* N* is the USL's: its interval is the USL's refits'. */
    if (f->model == SU_FIT_USL && usable(&fb[SU_FIT_USL]) && isfinite(fb[SU_FIT_USL].nstar))
      nst[nns++] = fb[SU_FIT_USL].nstar;
  }
  for (size_t a = 0; a < nat; a++) {
    su_fit_pred_t *p = &s->pred[a];
    double v = su_fit_eval(f, at[a]);
    double lo = quantile(draws + a * nboot, kept[a], 0.025);
    double hi = quantile(draws + a * nboot, kept[a], 0.975);
    p->n = at[a];
    p->value = isfinite(v) && v > 0 ? own(s, v) : NAN;
    /* Too few usable replicates give no interval rather than a narrow one. */
    p->lo = kept[a] >= nboot / 2 ? own(s, s->inverted ? hi : lo) : NAN;
    p->hi = kept[a] >= nboot / 2 ? own(s, s->inverted ? lo : hi) : NAN;
  }
  s->npred = nat;
  s->nstar.n = NAN;
  s->nstar.value = f->model == SU_FIT_USL ? f->nstar : NAN;
  s->nstar.lo = s->nstar.hi = NAN;
  if (isfinite(s->nstar.value) && nns >= nboot / 2) {
    s->nstar.lo = quantile(nst, nns, 0.025);
    s->nstar.hi = quantile(nst, nns, 0.975);
  }
out:
  free(res);
  free(xb);
  free(scratch);
  free(draws);
  free(kept);
  free(nst);
  return err;
}

int su_fit_predict_set(su_fit_set_t *set, const double *at, size_t nat, unsigned nboot,
                       unsigned long long seed)
{
  int err;

  if (nboot < 20)
    return su_errorf(SU_EINVAL, "a bootstrap needs at least 20 replicates, not %u", nboot);
  for (size_t j = 0; j < set->nseries; j++) {
    su_fit_series_t *s = &set->series[j];
    if (s->chosen < 0)
      continue;
    if ((err = predict_series(s, at, nat, nboot, seed + j)))
      return err;
  }
  return SU_OK;
}

/* --- a hand-made table ------------------------------------------------------ */

static int col_of(char **h, size_t n, const char *const *names)
{
  for (size_t i = 0; i < n; i++)
    for (const char *const *c = names; *c; c++)
      if (strcmp(h[i], *c) == 0)
        return (int)i;
  return -1;
}

int su_fit_table_load(const char *path, su_fit_set_t *out)
{
  su_samples_t grouped = {0}, *samples = &grouped;
  static const char *const count_cols[] = {"cores", "threads", "ranks", "nodes", "n", NULL};
  static const char *const time_cols[] = {"seconds", "time_s", NULL};
  su_csv_reader_t rd;
  su_fit_set_t set = {NULL, 0, NULL};
  su_fit_series_t *s;
  char **f;
  size_t nf, np = 0, cap = 0;
  double *cn = NULL, *ct = NULL;
  int ci = -1, ti = -1, rc, err = SU_OK;
  const char *base = strrchr(path, '/');
  FILE *fp;

  if (!(fp = fopen(path, "r")))
    return su_errorf(SU_EIO, "cannot open '%s': %s", path, strerror(errno));
  su_csv_reader_init(&rd, fp);
  if ((rc = su_csv_read(&rd, &f, &nf)) <= 0) {
    err = rc < 0 ? rc : su_errorf(SU_EINVAL, "'%s' is empty: expected a header such as "
                                              "'cores,seconds'", path);
    goto out;
  }
  ci = col_of(f, nf, count_cols);
  ti = col_of(f, nf, time_cols);
  if (ci < 0 || ti < 0) {
    err = su_errorf(SU_EINVAL, "'%s' has no %s column (expected a header such as "
                               "'cores,seconds')", path, ci < 0 ? "count (cores, threads, "
                               "ranks, nodes or n)" : "time (seconds or time_s)");
    goto out;
  }
  while ((rc = su_csv_read(&rd, &f, &nf)) > 0) {
    char *e1, *e2;
    double n, t;
    if (nf == 1 && !f[0][0])
      continue;               /* a blank line */
    if ((size_t)(ci > ti ? ci : ti) >= nf) {
      err = su_errorf(SU_EINVAL, "%s:%lu: too few fields", path, rd.line);
      goto out;
    }
    n = strtod(f[ci], &e1);
    t = strtod(f[ti], &e2);
    if (e1 == f[ci] || *e1 || e2 == f[ti] || *e2 || !(n >= 1) || n != floor(n) || !(t > 0) ||
        !isfinite(t)) {
      err = su_errorf(SU_EINVAL, "%s:%lu: expected a whole count >= 1 and a time > 0, got "
                                 "'%s', '%s'", path, rd.line, f[ci], f[ti]);
      goto out;
    }
    if (np == cap) {
      size_t nc = cap ? 2 * cap : 64;
      double *a = realloc(cn, nc * sizeof(double)), *b;
      if (a)
        cn = a;
      if (!a || !(b = realloc(ct, nc * sizeof(double)))) {
        err = su_errorf(SU_ENOMEM, "out of memory");
        goto out;
      }
      ct = b;
      cap = nc;
    }
    cn[np] = n;
    ct[np++] = t;
  }
  if (rc < 0) {
    err = rc;
    goto out;
  }
  /* One series: the names live in set.owned. */
  base = base ? base + 1 : path;
  {
    size_t bl = strlen(base);
    if (bl > 4 && strcmp(base + bl - 4, ".csv") == 0)
      bl -= 4;
    if (!(set.owned = malloc(bl + 1)) || !(set.series = calloc(1, sizeof(*set.series)))) {
      err = su_errorf(SU_ENOMEM, "out of memory");
      goto out;
    }
    memcpy(set.owned, base, bl);
    set.owned[bl] = '\0';
  }
  set.nseries = 1;
  s = &set.series[0];
  s->kernel = set.owned;
  s->variant = s->device = s->precision = s->placement = s->scaling = "";
  s->backend = "table";
  s->metric = "time";
  s->unit = "s";
  s->ranks = s->nodes = 1;
  s->axis = "threads";
  /* The points: the median of each count's rows, ascending. */
  for (size_t i = 0; i < np; i++) {
    su_sample_key_t key = {s->kernel, "", "table", "", "", "", "time", (unsigned)cn[i], 1, 1, 0};
    if ((err = su_samples_add(samples, &key, "s", &ct[i], 1)))
      goto out;
  }
  if (!(s->n = malloc(4 * (samples->n ? samples->n : 1) * sizeof(double)))) {
    err = su_errorf(SU_ENOMEM, "out of memory");
    goto out;
  }
  s->x = s->n + samples->n;
  s->ci_lo = s->x + samples->n;
  s->ci_hi = s->ci_lo + samples->n;
  for (size_t g = 0; g < samples->n; g++) {
    su_sample_group_t *grp = &samples->g[g];
    double *v = malloc(grp->n * sizeof(double)), x;
    size_t at;
    if (!v) {
      err = su_errorf(SU_ENOMEM, "out of memory");
      goto out;
    }
    memcpy(v, grp->values, grp->n * sizeof(double));
    x = median_of(v, grp->n);
    for (at = s->npoints; at > 0 && s->n[at - 1] > grp->key.threads; at--) {
      s->n[at] = s->n[at - 1];
      s->x[at] = s->x[at - 1];
      s->ci_lo[at] = s->ci_lo[at - 1];
      s->ci_hi[at] = s->ci_hi[at - 1];
    }
    s->n[at] = grp->key.threads;
    s->x[at] = x;
    s->ci_lo[at] = v[0];
    s->ci_hi[at] = v[grp->n - 1];
    s->npoints++;
    free(v);
  }
  su__fit_series_prepare(s);
  if ((err = su__fit_series_all(s)))
    goto out;
  s->unit = s->rate_unit;
  *out = set;
  set.series = NULL;
  set.owned = NULL;
  set.nseries = 0;
out:
  su_csv_reader_fini(&rd);
  fclose(fp);
  free(cn);
  free(ct);
  su_fit_set_fini(&set);
  su_samples_fini(samples);
  return err;
}

/* --- predictions.csv -------------------------------------------------------- */

static const char *const pred_header[] = {
  "schema_version", "run_id", "kernel", "variant", "backend", "device", "precision",
  "placement", "size_bytes", "ranks", "nodes", "scaling", "metric", "quantity", "n", "model",
  "prediction", "lo", "hi", "unit", "x_axis", "threads"};

/* 2: x_axis and threads appended (series over MPI ranks). */
#define SU_PREDICTIONS_SCHEMA_VERSION 2

static void put_pred(su_csv_writer_t *w, const su_fit_series_t *s, const char *run_id,
                     const char *qty, const su_fit_pred_t *p, const char *unit)
{
  su__fit_put_key(w, s, SU_PREDICTIONS_SCHEMA_VERSION, run_id);
  su_csv_put_str(w, qty);
  su_csv_put_double(w, p->n);
  su_csv_put_str(w, su_fit_model_name((su_fit_model_t)s->chosen));
  su_csv_put_double(w, p->value);
  su_csv_put_double(w, p->lo);
  su_csv_put_double(w, p->hi);
  su_csv_put_str(w, unit);
  su_csv_put_str(w, s->axis);
  su_csv_put_u64(w, s->threads);
  su_csv_end_row(w);
}

int su_fit_write_predictions(const su_fit_set_t *s, const char *run_id, FILE *fp)
{
  su_csv_writer_t w;

  su_csv_writer_init(&w, fp);
  for (size_t i = 0; i < sizeof(pred_header) / sizeof(pred_header[0]); i++)
    su_csv_put_str(&w, pred_header[i]);
  su_csv_end_row(&w);
  for (size_t j = 0; j < s->nseries; j++) {
    const su_fit_series_t *se = &s->series[j];
    if (se->chosen < 0)
      continue;
    for (size_t a = 0; a < se->npred; a++)
      put_pred(&w, se, run_id, "value", &se->pred[a], se->value_unit);
    if (isfinite(se->nstar.value))
      put_pred(&w, se, run_id, "nstar", &se->nstar, se->axis);
  }
  if (fflush(fp) != 0 || w.err)
    return su_errorf(SU_EIO, "cannot write predictions.csv");
  return SU_OK;
}
