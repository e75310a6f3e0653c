/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_stats.c: summary statistics, the CI of the median, Mann-Whitney U.
 * Expected values are computed by hand (or from the binomial distribution).
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
  CHECK_NEAR(s.stddev, sqrt(2.5), 1e-15); /* sample stddev of 1..5 */
  CHECK_NEAR(s.cv, sqrt(2.5) / 3, 1e-15);
  CHECK_NEAR(s.ci95_lo, 1, 0); /* n < 6: min and max */
  CHECK_NEAR(s.ci95_hi, 5, 0);
  CHECK_EQ_INT(s.n, 5);
  CHECK_EQ_INT(su_stats_compute(even, 4, &s), SU_OK);
  CHECK_NEAR(s.median, 2.5, 0);
  CHECK_EQ_INT(su_stats_compute(odd, 1, &s), SU_OK);
  CHECK_NEAR(s.stddev, 0, 0);
  CHECK_NEAR(s.median, 5, 0);
}

static void test_ci_ranks(void)
{
  size_t lo, hi;

  /* Binomial(n, 1/2): n=10: P(B<=1) = 11/1024 = 0.0107 <= 0.025 < P(B<=2) = 0.0547,
   * so [x(2), x(9)], 0-based 1 and 8. */
  su_stats_median_ci_ranks(10, &lo, &hi);
  CHECK_EQ_INT(lo, 1);
  CHECK_EQ_INT(hi, 8);
  /* n=20: P(B<=5) = 0.0207, P(B<=6) = 0.0577: [x(6), x(15)]. */
  su_stats_median_ci_ranks(20, &lo, &hi);
  CHECK_EQ_INT(lo, 5);
  CHECK_EQ_INT(hi, 14);
  /* n=6: P(B<=0) = 1/64 = 0.0156: [x(1), x(6)]. */
  su_stats_median_ci_ranks(6, &lo, &hi);
  CHECK_EQ_INT(lo, 0);
  CHECK_EQ_INT(hi, 5);
  /* n=100: Le Boudec's table gives [x(40), x(61)]. */
  su_stats_median_ci_ranks(100, &lo, &hi);
  CHECK_EQ_INT(lo, 39);
  CHECK_EQ_INT(hi, 60);
  su_stats_median_ci_ranks(3, &lo, &hi);
  CHECK_EQ_INT(lo, 0);
  CHECK_EQ_INT(hi, 2);
}

static void test_ci_values(void)
{
  double x[20];
  su_stats_t s;

  for (int i = 0; i < 20; i++)
    x[i] = 20 - i; /* 20..1, unsorted order */
  CHECK_EQ_INT(su_stats_compute(x, 20, &s), SU_OK);
  CHECK_NEAR(s.ci95_lo, 6, 0);
  CHECK_NEAR(s.ci95_hi, 15, 0);
  CHECK_NEAR(s.median, 10.5, 0);
  CHECK_NEAR(su_stats_ci_rel(&s), 4.5 / 10.5, 1e-15);
  CHECK(x[0] == 20); /* input untouched */
}

static void test_bad_input(void)
{
  double x[3] = {1, NAN, 2};
  su_stats_t s;

  CHECK_EQ_INT(su_stats_compute(x, 3, &s), SU_EINVAL);
  CHECK_EQ_INT(su_stats_compute(x, 0, &s), SU_EINVAL);
  x[1] = INFINITY;
  CHECK_EQ_INT(su_stats_compute(x, 3, &s), SU_EINVAL);
}

static void test_mann_whitney(void)
{
  const double a[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const double b[] = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
  const double c[] = {1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5};
  double u, p;

  /* Completely separated samples of 10: U = 0; z = (50 - 0.5) / sqrt(175) = 3.742,
   * two-sided p = 1.83e-4. */
  CHECK_EQ_INT(su_stats_mann_whitney(a, 10, b, 10, &u, &p), SU_OK);
  CHECK_NEAR(u, 0, 0);
  CHECK_NEAR(p, 1.83e-4, 0.02e-4);
  CHECK_EQ_INT(su_stats_mann_whitney(b, 10, a, 10, &u, &p), SU_OK);
  CHECK_NEAR(u, 100, 0);
  /* Identical samples: p = 1. */
  CHECK_EQ_INT(su_stats_mann_whitney(a, 10, a, 10, &u, &p), SU_OK);
  CHECK_NEAR(u, 50, 0);
  CHECK_NEAR(p, 1, 1e-12);
  /* Interleaved: U = 45 (each a[i] beats i earlier c's), p large. */
  CHECK_EQ_INT(su_stats_mann_whitney(a, 10, c, 10, &u, &p), SU_OK);
  CHECK_NEAR(u, 45, 0);
  CHECK(p > 0.5);
  CHECK_EQ_INT(su_stats_mann_whitney(a, 0, c, 10, &u, &p), SU_EINVAL);
}

int main(void)
{
  SU_TEST_RUN(test_odd_even);
  SU_TEST_RUN(test_ci_ranks);
  SU_TEST_RUN(test_ci_values);
  SU_TEST_RUN(test_bad_input);
  SU_TEST_RUN(test_mann_whitney);
  return SU_TEST_REPORT();
}
