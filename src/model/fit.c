/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fit.c: scaling-law fits (Amdahl, Gustafson, USL, bandwidth saturation) by
 * nonlinear least squares through GSL, and the series extraction and
 * fits.csv writer that `sizeup fit` and `sizeup report` share.
 *
 * Solver: gsl_multifit_nlinear with the trust-region Levenberg-Marquardt
 * method and analytic Jacobians (GSL manual, "Nonlinear Least-Squares
 * Fitting").  Standard errors are sqrt(diag(J^T J)^-1 * SSE / (n - p)), the
 * usual asymptotic estimate (the same that R's nls reports).  Starting
 * values come from the linearised forms of each law (Gunther, "Guerrilla
 * Capacity Planning", 2007, ch. 5: N/C(N) - 1 is a quadratic in N - 1 for
 * the USL), so the solver starts close and needs no tuning per data set.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_int.h"
#include "sizeup/config.h"
#include "sizeup/csv.h"
#include "sizeup/error.h"
#include "sizeup/fit.h"
#include "sizeup/kernel.h"
#include "model/model_int.h"

#if SU_HAVE_GSL
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#endif

static const char *const model_names[SU_FIT_NMODELS] = {"amdahl", "gustafson", "usl",
                                                        "bwsat"};
static const char *const param_names[SU_FIT_NMODELS][SU_FIT_MAXP] = {
  {"X1", "p", NULL}, {"X1", "p", NULL}, {"lambda", "sigma", "kappa"}, {"b1", "Bmax", NULL}};
static const unsigned model_np[SU_FIT_NMODELS] = {2, 2, 3, 2};

const char *su_fit_model_name(su_fit_model_t m)
{
  return (unsigned)m < SU_FIT_NMODELS ? model_names[m] : "?";
}

const char *su_fit_status_name(su_fit_status_t s)
{
  switch (s) {
  case SU_FIT_OK: return "ok";
  case SU_FIT_EXACT: return "exact";
  case SU_FIT_TOO_FEW: return "too_few_points";
  case SU_FIT_NO_CONVERGENCE: return "no_convergence";
  case SU_FIT_BAD_DATA: return "bad_data";
  case SU_FIT_UNIDENTIFIED: return "unidentified";
  }
  return "?";
}

const char *su_fit_param_name(su_fit_model_t m, unsigned i)
{
  if ((unsigned)m >= SU_FIT_NMODELS || i >= SU_FIT_MAXP)
    return NULL;
  return param_names[m][i];
}

unsigned su_fit_nparams(su_fit_model_t m)
{
  return (unsigned)m < SU_FIT_NMODELS ? model_np[m] : 0;
}

static double model_eval(su_fit_model_t m, const double *p, double n)
{
  switch (m) {
  case SU_FIT_AMDAHL: return p[0] / ((1.0 - p[1]) + p[1] / n);
  case SU_FIT_GUSTAFSON: return p[0] * ((1.0 - p[1]) + p[1] * n);
  case SU_FIT_USL: return p[0] * n / (1.0 + p[1] * (n - 1.0) + p[2] * n * (n - 1.0));
  case SU_FIT_BWSAT: return fmin(n * p[0], p[1]);
  default: return NAN;
  }
}

double su_fit_eval(const su_fit_t *f, double n)
{
  double p[SU_FIT_MAXP];

  if (!f || (f->status != SU_FIT_OK && f->status != SU_FIT_EXACT))
    return NAN;
  for (unsigned i = 0; i < SU_FIT_MAXP; i++)
    p[i] = f->param[i];
  return model_eval(f->model, p, n);
}

static void fit_clear(su_fit_t *f, su_fit_model_t m, size_t count)
{
  memset(f, 0, sizeof(*f));
  f->model = m;
  f->npoints = count;
  f->nparams = su_fit_nparams(m);
  for (unsigned i = 0; i < SU_FIT_MAXP; i++)
    f->param[i] = f->se[i] = NAN;
  f->r2 = f->rmse = f->heldout_mare = f->nmax = f->eff_at_nmax = NAN;
  f->nstar = f->x_at_nstar = NAN;
}

static size_t distinct_n(const double *n, size_t count)
{
  size_t d = 0;

  for (size_t i = 0; i < count; i++) {
    size_t j;
    for (j = 0; j < i; j++)
      if (n[j] == n[i])
        break;
    d += j == i;
  }
  return d;
}

#if SU_HAVE_GSL

struct fit_data {
  su_fit_model_t m;
  const double *n, *x;
  size_t count;
};

/* GSL's parameter vector into p[] (the unused tail zero). */
static void params_of(const gsl_vector *pv, double p[SU_FIT_MAXP])
{
  for (size_t i = 0; i < SU_FIT_MAXP; i++)
    p[i] = i < pv->size ? gsl_vector_get(pv, i) : 0.0;
}

static int f_res(const gsl_vector *pv, void *data, gsl_vector *f)
{
  const struct fit_data *d = data;
  double p[SU_FIT_MAXP];

  params_of(pv, p);
  for (size_t i = 0; i < d->count; i++)
    gsl_vector_set(f, i, model_eval(d->m, p, d->n[i]) - d->x[i]);
  return GSL_SUCCESS;
}

static int f_jac(const gsl_vector *pv, void *data, gsl_matrix *J)
{
  const struct fit_data *d = data;
  double p[SU_FIT_MAXP];

  params_of(pv, p);
  for (size_t i = 0; i < d->count; i++) {
    double n = d->n[i], den;
    switch (d->m) {
    case SU_FIT_AMDAHL:
      den = (1.0 - p[1]) + p[1] / n;
      gsl_matrix_set(J, i, 0, 1.0 / den);
      gsl_matrix_set(J, i, 1, -p[0] / (den * den) * (1.0 / n - 1.0));
      break;
    case SU_FIT_GUSTAFSON:
      gsl_matrix_set(J, i, 0, (1.0 - p[1]) + p[1] * n);
      gsl_matrix_set(J, i, 1, p[0] * (n - 1.0));
      break;
    case SU_FIT_USL:
      den = 1.0 + p[1] * (n - 1.0) + p[2] * n * (n - 1.0);
      gsl_matrix_set(J, i, 0, n / den);
      gsl_matrix_set(J, i, 1, -p[0] * n * (n - 1.0) / (den * den));
      gsl_matrix_set(J, i, 2, -p[0] * n * n * (n - 1.0) / (den * den));
      break;
    case SU_FIT_BWSAT:
      /* min() has a kink: the Jacobian of the active branch (a
       * subgradient at the kink) is what the LS normal equations use. */
      gsl_matrix_set(J, i, 0, n * p[0] <= p[1] ? n : 0.0);
      gsl_matrix_set(J, i, 1, n * p[0] <= p[1] ? 0.0 : 1.0);
      break;
    default:
      return GSL_EINVAL;
    }
  }
  return GSL_SUCCESS;
}

/* Least squares y = a u + b v without intercept; 0 on success. */
static int ls2(const double *u, const double *v, const double *y, size_t k, double *a,
               double *b)
{
  double suu = 0, svv = 0, suv = 0, suy = 0, svy = 0, det;

  for (size_t i = 0; i < k; i++) {
    suu += u[i] * u[i];
    svv += v[i] * v[i];
    suv += u[i] * v[i];
    suy += u[i] * y[i];
    svy += v[i] * y[i];
  }
  det = suu * svv - suv * suv;
  if (!(fabs(det) > 1e-300))
    return -1;
  *a = (suy * svv - svy * suv) / det;
  *b = (svy * suu - suy * suv) / det;
  return isfinite(*a) && isfinite(*b) ? 0 : -1;
}

static double sse_of(su_fit_model_t m, const double *p, const double *n, const double *x,
                     size_t count)
{
  double s = 0;

  for (size_t i = 0; i < count; i++) {
    double r = model_eval(m, p, n[i]) - x[i];
    s += r * r;
  }
  return s;
}

/*
 * Starting values from the linearised laws.  Several candidates may be
 * returned (rows of p0); the solver keeps the best converged one.
 */
static size_t start_values(su_fit_model_t m, const double *n, const double *x, size_t count,
                           double p0[][SU_FIT_MAXP])
{
  double *u = malloc(3 * count * sizeof(double)), *v, *y, a, b;
  size_t imin = 0, k = 0;

  if (!u)
    return 0;
  v = u + count;
  y = v + count;
  for (size_t i = 1; i < count; i++)
    if (n[i] < n[imin])
      imin = i;
  switch (m) {
  case SU_FIT_AMDAHL:   /* 1/X = (1-p)/X1 + (p/X1) (1/N) */
    for (size_t i = 0; i < count; i++) {
      u[i] = 1.0;
      v[i] = 1.0 / n[i];
      y[i] = 1.0 / x[i];
    }
    if (ls2(u, v, y, count, &a, &b) == 0 && a + b > 0) {
      p0[k][0] = 1.0 / (a + b);
      p0[k][1] = b / (a + b);
      k++;
    }
    p0[k][0] = x[imin] / n[imin];
    p0[k][1] = 0.9;
    k++;
    break;
  case SU_FIT_GUSTAFSON: /* X = X1 (1-p) + X1 p N */
    for (size_t i = 0; i < count; i++) {
      u[i] = 1.0;
      v[i] = n[i];
      y[i] = x[i];
    }
    if (ls2(u, v, y, count, &a, &b) == 0 && a + b != 0) {
      p0[k][0] = a + b;
      p0[k][1] = b / (a + b);
      k++;
    }
    p0[k][0] = x[imin] / n[imin];
    p0[k][1] = 0.9;
    k++;
    break;
  case SU_FIT_USL: {     /* N lambda / X - 1 = sigma (N-1) + kappa N (N-1) */
    double lam = x[imin] / n[imin];
    for (size_t i = 0; i < count; i++) {
      u[i] = n[i] - 1.0;
      v[i] = n[i] * (n[i] - 1.0);
      y[i] = n[i] * lam / x[i] - 1.0;
    }
    if (ls2(u, v, y, count, &a, &b) == 0) {
      p0[k][0] = lam;
      p0[k][1] = fmax(a, 0.0);
      p0[k][2] = fmax(b, 0.0);
      k++;
    }
    p0[k][0] = lam;
    p0[k][1] = 0.01;
    p0[k][2] = 1e-4;
    k++;
    p0[k][0] = lam;
    p0[k][1] = 0.0;
    p0[k][2] = 0.0;
    k++;
    break;
  }
  case SU_FIT_BWSAT: {
    /* Exact LS for each split "first j points (by N) linear, the rest
     * saturated"; GSL then polishes the best (the kink is not smooth). */
    size_t *ord = malloc(count * sizeof(size_t));
    double best = INFINITY;
    if (!ord)
      break;
    for (size_t i = 0; i < count; i++)
      ord[i] = i;
    for (size_t i = 1; i < count; i++)
      for (size_t j = i; j > 0 && n[ord[j]] < n[ord[j - 1]]; j--) {
        size_t t = ord[j];
        ord[j] = ord[j - 1];
        ord[j - 1] = t;
      }
    for (size_t j = 0; j <= count; j++) {
      double snx = 0, snn = 0, sx = 0, p[SU_FIT_MAXP] = {0}, s;
      for (size_t i = 0; i < j; i++) {
        snx += n[ord[i]] * x[ord[i]];
        snn += n[ord[i]] * n[ord[i]];
      }
      for (size_t i = j; i < count; i++)
        sx += x[ord[i]];
      if (j == count)
        continue;                       /* never saturated: Bmax undefined */
      p[1] = sx / (double)(count - j);
      p[0] = j ? snx / snn : p[1] / n[ord[0]];
      s = sse_of(m, p, n, x, count);
      if (s < best) {
        best = s;
        p0[0][0] = p[0];
        p0[0][1] = p[1];
        k = 1;
      }
    }
    free(ord);
    break;
  }
  default:
    break;
  }
  free(u);
  return k;
}

/* One solver run from p0; 0 and the parameters/SSE/covariance when it
 * converged. */
static int solve(su_fit_model_t m, const double *n, const double *x, size_t count,
                 const double *p0, double *p, double *sse, double *covar_diag)
{
  struct fit_data d = {m, n, x, count};
  unsigned np = su_fit_nparams(m);
  gsl_multifit_nlinear_fdf fdf;
  gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
  gsl_multifit_nlinear_workspace *w = NULL;
  gsl_matrix *cov = NULL;
  gsl_vector_view v0 = gsl_vector_view_array((double *)p0, np);
  int info, st, rc = -1;

  /* More's scaling copes with parameters of very different magnitude
   * (lambda ~ 100, kappa ~ 1e-4); the bwsat Jacobian has zero columns at
   * times, which Levenberg's unit scaling tolerates. */
  par.scale = m == SU_FIT_BWSAT ? gsl_multifit_nlinear_scale_levenberg
                                : gsl_multifit_nlinear_scale_more;
  fdf.f = f_res;
  fdf.df = f_jac;
  fdf.fvv = NULL;
  fdf.n = count;
  fdf.p = np;
  fdf.params = &d;
  w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &par, count, np);
  cov = gsl_matrix_alloc(np, np);
  if (!w || !cov)
    goto out;
  if (gsl_multifit_nlinear_init(&v0.vector, &fdf, w) != GSL_SUCCESS)
    goto out;
  st = gsl_multifit_nlinear_driver(500, 1e-12, 1e-12, 0.0, NULL, NULL, &info, w);
  /* GSL_ENOPROG: no step reduces the cost any more, i.e. we sit at the
   * minimum to machine precision (typical for exact data). */
  if (st != GSL_SUCCESS && st != GSL_ENOPROG)
    goto out;
  for (unsigned i = 0; i < np; i++) {
    p[i] = gsl_vector_get(gsl_multifit_nlinear_position(w), i);
    if (!isfinite(p[i]))
      goto out;
  }
  {
    gsl_vector *f = gsl_multifit_nlinear_residual(w);
    gsl_blas_ddot(f, f, sse);
  }
  if (gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), 0.0, cov) == GSL_SUCCESS)
    for (unsigned i = 0; i < np; i++)
      covar_diag[i] = gsl_matrix_get(cov, i, i);
  else
    for (unsigned i = 0; i < np; i++)
      covar_diag[i] = NAN;
  rc = 0;
