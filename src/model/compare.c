/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * compare.c: configuration-by-configuration comparison of two sides
 * (compare.h).  Its outputs (the terminal table, compare.csv, JUnit XML and
 * the gnuplot bar chart) are written by src/report/compare_report.c and
 * junit.c.
 *
 * The classification rule (compare.h, docs/nightly.md) asks for three things
 * before calling a configuration regressed: statistical evidence (the
 * Mann-Whitney U test, nonparametric because timing samples are skewed and
 * often multimodal: Hoefler & Belli, SC15, section 3), a change that matters
 * (the relative change of the medians beyond --threshold), and separation
 * (the nonparametric 95% CIs of the two medians do not overlap).  The third
 * condition guards the first against the U test's sensitivity to a shift in
 * spread rather than location, and against many small samples making a
 * negligible shift "significant".  A side whose coefficient of variation
 * exceeds the threshold cannot resolve a change of that size, so it is called
 * noisy instead of being gated.
 *
 * Samples of one round share one moment of the machine, so they are not
 * independent: when the sides have several rounds (or pooled runs), a change
 * must also show between the replicates (Welch's t on their medians, and no
 * overlap).  Finally the spread of all configurations' changes estimates how
 * far two runs differ when nothing changed; changes within a few times that
 * are noisy (noise_floor).  Multi-thread samples are compared within one
 * thread placement (like_placement).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_int.h"
#include "sizeup/compare.h"
#include "sizeup/error.h"
#include "sizeup/results.h"
#include "sizeup/stats.h"

static const char *const su_cmp_names[SU_CMP_NCLASSES] = {
  "unchanged", "improved", "regressed", "noisy", "missing", "new",
};

void su_cmp_opts_default(su_cmp_opts_t *o)
{
  o->threshold = 0.05;
  o->alpha = 0.01;
  /* With 6 samples per side the smallest two-sided U-test p-value is
   * 2/C(12,6) = 0.0022 (exact), so alpha = 0.01 can be reached; with 5 it is
   * 0.0079, too close to alpha for the normal approximation to be trusted. */
  o->min_samples = 6;
  /* The development VM's two placements measure 34-46 and 181-217 ns
   * (bench/placement.sh): within one, the probe varies by up to 1.35x. */
  o->c2c_ratio = 1.5;
  o->noise_k = 3;
}

const char *su_cmp_class_name(su_cmp_class_t c)
{
  return (unsigned)c < SU_CMP_NCLASSES ? su_cmp_names[c] : "?";
}

int su_cmp_metric_direction(const char *metric)
{
  if (!metric)
    return 0;
  if (strcmp(metric, "bandwidth") == 0 || strcmp(metric, "flops") == 0)
    return 1;
  if (strcmp(metric, "latency") == 0)
    return -1;
  return 0;
}

/* --- sides ------------------------------------------------------------------- */

int su_cmp_side_load(const char *dir, su_cmp_side_t *out)
{
  su_results_t r;
  su_samples_t smp = {0};
  su_cmp_side_t s;
  int err;

  memset(out, 0, sizeof(*out));
  memset(&s, 0, sizeof(s));
  if ((err = su_results_load(dir, &r)) != SU_OK)
    return err;
  /* An unreadable samples.csv is an error, never "no samples": the gate
   * would call every configuration noisy and pass. */
  if ((err = su_samples_load(dir, &smp)))
    goto out;
  if (!(s.label = strdup(r.run_id))) {
    err = su_errorf(SU_ENOMEM, "cannot load '%s'", dir);
    goto out;
  }
  for (size_t i = 0; i < r.nrows; i++) {
    const su_result_row_t *w = &r.rows[i];
    su_sample_key_t k = su__row_sample_key(w);
    const su_sample_group_t *g;
    if (!su_cmp_metric_direction(w->metric))
      continue;
    if (su_results_row_ok(w)) {
      g = su_samples_find(&smp, &k);
      err = g ? su_samples_add_tagged(&s.ok, &k, w->unit, g->values, g->replicate, 0, g->c2c_ns,
                                      g->n)
              : su_samples_add(&s.ok, &k, w->unit, NULL, 0);
    } else if (strcmp(w->status, "failed_verify") == 0 || strcmp(w->status, "error") == 0) {
      err = su_samples_add(&s.failed, &k, w->unit, NULL, 0);
    }
    if (err)
      goto out;
  }
  *out = s;
  memset(&s, 0, sizeof(s));
out:
  su_cmp_side_fini(&s);
  su_samples_fini(&smp);
  su_results_fini(&r);
  return err;
}

