/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_stats.c: summary statistics, the CI of the median, Mann-Whitney U.
 * Expected values are worked out by hand in the comments, the CI ranks
 * from the binomial distribution (and the classic table of order-statistic
 * intervals for the median), checked again here by an independent sum.
 */
#include "sizeup/error.h"
#include "sizeup/stats.h"
#include "test.h"

static void test_odd_even(void)
{
  const double odd[] = {5, 1, 3, 2, 4};
  const double even[] = {4, 1, 3, 2};
  su_stats_t s;

  CHECK_EQ_INT(su_stats_compute(odd, 5, &s), SU_OK);
  CHECK_NEAR(s.median, 3, 0);
  CHECK_NEAR(s.min, 1, 0);
  CHECK_NEAR(s.max, 5, 0);
  CHECK_NEAR(s.mean, 3, 1e-15);
  CHECK_NEAR(s.stddev, sqrt(2.5), 1e-15); /* (4+1+0+1+4)/4 */
  CHECK_NEAR(s.cv, sqrt(2.5) / 3, 1e-15);
  CHECK_NEAR(s.ci95_lo, 1, 0); /* n < 6: min and max */
  CHECK_NEAR(s.ci95_hi, 5, 0);
  CHECK_EQ_INT(s.n, 5);
  CHECK_EQ_INT(su_stats_compute(even, 4, &s), SU_OK);
  CHECK_NEAR(s.median, 2.5, 0);
  CHECK_NEAR(s.stddev, sqrt(5.0 / 3.0), 1e-15); /* (2.25+.25+.25+2.25)/3 */
  CHECK_EQ_INT(su_stats_compute(odd, 1, &s), SU_OK);
  CHECK_NEAR(s.stddev, 0, 0);
  CHECK_NEAR(s.cv, 0, 0);
  CHECK_NEAR(s.median, 5, 0);
  CHECK_NEAR(s.ci95_lo, 5, 0);
  CHECK_NEAR(s.ci95_hi, 5, 0);
}

static void test_n10(void)
{
  /* Sorted: 1 3 4 6 7 8 9 10 12 15; sum 75; squared deviations from 7.5
   * add up to 162.5; CI ranks [x(2), x(9)] = [3, 12]. */
  const double x[] = {12, 7, 3, 9, 15, 1, 8, 10, 4, 6};
  su_stats_t s;

  CHECK_EQ_INT(su_stats_compute(x, 10, &s), SU_OK);
  CHECK_NEAR(s.median, 7.5, 0);
  CHECK_NEAR(s.mean, 7.5, 1e-15);
  CHECK_NEAR(s.stddev, sqrt(162.5 / 9), 1e-14);
  CHECK_NEAR(s.cv, sqrt(162.5 / 9) / 7.5, 1e-15);
  CHECK_NEAR(s.ci95_lo, 3, 0);
  CHECK_NEAR(s.ci95_hi, 12, 0);
  CHECK_NEAR(su_stats_ci_rel(&s), 0.6, 1e-15); /* (12 - 3) / 2 / 7.5 */
}

static void test_n20_n100(void)
{
  double x[100];
  su_stats_t s;

  for (int i = 0; i < 20; i++)
    x[i] = 20 - i; /* 20..1: median 10.5, variance n(n+1)/12 = 35 */
  CHECK_EQ_INT(su_stats_compute(x, 20, &s), SU_OK);
  CHECK_NEAR(s.ci95_lo, 6, 0);
  CHECK_NEAR(s.ci95_hi, 15, 0);
  CHECK_NEAR(s.median, 10.5, 0);
  CHECK_NEAR(s.stddev, sqrt(35), 1e-14);
  CHECK_NEAR(su_stats_ci_rel(&s), 4.5 / 10.5, 1e-15);
  CHECK(x[0] == 20); /* input untouched */
  /* 1..100 in a scrambled order (37 i mod 101 permutes 1..100): median
   * 50.5, variance 100 * 101 / 12, CI [x(40), x(61)]. */
  for (int i = 0; i < 100; i++)
    x[i] = (double)((37 * (i + 1)) % 101);
  CHECK_EQ_INT(su_stats_compute(x, 100, &s), SU_OK);
  CHECK_NEAR(s.median, 50.5, 0);
  CHECK_NEAR(s.mean, 50.5, 1e-13);
  CHECK_NEAR(s.stddev, sqrt(100.0 * 101.0 / 12.0), 1e-12);
  CHECK_NEAR(s.min, 1, 0);
  CHECK_NEAR(s.max, 100, 0);
  CHECK_NEAR(s.ci95_lo, 40, 0);
  CHECK_NEAR(s.ci95_hi, 61, 0);
}