out:
  gsl_matrix_free(cov);
  if (w)
    gsl_multifit_nlinear_free(w);
  return rc;
}

/* The physical range of each parameter (docs/models.md): fractions in
 * [0, 1], kappa and the rates >= 0. */
static void param_bounds(su_fit_model_t m, double lo[SU_FIT_MAXP], double hi[SU_FIT_MAXP])
{
  for (unsigned i = 0; i < SU_FIT_MAXP; i++) {
    lo[i] = 0;
    hi[i] = INFINITY;
  }
  if (m == SU_FIT_AMDAHL || m == SU_FIT_GUSTAFSON)
    hi[1] = 1;            /* p, the parallel fraction */
  if (m == SU_FIT_USL)
    hi[1] = 1;            /* sigma */
}

/* Solves the 3x3 (or smaller) system A d = b in place; -1 when singular. */
static int small_solve(double A[SU_FIT_MAXP][SU_FIT_MAXP], double *b, unsigned np)
{
  for (unsigned c = 0; c < np; c++) {
    unsigned piv = c;
    for (unsigned r = c + 1; r < np; r++)
      if (fabs(A[r][c]) > fabs(A[piv][c]))
        piv = r;
    if (!(fabs(A[piv][c]) > 1e-300))
      return -1;
    for (unsigned k = 0; k < np; k++) {
      double t = A[c][k];
      A[c][k] = A[piv][k];
      A[piv][k] = t;
    }
    double t = b[c];
    b[c] = b[piv];
    b[piv] = t;
    for (unsigned r = c + 1; r < np; r++) {
      double f = A[r][c] / A[c][c];
      for (unsigned k = c; k < np; k++)
        A[r][k] -= f * A[c][k];
      b[r] -= f * b[c];
    }
  }
  for (int r = (int)np - 1; r >= 0; r--) {
    for (unsigned k = (unsigned)r + 1; k < np; k++)
      b[r] -= A[r][k] * b[k];
    b[r] /= A[r][r];
  }
  return 0;
}

