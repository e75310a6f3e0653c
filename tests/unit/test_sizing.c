/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_sizing.c: the sizing engine against hand-computed expectations.
 *
 * Fixtures (tests/data/sizing/, made by make-fixtures.py): two measured
 * candidates labelled as instance types with different prices (alpha
 * USD 2.40/h, beta USD 0.90/h), one datasheet-only candidate (gamma, bought:
 * 175200 over 5 years at 500 W and 0.20/kWh) and one measured candidate
 * lacking a kernel (delta).  Rates used (best eligible rows):
 *
 *            triad GB/s (CI)   gemm GFLOP/s (CI)   latency ns (CI)   fma_peak
 *   alpha    100 (95-105)      1000 (980-1020)     100 (98-102)      1500
 *   beta      40 (39-41)        500 (490-510)      125 (123-127)      700
 *   gamma    250 (datasheet)   2000 (datasheet)     90 (datasheet)   2000
 *   delta     35                450                 -                 600
 *
 * Workload mix (reference beta, 1000 s): triad 0.6, gemm 0.3, latency 0.1, so
 * the work of a job is 0.6*1000*40 = 24000 GB, 0.3*1000*500 = 150000 GFLOP
 * and 0.1*1000 s / 125 ns = 8e8 dependent loads.  One-node times:
 *   alpha 24000/100 + 150000/1000 + 8e8*100e-9 = 240 + 150 + 80 = 470 s
 *   beta  600 + 300 + 100 = 1000 s
 *   gamma 24000/250 + 150000/2000 + 8e8*90e-9 = 96 + 75 + 72 = 243 s
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sizeup/error.h"
#include "sizeup/sizing.h"
#include "test.h"

#define DATA SU_TEST_DATA_DIR "/sizing/"

static const su_sizing_result_t *find(const su_sizing_t *s, const char *name)
{
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->res[i].cand->name, name) == 0)
      return &s->res[i];
  return NULL;
}

static int said(const su_sizing_t *s, const char *text)
{
  for (size_t i = 0; i < s->nsentences; i++)
    if (strstr(s->sentence[i], text))
      return 1;
  return 0;
}

/* One evaluation of the fixture catalog with a workload: the inputs, the
 * result and its candidates alpha, beta, gamma and delta. */
typedef struct eval {
  su_sizing_catalog_t cat;
  su_sizing_workload_t w;
  su_sizing_t s;
  const su_sizing_result_t *a, *b, *g, *d;
} eval_t;

/* Returns 1 when everything loaded and the four candidates are there. */
static int eval_load(eval_t *e, const char *workload)
{
  char path[512];

  memset(e, 0, sizeof(*e));
  snprintf(path, sizeof(path), DATA "%s", workload);
  CHECK_EQ_INT(su_sizing_catalog_load(DATA "catalog.csv", &e->cat), SU_OK);
  CHECK_EQ_INT(su_sizing_workload_load(path, &e->w), SU_OK);
  CHECK_EQ_INT(su_sizing_evaluate(&e->cat, &e->w, &e->s), SU_OK);
  e->a = find(&e->s, "alpha");
  e->b = find(&e->s, "beta");
  e->g = find(&e->s, "gamma");
  e->d = find(&e->s, "delta");
  CHECK(e->a && e->b && e->g && e->d);
  return e->a && e->b && e->g && e->d;
}

static void eval_fini(eval_t *e)
{
  su_sizing_fini(&e->s);
  su_sizing_catalog_fini(&e->cat);
}

/* Loads the fixture catalog with a workload and runs `check` on the result. */
static void with_eval(const char *workload, void (*check)(const eval_t *e))
{
  eval_t e;

  if (eval_load(&e, workload))
    check(&e);
  eval_fini(&e);
}

static void test_catalog(void)
{
  su_sizing_catalog_t cat;

  CHECK_EQ_INT(su_sizing_catalog_load(DATA "catalog.csv", &cat), SU_OK);
  CHECK_EQ_INT(cat.n, 4);
  CHECK_EQ_STR(cat.currency, "USD");
  CHECK_NEAR(cat.c[0].cost_per_hour, 2.40, 1e-12);
  /* gamma: 175200 / (5 * 8760) + 500 / 1000 * 0.20 = 4.0 + 0.1 = 4.1 per hour */
  CHECK_NEAR(cat.c[2].cost_per_hour, 4.1, 1e-12);
  CHECK_EQ_STR(cat.c[2].results_dir, "");
  CHECK(strstr(cat.c[0].results_dir, "sizing/alpha") != NULL);   /* relative to the catalog */
  CHECK_EQ_INT(cat.c[3].line, 5);
  su_sizing_catalog_fini(&cat);
}

