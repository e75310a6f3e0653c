/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mix.c: an application's workload from its times and the kernels' (mix.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/model_int.h"
#include "sizeup/error.h"
#include "sizeup/mix.h"

#define MAXPTS SU_MIX_REFITS

/* The kernels a mix is made of, in the order tried; gemm and fma_peak are
 * one slot (dense compute), gemm first. */
static const struct {
  const char *name, *metric, *work_unit;
  int slot;
} cands[] = {
  {"stream_triad", "bandwidth", "GB", 0},
  {"gemm", "flops", "GFLOP", 1},
  {"fma_peak", "flops", "GFLOP", 1},
  {"latency_chase", "latency", "loads", 2},
};

/* The cores a single-node row used: threads x ranks. */
static unsigned cores_of(const su_result_row_t *w)
{
  return w->threads * (w->ranks > 1 ? w->ranks : 1);
}

/* Kernel `name`'s time per unit of work on n cores (threads x ranks, one
 * node, placement pl, fp64 preferred, the largest size): NaN when not
 * measured. */
static double unit_time(const su_results_t *r, const char *name, const char *metric,
                        const char *pl, unsigned n)
{
  const su_result_row_t *best = NULL;

  for (size_t i = 0; i < r->nrows; i++) {
    const su_result_row_t *w = &r->rows[i];
    if (!su_results_row_ok(w) || cores_of(w) != n || w->nodes > 1 || strcmp(w->kernel, name) != 0 ||
        strcmp(w->metric, metric) != 0 || strcmp(w->placement, pl) != 0 || !(w->median > 0))
      continue;
    if (!best || (strcmp(w->precision, "fp64") == 0 && strcmp(best->precision, "fp64") != 0) ||
        (strcmp(w->precision, best->precision) == 0 && w->size_bytes > best->size_bytes))
      best = w;
  }
  if (!best)
    return NAN;
  if (strcmp(metric, "latency") == 0)
    return best->median * 1e-9 / n;   /* n chains side by side */
  return 1 / best->median;            /* s per GB, s per GFLOP */
}

/* Row w of an application as seconds per run (wall time, a time figure of
 * merit) or per unit of work (a rate such as ns/day): 1, with *secs when
 * secs is not NULL; 0 when its unit says nothing about time. */
static int app_secs(const su_result_row_t *w, double *secs)
{
  char work[32];
  double f;
  int inv, kind = su__app_kind(w->metric, w->unit, &f, &inv, work, sizeof(work));

  if (kind == SU__APP_NONE)
    return 0;
  if (secs)
    *secs = inv ? f / w->median : w->median * f;
  return 1;
}

/* Least squares of y on the columns of X selected by mask; b gets the
 * coefficients (0 outside the mask).  -1 when singular. */
static int ls_subset(double X[][1 + SU_MIX_MAX], const double *y, size_t n, unsigned nv,
                     unsigned mask, double *b, double *sse)
{
  double A[1 + SU_MIX_MAX][1 + SU_MIX_MAX + 1];
  unsigned idx[1 + SU_MIX_MAX], k = 0;

  for (unsigned j = 0; j < nv; j++) {
    b[j] = 0;
    if (mask & (1u << j))
      idx[k++] = j;
  }
  for (unsigned a = 0; a < k; a++) {
    for (unsigned c = 0; c < k; c++) {
      A[a][c] = 0;
      for (size_t i = 0; i < n; i++)
        A[a][c] += X[i][idx[a]] * X[i][idx[c]];
    }
    A[a][k] = 0;
    for (size_t i = 0; i < n; i++)
      A[a][k] += X[i][idx[a]] * y[i];
  }
  for (unsigned c = 0; c < k; c++) {          /* Gauss-Jordan with pivoting */
    unsigned p = c;
    for (unsigned r = c + 1; r < k; r++)
      if (fabs(A[r][c]) > fabs(A[p][c]))
        p = r;
    if (!(fabs(A[p][c]) > 1e-300))
      return -1;
    for (unsigned j = 0; j <= k; j++) {
      double t = A[c][j];
      A[c][j] = A[p][j];
      A[p][j] = t;
    }
    for (unsigned r = 0; r < k; r++) {
      if (r == c)
        continue;
      double f = A[r][c] / A[c][c];
      for (unsigned j = c; j <= k; j++)
        A[r][j] -= f * A[c][j];
    }
  }
  for (unsigned a = 0; a < k; a++)
    b[idx[a]] = A[a][k] / A[a][a];
  *sse = 0;
  for (size_t i = 0; i < n; i++) {
    double f = 0;
    for (unsigned j = 0; j < nv; j++)
      f += X[i][j] * b[j];
    *sse += (f - y[i]) * (f - y[i]);
  }
  return 0;
}

/* Non-negative least squares of y on the nv columns of X: every subset of
 * the unknowns solved, the best feasible kept (exact for these few); its
 * sum of squares, INFINITY when none is feasible. */
static double nnls(double X[][1 + SU_MIX_MAX], const double *y, size_t n, unsigned nv,
                   double *best)
{
  double b[1 + SU_MIX_MAX], best_sse = INFINITY;

  for (unsigned mask = 1; mask < (1u << nv); mask++) {
    double sse;
    int ok = ls_subset(X, y, n, nv, mask, b, &sse) == 0;
    for (unsigned j = 0; ok && j < nv; j++)
      ok = b[j] >= 0;
    if (ok && sse < best_sse) {
      best_sse = sse;
      memcpy(best, b, nv * sizeof(b[0]));
    }
  }
  return best_sse;
}

/* The shares of a fit b at row x: the serial part (0) and each kernel. */
static void shares_at(const double *x, const double *b, unsigned nv, double *share)
{
  double tot = 0;

  for (unsigned c = 0; c < nv; c++)
    tot += x[c] * b[c];
  for (unsigned c = 0; c < nv; c++)
    share[c] = tot > 0 ? x[c] * b[c] / tot : NAN;
}

/*
 * Each count left out in turn, the mix fitted again: m->held_out_err, its
 * largest relative error predicting the count left out (NaN when a refit
 * has no solution), and m->share_lo/hi, the range of the shares at row
 * `at` over the refits (how firmly the counts fix the shares).
 */
static void held_out(double X[][1 + SU_MIX_MAX], const double *y, size_t n, unsigned nv,
                     size_t at, su_mix_t *m)
{
  double Xo[MAXPTS][1 + SU_MIX_MAX], yo[MAXPTS], b[1 + SU_MIX_MAX], sh[1 + SU_MIX_MAX];

  m->held_out_err = 0;
  m->nrefit = 0;
  for (unsigned c = 0; c < nv; c++) {
    m->share_lo[c] = INFINITY;
    m->share_hi[c] = -INFINITY;
  }
  for (size_t i = 0; i < n; i++) {
    size_t k = 0;
    double f = 0;
    for (size_t j = 0; j < n; j++) {
      if (j == i)
        continue;
      memcpy(Xo[k], X[j], sizeof(Xo[k]));
      yo[k++] = y[j];
    }
    if (!isfinite(nnls(Xo, yo, k, nv, b))) {
      m->held_out_err = NAN;
      m->nrefit = 0;
      for (unsigned c = 0; c < nv; c++)
        m->share_lo[c] = m->share_hi[c] = NAN;
      return;
    }
    for (unsigned c = 0; c < nv; c++)
      f += X[i][c] * b[c];
    m->held_out_err = fmax(m->held_out_err, fabs(f - y[i]) / y[i]);
    shares_at(X[at], b, nv, sh);
    memcpy(m->refit_share[m->nrefit++], sh, nv * sizeof(sh[0]));
    for (unsigned c = 0; c < nv; c++) {
      m->share_lo[c] = fmin(m->share_lo[c], sh[c]);
      m->share_hi[c] = fmax(m->share_hi[c], sh[c]);
    }
  }
}

int su_mix_infer(const su_results_t *r, const char *app, su_mix_t *out)
{
  double X[MAXPTS][1 + SU_MIX_MAX], y[MAXPTS], n[MAXPTS];
  double best_b[1 + SU_MIX_MAX], best_sse = INFINITY, mean = 0, sst = 0;
  const char *name = app, *pl = NULL;
  const su_result_row_t *first = NULL;
  double per_unit;
  int inv;
  int cand_of[SU_MIX_MAX];
  size_t np = 0;
  su_mix_t m;

  memset(&m, 0, sizeof(m));
  /* The application: the one named, or the only one; timed, or with a
   * figure of merit that says something about time. */
  for (size_t i = 0; i < r->nrows; i++) {
    const su_result_row_t *w = &r->rows[i];
    if (strcmp(w->backend, "app") != 0 || !app_secs(w, NULL))
      continue;
    if (!name)
      name = w->kernel;
    else if (!app && strcmp(name, w->kernel) != 0)
      return su_errorf(SU_EINVAL, "'%s' holds several applications ('%s', '%s'): name one "
                                  "with --app", r->dir, name, w->kernel);
  }
  if (!name)
    return su_errorf(SU_EINVAL, "'%s' has no application timed (wall time, or a figure of "
                                "merit in a unit of time such as s or ns/day): measure it with "
                                "'sizeup app'", r->dir);
  snprintf(m.app, sizeof(m.app), "%s", name);
  for (int c = 0; c < SU_MIX_MAX; c++)
    cand_of[c] = -1;
  /* Its points on one node, in seconds per run (or per unit of work), with
   * the placement, metric and unit of its first ok row. */
  for (size_t i = 0; i < r->nrows && np < MAXPTS; i++) {
    const su_result_row_t *w = &r->rows[i];
    double secs;
    if (!su_results_row_ok(w) || strcmp(w->backend, "app") != 0 ||
        strcmp(w->kernel, name) != 0 || w->nodes > 1 || !app_secs(w, &secs))
      continue;
    if (!first)
      first = w;
    if (strcmp(w->placement, first->placement) != 0 || strcmp(w->metric, first->metric) != 0 ||
        strcmp(w->unit, first->unit) != 0)
      continue;
    m.over_ranks |= w->ranks > 1;
    n[np] = cores_of(w);
    y[np++] = secs;
  }
  if (!first) {
    const char *unit = NULL;
    for (size_t i = 0; i < r->nrows && !unit; i++)
      if (strcmp(r->rows[i].backend, "app") == 0 && strcmp(r->rows[i].kernel, name) == 0)
        unit = r->rows[i].unit;
    return su_errorf(SU_EINVAL, "'%s': application '%s' has no ok single-node rows timed (wall "
                                "time, or a figure of merit in a unit of time such as s, ms or "
                                "ns/day)%s%s%s", r->dir, name, unit ? "; its rows are in '" : "",
                     unit ? unit : "", unit ? "'" : "");
  }
  pl = first->placement;
  snprintf(m.placement, sizeof(m.placement), "%s", pl);
  snprintf(m.unit, sizeof(m.unit), "%s", first->unit);
  m.kind = su__app_kind(first->metric, first->unit, &per_unit, &inv, m.work_of,
                        sizeof(m.work_of));

  /* The kernels measured at every one of its counts. */
  for (size_t c = 0; c < sizeof(cands) / sizeof(cands[0]); c++) {
    int all = 1, slot = cands[c].slot;
    if (cand_of[slot] >= 0)
      continue;
    for (size_t i = 0; i < np && all; i++)
      all = isfinite(unit_time(r, cands[c].name, cands[c].metric, pl, (unsigned)n[i]));
    if (all)
      cand_of[slot] = (int)c;
  }
  if (cand_of[0] < 0 || cand_of[1] < 0)
    return su_errorf(SU_EINVAL, "'%s': stream_triad and gemm (or fma_peak) must be measured "
                                "at every core count (threads x ranks) of '%s' with placement "
                                "'%s' (e.g. "
                                "sizeup run -k stream_triad,gemm,latency_chase -t ... -P %s)",
                     r->dir, name, pl, pl);
  for (int s = 0; s < SU_MIX_MAX; s++) {
    if (cand_of[s] < 0)
      continue;
    snprintf(m.kernel[m.nk], sizeof(m.kernel[0]), "%s", cands[cand_of[s]].name);
    snprintf(m.work_unit[m.nk], sizeof(m.work_unit[0]), "%s", cands[cand_of[s]].work_unit);
    for (size_t i = 0; i < np; i++)
      X[i][1 + m.nk] = unit_time(r, cands[cand_of[s]].name, cands[cand_of[s]].metric, pl,
                                 (unsigned)n[i]);
    m.nk++;
  }
  for (size_t i = 0; i < np; i++)
    X[i][0] = 1;               /* the serial part */
  if (np < m.nk + 2) {
    char small[256] = "";
    if (r->fp.cores && r->fp.cores < m.nk + 2)
      snprintf(small, sizeof(small), "; this node has %u cores, too few: measure on a node with "
               "at least %zu, or write the [mix] yourself (docs/sizing.md)", r->fp.cores,
               m.nk + 2);
    return su_errorf(SU_EINVAL, "'%s': %zu core counts of '%s' for %zu unknowns (a serial "
                                "part and %zu kernels): measure at least %zu counts%s", r->dir,
                     np, name, m.nk + 1, m.nk, m.nk + 2, small);
  }
  best_sse = nnls(X, y, np, (unsigned)(1 + m.nk), best_b);
  if (!isfinite(best_sse))
    return su_errorf(SU_EINVAL, "'%s': no non-negative mix explains the times of '%s'", r->dir,
                     name);
  m.serial_s = best_b[0];
  for (size_t k = 0; k < m.nk; k++)
    m.work[k] = best_b[1 + k];
  {
    double any = 0;
    for (size_t k = 0; k < m.nk; k++)
      any += m.work[k];
    if (!(any > 0))
      return su_errorf(SU_EINVAL, "'%s': the times of '%s' do not change with the threads: "
                                  "all serial, no kernel mix to infer", r->dir, name);
  }
  /* Quality, and the shares at the largest count. */
  size_t at = 0;
  for (size_t i = 0; i < np; i++) {
    double f = 0;
    for (size_t j = 0; j <= m.nk; j++)
      f += X[i][j] * best_b[j];
    m.max_rel_err = fmax(m.max_rel_err, fabs(f - y[i]) / y[i]);
    mean += y[i] / (double)np;
    if (n[i] > n[at])
      at = i;
  }
  for (size_t i = 0; i < np; i++)
    sst += (y[i] - mean) * (y[i] - mean);
  m.r2 = sst > 0 ? 1 - best_sse / sst : NAN;
  held_out(X, y, np, (unsigned)(1 + m.nk), at, &m);
  m.npoints = np;
  m.nmax = n[at];
  m.time_at_nmax = y[at];
  {
    double sh[1 + SU_MIX_MAX] = {0};
    shares_at(X[at], best_b, (unsigned)(1 + m.nk), sh);
    m.serial_share = sh[0];
    for (size_t k = 0; k < m.nk; k++)
      m.share[k] = sh[1 + k];
  }
  *out = m;
  return SU_OK;
}

void su_mix_share_ranges(const su_mix_t *m, char *buf, size_t len)
{
  size_t pos = 0;

  buf[0] = '\0';
  for (size_t c = 0; c <= m->nk && isfinite(m->share_lo[0]) && pos < len; c++) {
    int k = snprintf(buf + pos, len - pos, "%s%s %.0f-%.0f%%", c ? ", " : "",
                     c ? m->kernel[c - 1] : "serial", 100 * m->share_lo[c],
                     100 * m->share_hi[c]);
    pos += k > 0 ? (size_t)k : 0;
  }
}

int su_mix_loose(const su_mix_t *m)
{
  for (size_t c = 0; c <= m->nk; c++)
    if (m->share_hi[c] - m->share_lo[c] > 0.2)
      return 1;
  return 0;
}

int su_mix_write_workload(const su_mix_t *m, const su_results_t *r, const char *target,
                          const char *reference, FILE *fp)
{
  const char *eq = target ? strchr(target, '=') : NULL;
  const char *cores = m->over_ranks ? "cores (ranks x threads)" : "threads";
  double ksum = 0, left = 1;
  int last = -1;
  char ref_words[384], ranges[160];

  /* What reference_time_s is: a job's time, or (a rate figure of merit)
   * the time of one unit of its work, which fom_per_job turns into jobs. */
  if (m->kind == SU__APP_WORK)
    snprintf(ref_words, sizeof(ref_words),
             "; seconds per 1 %s of work (its figure of merit is in %s), the measured median\n"
             "; on %.0f %s.  For a job of K %s, set reference_time_s to K times\n"
             "; this and fom_per_job = K\n", m->work_of, m->unit, m->nmax, cores, m->work_of);
  else
    snprintf(ref_words, sizeof(ref_words),
             "; seconds one job takes on one node: the measured median on %.0f %s%s%s%s\n",
             m->nmax, cores, strcmp(m->unit, "s") ? " (its figure of merit, in " : "",
             strcmp(m->unit, "s") ? m->unit : "", strcmp(m->unit, "s") ? ")" : "");

  for (size_t k = 0; k < m->nk; k++) {
    ksum += m->share[k];
    if (m->share[k] > 0)
      last = (int)k;
  }
  fprintf(fp, "; The workload of '%s', inferred by sizeup from its times and the kernels'\n"
              "; on one node (results %s, run %s), placement %s, %zu core counts:\n"
              ";   T(N) = %.4g s", m->app, r->dir, r->run_id, m->placement, m->npoints,
          m->serial_s);
  for (size_t k = 0; k < m->nk; k++)
    fprintf(fp, " + %.4g %s of %s", m->work[k], m->work_unit[k], m->kernel[k]);
  fprintf(fp, "\n; fit quality: R^2 %.4f, largest error %.1f%% of a measured time.\n"
              "; On %.0f %s the time goes %.0f%% to a serial part", m->r2,
          100 * m->max_rel_err, m->nmax, cores, 100 * m->serial_share);
  for (size_t k = 0; k < m->nk; k++)
    fprintf(fp, ", %.0f%% to %s", 100 * m->share[k], m->kernel[k]);
  su_mix_share_ranges(m, ranges, sizeof(ranges));
  if (ranges[0])
    fprintf(fp, ".\n; With each count left out in turn, the shares move within: %s%s", ranges,
            su_mix_loose(m) ? ".\n; CAUTION: loosely fixed; run the program on the candidates "
                              "where you can" : "");
  fprintf(fp, ".\n; The serial part runs at one core's speed on every candidate and no node\n"
              "; count shortens it; the kernels' parts run at the whole node's rates.\n"
              "; Change the fractions if you know better; they must add up to 1.\n"
              "[workload]\nname = %s\n"
              "; candidates whose results hold this app's times use them (basis measured)\n"
              "app = %s\n"
              "; the catalog entry of the machine these results come from\n"
              "%sreference = %s\n"
              "%s"
              "reference_time_s = %.6g\n", m->app, m->app, reference ? "" : "; ",
          reference ? reference : "", ref_words, m->time_at_nmax);
  if (isfinite(m->held_out_err))
    fprintf(fp, "; the mix's largest error predicting a count it was not fitted on: recommend\n"
                "; widens the times it infers through the mix by it\n"
                "mix_error = %.4g\n", m->held_out_err);
  fprintf(fp, "\n[mix]\n");
  /* Rounded to 4 decimals; the last kernel takes the rest so the sum is 1. */
  if (m->serial_share > 0 && last >= 0) {
    double v = floor(1e4 * m->serial_share / (m->serial_share + ksum) + 0.5) / 1e4;

    left -= v;
    fprintf(fp, "serial = %.4f\n", v);
  }
  for (size_t k = 0; k < m->nk; k++) {
    double v;
    if (m->share[k] <= 0)
      continue;
    v = (int)k == last ? left : floor(1e4 * m->share[k] / (m->serial_share + ksum) + 0.5) / 1e4;
    left -= v;
    fprintf(fp, "%s = %.4f\n", m->kernel[k], v);
  }
  fprintf(fp, "\n[target]\n");
  if (eq && eq != target)
    fprintf(fp, "%.*s = %s\n", (int)(eq - target), target, eq + 1);
  else
    fprintf(fp, "; give one: throughput_jobs_per_day, throughput_jobs_per_hour,\n"
                "; time_to_solution_s, budget_per_hour, budget_per_job\n"
                "; throughput_jobs_per_day = 20\n");
  if (fflush(fp) != 0 || ferror(fp))
    return su_errorf(SU_EIO, "cannot write the workload file");
  return SU_OK;
}