/*
 * Least squares within the bounds: a projected Levenberg-Marquardt from p
 * (clamped into the box), with a numerical Jacobian; a parameter at a bound
 * whose gradient pushes outward stays there.  The unconstrained solution
 * is the answer whenever it is inside the box, so this runs only for the
 * fits it left outside (R's nls with algorithm = "port" does the same job).
 * *sse is the final sum of squares; p is updated in place.
 */
static void solve_bounded(su_fit_model_t m, const double *n, const double *x, size_t count,
                          double *p, double *sse)
{
  unsigned np = su_fit_nparams(m);
  double lo[SU_FIT_MAXP], hi[SU_FIT_MAXP], mu = 1e-3;

  param_bounds(m, lo, hi);
  for (unsigned i = 0; i < np; i++)
    p[i] = fmin(fmax(p[i], lo[i]), hi[i]);
  *sse = sse_of(m, p, n, x, count);
  for (int it = 0; it < 500 && mu < 1e12; it++) {
    double A[SU_FIT_MAXP][SU_FIT_MAXP] = {{0}}, g[SU_FIT_MAXP] = {0}, q[SU_FIT_MAXP];
    double J[SU_FIT_MAXP];
    int active[SU_FIT_MAXP] = {0};
    for (size_t i = 0; i < count; i++) {
      double r = model_eval(m, p, n[i]) - x[i];
      for (unsigned a = 0; a < np; a++) {
        double h = 1e-7 * fmax(fabs(p[a]), 1e-6), pp[SU_FIT_MAXP];
        memcpy(pp, p, sizeof(pp));
        pp[a] += h;
        J[a] = (model_eval(m, pp, n[i]) - model_eval(m, p, n[i])) / h;
      }
      for (unsigned a = 0; a < np; a++) {
        g[a] += J[a] * r;
        for (unsigned b = 0; b < np; b++)
          A[a][b] += J[a] * J[b];
      }
    }
    for (unsigned a = 0; a < np; a++)
      active[a] = (p[a] <= lo[a] && g[a] > 0) || (p[a] >= hi[a] && g[a] < 0);
    double M[SU_FIT_MAXP][SU_FIT_MAXP], d[SU_FIT_MAXP];
    for (unsigned a = 0; a < np; a++) {
      for (unsigned b = 0; b < np; b++)
        M[a][b] = active[a] || active[b] ? (a == b) : A[a][b] + (a == b ? mu * A[a][a] : 0);
      d[a] = active[a] ? 0 : -g[a];
    }
    if (small_solve(M, d, np) != 0) {
      mu *= 10;
      continue;
    }
    for (unsigned a = 0; a < np; a++)
      q[a] = fmin(fmax(p[a] + d[a], lo[a]), hi[a]);
    double s2 = sse_of(m, q, n, x, count);
    if (isfinite(s2) && s2 < *sse) {
      int small = *sse - s2 <= 1e-15 * *sse;
      memcpy(p, q, np * sizeof(double));
      *sse = s2;
      mu = fmax(mu / 3, 1e-12);
      if (small)
        break;
    } else {
      mu *= 4;
    }
  }
}

