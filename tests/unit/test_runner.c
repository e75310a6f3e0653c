/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_runner.c: pooling the rounds of a point (su_point_result_merge) and
 * the core-to-core latency probe of a thread team (c2c.c).
 */
#include <math.h>
#include <omp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_int.h"
#include "sizeup/error.h"
#include "sizeup/run.h"
#include "sizeup/stats.h"
#include "test.h"

/* A measured round as su_point_measure leaves it: n samples of the given
 * values, a headline row and a derived row scaled by 2 (an efficiency). */
static void make_round(su_point_result_t *r, const double *v, size_t n, double c2c)
{
  memset(r, 0, sizeof(*r));
  r->values = malloc(n * sizeof(double));
  r->time_ns = malloc(n * sizeof(uint64_t));
  r->device_ns = malloc(n * sizeof(uint64_t));
  r->inners = malloc(n * sizeof(uint64_t));
  r->round = malloc(n * sizeof(unsigned));
  r->c2c = malloc(n * sizeof(double));
  for (size_t i = 0; i < n; i++) {
    r->values[i] = v[i];
    r->time_ns[i] = 1000 + i;
    r->device_ns[i] = 0;
    r->inners[i] = 4;
    r->round[i] = 0;
    r->c2c[i] = c2c;
  }
  r->nsamples = n;
  r->rounds = 1;
  r->inner = 4;
  r->c2c_ns = c2c;
  r->nrows = 2;
  r->rows[0].metric = "bandwidth";
  r->rows[0].unit = "GB/s";
  r->rows[0].status = SU_STATUS_OK;
  CHECK_EQ_INT(su_stats_compute(v, n, &r->rows[0].stats), SU_OK);
  r->rows[1] = r->rows[0];
  r->rows[1].metric = "efficiency";
  r->rows[1].stats.median *= 2;
  r->rows[1].stats.min *= 2;
  r->rows[1].stats.max *= 2;
}

static void test_merge(void)
{
  double r0[] = {10, 11, 12, 10, 11, 12};
  double r1[] = {20, 21, 22, 20, 21, 22};
  double r2[] = {30, 31, 32, 30, 31, 32};
  su_point_result_t acc, r;

  memset(&acc, 0, sizeof(acc));
  make_round(&r, r0, 6, 50);
  CHECK_EQ_INT(su_point_result_merge(&acc, &r, 0, 0.05), SU_OK);
  CHECK_EQ_INT(acc.nsamples, 6);
  CHECK_EQ_INT(acc.rounds, 1);
  CHECK(r.values == NULL);                  /* moved, not copied */
  make_round(&r, r1, 6, 200);
  CHECK_EQ_INT(su_point_result_merge(&acc, &r, 1, 0.05), SU_OK);
  make_round(&r, r2, 6, 210);
  CHECK_EQ_INT(su_point_result_merge(&acc, &r, 2, 0.05), SU_OK);
  CHECK_EQ_INT(acc.nsamples, 18);
  CHECK_EQ_INT(acc.rounds, 3);
  CHECK_EQ_INT(acc.rows[0].stats.n, 18);
  CHECK_NEAR(acc.rows[0].stats.median, 21, 0);
  CHECK_NEAR(acc.rows[0].stats.min, 10, 0);
  CHECK_NEAR(acc.rows[0].stats.max, 32, 0);
  CHECK_EQ_INT(acc.rows[0].noisy, 1);        /* rounds 10..32 apart: cv ~ 40% */
  CHECK_NEAR(acc.rows[1].stats.median, 42, 1e-12);   /* the derived row follows */
  CHECK_NEAR(acc.rows[1].stats.max, 64, 1e-12);
  CHECK_NEAR(acc.c2c_ns, 200, 0);            /* median of 50, 200, 210 */
  CHECK_EQ_INT(acc.round[0], 0);
  CHECK_EQ_INT(acc.round[6], 1);
  CHECK_EQ_INT(acc.round[17], 2);
  CHECK_NEAR(acc.c2c[17], 210, 0);
  CHECK_EQ_INT(acc.inners[17], 4);

  /* a later round that fails verification fails the point */
  memset(&r, 0, sizeof(r));
  r.nrows = 1;
  r.rows[0].metric = "bandwidth";
  r.rows[0].status = SU_STATUS_FAILED_VERIFY;
  snprintf(r.rows[0].reason, sizeof(r.rows[0].reason), "max relative error 0.5");
  CHECK_EQ_INT(su_point_result_merge(&acc, &r, 3, 0.05), SU_OK);
  CHECK_EQ_INT(acc.rows[0].status, SU_STATUS_FAILED_VERIFY);
  CHECK_EQ_INT(acc.nrows, 1);
  CHECK_EQ_STR(acc.rows[0].reason, "round 4: max relative error 0.5");
  su_point_result_fini(&acc);
}

static void test_c2c(void)
{
  double ns;

  CHECK(isnan(su__team_c2c_ns(1)));
  if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
    printf("# one CPU: the two-thread probe is not checked\n");
    return;
  }
  /* bind the team as the runner does: unbound, both threads may start on
   * one CPU, where a spinning ping-pong advances once per time slice */
#pragma omp parallel num_threads(2)
  {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(omp_get_thread_num(), &set);
    (void)sched_setaffinity(0, sizeof(set), &set);
  }
  ns = su__team_c2c_ns(2);
  printf("# core-to-core latency of a 2-thread team: %.1f ns\n", ns);
  /* A cache-line transfer takes tens to hundreds of ns, but on a loaded
   * machine a partner may be descheduled: the probe's contract is a time
   * under its 20 ms timeout, or NaN (no timed assertion here). */
  CHECK(isnan(ns) || (ns > 1 && ns < 2e7));
#pragma omp parallel num_threads(2)
  {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int c = 0; c < CPU_SETSIZE; c++)
      CPU_SET(c, &set);
    (void)sched_setaffinity(0, sizeof(set), &set);
  }
}

int main(void)
{
  SU_TEST_RUN(test_merge);
  SU_TEST_RUN(test_c2c);
  return SU_TEST_REPORT();
}
