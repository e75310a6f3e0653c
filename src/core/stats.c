/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * stats.c: summary statistics of repeated measurements (contract in
 * include/sizeup/stats.h).
 *
 * The CI of the median uses order statistics: with B ~ Binomial(n, 1/2),
 * [x(j), x(n+1-j)] (1-based) covers the median with probability
 * 1 - 2 P(B <= j-1); j is the largest index keeping that >= 95% (Le Boudec,
 * "Performance Evaluation of Computer and Communication Systems", 2010,
 * Thm. 2.1 and Table A.1; Hoefler & Belli, SC15, Sec. 3.2).  Exact binomial
 * sums up to n = 1000, the normal approximation beyond.
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

  if (n < 6) {
    *lo = 0;
    *hi = n ? n - 1 : 0;
    return;
  }
  if (n <= 1000) {
    /* P(B <= i) for i = 0, 1, ... with log-space binomial terms. */
    double cdf = 0;
    for (size_t i = 0; i < n; i++) {
      double logp = lgamma((double)n + 1) - lgamma((double)i + 1) - lgamma((double)(n - i) + 1) -
                    (double)n * log(2.0);
      cdf += exp(logp);
      if (cdf > 0.025)
        break;
      j = i + 1; /* P(B <= j-1) <= 0.025 */
    }
  } else {
    j = (size_t)floor((n - 1.96 * sqrt((double)n)) / 2.0);
    if (j < 1)
      j = 1;
  }
  *lo = j - 1;
  *hi = n - j; /* 1-based n+1-j */
}

int su_stats_compute(const double *x, size_t n, su_stats_t *out)
{
  double *s, sum = 0, sq = 0;
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
  out->n = n;
  out->mean = sum / (double)n;
  for (size_t i = 0; i < n; i++)
    sq += (s[i] - out->mean) * (s[i] - out->mean);
  out->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
  out->cv = out->mean != 0 ? out->stddev / fabs(out->mean) : 0;
  out->min = s[0];
  out->max = s[n - 1];
  out->median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  su_stats_median_ci_ranks(n, &lo, &hi);
  out->ci95_lo = s[lo];
  out->ci95_hi = s[hi];
  free(s);
  return SU_OK;
}

double su_stats_ci_rel(const su_stats_t *s)
{
  if (s->median == 0)
    return INFINITY;
  return (s->ci95_hi - s->ci95_lo) / 2.0 / fabs(s->median);
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
  double ra = 0, ties = 0, mean, var, z;

  if (na == 0 || nb == 0)
    return su_errorf(SU_EINVAL, "Mann-Whitney U needs samples on both sides");
  if (!(r = malloc(n * sizeof(*r))))
    return su_errorf(SU_ENOMEM, "out of memory");
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
  *u = ra - (double)na * ((double)na + 1) / 2.0;
  mean = (double)na * (double)nb / 2.0;
  var = (double)na * (double)nb / 12.0 *
        (((double)n + 1) - ties / ((double)n * ((double)n - 1)));
  if (var <= 0) {
    *p = 1.0;
    return SU_OK;
  }
  /* Normal approximation with continuity correction, two-sided. */
  z = fabs(*u - mean);
  z = z > 0.5 ? (z - 0.5) / sqrt(var) : 0;
  *p = erfc(z / sqrt(2.0));
  if (*p > 1)
    *p = 1;
  return SU_OK;
}