static void check_throughput(const eval_t *e)
{
  CHECK_NEAR(e->a->time1_s, 470, 1e-9);
  CHECK_NEAR(e->b->time1_s, 1000, 1e-9);
  CHECK_NEAR(e->g->time1_s, 243, 1e-9);
  /* 36 jobs/h: jobs at once = 36 * T / 3600 = T / 100, rounded up:
   * alpha 4.7 -> 5 nodes, beta 10 -> 10, gamma 2.43 -> 3. */
  CHECK_EQ_INT(e->a->nodes, 5);
  CHECK_EQ_INT(e->b->nodes, 10);
  CHECK_EQ_INT(e->g->nodes, 3);
  /* System cost per hour (the ranking key): beta 10*0.9 = 9.0,
   * alpha 5*2.4 = 12.0, gamma 3*4.1 = 12.3; delta has no latency: last. */
  CHECK_NEAR(e->b->cost_per_hour_system, 9.0, 1e-9);
  CHECK_NEAR(e->a->cost_per_hour_system, 12.0, 1e-9);
  CHECK_NEAR(e->g->cost_per_hour_system, 12.3, 1e-9);
  CHECK_EQ_INT(e->b->rank, 1);
  CHECK_EQ_INT(e->a->rank, 2);
  CHECK_EQ_INT(e->g->rank, 3);
  CHECK_EQ_INT(e->d->rank, 4);
  CHECK_EQ_STR(e->d->status, "no_data");
  CHECK(strstr(e->d->reason, "latency_chase") != NULL);
  CHECK_EQ_INT(e->g->estimate, 1);
  CHECK_EQ_INT(e->a->estimate, 0);
  /* Cost per job = price * T / 3600: beta 0.9*1000/3600 = 0.25,
   * alpha 2.4*470/3600 = 0.313333, gamma 4.1*243/3600 = 0.27675.
   * Energy: alpha 400 W * 470 s = 0.0522222 kWh. */
  CHECK_NEAR(e->b->cost_per_job, 0.25, 1e-12);
  CHECK_NEAR(e->a->cost_per_job, 0.3133333333, 1e-9);
  CHECK_NEAR(e->g->cost_per_job, 0.27675, 1e-12);
  CHECK_NEAR(e->a->energy_per_job_kwh, 0.0522222222, 1e-9);
  CHECK_NEAR(e->a->jobs_per_dollar, 1 / 0.3133333333, 1e-6);
  /* Pareto on (time, cost per job): gamma (243 s, 0.27675) is faster and
   * cheaper than alpha (470 s, 0.31333), so alpha is off the front; beta is
   * the cheapest and gamma the fastest. */
  CHECK_EQ_INT(e->b->pareto, 1);
  CHECK_EQ_INT(e->g->pareto, 1);
  CHECK_EQ_INT(e->a->pareto, 0);
  CHECK_EQ_INT(e->d->pareto, 0);
  /* CI ranges: alpha fast end 24000/105 + 150000/1020 + 8e8*98e-9
   * = 228.5714 + 147.0588 + 78.4 = 454.0302 s; slow end 24000/95 +
   * 150000/980 + 8e8*102e-9 = 252.6316 + 153.0612 + 81.6 = 487.2928 s. */
  CHECK_NEAR(e->a->time_lo_s, 454.0302521, 1e-6);
  CHECK_NEAR(e->a->time_hi_s, 487.2928033, 1e-6);
  CHECK_NEAR(e->a->cost_per_job_lo, 2.4 * 454.0302521 / 3600, 1e-9);
  CHECK_NEAR(e->g->time_lo_s, 243, 1e-9);   /* datasheet: no range to carry */
  /* Score (reference beta): alpha (100/40 * 1000/500 * 125/100)^(1/3)
   * = 6.25^(1/3) = 1.8420158, x 5 nodes = 9.2100788; gamma
   * (250/40 * 2000/500 * 125/90)^(1/3) = 34.722222^(1/3) = 3.2623897. */
  CHECK_NEAR(e->a->score_node, 1.8420157493, 1e-8);
  CHECK_NEAR(e->a->score_system, 9.2100787466, 1e-7);
  CHECK_NEAR(e->b->score_node, 1, 1e-12);
  CHECK_NEAR(e->g->score_node, 3.2623896946, 1e-8);
  CHECK_NEAR(e->a->speedup_vs_reference, 1000.0 / 470, 1e-9);
  /* What would change the ranking: alpha wins below 9.0 / 5 = 1.80 per
   * hour; gamma below 9.0 / 3 = 3.0 per hour, i.e. a purchase price of
   * (3.0 - 0.1) * 5 * 8760 = 127020. */
  CHECK(said(&e->s, "beta is the first choice"));
  CHECK(said(&e->s, "alpha would win if its price fell below USD 1.8 per hour"));
  CHECK(said(&e->s, "purchase price below USD 127020"));
  CHECK(said(&e->s, "gamma is an ESTIMATE"));
  /* beta's cost range 0.2445-0.2558 and alpha's 0.3027-0.3249 do not overlap. */
  CHECK(said(&e->s, "holds across"));
}