/* diag((J^T J)^-1) at p, NaN when J^T J is singular. */
static void covar_at(su_fit_model_t m, const double *n, const double *x, size_t count,
                     const double *p, double *diag)
{
  struct fit_data d = {m, n, x, count};
  unsigned np = su_fit_nparams(m);
  gsl_matrix *J = gsl_matrix_alloc(count, np), *cov = gsl_matrix_alloc(np, np);
  gsl_vector_const_view pv = gsl_vector_const_view_array(p, np);

  for (unsigned i = 0; i < np; i++)
    diag[i] = NAN;
  if (J && cov && f_jac(&pv.vector, &d, J) == GSL_SUCCESS &&
      gsl_multifit_nlinear_covar(J, 0.0, cov) == GSL_SUCCESS)
    for (unsigned i = 0; i < np; i++)
      diag[i] = gsl_matrix_get(cov, i, i);
  gsl_matrix_free(J);
  gsl_matrix_free(cov);
}

static int fit_core(su_fit_model_t m, const double *n, const double *x, size_t count,
                    int heldout, su_fit_t *out)
{
  unsigned np = su_fit_nparams(m);
  double p0[4][SU_FIT_MAXP], best_p[SU_FIT_MAXP] = {0}, best_c[SU_FIT_MAXP] = {0};
  double best_sse = INFINITY, mean = 0, sst = 0, nmax = 0;
  size_t k, nd;

  fit_clear(out, m, count);
  for (size_t i = 0; i < count; i++) {
    if (!isfinite(n[i]) || !isfinite(x[i]) || n[i] <= 0 || x[i] <= 0) {
      out->status = SU_FIT_BAD_DATA;
      snprintf(out->reason, sizeof(out->reason), "non-positive or missing value at N=%g",
               n[i]);
      return SU_OK;
    }
    nmax = fmax(nmax, n[i]);
  }
  out->nmax = nmax;
  nd = distinct_n(n, count);
  if (nd < np || nd < (heldout ? SU_FIT_MIN_POINTS : np)) {
    out->status = SU_FIT_TOO_FEW;
    snprintf(out->reason, sizeof(out->reason),
             "%zu distinct N for %u parameters: under-determined", nd, np);
    return SU_OK;
  }
  k = start_values(m, n, x, count, p0);
  if (k == 0)
    return su_errorf(SU_ENOMEM, "cannot fit '%s'", su_fit_model_name(m));
  for (size_t s = 0; s < k; s++) {
    double p[SU_FIT_MAXP] = {0}, c[SU_FIT_MAXP] = {0}, sse;
    if (solve(m, n, x, count, p0[s], p, &sse, c) == 0 && sse < best_sse) {
      best_sse = sse;
      memcpy(best_p, p, sizeof(p));
      memcpy(best_c, c, sizeof(c));
    }
  }
  /* A starting value can already be the least-squares solution: exact
   * data make the linearised start exact, and the bwsat split enumeration
   * is the exact LS solution of the kinked model.  At a zero residual the
   * solver may stop without "converging", so every candidate is judged on
   * the same objective (SSE) and the best one is kept; its covariance comes
   * from the Jacobian at that point. */
  for (size_t s = 0; s < k; s++) {
    double sse0 = sse_of(m, p0[s], n, x, count);
    if (isfinite(sse0) && sse0 < best_sse) {
      best_sse = sse0;
      memcpy(best_p, p0[s], sizeof(best_p));
      covar_at(m, n, x, count, best_p, best_c);
    }
  }
  if (!isfinite(best_sse)) {
    out->status = SU_FIT_NO_CONVERGENCE;
    snprintf(out->reason, sizeof(out->reason), "the solver did not converge");
    return SU_OK;
  }
  {
    /* Parameters outside their physical range (a negative kappa, a sigma
     * above 1) are fitted again within it; those left at a bound have no
     * standard error (NaN) and the reason names them. */
    double lo[SU_FIT_MAXP], hi[SU_FIT_MAXP];
    int outside = 0;
    param_bounds(m, lo, hi);
    for (unsigned i = 0; i < np; i++)
      outside |= best_p[i] < lo[i] || best_p[i] > hi[i];
    if (outside) {
      char at[96] = "";
      solve_bounded(m, n, x, count, best_p, &best_sse);
      covar_at(m, n, x, count, best_p, best_c);
      for (unsigned i = 0; i < np; i++)
        if (best_p[i] <= lo[i] || best_p[i] >= hi[i]) {
          best_c[i] = NAN;
          out->bounded = 1;
          snprintf(at + strlen(at), sizeof(at) - strlen(at), "%s%s = %g", at[0] ? ", " : "",
                   param_names[m][i], best_p[i]);
        }
      if (out->bounded)
        snprintf(out->reason, sizeof(out->reason), "at its bound: %s", at);
    }
  }
  for (unsigned i = 0; i < np; i++)
    out->param[i] = best_p[i];
  out->status = nd == np ? SU_FIT_EXACT : SU_FIT_OK;
  if (out->status == SU_FIT_EXACT)
    snprintf(out->reason, sizeof(out->reason),
             "%zu distinct N for %u parameters: interpolation, no error estimate", nd, np);
  for (size_t i = 0; i < count; i++)
    mean += x[i] / (double)count;
  for (size_t i = 0; i < count; i++)
    sst += (x[i] - mean) * (x[i] - mean);
  out->rmse = sqrt(best_sse / (double)count);
  if (out->status == SU_FIT_OK) {
    double s2 = best_sse / (double)(count - np);
    out->r2 = sst > 0 ? 1.0 - best_sse / sst : NAN;
    for (unsigned i = 0; i < np; i++)
      out->se[i] = best_c[i] >= 0 ? sqrt(best_c[i] * s2) : NAN;
  }
  if (m == SU_FIT_BWSAT) {
    /* Each branch needs two distinct N of its own, else its parameter
     * merely interpolates one point (or is only bounded). */
    double lin[2] = {NAN, NAN}, sat[2] = {NAN, NAN};
    size_t nlin = 0, nsat = 0;
    for (size_t i = 0; i < count; i++) {
      if (n[i] * best_p[0] < best_p[1] * (1 - 1e-12)) {
        if (nlin < 2 && !(nlin == 1 && lin[0] == n[i]))
          lin[nlin++] = n[i];
      } else if (n[i] * best_p[0] > best_p[1] * (1 + 1e-12)) {
        if (nsat < 2 && !(nsat == 1 && sat[0] == n[i]))
          sat[nsat++] = n[i];
      }
    }
    if (nlin < 2) {
      out->status = SU_FIT_UNIDENTIFIED;
      out->param[0] = out->se[0] = NAN;
      snprintf(out->reason, sizeof(out->reason),
               "fewer than 2 N below saturation: b1 not determined");
    } else if (nsat < 2) {
      out->status = SU_FIT_UNIDENTIFIED;
      out->param[1] = out->se[1] = NAN;
      snprintf(out->reason, sizeof(out->reason),
               "fewer than 2 N at saturation: Bmax not determined");
    }
  }
  if (m == SU_FIT_USL) {
    double sigma = out->param[1], kappa = out->param[2];
    if (kappa > 0 && sigma < 1) {
      out->nstar = sqrt((1.0 - sigma) / kappa);
      out->x_at_nstar = su_fit_eval(out, out->nstar);
    } else if (!out->reason[0]) {
      snprintf(out->reason, sizeof(out->reason), "kappa <= 0: no retrograde peak");
    }
  }
  if (out->status == SU_FIT_OK || out->status == SU_FIT_EXACT) {
    double x1 = su_fit_eval(out, 1.0);
    out->eff_at_nmax = su_fit_eval(out, nmax) / (nmax * x1);
  } else if (m == SU_FIT_BWSAT) {
    out->eff_at_nmax = NAN;
  }

  if (heldout) {
    /* Fit on N <= max/2, predict the rest: a fit that only interpolates
     * its own points shows here (issue #5). */
    double *tn = malloc(2 * count * sizeof(double)), *tx, err = 0;
    size_t nt = 0, nh = 0;
    su_fit_t sub;
    if (!tn)
      return su_errorf(SU_ENOMEM, "cannot fit '%s'", su_fit_model_name(m));
    tx = tn + count;
    for (size_t i = 0; i < count; i++)
      if (n[i] <= nmax / 2) {
        tn[nt] = n[i];
        tx[nt++] = x[i];
      }
    nh = count - nt;
    if (nh > 0 && distinct_n(tn, nt) >= np) {
      int rc = fit_core(m, tn, tx, nt, 0, &sub);
      if (rc != SU_OK) {
        free(tn);
        return rc;
      }
      if (sub.status == SU_FIT_OK || sub.status == SU_FIT_EXACT) {
        for (size_t i = 0; i < count; i++)
          if (n[i] > nmax / 2)
            err += fabs(su_fit_eval(&sub, n[i]) - x[i]) / x[i];
        out->heldout_mare = err / (double)nh;
        out->heldout_n = nh;
      }
    }
    free(tn);
  }
  return SU_OK;
}

