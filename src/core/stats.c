/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * stats.c: summary statistics of repeated measurements (contract in
 * include/sizeup/stats.h).
 *
 * The CI of the median uses order statistics: with B ~ Binomial(n, 1/2),
 * [x(j), x(n+1-j)] (1-based) covers the population median with probability
 * 1 - 2 P(B <= j-1), whatever the distribution of the samples; j is the
 * largest index keeping that >= 95% (Le Boudec, "Performance Evaluation of
 * Computer and Communication Systems", 2010, Thm. 2.1 and Table A.1;
 * Hoefler & Belli, SC15, Sec. 3.2).  The binomial sum is computed exactly
 * for every n.  Le Boudec's closed form for large n, floor((n - 1.96
 * sqrt(n)) / 2), is its normal approximation: it agrees within one rank
 * for n >= 71 but is too wide for small n (n = 10 gives [x(1), x(10)] where
 * [x(2), x(9)] already covers 97.9%), and runs usually stop at 10 to 50
 * repetitions, so the exact sum is worth its O(n) cost (less than the sort).
 *
 * Mann-Whitney U uses the normal approximation with tie and continuity
 * correction for every sample size (no exact small-sample distribution):
 * for n <= 10 per side it is conservative when the samples separate
 * completely (5 vs 5: p = 0.0122 against the exact 0.0079), which is the
 * safe side for a regression gate.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/stats.h"

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void su_stats_median_ci_ranks(size_t n, size_t *lo, size_t *hi)
{
  size_t j = 1; /* 1-based rank of the lower bound */
  double log_term, cdf = 0;

  if (n < 6) {
    *lo = 0;
    *hi = n ? n - 1 : 0;
    return;
  }
  /* P(B = i) = C(n, i) 2^-n, in log space (2^-n underflows beyond n = 1074)
   * with C(n, i+1) = C(n, i) (n - i) / (i + 1).  The sum passes 0.025
   * before i = n/2, where it is already 0.5. */
  log_term = -(double)n * log(2.0);
  for (size_t i = 0; i <= n / 2; i++) {
    cdf += exp(log_term);
    if (cdf > 0.025)
      break;
    j = i + 1; /* P(B <= j-1) <= 0.025 */
    log_term += log((double)(n - i)) - log((double)(i + 1));
  }
  *lo = j - 1;
  *hi = n - j; /* 1-based n+1-j */
}

int su_stats_compute(const double *x, size_t n, su_stats_t *out)
{
  double *s, sum = 0, sq = 0;
  su_stats_t r;
  size_t lo, hi;

  if (n == 0)
    return su_errorf(SU_EINVAL, "no samples");
  for (size_t i = 0; i < n; i++)
    if (!isfinite(x[i]))
      return su_errorf(SU_EINVAL, "sample %zu is not a finite number", i);
  if (!(s = malloc(n * sizeof(*s))))
    return su_errorf(SU_ENOMEM, "out of memory for %zu samples", n);
  memcpy(s, x, n * sizeof(*s));
  qsort(s, n, sizeof(*s), cmp_double);
  for (size_t i = 0; i < n; i++)
    sum += s[i];
  r.n = n;
  r.mean = sum / (double)n;
  for (size_t i = 0; i < n; i++)
    sq += (s[i] - r.mean) * (s[i] - r.mean);
  r.stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
  r.cv = r.mean != 0 ? r.stddev / fabs(r.mean) : 0;
  r.min = s[0];
  r.max = s[n - 1];
  r.median = n % 2 ? s[n / 2] : s[n / 2 - 1] / 2 + s[n / 2] / 2;
  su_stats_median_ci_ranks(n, &lo, &hi);
  r.ci95_lo = s[lo];
  r.ci95_hi = s[hi];
  free(s);
  /* Finite samples near DBL_MAX can still overflow the sums. */
  if (!isfinite(r.mean) || !isfinite(r.stddev) || !isfinite(r.cv))
    return su_errorf(SU_EINVAL, "samples too large to summarise (beyond %g)", r.max);
  *out = r;
  return SU_OK;
}

double su_stats_ci_rel(const su_stats_t *s)
{
  double half = (s->ci95_hi - s->ci95_lo) / 2.0;

  if (half == 0)
    return 0;
  if (s->median == 0)
    return INFINITY;
  return half / fabs(s->median);
}

typedef struct ranked {
  double v;
  int from_a;
} ranked_t;

static int cmp_ranked(const void *a, const void *b)
{
  return cmp_double(&((const ranked_t *)a)->v, &((const ranked_t *)b)->v);
}