static void test_throughput(void)
{
  with_eval("throughput.ini", check_throughput);
}

static void check_deadline(const eval_t *e)
{
  /* alpha's gemm has a node series following Amdahl p = 0.95, so on N nodes
   * the gemm phase takes 150 (0.05 N + 0.95) / N = 7.5 + 142.5 / N s and the
   * others (ideal) 320 / N: T(N) = 7.5 + 462.5 / N.  T(4) = 123.1 > 110,
   * T(5) = 100 <= 110: 5 nodes, efficiency 470 / (5 * 100) = 0.94. */
  CHECK_EQ_INT(e->a->rate[1].have_fit, 1);
  CHECK_NEAR(e->a->rate[1].fit.param[1], 0.95, 1e-6);
  CHECK_EQ_INT(e->a->nodes, 5);
  CHECK_NEAR(e->a->time_s, 100, 1e-6);
  CHECK_NEAR(e->a->efficiency, 0.94, 1e-6);
  CHECK_EQ_INT(e->a->efficiency_fitted, 1);
  /* beta (ideal): 1000 / N <= 110 -> N = 10 (9 gives 111.1 s). gamma:
   * 243 / N -> N = 3, 81 s. */
  CHECK_EQ_INT(e->b->nodes, 10);
  CHECK_NEAR(e->b->time_s, 100, 1e-9);
  CHECK_EQ_INT(e->g->nodes, 3);
  CHECK_NEAR(e->g->time_s, 81, 1e-9);
  /* Cost per job: beta 10*0.9*100/3600 = 0.25, gamma 3*4.1*81/3600 =
   * 0.27675, alpha 5*2.4*100/3600 = 0.333333: ranked in that order; alpha
   * is dominated (beta is as fast and cheaper). */
  CHECK_NEAR(e->a->cost_per_job, 0.3333333333, 1e-8);
  CHECK_EQ_INT(e->b->rank, 1);
  CHECK_EQ_INT(e->g->rank, 2);
  CHECK_EQ_INT(e->a->rank, 3);
  CHECK_EQ_INT(e->a->pareto, 0);
  CHECK_EQ_INT(e->b->pareto, 1);
  CHECK_EQ_INT(e->g->pareto, 1);
  CHECK(said(&e->s, "beta runs a job on 10 nodes and no multi-node measurement"));
  CHECK(said(&e->s, "alpha runs a job on 5 nodes: its efficiency (94%)"));
}

static void test_deadline(void)
{
  with_eval("deadline.ini", check_deadline);
}