int su_fit_series(su_fit_model_t m, const double *n, const double *x, size_t count,
                  su_fit_t *out)
{
  if ((unsigned)m >= SU_FIT_NMODELS || !n || !x || !out)
    return su_errorf(SU_EINVAL, "bad fit request for model '%s'", su_fit_model_name(m));
  /* GSL's default handler aborts the process; library code reports instead. */
  gsl_set_error_handler_off();
  return fit_core(m, n, x, count, 1, out);
}

int su__fit_quick(su_fit_model_t m, const double *n, const double *x, size_t count,
                  su_fit_t *out)
{
  gsl_set_error_handler_off();
  return fit_core(m, n, x, count, 0, out);
}

#else /* !SU_HAVE_GSL */

int su__fit_quick(su_fit_model_t m, const double *n, const double *x, size_t count,
                  su_fit_t *out)
{
  return su_fit_series(m, n, x, count, out);
}

int su_fit_series(su_fit_model_t m, const double *n, const double *x, size_t count,
                  su_fit_t *out)
{
  (void)n;
  (void)x;
  (void)count;
  (void)distinct_n;
  if (out)
    fit_clear(out, m, count);
  return su_errorf(SU_ENOTSUP, "built without GSL: install libgsl-dev and rebuild");
}

#endif /* SU_HAVE_GSL */

