/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fit.h: scaling-law fits and cache-level detection (the model module).
 *
 * Scaling laws (docs/models.md has the formulas and references), fitted to a
 * series X(N) (throughput X, e.g. GB/s or GFLOP/s, against N workers) by
 * nonlinear least squares with GSL's gsl_multifit_nlinear (Levenberg-
 * Marquardt with a trust region), unweighted residuals X_fit - X:
 *
 *   amdahl     X(N) = X1 / ((1 - p) + p / N)             params X1, p
 *   gustafson  X(N) = X1 * ((1 - p) + p N)   (weak)      params X1, p
 *   usl        X(N) = lambda N / (1 + sigma (N-1) + kappa N (N-1))
 *                                                         params lambda, sigma, kappa
 *   bwsat      X(N) = min(N b1, Bmax)                     params b1, Bmax
 *
 * Nothing is invented for series that cannot determine a model: fewer
 * distinct N than parameters give SU_FIT_TOO_FEW with no numbers, exactly as
 * many give SU_FIT_EXACT (an interpolation: parameters, but no standard
 * errors and no R^2 that means anything).  In a build without GSL the fitting
 * functions return SU_ENOTSUP ("built without GSL ...").
 *
 * Cache levels: su_fit_plateaus segments a working-set sweep (bandwidth
 * against size) into plateaus separated by knees; see docs/models.md.
 */
#ifndef SIZEUP_FIT_H
#define SIZEUP_FIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sizeup/results.h"

typedef enum su_fit_model_e {
  SU_FIT_AMDAHL,
  SU_FIT_GUSTAFSON,
  SU_FIT_USL,
  SU_FIT_BWSAT,
  SU_FIT_NMODELS
} su_fit_model_t;

typedef enum su_fit_status_e {
  SU_FIT_OK,              /* fitted, with standard errors */
  SU_FIT_EXACT,           /* as many points as parameters: no error estimate */
  SU_FIT_TOO_FEW,         /* fewer distinct N than parameters (or < 3 points) */
  SU_FIT_NO_CONVERGENCE,  /* the solver failed or did not converge */
  SU_FIT_BAD_DATA,        /* non-finite or non-positive N or X */
  SU_FIT_UNIDENTIFIED     /* a parameter is not determined by the data */
} su_fit_status_t;

#define SU_FIT_MAXP 3
/* Series shorter than this are not fitted at all (issue #5: ">= 3 points"). */
#define SU_FIT_MIN_POINTS 3

typedef struct su_fit {
  su_fit_model_t model;
  su_fit_status_t status;
  char reason[160];        /* why status is not OK, or a caveat; "" otherwise */
  size_t npoints;          /* points used */
  unsigned nparams;
  double param[SU_FIT_MAXP];  /* NaN when not fitted */
  double se[SU_FIT_MAXP];     /* standard errors; NaN when unknown */
  double r2;               /* coefficient of determination; NaN when unknown */
  double rmse;             /* sqrt(SSE / npoints), in the unit of X */
  /* Held-out check: fit on N <= max(N)/2, predict the points above, mean
   * absolute relative error (0.05 = 5%).  NaN ("n/a") when either side is
   * too small. */
  double heldout_mare;
  size_t heldout_n;
  double nmax;             /* largest N in the series */
  double eff_at_nmax;      /* model X(nmax) / (nmax X(1)) */
  /* 1 when a parameter sits at the bound of its physical range (kappa,
   * b1, Bmax, lambda, X1 >= 0; p and sigma in [0, 1]): fitted within the
   * range, its standard error NaN, the reason names it. */
  int bounded;
  double nstar;            /* usl: sqrt((1 - sigma) / kappa); NaN if none */
  double x_at_nstar;       /* usl: X(N*) */
} su_fit_t;

/* "amdahl", "gustafson", "usl", "bwsat". */
const char *su_fit_model_name(su_fit_model_t m);
/* "ok", "exact", "too_few_points", "no_convergence", "bad_data", "unidentified". */
const char *su_fit_status_name(su_fit_status_t s);
/* Parameter i of model m ("X1", "p", "lambda", "sigma", "kappa", "b1",
 * "Bmax"), NULL past the last. */
const char *su_fit_param_name(su_fit_model_t m, unsigned i);
unsigned su_fit_nparams(su_fit_model_t m);