static void check_serial(const eval_t *e)
{
  /* The serial part runs gemm on one core; no fixture has a one-thread row,
   * so each node's gemm over its cores: beta 500/8 = 62.5, alpha 1000/16 =
   * 62.5, gamma 2000/64 = 31.25, delta 450/8 = 56.25 GFLOP/s.  Its work:
   * 0.2 x 1000 s x 62.5 = 12500 GFLOP, the same time on any node count.
   *   beta  12500/62.5 + (0.5*1000*40/40 + 0.3*1000*500/500) / N = 200 + 800/N:
   *         N = 8, 300 s
   *   alpha 200 + 20000/100/N + (7.5 + 142.5/N) (gemm's Amdahl fit, p = 0.95)
   *         = 207.5 + 342.5/N: N = 4 (3.70 rounded up), 293.125 s
   *   delta 12500/56.25 + (20000/35 + 150000/450)/N = 222.22 + 904.76/N:
   *         N = 12, 297.62 s
   *   gamma 12500/31.25 = 400 s of serial part alone: unreachable. */
  const su_sizing_rate_t *q = &e->b->rate[2];

  CHECK_EQ_INT((int)e->b->nrates, 3);
  CHECK_EQ_INT(q->one_core, 2);
  CHECK(strcmp(q->kernel, "gemm") == 0);
  CHECK_NEAR(q->median, 62.5, 1e-9);
  CHECK_NEAR(e->b->work[2], 12500, 1e-6);
  CHECK_EQ_INT(e->b->nodes, 8);
  CHECK_NEAR(e->b->time_s, 300, 1e-6);
  CHECK_EQ_INT(e->a->nodes, 4);
  CHECK_NEAR(e->a->time_s, 293.125, 1e-6);
  CHECK_EQ_INT(e->d->nodes, 12);
  CHECK_NEAR(e->d->time_s, 12500 / 56.25 + (20000 / 35. + 150000 / 450.) / 12, 1e-6);
  CHECK(strcmp(e->g->status, "unreachable") == 0);
  CHECK(strstr(e->g->reason, "the shortest time is 4") != NULL);
}

static void test_serial(void)
{
  char figs[512];
  eval_t e;

  with_eval("serial.ini", check_serial);
  if (eval_load(&e, "serial.ini")) {
    CHECK_EQ_INT(su_sizing_figures(e.b, figs, sizeof(figs)), SU_OK);
    CHECK(strstr(figs, "serial part: gemm on one core: node figure / cores") != NULL);
    CHECK_EQ_INT(su_sizing_figures(e.g, figs, sizeof(figs)), SU_OK);
    CHECK(strstr(figs, "serial part: gemm on one core: datasheet / cores") != NULL);
  }
  eval_fini(&e);
}

static void check_roofline_budget(const eval_t *e)
{
  /* 1000 GFLOP and 1000 GB per job, 100 GiB: nodes per job alpha
   * ceil(100/64) = 2, beta ceil(100/32) = 4, gamma 1, delta 4.  Time =
   * max(GFLOP / (n peak), GB / (n bw)): alpha max(0.33, 1000/200) = 5 s,
   * beta 1000/160 = 6.25 s, gamma max(0.5, 4) = 4 s, delta 1000/140 =
   * 7.142857 s (all memory bound). */
  CHECK_EQ_INT(e->a->nodes_per_job, 2);
  CHECK_EQ_INT(e->b->nodes_per_job, 4);
  CHECK_EQ_INT(e->g->nodes_per_job, 1);
  CHECK_NEAR(e->a->time_s, 5, 1e-9);
  CHECK_NEAR(e->b->time_s, 6.25, 1e-9);
  CHECK_NEAR(e->g->time_s, 4, 1e-9);
  CHECK_NEAR(e->d->time_s, 1000.0 / 140, 1e-9);
  /* Budget 10/h: affordable nodes floor(10/price), whole jobs only:
   * alpha floor(4.17) = 4 -> 2 jobs -> 2*3600/5 = 1440 jobs/h;
   * beta 11 -> 2 jobs -> 1152; gamma 2 -> 2 jobs -> 1800;
   * delta 20 -> 5 jobs -> 5*3600/7.142857 = 2520.  Ranked by jobs/h. */
  CHECK_NEAR(e->d->jobs_per_hour, 2520, 1e-6);
  CHECK_NEAR(e->g->jobs_per_hour, 1800, 1e-6);
  CHECK_NEAR(e->a->jobs_per_hour, 1440, 1e-6);
  CHECK_NEAR(e->b->jobs_per_hour, 1152, 1e-6);
  CHECK_EQ_INT(e->d->nodes, 20);
  CHECK_EQ_INT(e->d->rank, 1);
  CHECK_EQ_INT(e->g->rank, 2);
  CHECK_EQ_INT(e->a->rank, 3);
  CHECK_EQ_INT(e->b->rank, 4);
  /* Roofline score: ceilings fma_peak and triad against beta's:
   * alpha sqrt(1500/700 * 100/40) = sqrt(5.357143) = 2.3145502. */
  CHECK_NEAR(e->a->score_node, 2.3145502494, 1e-8);
}