static void test_ci_ranks(void)
{
  /* 1-based [j, k] from the classic table (coverage in brackets). */
  static const struct { size_t n, j, k; } tab[] = {
    {6, 1, 6},     /* 96.9% */
    {9, 2, 8},     /* 96.1% */
    {10, 2, 9},    /* 97.9% */
    {12, 3, 10},   /* 96.1% */
    {17, 5, 13},   /* 95.1% */
    {20, 6, 15},   /* 95.9% */
    {100, 40, 61},
  };
  size_t lo, hi;

  for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
    su_stats_median_ci_ranks(tab[i].n, &lo, &hi);
    if (lo != tab[i].j - 1 || hi != tab[i].k - 1)
      SU_TEST_FAIL_("n=%zu: 0-based [%zu, %zu], want [%zu, %zu]", tab[i].n, lo, hi,
                    tab[i].j - 1, tab[i].k - 1);
    else
      su_test_passed++;
  }
  for (size_t n = 0; n < 6; n++) {
    su_stats_median_ci_ranks(n, &lo, &hi);
    CHECK_EQ_INT(lo, 0);
    CHECK_EQ_INT(hi, n ? n - 1 : 0);
  }
}

/* For 6 <= n <= 300, by an independent sum (the binomial pmf by products,
 * in long double): the interval covers >= 95% and one rank narrower would
 * not. */
static void test_ci_coverage(void)
{
  int bad = 0;

  for (size_t n = 6; n <= 300 && bad < 3; n++) {
    size_t lo, hi, j;
    long double pmf = 1, cdf_jm1 = 0, cdf_j;
    su_stats_median_ci_ranks(n, &lo, &hi);
    j = lo + 1;
    if (hi != n - j) {
      SU_TEST_FAIL_("n=%zu: [%zu, %zu] is not symmetric", n, lo, hi);
      bad++;
      continue;
    }
    for (size_t i = 0; i < n; i++)
      pmf /= 2; /* P(B = 0) */
    for (size_t i = 0; i < j; i++) {
      cdf_jm1 += pmf;
      pmf = pmf * (long double)(n - i) / (long double)(i + 1);
    }
    cdf_j = cdf_jm1 + pmf; /* pmf is now P(B = j) */
    if (!(1 - 2 * cdf_jm1 >= 0.95L && 1 - 2 * cdf_j < 0.95L)) {
      SU_TEST_FAIL_("n=%zu: j=%zu covers %.4Lf, j+1 would cover %.4Lf", n, j,
                    1 - 2 * cdf_jm1, 1 - 2 * cdf_j);
      bad++;
    } else {
      su_test_passed++;
    }
  }
}

/* Large n: within one rank of Le Boudec's normal approximation,
 * j = floor((n - 1.96 sqrt(n)) / 2), k = ceil(1 + (n + 1.96 sqrt(n)) / 2). */
static void test_ci_large(void)
{
  const size_t ns[] = {71, 1000, 1001, 5000, 100000, 1000000};

  for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
    size_t n = ns[i], lo, hi;
    double j = floor((n - 1.96 * sqrt((double)n)) / 2);
    double k = ceil(1 + (n + 1.96 * sqrt((double)n)) / 2);
    su_stats_median_ci_ranks(n, &lo, &hi);
    CHECK(fabs((double)(lo + 1) - j) <= 1);
    CHECK(fabs((double)(hi + 1) - k) <= 1);
  }
}

static void test_ci_rel(void)
{
  su_stats_t s = {0};

  s.median = -4;
  s.ci95_lo = -5;
  s.ci95_hi = -3;
  CHECK_NEAR(su_stats_ci_rel(&s), 0.25, 0);
  s.median = 0;
  CHECK(isinf(su_stats_ci_rel(&s)));
  s.ci95_lo = s.ci95_hi = 0;
  CHECK_NEAR(su_stats_ci_rel(&s), 0, 0);
}