/* --- series over a results directory -------------------------------------- */

static int is_headline(const char *metric)
{
  return strcmp(metric, "bandwidth") == 0 || strcmp(metric, "flops") == 0 ||
         strcmp(metric, "time") == 0 || strcmp(metric, "fom") == 0 ||
         strcmp(metric, "fom_lower") == 0;
}

/* A row's count on an axis: its threads, or its MPI ranks (1 when none). */
static unsigned axis_count(int by_ranks, const su_result_row_t *w)
{
  return by_ranks ? (w->ranks ? w->ranks : 1) : w->threads;
}

static int same_series(const su_fit_series_t *s, const su_result_row_t *w)
{
  int by_ranks = s->axis[0] == 'r';

  return SU__ROW_KEY_SAME(s, w) && strcmp(s->scaling, w->scaling) == 0 &&
         (by_ranks ? s->threads == w->threads : s->ranks == w->ranks) &&
         s->nodes == w->nodes &&
         /* a weak-scaling series grows its working set with N */
         (strcmp(w->scaling, "weak") == 0 || s->size_bytes == w->size_bytes);
}

void su_fit_set_fini(su_fit_set_t *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < s->nseries; i++) {
    free(s->series[i].n);
    free(s->series[i].pred);
  }
  free(s->series);
  free(s->owned);
  memset(s, 0, sizeof(*s));
}