static void test_roofline_budget(void)
{
  with_eval("roofline.ini", check_roofline_budget);
}

/* Writes text to DIR/name and returns the path (static buffer per call site). */
static const char *put(const char *dir, const char *name, const char *text, char *buf,
                       size_t len)
{
  FILE *fp;

  snprintf(buf, len, "%s/%s", dir, name);
  fp = fopen(buf, "w");
  if (fp) {
    fputs(text, fp);
    fclose(fp);
  }
  return buf;
}

#define HEAD "name,kind,cores,packages,gpus,memory_gib,price_per_hour,power_watts," \
             "peak_gflops_fp64,mem_bw_gbs,price_date\n"

static void expect_catalog_error(const char *dir, const char *text, const char *want)
{
  su_sizing_catalog_t cat;
  char path[512];
  int rc = su_sizing_catalog_load(put(dir, "catalog.csv", text, path, sizeof(path)), &cat);

  CHECK_EQ_INT(rc, SU_EINVAL);
  if (!strstr(su_errmsg(), want))
    SU_TEST_FAIL_("error '%s' lacks '%s'", su_errmsg(), want);
  else
    su_test_passed++;
  CHECK(cat.n == 0 && cat.c == NULL);   /* nothing half-read survives */
}

static void expect_workload_error(const char *dir, const char *text, const char *want)
{
  su_sizing_workload_t w;
  char path[512];
  int rc = su_sizing_workload_load(put(dir, "w.ini", text, path, sizeof(path)), &w);

  CHECK_EQ_INT(rc, SU_EINVAL);
  if (!strstr(su_errmsg(), want))
    SU_TEST_FAIL_("error '%s' lacks '%s'", su_errmsg(), want);
  else
    su_test_passed++;
  CHECK_EQ_INT(w.nmix, 0);
}