static void test_bad_input(void)
{
  double x[3] = {1, NAN, 2}, big[2] = {1.5e308, 1.7e308};
  su_stats_t s = {0};

  s.median = 42;
  CHECK_EQ_INT(su_stats_compute(x, 3, &s), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "sample 1") != NULL);
  CHECK_EQ_INT(su_stats_compute(x, 0, &s), SU_EINVAL);
  x[1] = INFINITY;
  CHECK_EQ_INT(su_stats_compute(x, 3, &s), SU_EINVAL);
  x[1] = -INFINITY;
  CHECK_EQ_INT(su_stats_compute(x, 3, &s), SU_EINVAL);
  CHECK_EQ_INT(su_stats_compute(big, 2, &s), SU_EINVAL); /* the sum overflows */
  CHECK_NEAR(s.median, 42, 0);                           /* untouched */
}

static void test_mann_whitney(void)
{
  const double a[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const double b[] = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
  const double c[] = {1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5};
  double u, p;

  /* Completely separated samples of 10: U = 0; mean 50, variance
   * 10*10*21/12 = 175; z = (50 - 0.5) / sqrt(175) = 3.7418, two-sided
   * p = erfc(z / sqrt 2) = 1.8267e-4. */
  CHECK_EQ_INT(su_stats_mann_whitney(a, 10, b, 10, &u, &p), SU_OK);
  CHECK_NEAR(u, 0, 0);
  CHECK_NEAR(p, 1.8267e-4, 0.0001e-4);
  CHECK_EQ_INT(su_stats_mann_whitney(b, 10, a, 10, &u, &p), SU_OK);
  CHECK_NEAR(u, 100, 0);
  CHECK_NEAR(p, 1.8267e-4, 0.0001e-4); /* symmetric */
  /* 5 vs 5, separated: variance 25*11/12, z = 12 / 4.78714 = 2.50671,
   * p = 0.012186. */
  CHECK_EQ_INT(su_stats_mann_whitney(a, 5, b, 5, &u, &p), SU_OK);
  CHECK_NEAR(p, 0.012186, 0.000001);
  /* Identical samples: p = 1. */
  CHECK_EQ_INT(su_stats_mann_whitney(a, 10, a, 10, &u, &p), SU_OK);
  CHECK_NEAR(u, 50, 0);
  CHECK_NEAR(p, 1, 1e-12);
  /* Interleaved: U = 45 (a[i] beats i of the c's); |45 - 50| - 0.5 = 4.5,
   * z = 4.5 / sqrt(175) = 0.34017, p = 0.73373. */
  CHECK_EQ_INT(su_stats_mann_whitney(a, 10, c, 10, &u, &p), SU_OK);
  CHECK_NEAR(u, 45, 0);
  CHECK_NEAR(p, 0.73373, 0.00001);
  /* Every value equal: no variance, p = 1. */
  CHECK_EQ_INT(su_stats_mann_whitney(b, 1, b, 1, &u, &p), SU_OK);
  CHECK_NEAR(u, 0.5, 0);
  CHECK_NEAR(p, 1, 0);
}

static void test_mann_whitney_ties(void)
{
  /* a = {1,2,2,3}, b = {2,3,3,4}.  Ranks: 1 -> 1; the three 2s -> 3; the
   * three 3s -> 6; 4 -> 8.  R_a = 1+3+3+6 = 13, U = 13 - 10 = 3; mean 8.
   * Ties: two groups of 3, sum(t^3 - t) = 48; variance
   * 16/12 * (9 - 48/56) = 10.857143; z = (5 - 0.5) / 3.295018 = 1.365698,
   * p = 0.172034 (without the tie correction: variance 12, p = 0.193931). */
  const double a[] = {1, 2, 2, 3}, b[] = {2, 3, 3, 4};
  double u, p;

  CHECK_EQ_INT(su_stats_mann_whitney(a, 4, b, 4, &u, &p), SU_OK);
  CHECK_NEAR(u, 3, 0);
  CHECK_NEAR(p, 0.172034, 0.000001);
}

static void test_mann_whitney_bad(void)
{
  const double a[] = {1, 2, 3}, bad[] = {1, NAN, 3};
  double u = 7, p = 7;

  CHECK_EQ_INT(su_stats_mann_whitney(a, 0, a, 3, &u, &p), SU_EINVAL);
  CHECK_EQ_INT(su_stats_mann_whitney(a, 3, a, 0, &u, &p), SU_EINVAL);
  CHECK_EQ_INT(su_stats_mann_whitney(a, 3, bad, 3, &u, &p), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "sample 1 of the second side") != NULL);
  CHECK_NEAR(u, 7, 0); /* untouched */
  CHECK_NEAR(p, 7, 0);
}