void su__fit_series_prepare(su_fit_series_t *s)
{
  s->value_unit = s->unit;
  s->chosen = -1;
  s->nstar.value = s->nstar.lo = s->nstar.hi = s->nstar.n = NAN;
  if (su_metric_lower_is_better(s->metric)) {
    /* A time is fitted as a rate: the laws are laws of throughput. */
    s->inverted = 1;
    snprintf(s->rate_unit, sizeof(s->rate_unit), "1/%s", s->unit);
    for (size_t i = 0; i < s->npoints; i++) {
      double lo = s->ci_lo[i];
      s->x[i] = 1 / s->x[i];
      s->ci_lo[i] = 1 / s->ci_hi[i];
      s->ci_hi[i] = 1 / lo;
    }
  }
}

int su__fit_series_all(su_fit_series_t *s)
{
  int err;

  if (!SU_HAVE_GSL)
    return SU_OK;             /* grouped for plotting, nothing fitted */
  if (strcmp(s->scaling, "weak") == 0) {
    s->fitted[SU_FIT_GUSTAFSON] = 1;
  } else {
    s->fitted[SU_FIT_AMDAHL] = 1;
    s->fitted[SU_FIT_USL] = 1;
    s->fitted[SU_FIT_BWSAT] = strcmp(s->metric, "bandwidth") == 0;
  }
  for (int m = 0; m < SU_FIT_NMODELS; m++) {
    if (!s->fitted[m])
      continue;
    if ((err = su_fit_series((su_fit_model_t)m, s->n, s->x, s->npoints, &s->fit[m])))
      return err;
  }
  return su_fit_choose(s);
}

int su_fit_results(const su_results_t *r, const char *kernel, su_fit_set_t *out)
{
  su_fit_set_t set = {NULL, 0, NULL};
  size_t cap = 0;
  int err = SU_OK;

  if (!r || !out)
    return su_errorf(SU_EINVAL, "no results to fit");
  /* Pass 1: the series and their sizes.  Each row is a point of a series
   * over threads (at its ranks) and of one over ranks (at its threads);
   * the second has one count only, and goes below, unless ranks vary. */
  for (size_t i = 0; i < r->nrows; i++) {
    const su_result_row_t *w = &r->rows[i];
    if (!su_results_row_ok(w) || !is_headline(w->metric) || w->threads == 0)
      continue;
    if (kernel && strcmp(kernel, w->kernel) != 0)
      continue;
    for (int by_ranks = 0; by_ranks < 2; by_ranks++) {
      su_fit_series_t *s = NULL;
      for (size_t j = 0; j < set.nseries && !s; j++)
        if ((set.series[j].axis[0] == 'r') == by_ranks && same_series(&set.series[j], w))
          s = &set.series[j];
      if (!s) {
        if (su__grow(&set.series, set.nseries, &cap, sizeof(*set.series), 16) != SU_OK) {
          err = su_errorf(SU_ENOMEM, "cannot group series of '%s'", r->dir);
          goto out;
        }
        s = &set.series[set.nseries++];
        memset(s, 0, sizeof(*s));
        s->chosen = -1;
        SU__ROW_KEY_COPY(s, w);
        s->scaling = w->scaling;
        s->axis = by_ranks ? "ranks" : "threads";
        s->threads = by_ranks ? w->threads : 0;
        s->ranks = by_ranks ? 0 : w->ranks;
        s->nodes = w->nodes;
        s->size_bytes = strcmp(w->scaling, "weak") == 0 ? 0 : w->size_bytes;
      }
      s->npoints++;
    }
  }
  /* Pass 2: the points, sorted by N. */
  for (size_t j = 0; j < set.nseries; j++) {
    su_fit_series_t *s = &set.series[j];
    size_t k = 0;
    if (s->npoints < 2)
      continue;             /* one thread count is not a scaling series */
    s->n = malloc(4 * s->npoints * sizeof(double));
    if (!s->n) {
      err = su_errorf(SU_ENOMEM, "cannot group series of '%s'", r->dir);
      goto out;
    }
    s->x = s->n + s->npoints;
    s->ci_lo = s->x + s->npoints;
    s->ci_hi = s->ci_lo + s->npoints;
    for (size_t i = 0; i < r->nrows && k < s->npoints; i++) {
      const su_result_row_t *w = &r->rows[i];
      size_t at;
      unsigned cnt;
      if (!su_results_row_ok(w) || !is_headline(w->metric) || w->threads == 0 ||
          !same_series(s, w))
        continue;
      cnt = axis_count(s->axis[0] == 'r', w);
      for (at = k; at > 0 && s->n[at - 1] > cnt; at--) {
        s->n[at] = s->n[at - 1];
        s->x[at] = s->x[at - 1];
        s->ci_lo[at] = s->ci_lo[at - 1];
        s->ci_hi[at] = s->ci_hi[at - 1];
      }
      s->n[at] = cnt;
      s->x[at] = w->median;
      s->ci_lo[at] = w->ci95_lo;
      s->ci_hi[at] = w->ci95_hi;
      k++;
    }
    su__fit_series_prepare(s);
    if ((err = su__fit_series_all(s)))
      goto out;
  }
  /* drop the single-point groups (a size sweep at one thread count) */
  {
    size_t keep = 0;
    for (size_t j = 0; j < set.nseries; j++) {
      if (set.series[j].npoints < 2 || distinct_n(set.series[j].n, set.series[j].npoints) < 2) {
        free(set.series[j].n);
        continue;
      }
      set.series[keep++] = set.series[j];
    }
    set.nseries = keep;
    for (size_t j = 0; j < set.nseries; j++)   /* into its own place now */
      if (set.series[j].inverted)
        set.series[j].unit = set.series[j].rate_unit;
  }
  *out = set;
  return SU_OK;
out:
  su_fit_set_fini(&set);
  return err;
}