static void test_errors(void)
{
  char tmpl[] = "/tmp/sizeup-test-sizing-XXXXXX";
  char *dir = mkdtemp(tmpl);
  char path[512];

  if (!dir) {
    CHECK(0);
    return;
  }
  expect_catalog_error(dir, HEAD "a,cloud,8,1,0,32,1.0,200,100,50,2026-12\n"
                            "b,cloud,8,1,0,32,abc,200,100,50,2026-12\n",
                       "catalog.csv:3: field 'price_per_hour': invalid number 'abc'");
  expect_catalog_error(dir, HEAD "a,vm,8,1,0,32,1.0,200,100,50,2026-12\n",
                       "catalog.csv:2: field 'kind': invalid kind 'vm'");
  expect_catalog_error(dir, HEAD "a,cloud,8,1,0,32,1.0,200,,50,2026-12\n",
                       "catalog.csv:2: field 'peak_gflops_fp64': missing value");
  expect_catalog_error(dir, HEAD "a,cloud,8,1,0,32,1.0,200,100,50,\n",
                       "catalog.csv:2: field 'price_date': missing value");
  expect_catalog_error(dir, HEAD "a,cloud,8,1,0,32,1.0,200,100,50,2026-12\n"
                            "a,cloud,8,1,0,32,1.0,200,100,50,2026-12\n",
                       "catalog.csv:3: field 'name': duplicate name 'a'");
  expect_catalog_error(dir, HEAD "a,cloud,8,1,0,-32,1.0,200,100,50,2026-12\n",
                       "catalog.csv:2: field 'memory_gib': must be positive");
  expect_catalog_error(dir, "name,kind,cores,prize\n", "catalog.csv:1: unknown column 'prize'");
  expect_catalog_error(dir, HEAD "a,cloud,8,1,0,32,1.0,200,100,\"50,2026-12\n",
                       "catalog.csv");
  expect_catalog_error(dir, HEAD, "no candidates");

  expect_workload_error(dir, "[workload]\nname = x\nreference_time_s = 10\n[mix]\n"
                             "stream_triad = 0.6\ngemm = 0.3\n[target]\n"
                             "throughput_jobs_per_hour = 1\n",
                        "w.ini:6: field 'gemm': the [mix] fractions add up to 0.9, not 1");
  /* [mix] serial: a fraction below 1, once, beside kernels, in the sum. */
  expect_workload_error(dir, "[workload]\nname = x\nreference_time_s = 10\n[mix]\n"
                             "serial = 0.2\nstream_triad = 0.6\ngemm = 0.3\n[target]\n"
                             "throughput_jobs_per_hour = 1\n",
                        "w.ini:7: field 'gemm': the [mix] fractions add up to 1.1, not 1");
  expect_workload_error(dir, "[workload]\nname = x\n[mix]\nserial = 1\n",
                        "w.ini:4: field 'serial': the serial part is a fraction below 1, not '1'");
  expect_workload_error(dir, "[workload]\nname = x\n[mix]\nserial = 0.1\nserial = 0.2\n",
                        "w.ini:5: key 'serial' given twice in [mix]");
  expect_workload_error(dir, "[workload]\nname = x\nflops = 1\nbytes = 1\n[mix]\n"
                             "serial = 0.5\n[target]\nthroughput_jobs_per_hour = 1\n",
                        "w.ini:6: field 'serial': a [mix] needs kernels besides its serial part");
  /* app = NAME: a name of at most 31 characters; alone (its measured times
   * or a range of mixes) it needs no [mix]; reference_time_s still only with
   * a [mix] or alone, never with flops and bytes. */
  expect_workload_error(dir, "[workload]\nname = x\napp = \n",
                        "w.ini:3: field 'app': empty or longer than 31 characters");
  expect_workload_error(dir, "[workload]\nname = x\napp = a234567890123456789012345678901x\n",
                        "w.ini:3: field 'app': empty or longer than 31 characters");
  expect_workload_error(dir, "[workload]\nname = x\napp = cfd\nflops = 1\nbytes = 1\n"
                             "reference_time_s = 5\n[target]\nthroughput_jobs_per_hour = 1\n",
                        "field 'reference_time_s': only meaningful with a [mix]");
  {
    su_sizing_workload_t w;
    snprintf(path, sizeof(path), "%s/app.ini", dir);
    FILE *fp = fopen(path, "w");
    CHECK(fp != NULL);
    if (fp) {
      fputs("[workload]\nname = x\napp = cfd\nreference_time_s = 5\nfom_per_job = 1e6\n"
            "[target]\nthroughput_jobs_per_hour = 1\n", fp);
      fclose(fp);
    }
    CHECK_EQ_INT(su_sizing_workload_load(path, &w), SU_OK);
    CHECK(strcmp(w.app, "cfd") == 0);
    CHECK_EQ_INT((int)w.nmix, 0);
    CHECK(w.fom_per_job == 1e6);
    unlink(path);
  }
  /* fom_per_job: a number above 0, and only with app. */
  expect_workload_error(dir, "[workload]\nname = x\napp = md\nfom_per_job = 0\n",
                        "w.ini:4: field 'fom_per_job': must be greater than 0, not '0'");
  expect_workload_error(dir, "[workload]\nname = x\napp = md\nfom_per_job = many\n",
                        "w.ini:4: field 'fom_per_job': invalid number 'many'");
  expect_workload_error(dir, "[workload]\nname = x\nflops = 1\nbytes = 1\nfom_per_job = 5\n"
                             "[target]\nthroughput_jobs_per_hour = 1\n",
                        "field 'fom_per_job': only meaningful with app");
  expect_workload_error(dir, "[workload]\nname = x\nreference_time_s = ten\n",
                        "w.ini:3: field 'reference_time_s': invalid number 'ten'");
  expect_workload_error(dir, "[workload]\nname = x\n[mix]\nstream_triadd = 1\n",
                        "w.ini:4: field 'stream_triadd': unknown kernel");
  expect_workload_error(dir, "[workload]\nname = x\nflops = 1\nbytes = 1\n[target]\n"
                             "throughput_jobs_per_hour = 1\ntime_to_solution_s = 5\n",
                        "w.ini:7: field 'time_to_solution_s': a second target");
  expect_workload_error(dir, "[workload]\nname = x\nflops = 1\nbytes = 1\n",
                        "w.ini: no target");
  expect_workload_error(dir, "[workload]\nname = x\nflops = 1\n[target]\nbudget_per_job = 1\n",
                        "field 'bytes': missing");

  /* A catalog whose results directory does not load: an error naming the
   * candidate, not a ranking without it. */
  {
    su_sizing_catalog_t cat;
    su_sizing_workload_t w;
    su_sizing_t s;
    put(dir, "c2.csv", HEAD "a,cloud,8,1,0,32,1.0,200,100,50,2026-12\n", path, sizeof(path));
    put(dir, "c3.csv", "name,kind,cores,packages,gpus,memory_gib,price_per_hour,power_watts,"
                       "results,price_date\nm,cloud,8,1,0,32,1.0,200,missing-dir,2026-12\n",
        path, sizeof(path));
    CHECK_EQ_INT(su_sizing_catalog_load(path, &cat), SU_OK);
    CHECK_EQ_INT(su_sizing_workload_load(DATA "roofline.ini", &w), SU_OK);
    w.reference[0] = '\0';
    CHECK(su_sizing_evaluate(&cat, &w, &s) != SU_OK);
    CHECK(strstr(su_errmsg(), "candidate 'm' (catalog line 2)") != NULL);
    CHECK(s.res == NULL);
    su_sizing_catalog_fini(&cat);
  }
  snprintf(path, sizeof(path), "rm -rf '%s'", dir);
  if (system(path) != 0)
    fprintf(stderr, "cannot remove %s\n", dir);
}