/*
 * Fits model m to the points (n[i], x[i]).  Returns SU_OK whenever a verdict
 * was reached, including SU_FIT_TOO_FEW and SU_FIT_NO_CONVERGENCE (see
 * out->status); SU_EINVAL for a bad model or NULL arrays; SU_ENOTSUP
 * without GSL; SU_ENOMEM.
 */
int su_fit_series(su_fit_model_t m, const double *n, const double *x, size_t count,
                  su_fit_t *out);
/* The fitted curve at N; NaN unless status is OK or EXACT. */
double su_fit_eval(const su_fit_t *f, double n);

/* --- fits over a results directory ---------------------------------------- */

/* A prediction at a count n: the value in the series' own metric (a time
 * for a time series) with its 95% prediction interval. */
typedef struct su_fit_pred {
  double n;
  double value, lo, hi;     /* NaN when the chosen model cannot say */
} su_fit_pred_t;

/* One series: a headline metric of one configuration against threads, or
 * against MPI ranks (an app measured with `sizeup app --ranks`). */
typedef struct su_fit_series {
  /* Keys, borrowed from the su_results_t (valid while it lives). */
  const char *kernel, *variant, *backend, *device, *precision, *placement;
  const char *metric, *unit, *scaling;
  /* The x axis: "threads" (ranks is a key) or "ranks" (threads is a key). */
  const char *axis;
  unsigned threads, ranks, nodes;
  uint64_t size_bytes;      /* 0 for a weak series (its size grows with N) */
  size_t npoints;
  double *n, *x;            /* count on the axis and median, ascending in n */
  double *ci_lo, *ci_hi;
  su_fit_t fit[SU_FIT_NMODELS];
  int fitted[SU_FIT_NMODELS];   /* 1 when this model applies to the series */
  /* A lower-is-better metric (time, fom_lower) is fitted as a rate: x is
   * 1 / median (ci swapped) and unit is "1/<metric's unit>"; predictions
   * are given back in the metric's own unit (value_unit). */
  int inverted;
  const char *value_unit;
  char rate_unit[48];
  /* The model chosen by leave-one-out cross-validation (su_fit_choose), or
   * -1; loo[m] is model m's mean relative error on the left-out counts. */
  int chosen;
  double loo[SU_FIT_NMODELS];
  char why[256];
  /* su_fit_predict_set: predictions at the asked counts, and the USL peak
   * N* with its interval (value NaN when there is none). */
  su_fit_pred_t *pred;
  size_t npred;
  su_fit_pred_t nstar;
} su_fit_series_t;

typedef struct su_fit_set {
  su_fit_series_t *series;
  size_t nseries;
  char *owned;             /* strings of a table's series (su_fit_table_load) */
} su_fit_set_t;

/*
 * Groups the `ok` rows of the headline metrics (bandwidth, flops; time,
 * fom, fom_lower) by (kernel, variant, backend, device, precision,
 * placement, size_bytes, ranks, nodes, scaling) with x = threads, and by
 * the same key with threads in place of ranks with x = ranks (a series
 * only where the ranks vary: MPI runs), and fits: strong series amdahl
 * and usl (plus bwsat for bandwidth), weak series gustafson.  Series with
 * fewer than SU_FIT_MIN_POINTS distinct N are kept with status
 * too_few_points; groups with a single thread count (a working-set sweep)
 * are not scaling series and are left out.  kernel (NULL = all) filters.
 * In a build without GSL the series are grouped but nothing is fitted
 * (every fitted[] is 0).  SU_OK, SU_ENOMEM.  Release with su_fit_set_fini.
 */
int su_fit_results(const su_results_t *r, const char *kernel, su_fit_set_t *out);
void su_fit_set_fini(su_fit_set_t *s);

/*
 * Chooses a model for every fitted series by leave-one-out cross-validation
 * over its distinct counts (Extra-P's way of choosing among hypotheses):
 * each count in turn is left out, the model fitted on the others predicts
 * it, and the mean relative error decides; a model with fewer parameters
 * wins when it is within 10% of the best.  Fills chosen, loo and why.
 * Called by su_fit_results.  SU_OK, SU_ENOMEM.
 */
int su_fit_choose(su_fit_series_t *s);