void su_cmp_side_fini(su_cmp_side_t *s)
{
  if (!s)
    return;
  free(s->label);
  su_samples_fini(&s->ok);
  su_samples_fini(&s->failed);
  memset(s, 0, sizeof(*s));
}

/* --- statistics -------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Index of the first element of the sorted x[0..n) that is >= v (or > v when
 * strict). */
static size_t bound(const double *x, size_t n, double v, int strict)
{
  size_t lo = 0, hi = n;

  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strict ? x[mid] <= v : x[mid] < v)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/*
 * Cliff's delta (Cliff, Psychological Bulletin 114(3), 1993): the share of
 * (new, base) pairs where new is larger minus the share where it is smaller,
 * in O((n + m) log m) by sorting.  Ties count for neither side.
 */
static int cliffs_delta(const double *base, size_t nb, const double *cur, size_t nn,
                        double *out)
{
  double *sb = malloc(nb * sizeof(*sb));
  double gt = 0, lt = 0;

  if (!sb)
    return su_errorf(SU_ENOMEM, "cannot compare");
  memcpy(sb, base, nb * sizeof(*sb));
  qsort(sb, nb, sizeof(*sb), cmp_double);
  for (size_t i = 0; i < nn; i++) {
    lt += (double)bound(sb, nb, cur[i], 0);            /* base < new */
    gt += (double)(nb - bound(sb, nb, cur[i], 1));     /* base > new */
  }
  free(sb);
  *out = (lt - gt) / ((double)nb * (double)nn);
  return SU_OK;
}

static void row_stats(const su_sample_group_t *g, double *median, double *lo, double *hi,
                      double *cv)
{
  su_stats_t s;

  *median = *lo = *hi = *cv = NAN;
  if (g && g->n && su_stats_compute(g->values, g->n, &s) == SU_OK) {
    *median = s.median;
    *lo = s.ci95_lo;
    *hi = s.ci95_hi;
    *cv = s.n > 1 ? s.cv : NAN;
  }
}