/*
 * Jobs of 4 cores side by side, licences, a target per day and per month,
 * and the catalog checked against the results (catalog-cores.csv,
 * cores.ini; eta and theta measured alike at 16 and 4 threads: triad 100
 * and 40 GB/s, gemm 1000 and 300 GFLOP/s).
 *
 * eta: 16 cores / 4 = 4 jobs per node (8 GiB each of 64: memory allows 8).
 * A job's rate is what 4 threads measured, at most a quarter of the node:
 * triad min(40, 100/4) = 25 GB/s, gemm min(300, 1000/4) = 250 GFLOP/s.
 * Work (reference eta, 1000 s): 0.5*1000*25 = 12500 GB and 0.5*1000*250 =
 * 125000 GFLOP, so a job takes 12500/25 + 125000/250 = 1000 s there.
 * 480 jobs a day = 20 an hour: ceil(20 * 1000 / 3600) = 6 jobs at once, 4 to
 * a node: 2 nodes.  A node costs 2.00 + 0.50 (node licence) + 0.10 x 16
 * cores in use = 4.10 per hour: 8.20 for the system, 5986 a month (x 730),
 * 71832 a year (x 8760), of which licences 2 x 2.10 = 4.20 per hour.  Jobs
 * per hour 6 x 3600 / 1000 = 21.6: 518.4 a day, 15768 a month.  A job
 * occupies a quarter of a node: 4.10 / 4 x 1000 / 3600 = 0.28472 per job,
 * 400 W / 4 x 1000 s = 0.027778 kWh.
 *
 * theta (the catalog says 32 cores, 128 GiB, 3.00 per hour, no licences):
 * 8 jobs per node; triad min(40, 100/8) = 12.5, gemm min(300, 1000/8) = 125:
 * 12500/12.5 + 125000/125 = 2000 s per job; ceil(20 * 2000 / 3600) = 12 at
 * once, 8 to a node: 2 nodes, 6.00 per hour: the first choice.
 */
