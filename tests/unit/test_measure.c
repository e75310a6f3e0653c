/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_measure.c: the parts of su_point_measure (runner.c) alone: the stop
 * rule on synthetic samples, the calibration of `inner` and the sampling
 * loop on a fake kernel whose repetitions advance a fake clock, so every
 * outcome is exact.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "sizeup/error.h"
#include "sizeup/run.h"
#include "test.h"

/* ---- a fake kernel on a fake clock ---------------------------------------- */

static uint64_t fake_now;

static uint64_t fake_clock(void)
{
  return fake_now;
}

typedef struct fake {
  const double *cost_ns;     /* per repetition, per sample (cycled) */
  size_t ncost;
  int fail_at;               /* run() fails on this call (1-based), 0: never */
  volatile sig_atomic_t *stop_at_call;  /* raised on call `stop_call` */
  size_t stop_call;
  size_t calls;
} fake_t;

static int fake_run(void *state, uint64_t inner, su_timing_t *t)
{
  fake_t *f = state;
  double c = f->cost_ns[f->calls % f->ncost];

  (void)t;
  f->calls++;
  if (f->stop_at_call && f->calls == f->stop_call)
    *f->stop_at_call = 1;
  if (f->fail_at && (int)f->calls == f->fail_at)
    return su_errorf(SU_EBACKEND, "fake: repetition %zu failed", f->calls);
  fake_now += (uint64_t)(c * (double)inner);
  return SU_OK;
}

static const su_kernel_desc_t fake_desc = {
  .name = "fake", .family = "fake", .metric = SU_METRIC_BANDWIDTH,
};
static const su_kernel_ops_t fake_ops = {.desc = &fake_desc, .run = fake_run};

static su__sampler_t sampler(fake_t *f, volatile sig_atomic_t *stop)
{
  su__sampler_t s = {&fake_ops, f, 0, NULL, stop, fake_clock};
  return s;
}

static su_measure_opts_t opts(void)
{
  su_measure_opts_t mo;
  su_measure_opts_default(&mo);
  mo.min_reps = 5;
  mo.max_reps = 50;
  mo.ci_target = 0.02;
  return mo;
}

/* ---- the stop rule ---------------------------------------------------------- */

static void test_stop_rule(void)
{
  su_measure_opts_t mo = opts();
  double same[50], noisy[50];

  for (int i = 0; i < 50; i++) {
    same[i] = 10.0;
    noisy[i] = i % 2 ? 5.0 : 15.0;    /* CI of the median never within 2% */
  }
  /* Fewer than min_reps: go on, whatever the values. */
  CHECK_EQ_INT(su__stop_rule(same, 4, 1e3, 1e6, &mo), SU__GO);
  /* min_reps identical samples: the CI is zero wide. */
  CHECK_EQ_INT(su__stop_rule(same, 5, 1e3, 1e6, &mo), SU__STOP_CI);
  /* Noisy, within budget: go on; out of budget: stop. */
  CHECK_EQ_INT(su__stop_rule(noisy, 10, 1e3, 1e6, &mo), SU__GO);
  CHECK_EQ_INT(su__stop_rule(noisy, 10, 1e6, 1e6, &mo), SU__STOP_BUDGET);
  /* max_reps wins over everything. */
  CHECK_EQ_INT(su__stop_rule(noisy, 50, 0, 1e6, &mo), SU__STOP_MAX_REPS);
  /* A very slow point: 3 samples after 20 budgets, even below min_reps. */
  CHECK_EQ_INT(su__stop_rule(noisy, 2, 21e6, 1e6, &mo), SU__GO);
  CHECK_EQ_INT(su__stop_rule(noisy, 3, 19e6, 1e6, &mo), SU__GO);
  CHECK_EQ_INT(su__stop_rule(noisy, 3, 20e6, 1e6, &mo), SU__STOP_SLOW);
  /* A looser target accepts the noisy samples' wide CI. */
  mo.ci_target = 1.0;
  CHECK_EQ_INT(su__stop_rule(noisy, 10, 1e3, 1e6, &mo), SU__STOP_CI);
}

/* ---- calibration -------------------------------------------------------------- */