/* Sorts v[0..n) and returns its median (n > 0). */
static double sort_median(double *v, size_t n)
{
  qsort(v, n, sizeof(*v), cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The median of the finite c2c latencies of a group; NaN when none. */
static double group_c2c(const su_sample_group_t *g)
{
  double *v = g->n ? malloc(g->n * sizeof(*v)) : NULL, m = NAN;
  size_t n = 0;

  for (size_t i = 0; v && i < g->n; i++)
    if (isfinite(g->c2c_ns[i]))
      v[n++] = g->c2c_ns[i];
  if (n)
    m = sort_median(v, n);
  free(v);
  return m;
}

static int same_placement(double a, double b, double ratio)
{
  return !(isfinite(a) && isfinite(b)) || (a <= b * ratio && b <= a * ratio);
}

/*
 * The medians of a group's replicates, in order of first appearance, into
 * *med (malloc'd, the caller frees; NULL when the group is empty) and *nrep.
 * SU_OK or SU_ENOMEM.
 */
static int replicate_medians(const su_sample_group_t *g, double **med, size_t *nrep)
{
  double *v = g->n ? malloc(g->n * sizeof(*v)) : NULL;
  unsigned *seen = g->n ? malloc(g->n * sizeof(*seen)) : NULL;
  double *m = g->n ? malloc(g->n * sizeof(*m)) : NULL;
  size_t ns = 0;

  *med = NULL;
  *nrep = 0;
  if (g->n && (!v || !seen || !m)) {
    free(v);
    free(seen);
    free(m);
    return su_errorf(SU_ENOMEM, "cannot compare");
  }
  for (size_t i = 0; i < g->n; i++) {
    unsigned r = g->replicate[i];
    size_t k, n = 0;
    for (k = 0; k < ns && seen[k] != r; k++)
      ;
    if (k < ns)
      continue;             /* counted already */
    for (size_t j = i; j < g->n; j++)
      if (g->replicate[j] == r)
        v[n++] = g->values[j];
    seen[ns] = r;
    m[ns++] = sort_median(v, n);
  }
  free(v);
  free(seen);
  *med = m;
  *nrep = ns;
  return SU_OK;
}

static void range_of(const double *x, size_t n, double *lo, double *hi)
{
  *lo = *hi = NAN;
  for (size_t i = 0; i < n; i++) {
    if (!(x[i] >= *lo))
      *lo = x[i];
    if (!(x[i] <= *hi))
      *hi = x[i];
  }
}

/* The distinct finite c2c latencies of a group (one per replicate, as
 * the runner records them), into *out (malloc'd) and *n. */
static int distinct_c2c(const su_sample_group_t *g, double **out, size_t *n)
{
  double *d = g->n ? malloc(g->n * sizeof(*d)) : NULL;

  *out = NULL;
  *n = 0;
  if (g->n && !d)
    return su_errorf(SU_ENOMEM, "cannot compare");
  for (size_t i = 0; i < g->n; i++) {
    size_t k;
    if (!isfinite(g->c2c_ns[i]))
      continue;
    for (k = 0; k < *n && d[k] != g->c2c_ns[i]; k++)
      ;
    if (k == *n)
      d[(*n)++] = g->c2c_ns[i];
  }
  *out = d;
  return SU_OK;
}

/* How many samples of g were taken near latency c (within the ratio). */
static size_t count_near(const su_sample_group_t *g, double c, double ratio)
{
  size_t k = 0;

  for (size_t i = 0; i < g->n; i++)
    k += isfinite(g->c2c_ns[i]) && same_placement(g->c2c_ns[i], c, ratio);
  return k;
}

/* Copies the samples of g taken near latency c into *out. */
static int keep_near(const su_sample_group_t *g, double c, double ratio, su_sample_group_t *out)
{
  memset(out, 0, sizeof(*out));
  out->key = g->key;
  out->unit = g->unit;
  if (!(out->values = malloc((g->n ? g->n : 1) * sizeof(double))) ||
      !(out->replicate = malloc((g->n ? g->n : 1) * sizeof(unsigned))) ||
      !(out->c2c_ns = malloc((g->n ? g->n : 1) * sizeof(double)))) {
    free(out->values);
    free(out->replicate);
    return su_errorf(SU_ENOMEM, "cannot compare");
  }
  for (size_t i = 0; i < g->n; i++)
    if (isfinite(g->c2c_ns[i]) && same_placement(g->c2c_ns[i], c, ratio)) {
      out->values[out->n] = g->values[i];
      out->replicate[out->n] = g->replicate[i];
      out->c2c_ns[out->n++] = g->c2c_ns[i];
    }
  return SU_OK;
}

static void group_release(su_sample_group_t *g)
{
  free(g->values);
  free(g->replicate);
  free(g->c2c_ns);
}

/*
 * Like with like: when both sides carry c2c latencies, the thread placement
 * to compare in is the one both sides measured most (the latency c among
 * either side's that maximises the smaller of the two sides' sample counts
 * within the ratio of c); *filtered is set and *bo, *no hold each side's
 * samples of that placement (their arrays are the caller's: group_release).
 * Else *filtered is 0 and the outputs are untouched.  SU_OK or SU_ENOMEM.
 */
static int like_placement(const su_sample_group_t *b, const su_sample_group_t *n,
                          double ratio, su_sample_group_t *bo, su_sample_group_t *no,
                          int *filtered)
{
  double *db = NULL, *dn = NULL, best_c = NAN;
  size_t nb = 0, nn = 0, best = 0;
  int err;

  *filtered = 0;
  if ((err = distinct_c2c(b, &db, &nb)) || (err = distinct_c2c(n, &dn, &nn)))
    goto out;
  if (!nb || !nn)
    goto out;
  for (size_t i = 0; i < nb + nn; i++) {
    double c = i < nb ? db[i] : dn[i - nb];
    size_t kb = count_near(b, c, ratio), kn = count_near(n, c, ratio);
    size_t k = kb < kn ? kb : kn;
    if (k > best || !isfinite(best_c)) {
      best = k;
      best_c = c;
    }
  }
  if ((err = keep_near(b, best_c, ratio, bo)))
    goto out;
  if ((err = keep_near(n, best_c, ratio, no))) {
    group_release(bo);
    goto out;
  }
  *filtered = 1;
out:
  free(db);
  free(dn);
  return err;
}

static void row_init(su_cmp_row_t *w, const su_sample_key_t *k, const char *unit)
{
  memset(w, 0, sizeof(*w));
  w->key = k;
  w->unit = unit;
  w->direction = su_cmp_metric_direction(k->metric);
  w->base_median = w->new_median = w->ratio = w->change = NAN;
  w->base_ci_lo = w->base_ci_hi = w->new_ci_lo = w->new_ci_hi = NAN;
  w->base_cv = w->new_cv = w->p_value = w->cliffs_delta = NAN;
  w->base_c2c = w->new_c2c = w->p_replicates = NAN;
}

static int classify(su_cmp_row_t *w, const su_sample_group_t *b, const su_sample_group_t *n,
                    const su_cmp_opts_t *o)
{
  double u, t, blo, bhi, nlo, nhi, *bmed = NULL, *nmed = NULL;
  int err, sig, sep;

  w->n_base = b->n;
  w->n_new = n->n;
  row_stats(b, &w->base_median, &w->base_ci_lo, &w->base_ci_hi, &w->base_cv);
  row_stats(n, &w->new_median, &w->new_ci_lo, &w->new_ci_hi, &w->new_cv);
  if (isfinite(w->base_median) && isfinite(w->new_median) && w->base_median != 0) {
    w->ratio = w->new_median / w->base_median;
    w->change = (w->ratio - 1) * w->direction;
  }
  if ((err = replicate_medians(b, &bmed, &w->base_reps)) ||
      (err = replicate_medians(n, &nmed, &w->new_reps)))
    goto out;
  range_of(bmed, w->base_reps, &blo, &bhi);
  range_of(nmed, w->new_reps, &nlo, &nhi);
  if (w->base_reps >= 2 && w->new_reps >= 2 &&
      (err = su_stats_welch(bmed, w->base_reps, nmed, w->new_reps, &t, &w->p_replicates)))
    goto out;
  if (b->n < o->min_samples || n->n < o->min_samples) {
    w->cls = SU_CMP_NOISY;
    snprintf(w->note, sizeof(w->note), "too few samples to test (%zu and %zu, need %zu)",
             b->n, n->n, o->min_samples);
    goto out;
  }
  if ((err = su_stats_mann_whitney(b->values, b->n, n->values, n->n, &u, &w->p_value)))
    goto out;
  if ((err = cliffs_delta(b->values, b->n, n->values, n->n, &w->cliffs_delta)))
    goto out;
  w->cliffs_delta *= w->direction;
  if (!(w->base_cv <= o->threshold) || !(w->new_cv <= o->threshold)) {
    w->cls = SU_CMP_NOISY;
    snprintf(w->note, sizeof(w->note), "cv above %.3g%% (%.3g%% and %.3g%%)",
             100 * o->threshold, 100 * w->base_cv, 100 * w->new_cv);
    goto out;
  }
  sig = w->p_value < o->alpha;
  sep = w->base_ci_hi < w->new_ci_lo || w->new_ci_hi < w->base_ci_lo;
  if (!(sig && sep && fabs(w->change) > o->threshold)) {
    w->cls = SU_CMP_UNCHANGED;
    goto out;
  }
  /* A change, unless the replicates say it is the machine's drift: the
   * samples of a round share one moment of the machine, so only rounds (or
   * runs) that do not overlap show a change beyond it. */
  if (!(w->p_replicates < o->alpha) && w->base_reps >= 2 && w->new_reps >= 2) {
    w->cls = SU_CMP_NOISY;
    snprintf(w->note, sizeof(w->note), "replicates do not confirm it (Welch p = %.2g on %zu "
             "and %zu replicate medians)", w->p_replicates, w->base_reps, w->new_reps);
    goto out;
  }
  if ((w->base_reps > 1 || w->new_reps > 1) && !(nhi < blo || bhi < nlo)) {
    w->cls = SU_CMP_NOISY;
    snprintf(w->note, sizeof(w->note), "replicates overlap (%zu from %.4g to %.4g, %zu from "
             "%.4g to %.4g)", w->base_reps, blo, bhi, w->new_reps, nlo, nhi);
    goto out;
  }
  w->cls = w->change < 0 ? SU_CMP_REGRESSED : SU_CMP_IMPROVED;
out:
  free(bmed);
  free(nmed);
  return err;
}

/*
 * The run-to-run noise of a comparison (su_cmp_run): the robust spread of
 * the log ratios of every matched configuration; then the regressed and
 * improved rows within noise_k of it become noisy.  Rows that regressed by
 * failing in new are kept.  SU_OK or SU_ENOMEM.
 */
static int noise_floor(su_cmp_t *c, const su_cmp_opts_t *o)
{
  double *x = c->nrows ? malloc(c->nrows * sizeof(*x)) : NULL, med, floor_;
  size_t n = 0;

  c->noise = NAN;
  c->noise_n = 0;
  if (c->nrows && !x)
    return su_errorf(SU_ENOMEM, "cannot compare");
  for (size_t i = 0; i < c->nrows; i++)
    if (c->rows[i].ratio > 0 && isfinite(c->rows[i].ratio))
      x[n++] = log(c->rows[i].ratio);
  if (n >= SU_CMP_NOISE_MIN) {
    med = sort_median(x, n);
    for (size_t i = 0; i < n; i++)
      x[i] = fabs(x[i] - med);
    c->noise = 1.4826 * sort_median(x, n);
    c->noise_n = n;
  }
  free(x);
  if (!(o->noise_k > 0) || !isfinite(c->noise))
    return SU_OK;
  floor_ = o->noise_k * c->noise;
  for (size_t i = 0; i < c->nrows; i++) {
    su_cmp_row_t *w = &c->rows[i];
    if ((w->cls != SU_CMP_REGRESSED && w->cls != SU_CMP_IMPROVED) || !isfinite(w->ratio) ||
        fabs(log(w->ratio)) > floor_)
      continue;
    w->cls = SU_CMP_NOISY;
    snprintf(w->note, sizeof(w->note), "within the run-to-run noise: %.3g x %.2g%% over %zu "
             "configurations", o->noise_k, 100 * c->noise, c->noise_n);
  }
  return SU_OK;
}

int su_cmp_run(const su_cmp_side_t *base, const su_cmp_side_t *cur, const su_cmp_opts_t *o,
               su_cmp_t *out)
{
  su_cmp_t c;
  size_t cap;
  int err = SU_OK;

  memset(out, 0, sizeof(*out));
  if (!(o->threshold > 0 && o->threshold < 10))
    return su_errorf(SU_EINVAL, "invalid threshold '%g'", 100 * o->threshold);
  if (!(o->alpha > 0 && o->alpha < 1))
    return su_errorf(SU_EINVAL, "invalid alpha '%g'", o->alpha);
  memset(&c, 0, sizeof(c));
  c.opts = *o;
  c.base_label = base->label ? base->label : "base";
  c.new_label = cur->label ? cur->label : "new";
  cap = base->ok.n + base->failed.n + cur->ok.n + cur->failed.n;
  if (cap && !(c.rows = calloc(cap, sizeof(*c.rows))))
    return su_errorf(SU_ENOMEM, "cannot compare");
  for (size_t i = 0; i < base->ok.n; i++) {
    const su_sample_group_t *b = &base->ok.g[i], *n = su_samples_find(&cur->ok, &b->key);
    su_cmp_row_t *w = &c.rows[c.nrows++];
    row_init(w, &b->key, b->unit);
    if (n) {
      su_sample_group_t bl, nl;
      int filtered;
      w->base_c2c = group_c2c(b);
      w->new_c2c = group_c2c(n);
      if ((err = like_placement(b, n, o->c2c_ratio, &bl, &nl, &filtered)))
        goto out;
      if (filtered && (bl.n < o->min_samples || nl.n < o->min_samples)) {
        w->cls = SU_CMP_NOISY;
        w->n_base = b->n;
        w->n_new = n->n;
        snprintf(w->note, sizeof(w->note), "too few samples in a thread placement both sides "
                 "measured (core-to-core %.0f ns in base, %.0f ns in new)", w->base_c2c,
                 w->new_c2c);
      } else {
        if (filtered) {
          w->base_c2c = group_c2c(&bl);
          w->new_c2c = group_c2c(&nl);
        }
        err = filtered ? classify(w, &bl, &nl, o) : classify(w, b, n, o);
      }
      if (filtered) {
        group_release(&bl);
        group_release(&nl);
      }
      if (err)
        goto out;
    } else {
      w->n_base = b->n;
      row_stats(b, &w->base_median, &w->base_ci_lo, &w->base_ci_hi, &w->base_cv);
      if (su_samples_find(&cur->failed, &b->key)) {
        w->cls = SU_CMP_REGRESSED;
        snprintf(w->note, sizeof(w->note), "ok in base, failed in new (failed_verify or error)");
      } else {
        w->cls = SU_CMP_MISSING;
        snprintf(w->note, sizeof(w->note), "not measured in new");
      }
    }
  }
  for (size_t i = 0; i < base->failed.n; i++) {
    const su_sample_group_t *b = &base->failed.g[i];
    su_cmp_row_t *w;
    if (su_samples_find(&cur->ok, &b->key))
      continue;             /* listed below as new */
    w = &c.rows[c.nrows++];
    row_init(w, &b->key, b->unit);
    w->cls = SU_CMP_MISSING;
    snprintf(w->note, sizeof(w->note), "failed in base%s",
             su_samples_find(&cur->failed, &b->key) ? " and new" : ", not measured in new");
  }
  for (size_t i = 0; i < cur->ok.n; i++) {
    const su_sample_group_t *n = &cur->ok.g[i];
    su_cmp_row_t *w;
    if (su_samples_find(&base->ok, &n->key))
      continue;
    w = &c.rows[c.nrows++];
    row_init(w, &n->key, n->unit);
    w->n_new = n->n;
    row_stats(n, &w->new_median, &w->new_ci_lo, &w->new_ci_hi, &w->new_cv);
    w->cls = SU_CMP_NEW;
    snprintf(w->note, sizeof(w->note), "%s",
             su_samples_find(&base->failed, &n->key) ? "failed in base" : "not measured in base");
  }
  for (size_t i = 0; i < cur->failed.n; i++) {
    const su_sample_group_t *n = &cur->failed.g[i];
    su_cmp_row_t *w;
    if (su_samples_find(&base->ok, &n->key) || su_samples_find(&base->failed, &n->key))
      continue;
    w = &c.rows[c.nrows++];
    row_init(w, &n->key, n->unit);
    w->cls = SU_CMP_NEW;
    snprintf(w->note, sizeof(w->note), "failed in new, not measured in base");
  }
  if ((err = noise_floor(&c, o)))
    goto out;
  for (size_t i = 0; i < c.nrows; i++)
    c.count[c.rows[i].cls]++;
  *out = c;
  return SU_OK;
out:
  free(c.rows);
  return err;
}

void su_cmp_fini(su_cmp_t *c)
{
  if (!c)
    return;
  free(c->rows);
  memset(c, 0, sizeof(*c));
}

double su_cmp_detectable(const su_cmp_t *c)
{
  double floor_ = isfinite(c->noise) && c->opts.noise_k > 0
                    ? exp(c->opts.noise_k * c->noise) - 1 : 0;

  return floor_ > c->opts.threshold ? floor_ : c->opts.threshold;
}

size_t su_cmp_checks(const su_cmp_t *c)
{
  return c->count[SU_CMP_UNCHANGED] + c->count[SU_CMP_IMPROVED] + c->count[SU_CMP_REGRESSED] +
         c->count[SU_CMP_NOISY];
}

double su_cmp_blind(const su_cmp_t *c)
{
  size_t n = su_cmp_checks(c);

  return n ? (double)c->count[SU_CMP_NOISY] / (double)n : 1.0;
}

void su_cmp_key_name(const su_sample_key_t *k, char *buf, size_t len)
{
  snprintf(buf, len, "%s/%s/%s/%s/threads=%u/ranks=%u/nodes=%u/%s/size_bytes=%llu/%s",
           k->variant, k->backend, k->device, k->precision, k->threads, k->ranks, k->nodes,
           k->placement, (unsigned long long)k->size_bytes, k->metric);
}