static void check_cores(const su_sizing_t *s)
{
  const su_sizing_result_t *e = find(s, "eta"), *t = find(s, "theta");

  CHECK(e && t);
  if (!e || !t)
    return;
  CHECK_EQ_INT(e->jobs_per_node, 4);
  CHECK_EQ_INT(e->cores_per_job, 4);
  CHECK_NEAR(e->rate[0].median, 25, 1e-9);
  CHECK_NEAR(e->rate[1].median, 250, 1e-9);
  CHECK_NEAR(e->time_s, 1000, 1e-9);
  CHECK_EQ_INT(e->nodes, 2);
  CHECK_NEAR(e->node_cost_per_hour, 4.10, 1e-12);
  CHECK_NEAR(e->cost_per_hour_system, 8.20, 1e-12);
  CHECK_NEAR(e->licence_per_hour_system, 4.20, 1e-12);
  CHECK_NEAR(e->cost_per_month_system, 5986, 1e-9);
  CHECK_NEAR(e->cost_per_year_system, 71832, 1e-9);
  CHECK_NEAR(e->jobs_per_hour, 21.6, 1e-9);
  CHECK_NEAR(e->jobs_per_day, 518.4, 1e-9);
  CHECK_NEAR(e->jobs_per_month, 15768, 1e-9);
  CHECK_NEAR(e->jobs_per_hour_node, 14.4, 1e-9);
  CHECK_NEAR(e->cost_per_job, 4.10 / 4 * 1000 / 3600, 1e-12);
  CHECK_NEAR(e->energy_per_job_kwh, 400.0 / 4 * 1000 / 3.6e6, 1e-12);
  CHECK_EQ_STR(e->warning, "");
  CHECK_EQ_INT(t->jobs_per_node, 8);
  CHECK_NEAR(t->time_s, 2000, 1e-9);
  CHECK_EQ_INT(t->nodes, 2);
  CHECK_NEAR(t->cost_per_hour_system, 6.00, 1e-12);
  CHECK_EQ_INT(t->rank, 1);
  /* the warning names both figures */
  CHECK(strstr(t->warning, "catalog says 32 cores, 128 GiB of memory per node") != NULL);
  CHECK(strstr(t->warning, "measured on 2 cores, 4 GiB") != NULL);
  CHECK(strstr(t->warning, "candidate 'theta' (catalog line 3)") != NULL);
  CHECK(said(s, "480 jobs per day"));
}

static void test_cores(void)
{
  su_sizing_catalog_t cat;
  su_sizing_workload_t w;
  su_sizing_t s;
  char dir[] = "/tmp/su_sizing_cores_XXXXXX", path[512], words[96];

  CHECK_EQ_INT(su_sizing_catalog_load(DATA "catalog-cores.csv", &cat), SU_OK);
  CHECK_EQ_INT(su_sizing_workload_load(DATA "cores.ini", &w), SU_OK);
  CHECK_NEAR(w.target_value, 20, 1e-12);
  CHECK_EQ_STR(su_sizing_target_words(&w, words, sizeof(words)), "480 jobs per day");
  CHECK_EQ_INT(su_sizing_evaluate(&cat, &w, &s), SU_OK);
  check_cores(&s);
  su_sizing_fini(&s);
  /* the same target per month: 14600 / 730 = 20 per hour, the same answer */
  CHECK(mkdtemp(dir) != NULL);
  put(dir, "m.ini", "[workload]\nname = m\nreference = eta\nreference_time_s = 1000\n"
                    "memory_gib = 8\ncores_per_job = 4\n[mix]\nstream_triad = 0.5\n"
                    "gemm = 0.5\n[target]\nthroughput_jobs_per_month = 14600\n",
      path, sizeof(path));
  CHECK_EQ_INT(su_sizing_workload_load(path, &w), SU_OK);
  CHECK_NEAR(w.target_value, 20, 1e-12);
  CHECK_EQ_STR(su_sizing_target_words(&w, words, sizeof(words)), "14600 jobs per month");
  CHECK_EQ_INT(su_sizing_evaluate(&cat, &w, &s), SU_OK);
  CHECK_EQ_INT(find(&s, "eta") ? find(&s, "eta")->nodes : 0, 2);
  su_sizing_fini(&s);
  expect_workload_error(dir, "[workload]\nname = x\ncores_per_job = 2.5\n",
                        "w.ini:3: field 'cores_per_job': not a whole number '2.5'");
  su_sizing_catalog_fini(&cat);
  snprintf(path, sizeof(path), "rm -rf '%s'", dir);
  if (system(path) != 0)
    fprintf(stderr, "cannot remove %s\n", dir);
}

int main(void)
{
  SU_TEST_RUN(test_catalog);
  SU_TEST_RUN(test_throughput);
  SU_TEST_RUN(test_deadline);
  SU_TEST_RUN(test_serial);
  SU_TEST_RUN(test_roofline_budget);
  SU_TEST_RUN(test_errors);
  SU_TEST_RUN(test_cores);
  return SU_TEST_REPORT();
}