static void test_calibrate(void)
{
  double cost = 1000;                 /* 1 us per repetition */
  fake_t f = {.cost_ns = &cost, .ncost = 1};
  su__sampler_t s = sampler(&f, NULL);
  uint64_t inner = 0, t0;
  char why[256];

  /* Target 100 us: 1 rep (1 us) -> x120 (aim 20% above) = 120 reps, 120 us;
   * then samples of 120 reps until 20 ms have passed on the clock. */
  fake_now = 0;
  t0 = fake_now;
  CHECK_EQ_INT(su__calibrate(&s, 1e5, 20000000, &inner, why, sizeof(why)), SU_OK);
  CHECK_EQ_INT(inner, 120);
  CHECK(fake_now - t0 >= 20000000);
  CHECK(fake_now - t0 < 20000000 + 2 * 120000);
  /* No warm-up asked: stops at the first sample long enough. */
  f.calls = 0;
  CHECK_EQ_INT(su__calibrate(&s, 1e5, 0, &inner, why, sizeof(why)), SU_OK);
  CHECK_EQ_INT(inner, 120);
  CHECK_EQ_INT(f.calls, 2);

  /* A repetition that takes no measurable time: inner grows x1024. */
  double zero = 0;
  fake_t z = {.cost_ns = &zero, .ncost = 1};
  su__sampler_t sz = sampler(&z, NULL);
  CHECK_EQ_INT(su__calibrate(&sz, 1e5, 0, &inner, why, sizeof(why)), SU_OK);
  CHECK_EQ_INT(inner, 1ull << 40);     /* gives up growing at 2^40 */

  /* A failure is returned with its message. */
  fake_t bad = {.cost_ns = &cost, .ncost = 1, .fail_at = 3};
  su__sampler_t sb = sampler(&bad, NULL);
  CHECK_EQ_INT(su__calibrate(&sb, 1e5, 20000000, &inner, why, sizeof(why)), SU_EBACKEND);
  CHECK(strstr(why, "repetition 3 failed") != NULL);

  /* The stop flag. */
  volatile sig_atomic_t stop = 0;
  fake_t st = {.cost_ns = &cost, .ncost = 1, .stop_at_call = &stop, .stop_call = 5};
  su__sampler_t ss = sampler(&st, &stop);
  CHECK_EQ_INT(su__calibrate(&ss, 1e5, 20000000, &inner, why, sizeof(why)), SU_EINTR);
  CHECK_EQ_INT(st.calls, 5);
}

/* ---- the sampling loop ---------------------------------------------------------- */

static void test_sample_loop(void)
{
  su_measure_opts_t mo = opts();
  su_point_result_t r;
  char why[256];
  double cost = 1000, noisy[2] = {500, 1500};

  /* Steady samples: min_reps, each valued bytes x inner / ns. */
  fake_t f = {.cost_ns = &cost, .ncost = 1};
  su__sampler_t s = sampler(&f, NULL);
  memset(&r, 0, sizeof(r));
  r.work.bytes = 2000;                 /* 2000 bytes per repetition of 1 us: 2 GB/s */
  CHECK_EQ_INT(su__sample_loop(&s, &fake_desc, 100, 1e9, &mo, &r, why, sizeof(why)), SU_OK);
  CHECK_EQ_INT(r.nsamples, 5);
  CHECK_NEAR(r.values[0], 2.0, 1e-12);
  CHECK_EQ_INT(r.time_ns[4], 100000);
  CHECK_EQ_INT(r.inners[4], 100);
  su_point_result_fini(&r);

  /* Noisy samples: until the budget (1 ms = 10 samples of 100 us). */
  fake_t n = {.cost_ns = noisy, .ncost = 2};
  su__sampler_t sn = sampler(&n, NULL);
  memset(&r, 0, sizeof(r));
  r.work.bytes = 1000;
  CHECK_EQ_INT(su__sample_loop(&sn, &fake_desc, 100, 1e6, &mo, &r, why, sizeof(why)), SU_OK);
  CHECK_EQ_INT(r.nsamples, 10);
  su_point_result_fini(&r);

  /* Noisy with a huge budget: max_reps; the arrays grow past 64. */
  mo.max_reps = 200;
  n.calls = 0;
  memset(&r, 0, sizeof(r));
  r.work.bytes = 1000;
  CHECK_EQ_INT(su__sample_loop(&sn, &fake_desc, 100, 1e12, &mo, &r, why, sizeof(why)), SU_OK);
  CHECK_EQ_INT(r.nsamples, 200);
  su_point_result_fini(&r);

  /* A failing repetition and the stop flag end the loop. */
  fake_t bad = {.cost_ns = &cost, .ncost = 1, .fail_at = 2};
  su__sampler_t sb = sampler(&bad, NULL);
  memset(&r, 0, sizeof(r));
  CHECK_EQ_INT(su__sample_loop(&sb, &fake_desc, 1, 1e9, &mo, &r, why, sizeof(why)), SU_EBACKEND);
  CHECK_EQ_INT(r.nsamples, 1);
  su_point_result_fini(&r);
  volatile sig_atomic_t stop = 0;
  fake_t st = {.cost_ns = noisy, .ncost = 2, .stop_at_call = &stop, .stop_call = 7};
  su__sampler_t ss = sampler(&st, &stop);
  memset(&r, 0, sizeof(r));
  r.work.bytes = 1000;
  CHECK_EQ_INT(su__sample_loop(&ss, &fake_desc, 1, 1e12, &mo, &r, why, sizeof(why)), SU_EINTR);
  CHECK_EQ_INT(r.nsamples, 6);
  su_point_result_fini(&r);
}

int main(void)
{
  SU_TEST_RUN(test_stop_rule);
  SU_TEST_RUN(test_calibrate);
  SU_TEST_RUN(test_sample_loop);
  return SU_TEST_REPORT();
}
