/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * stats.h: summary statistics of repeated measurements.
 *
 * Following Hoefler & Belli, "Scientific Benchmarking of Parallel Computing
 * Systems" (SC15): report the median with a nonparametric 95% confidence
 * interval (order statistics of the binomial distribution, Le Boudec,
 * "Performance Evaluation of Computer and Communication Systems", 2010,
 * Table 2.1 / eq. 2.19), plus min, max, mean, stddev and CV; never a mean
 * alone.
 */
#ifndef SIZEUP_STATS_H
#define SIZEUP_STATS_H

#include <stddef.h>

typedef struct su_stats {
  size_t n;
  double median, min, max, mean, stddev, cv; /* cv = stddev / |mean|, 0 if mean is 0 */
  double ci95_lo, ci95_hi;  /* CI of the median; = min/max when n < 6 */
} su_stats_t;

/*
 * x is not modified.  stddev is the sample standard deviation (n - 1), 0
 * for n == 1; the median of an even n is the mean of the two middle values.
 * SU_EINVAL when n == 0, a value is not finite, or the sums overflow;
 * SU_ENOMEM.  *out is left untouched on failure.
 */
int su_stats_compute(const double *x, size_t n, su_stats_t *out);

/*
 * The order-statistic ranks (0-based, into the sorted sample) bounding the
 * 95% CI of the median for a sample of n; *lo = 0 and *hi = n-1 when n < 6.
 * Exact: the symmetric pair [x(j), x(n+1-j)] (1-based) with the largest j
 * whose binomial coverage is still >= 95% (the classic table: n = 10 gives
 * 0-based [1, 8], n = 20 [5, 14], n = 100 [39, 60]).
 */
void su_stats_median_ci_ranks(size_t n, size_t *lo, size_t *hi);

/* Half-width of the CI of the median relative to |median| (0.02 = +-2%);
 * 0 when the CI has no width, INFINITY when only the median is 0. */
double su_stats_ci_rel(const su_stats_t *s);

/*
 * Mann-Whitney U test, two-sided, normal approximation with tie and
 * continuity correction.  *p is the p-value; *u the U statistic of a: the
 * number of pairs (a[i], b[j]) with a[i] > b[j], ties counting 1/2 (so 0
 * when every a is below every b, na * nb when above).  The approximation is
 * used for every size, also below 10 per side (no exact distribution).
 * SU_EINVAL when a side is empty or a value is not finite; SU_ENOMEM.
 */
int su_stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
                          double *u, double *p);

/*
 * Welch's unequal-variance t-test, two-sided: *t = (mean b - mean a) / se,
 * *p from Student's t with the Welch-Satterthwaite degrees of freedom.  For
 * few replicates (the medians of a run's rounds), where a rank test cannot
 * reach small p-values at all (3 against 3: p >= 0.1).  When both sides have
 * no spread, *p is 0 if the means differ and 1 if not.  SU_EINVAL with fewer
 * than 2 values on a side or a value that is not finite.
 */
int su_stats_welch(const double *a, size_t na, const double *b, size_t nb, double *t,
                   double *p);

/* The regularized incomplete beta function I_x(a, b), for a, b > 0 and x in
 * [0, 1]; NaN outside.  Relative accuracy about 1e-12. */
double su_stats_ibeta(double a, double b, double x);

#endif /* SIZEUP_STATS_H */