/*
 * Predicts every series' chosen model at the counts at[0..nat-1], with 95%
 * prediction intervals for a new point (a count's median) from a bootstrap
 * over the points (nboot replicates, seeded): each replicate is the chosen
 * curve times one plus held-out residuals drawn at random, every model is
 * fitted to it and chosen again by leave-one-out, and the replicate's
 * choice predicts, times one plus another drawn residual; so the interval
 * covers the scatter of counts measured at different moments, the
 * uncertainty of the parameters and that of the choice (docs/models.md).
 * No interval (NaN) when fewer than half the replicates fit.  The USL's N* gets the interval of the USL's
 * refits.  SU_OK, SU_EINVAL (nboot < 20), SU_ENOMEM.
 */
int su_fit_predict_set(su_fit_set_t *set, const double *at, size_t nat, unsigned nboot,
                       unsigned long long seed);

/*
 * Reads a hand-made table (docs/models.md): a CSV with a header, a count
 * column (`cores`, `threads`, `ranks`, `nodes` or `n`) and a time column
 * (`seconds` or `time_s`); several rows at one count are repetitions.  One
 * series (kernel = the file's base name, metric time, unit s), fitted and
 * chosen as su_fit_results does; a count's point is the median of its
 * rows.  SU_EINVAL naming the file and line for a missing column or a bad
 * number, SU_EIO, SU_ENOMEM.
 */
int su_fit_table_load(const char *path, su_fit_set_t *out);

/*
 * Writes predictions.csv (docs/csv-schema.md): per series and asked count a
 * row (quantity `value`) and the USL's N* (quantity `nstar`).  SU_OK, SU_EIO.
 */
int su_fit_write_predictions(const su_fit_set_t *s, const char *run_id, FILE *fp);

/*
 * Writes fits.csv (docs/models.md: one row per series, model and parameter
 * set; RFC 4180 through csv.h).  SU_OK or SU_EIO.
 */
int su_fit_write_csv(const su_fit_set_t *s, const char *run_id, FILE *fp);

/* --- cache levels from a working-set sweep -------------------------------- */

typedef struct su_plateau {
  uint64_t size_lo_bytes, size_hi_bytes;  /* smallest and largest size in it */
  double bw;               /* median bandwidth of its points (unit of input) */
  double bw_max;           /* largest point in it */
  size_t npoints;
  uint64_t knee_bytes;     /* where the next drop happens (geometric mid-point
                              between this plateau and the next); 0 for the last */
  char level[16];          /* "L1", "L2", "L3", "DRAM", or "P1".. when unknown */
} su_plateau_t;

/*
 * Segments a bandwidth-against-size curve into plateaus (docs/models.md):
 * points sorted by size start a new segment when they fall more than
 * SU_PLATEAU_DROP below the current segment's median (or rise above it by
 * as much); segments of one point between two longer ones are knees, not
 * plateaus.  Plateaus are named from the cache sizes when given (caches may
 * be NULL), else P1, P2, ...  Needs >= 4 points (else *nout = 0).
 * SU_OK, SU_EINVAL for NULL arrays, SU_ENOMEM.
 */
#define SU_PLATEAU_DROP 0.25
int su_fit_plateaus(const double *size_bytes, const double *bw, size_t n,
                    const su_cache_info_t *caches, size_t ncaches,
                    su_plateau_t *out, size_t max, size_t *nout);

/*
 * A working-set sweep: one metric of one configuration against size_bytes
 * (all other keys equal, including threads), with at least 4 sizes.
 * Plateaus are detected for every sweep (bandwidth and latency alike: the
 * 25% rule is symmetric), named with the fingerprint's cache sizes.
 */
#define SU_FIT_MAX_PLATEAUS 8
typedef struct su_fit_sweep {
  const char *kernel, *variant, *backend, *device, *precision, *placement;
  const char *metric, *unit;  /* borrowed from the su_results_t */
  unsigned threads, ranks, nodes;
  size_t npoints;
  double *size_bytes, *y, *ci_lo, *ci_hi;   /* ascending in size */
  su_plateau_t plateau[SU_FIT_MAX_PLATEAUS];
  size_t nplateaus;
} su_fit_sweep_t;

/*
 * All sweeps of `metric` ("bandwidth", "latency") in r with >= 4 distinct
 * sizes, in row order.  *out is NULL when there are none.  SU_OK, SU_ENOMEM.
 * Release with su_fit_sweeps_free.
 */
int su_fit_sweeps(const su_results_t *r, const char *metric, su_fit_sweep_t **out,
                  size_t *nout);
void su_fit_sweeps_free(su_fit_sweep_t *s, size_t n);

#endif /* SIZEUP_FIT_H */