int su_stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
                          double *u, double *p)
{
  size_t n = na + nb;
  ranked_t *r;
  double ra = 0, ties = 0, mean, var, z, ua;

  if (na == 0 || nb == 0)
    return su_errorf(SU_EINVAL, "Mann-Whitney U needs samples on both sides");
  for (size_t i = 0; i < n; i++)
    if (!isfinite(i < na ? a[i] : b[i - na]))
      return su_errorf(SU_EINVAL, "Mann-Whitney U: sample %zu of the %s side is not a "
                       "finite number", i < na ? i : i - na, i < na ? "first" : "second");
  if (!(r = malloc(n * sizeof(*r))))
    return su_errorf(SU_ENOMEM, "out of memory for %zu samples", n);
  for (size_t i = 0; i < na; i++)
    r[i] = (ranked_t){a[i], 1};
  for (size_t i = 0; i < nb; i++)
    r[na + i] = (ranked_t){b[i], 0};
  qsort(r, n, sizeof(*r), cmp_ranked);
  /* Average ranks over ties; sum of t^3 - t for the variance correction. */
  for (size_t i = 0; i < n;) {
    size_t k = i;
    while (k + 1 < n && r[k + 1].v == r[i].v)
      k++;
    double rank = (double)(i + k) / 2.0 + 1.0, t = (double)(k - i + 1);
    for (size_t m = i; m <= k; m++)
      if (r[m].from_a)
        ra += rank;
    ties += t * t * t - t;
    i = k + 1;
  }
  free(r);
  ua = ra - (double)na * ((double)na + 1) / 2.0;
  mean = (double)na * (double)nb / 2.0;
  /* Var(U) with ties: na nb / 12 * ((n + 1) - sum(t^3 - t) / (n (n - 1))). */
  var = (double)na * (double)nb / 12.0 *
        (((double)n + 1) - ties / ((double)n * ((double)n - 1)));
  *u = ua;
  if (var <= 0) { /* every value equal: no evidence of any difference */
    *p = 1.0;
    return SU_OK;
  }
  /* Normal approximation with continuity correction, two-sided. */
  z = fabs(ua - mean);
  z = z > 0.5 ? (z - 0.5) / sqrt(var) : 0;
  *p = fmin(1.0, erfc(z / sqrt(2.0)));
  return SU_OK;
}

/* The continued fraction of I_x(a, b), evaluated with the modified Lentz
 * method (Press et al., Numerical Recipes, 3rd ed., section 6.4; Lentz,
 * Applied Optics 15(3), 1976). */
static double ibeta_cf(double a, double b, double x)
{
  const double tiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1), h;

  d = 1 / (fabs(d) < tiny ? tiny : d);
  h = d;
  for (int m = 1; m <= 300; m++) {
    double m2 = 2.0 * m, num, del;
    for (int odd = 0; odd < 2; odd++) {
      num = odd ? -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
                : m * (b - m) * x / ((a + m2 - 1) * (a + m2));
      d = 1 + num * d;
      d = 1 / (fabs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      if (fabs(c) < tiny)
        c = tiny;
      del = d * c;
      h *= del;
      if (odd && fabs(del - 1) < 1e-14)
        return h;
    }
  }
  return h;
}

double su_stats_ibeta(double a, double b, double x)
{
  double front;

  if (!(a > 0 && b > 0 && x >= 0 && x <= 1))
    return NAN;
  if (x == 0 || x == 1)
    return x;
  front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
  /* The fraction converges fast for x < (a + 1) / (a + b + 2); use the
   * symmetry I_x(a, b) = 1 - I_{1-x}(b, a) beyond. */
  if (x < (a + 1) / (a + b + 2))
    return front * ibeta_cf(a, b, x) / a;
  return 1 - front * ibeta_cf(b, a, 1 - x) / b;
}

int su_stats_welch(const double *a, size_t na, const double *b, size_t nb, double *t,
                   double *p)
{
  double ma = 0, mb = 0, va = 0, vb = 0, se2, df;

  if (na < 2 || nb < 2)
    return su_errorf(SU_EINVAL, "Welch's t-test needs 2 values on each side (%zu and %zu)",
                     na, nb);
  for (size_t i = 0; i < na + nb; i++)
    if (!isfinite(i < na ? a[i] : b[i - na]))
      return su_errorf(SU_EINVAL, "Welch's t-test: a value is not a finite number");
  for (size_t i = 0; i < na; i++)
    ma += a[i] / (double)na;
  for (size_t i = 0; i < nb; i++)
    mb += b[i] / (double)nb;
  for (size_t i = 0; i < na; i++)
    va += (a[i] - ma) * (a[i] - ma) / (double)(na - 1);
  for (size_t i = 0; i < nb; i++)
    vb += (b[i] - mb) * (b[i] - mb) / (double)(nb - 1);
  se2 = va / (double)na + vb / (double)nb;
  if (!(se2 > 0)) {
    *t = ma == mb ? 0 : copysign(INFINITY, mb - ma);
    *p = ma == mb ? 1 : 0;
    return SU_OK;
  }
  *t = (mb - ma) / sqrt(se2);
  df = se2 * se2 / (va * va / ((double)na * na * (double)(na - 1)) +
                    vb * vb / ((double)nb * nb * (double)(nb - 1)));
  /* two-sided: P(|T| > |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2) */
  *p = su_stats_ibeta(df / 2, 0.5, df / (df + *t * *t));
  return SU_OK;
}