/* Reference values: closed forms, and Student's t tables. */
static void test_ibeta_welch(void)
{
  double t, p;

  /* I_x(1, 1) = x; I_x(a, 1) = x^a; I_0.5(a, a) = 0.5 */
  CHECK_NEAR(su_stats_ibeta(1, 1, 0.3), 0.3, 1e-12);
  CHECK_NEAR(su_stats_ibeta(3, 1, 0.7), 0.343, 1e-12);
  CHECK_NEAR(su_stats_ibeta(4.5, 4.5, 0.5), 0.5, 1e-12);
  CHECK_NEAR(su_stats_ibeta(2, 3, 0.5), 0.6875, 1e-12);   /* 11/16 */
  CHECK(isnan(su_stats_ibeta(0, 1, 0.5)));
  CHECK(isnan(su_stats_ibeta(1, 1, 1.5)));

  /* {1,2,3} against {4,5,6}: t = 3 / sqrt(2/3), df = 4; the closed form of
   * the t distribution with 4 degrees of freedom gives p = 0.021311641 */
  double a[] = {1, 2, 3}, b[] = {4, 5, 6};
  CHECK_EQ_INT(su_stats_welch(a, 3, b, 3, &t, &p), SU_OK);
  CHECK_NEAR(t, 3.674234614, 1e-8);
  CHECK_NEAR(p, 0.021311641, 1e-8);
  CHECK_EQ_INT(su_stats_welch(b, 3, a, 3, &t, &p), SU_OK);
  CHECK(t < 0);
  CHECK_NEAR(p, 0.021311641, 1e-8);
  /* the 97.5% quantile of t with 10 df is 2.228138852: p = 0.05.  Two sides
   * of 6 with equal variance s^2 give df = 10 and t = d / (s sqrt(1/3)). */
  double c[] = {-1, 1, -1, 1, -1, 1}, e[6];
  double sd = sqrt(6.0 / 5.0), d = 2.228138852 * sd * sqrt(1.0 / 3.0);
  for (int i = 0; i < 6; i++)
    e[i] = c[i] + d;
  CHECK_EQ_INT(su_stats_welch(c, 6, e, 6, &t, &p), SU_OK);
  CHECK_NEAR(p, 0.05, 1e-8);
  /* no spread */
  double f[] = {2, 2}, g[] = {3, 3};
  CHECK_EQ_INT(su_stats_welch(f, 2, g, 2, &t, &p), SU_OK);
  CHECK_NEAR(p, 0, 0);
  CHECK_EQ_INT(su_stats_welch(f, 2, f, 2, &t, &p), SU_OK);
  CHECK_NEAR(p, 1, 0);
  CHECK_EQ_INT(su_stats_welch(f, 1, g, 2, &t, &p), SU_EINVAL);
}

int main(void)
{
  SU_TEST_RUN(test_odd_even);
  SU_TEST_RUN(test_n10);
  SU_TEST_RUN(test_n20_n100);
  SU_TEST_RUN(test_ci_ranks);
  SU_TEST_RUN(test_ci_coverage);
  SU_TEST_RUN(test_ci_large);
  SU_TEST_RUN(test_ci_rel);
  SU_TEST_RUN(test_bad_input);
  SU_TEST_RUN(test_mann_whitney);
  SU_TEST_RUN(test_mann_whitney_ties);
  SU_TEST_RUN(test_mann_whitney_bad);
  SU_TEST_RUN(test_ibeta_welch);
  return SU_TEST_REPORT();
}