/* --- fits.csv -------------------------------------------------------------- */

static const char *const fits_header[] = {
  "schema_version", "run_id", "kernel", "variant", "backend", "device", "precision",
  "placement", "size_bytes", "ranks", "nodes", "scaling", "metric", "x_axis", "model",
  "status", "reason", "npoints", "nmax", "quantity", "value", "stderr", "unit", "threads"};

void su__fit_put_key(su_csv_writer_t *w, const su_fit_series_t *s, unsigned version,
                     const char *run_id)
{
  su_csv_put_u64(w, version);
  su_csv_put_str(w, run_id);
  su_csv_put_str(w, s->kernel);
  su_csv_put_str(w, s->variant);
  su_csv_put_str(w, s->backend);
  su_csv_put_str(w, s->device);
  su_csv_put_str(w, s->precision);
  su_csv_put_str(w, s->placement);
  su_csv_put_u64(w, s->size_bytes);
  su_csv_put_u64(w, s->ranks);
  su_csv_put_u64(w, s->nodes);
  su_csv_put_str(w, s->scaling);
  su_csv_put_str(w, s->metric);
}

/* The fits.csv schema version (docs/models.md); 2: threads appended. */
#define SU_FITS_SCHEMA_VERSION 2

static void put_row(su_csv_writer_t *w, const su_fit_series_t *s, const su_fit_t *f,
                    const char *run_id, const char *qty, double val, double se,
                    const char *unit)
{
  su__fit_put_key(w, s, SU_FITS_SCHEMA_VERSION, run_id);
  su_csv_put_str(w, s->axis);
  su_csv_put_str(w, su_fit_model_name(f->model));
  su_csv_put_str(w, su_fit_status_name(f->status));
  su_csv_put_str(w, f->reason);
  su_csv_put_u64(w, f->npoints);
  su_csv_put_double(w, f->nmax);
  su_csv_put_str(w, qty);
  su_csv_put_double(w, val);
  su_csv_put_double(w, se);
  su_csv_put_str(w, unit);
  su_csv_put_u64(w, s->threads);
  su_csv_end_row(w);
}

int su_fit_write_csv(const su_fit_set_t *s, const char *run_id, FILE *fp)
{
  su_csv_writer_t w;
  char per[80];

  su_csv_writer_init(&w, fp);
  for (size_t i = 0; i < sizeof(fits_header) / sizeof(fits_header[0]); i++)
    su_csv_put_str(&w, fits_header[i]);
  su_csv_end_row(&w);
  for (size_t j = 0; j < s->nseries; j++) {
    const su_fit_series_t *se = &s->series[j];
    snprintf(per, sizeof(per), "%s per %s", se->unit, se->axis[0] == 'r' ? "rank" : "thread");
    for (int m = 0; m < SU_FIT_NMODELS; m++) {
      const su_fit_t *f = &se->fit[m];
      if (!se->fitted[m])
        continue;
      if (f->status != SU_FIT_OK && f->status != SU_FIT_EXACT &&
          f->status != SU_FIT_UNIDENTIFIED) {
        put_row(&w, se, f, run_id, "", NAN, NAN, "");
        continue;
      }
      for (unsigned p = 0; p < f->nparams; p++) {
        const char *name = su_fit_param_name(f->model, p), *unit = "1";
        if (strcmp(name, "X1") == 0 || strcmp(name, "lambda") == 0 ||
            strcmp(name, "Bmax") == 0)
          unit = se->unit;
        else if (strcmp(name, "b1") == 0)
          unit = per;
        put_row(&w, se, f, run_id, name, f->param[p], f->se[p], unit);
      }
      put_row(&w, se, f, run_id, "r2", f->r2, NAN, "1");
      put_row(&w, se, f, run_id, "rmse", f->rmse, NAN, se->unit);
      put_row(&w, se, f, run_id, "heldout_mare", f->heldout_mare, NAN, "1");
      put_row(&w, se, f, run_id, "efficiency_at_nmax", f->eff_at_nmax, NAN, "1");
      if (f->model == SU_FIT_USL) {
        put_row(&w, se, f, run_id, "nstar", f->nstar, NAN, se->axis);
        put_row(&w, se, f, run_id, "x_at_nstar", f->x_at_nstar, NAN, se->unit);
      }
    }
  }
  if (fflush(fp) != 0 || w.err)
    return su_errorf(SU_EIO, "cannot write fits.csv");
  return SU_OK;
}
