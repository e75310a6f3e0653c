/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_compare.c: the comparison rule (compare.h) on synthetic samples with
 * a fixed-seed RNG, its outputs (compare.csv, JUnit XML), and loading sides
 * from the fixture directories tests/data/compare-base and compare-new.
 *
 * The synthetic runs mimic a nightly suite: 20 configurations with
 * lognormal noise of cv 3-5%; one configuration gets a real 10% regression.
 * The test repeats this for many seeds and sample counts, so that the rule's
 * power and its false-alarm rate are both checked, not one lucky draw.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/compare.h"
#include "sizeup/csv.h"
#include "sizeup/error.h"
#include "sizeup/report.h"
#include "sizeup/samples.h"
#include "test.h"

#define NCONF 20

static uint64_t rng_state;

/* splitmix64 (Steele, Lea, Flood, OOPSLA 2014). */
static uint64_t rng_next(void)
{
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static double rng_unit(void)   /* (0, 1) */
{
  return ((double)(rng_next() >> 11) + 0.5) / 9007199254740992.0;
}

static double rng_normal(void) /* Box-Muller */
{
  double u = rng_unit(), v = rng_unit();
  return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static const char *conf_metric(int i)
{
  return i % 5 == 4 ? "latency" : i % 5 == 3 ? "flops" : "bandwidth";
}

static su_sample_key_t conf_key(int i)
{
  static char kernels[NCONF][32];
  su_sample_key_t k = {0};

  snprintf(kernels[i], sizeof(kernels[i]), "kernel_%02d", i);
  k.kernel = kernels[i];
  k.variant = "omp";
  k.backend = "cpu";
  k.device = "Test CPU";
  k.precision = "fp64";
  k.placement = "compact";
  k.metric = conf_metric(i);
  k.threads = 1 + (unsigned)(i % 2);
  k.ranks = k.nodes = 1;
  k.size_bytes = 1u << 20;
  return k;
}

/*
 * Fills a side with NCONF configurations of n samples each: medians 10..200,
 * lognormal noise (sigma = cv) of cv 3% for even configurations and 3, 4 or
 * 5% for odd ones.  factor[i] multiplies the
 * values of configuration i (1.0 = unchanged).
 */
static void make_side(su_cmp_side_t *s, const char *label, size_t n, const double *factor)
{
  double v[256];

  memset(s, 0, sizeof(*s));
  s->label = strdup(label);
  for (int i = 0; i < NCONF; i++) {
    su_sample_key_t k = conf_key(i);
    double cv = i % 2 == 0 ? 0.03 : 0.03 + 0.01 * ((i / 2) % 3), m = 10.0 * (i + 1);
    for (size_t j = 0; j < n; j++)
      v[j] = m * (factor ? factor[i] : 1.0) * exp(cv * rng_normal());
    CHECK_EQ_INT(su_samples_add(&s->ok, &k, strcmp(k.metric, "latency") ? "GB/s" : "ns", v, n),
                 SU_OK);
  }
}

static void test_regression_flagged_and_nothing_else(void)
{
  su_cmp_opts_t o;
  size_t ns[] = {10, 20, 50};
  int missed[3] = {0, 0, 0}, false_alarms = 0, runs = 0;

  su_cmp_opts_default(&o);
  for (size_t a = 0; a < sizeof(ns) / sizeof(ns[0]); a++) {
    for (uint64_t seed = 1; seed <= 40; seed++) {
      double f[NCONF];
      su_cmp_side_t b, n;
      su_cmp_t c;
      int target = (int)(seed % (NCONF / 2)) * 2;
      rng_state = seed;
      for (int i = 0; i < NCONF; i++)
        f[i] = 1.0;
      /* a 10% regression (lower bandwidth/flops, higher latency) in an even
       * configuration, whose 3% cv lets a 5% threshold resolve it */
      f[target] = strcmp(conf_metric(target), "latency") ? 0.90 : 1.0 / 0.90;
      make_side(&b, "base", ns[a], NULL);
      make_side(&n, "new", ns[a], f);
      CHECK_EQ_INT(su_cmp_run(&b, &n, &o, &c), SU_OK);
      CHECK_EQ_INT(c.nrows, NCONF);
      for (size_t i = 0; i < c.nrows; i++) {
        int is_target = strcmp(c.rows[i].key->kernel, conf_key(target).kernel) == 0;
        if (is_target && c.rows[i].cls != SU_CMP_REGRESSED)
          missed[a]++;
        if (!is_target && (c.rows[i].cls == SU_CMP_REGRESSED ||
                           c.rows[i].cls == SU_CMP_IMPROVED))
          false_alarms++;
        if (is_target && a == 0 && seed == 1) {
          CHECK_NEAR(c.rows[i].change, -0.10, 0.05);
          CHECK(c.rows[i].p_value < 0.01);
          CHECK(c.rows[i].cliffs_delta < -0.5);
        }
      }
      CHECK(c.count[SU_CMP_REGRESSED] <= 1);
      runs++;
      su_cmp_fini(&c);
      su_cmp_side_fini(&b);
      su_cmp_side_fini(&n);
    }
  }
  /* Power.  With 10 samples the order-statistic CI of the median spans the
   * 2nd..9th values, and the observed median shift of a true 10% change
   * can fall to ~7%: over 1000 seeds this rule flagged 98% of the
   * regressions at n = 10 and all of them at n >= 20 (2 false alarms in
   * 57000 unchanged configurations).  40 seeds: at most 2 misses at n = 10. */
  CHECK(missed[0] <= 2);
  CHECK_EQ_INT(missed[1], 0);
  CHECK_EQ_INT(missed[2], 0);
  CHECK_EQ_INT(false_alarms, 0);
  CHECK_EQ_INT(runs, 120);
}

static void test_improved(void)
{
  double f[NCONF];
  su_cmp_side_t b, n;
  su_cmp_opts_t o;
  su_cmp_t c;

  su_cmp_opts_default(&o);
  rng_state = 7;
  for (int i = 0; i < NCONF; i++)
    f[i] = 1.0;
  f[0] = 1.10;              /* bandwidth +10% */
  f[4] = 0.90;              /* latency -10% */
  make_side(&b, "base", 20, NULL);
  make_side(&n, "new", 20, f);
  CHECK_EQ_INT(su_cmp_run(&b, &n, &o, &c), SU_OK);
  CHECK_EQ_INT(c.rows[0].cls, SU_CMP_IMPROVED);
  CHECK_EQ_INT(c.rows[4].cls, SU_CMP_IMPROVED);
  CHECK(c.rows[4].change > 0.05);
  CHECK(c.rows[4].ratio < 0.95);       /* raw ratio of latencies */
  CHECK_EQ_INT(c.count[SU_CMP_IMPROVED], 2);
  CHECK_EQ_INT(c.count[SU_CMP_REGRESSED], 0);
  su_cmp_fini(&c);
  su_cmp_side_fini(&b);
  su_cmp_side_fini(&n);
}

static void test_identical(void)
{
  su_cmp_side_t b;
  su_cmp_opts_t o;
  su_cmp_t c;

  su_cmp_opts_default(&o);
  o.threshold = 0.10;       /* every configuration's cv (3-5%) stays below it */
  rng_state = 11;
  make_side(&b, "same", 20, NULL);
  CHECK_EQ_INT(su_cmp_run(&b, &b, &o, &c), SU_OK);
  CHECK_EQ_INT(c.count[SU_CMP_UNCHANGED], NCONF);
  for (size_t i = 0; i < c.nrows; i++) {
    CHECK_NEAR(c.rows[i].ratio, 1.0, 0);
    CHECK_NEAR(c.rows[i].cliffs_delta, 0.0, 0);
    CHECK(c.rows[i].p_value > 0.9);
  }
  su_cmp_fini(&c);
  su_cmp_side_fini(&b);
}

static void test_noisy_and_few(void)
{
  su_cmp_side_t b, n;
  su_cmp_opts_t o;
  su_cmp_t c;
  su_sample_key_t k = conf_key(0);
  double lo[] = {100, 101, 99, 100, 102, 98, 100, 101};
  double wide[] = {60, 140, 80, 120, 70, 130, 90, 110};   /* cv ~ 28% */
  double few[] = {50, 51, 49};                            /* -50%, but only 3 samples */

  su_cmp_opts_default(&o);
  memset(&b, 0, sizeof(b));
  memset(&n, 0, sizeof(n));
  CHECK_EQ_INT(su_samples_add(&b.ok, &k, "GB/s", lo, 8), SU_OK);
  CHECK_EQ_INT(su_samples_add(&n.ok, &k, "GB/s", wide, 8), SU_OK);
  k = conf_key(1);
  CHECK_EQ_INT(su_samples_add(&b.ok, &k, "GB/s", lo, 8), SU_OK);
  CHECK_EQ_INT(su_samples_add(&n.ok, &k, "GB/s", few, 3), SU_OK);
  CHECK_EQ_INT(su_cmp_run(&b, &n, &o, &c), SU_OK);
  CHECK_EQ_INT(c.rows[0].cls, SU_CMP_NOISY);
  CHECK(strstr(c.rows[0].note, "cv above") != NULL);
  CHECK_EQ_INT(c.rows[1].cls, SU_CMP_NOISY);
  CHECK(strstr(c.rows[1].note, "too few samples") != NULL);
  su_cmp_fini(&c);
  /* a bad option is an error, not a silent default */
  o.alpha = 0;
  CHECK_EQ_INT(su_cmp_run(&b, &n, &o, &c), SU_EINVAL);
  su_cmp_side_fini(&b);
  su_cmp_side_fini(&n);
}

/* n samples of round r around m with cv 1%, at core-to-core latency c2c. */
static void add_round(su_samples_t *s, const su_sample_key_t *k, unsigned r, double m,
                      double c2c, size_t n)
{
  double v[64], lat[64];
  unsigned rep[64];

  for (size_t j = 0; j < n; j++) {
    v[j] = m * exp(0.01 * rng_normal());
    rep[j] = r;
    lat[j] = c2c;
  }
  CHECK_EQ_INT(su_samples_add_tagged(s, k, "GB/s", v, rep, 0, lat, n), SU_OK);
}

/* Three rounds of 20 samples at the given levels, no c2c latency. */
static void add_rounds(su_samples_t *s, const su_sample_key_t *k, const double level[3])
{
  for (unsigned r = 0; r < 3; r++)
    add_round(s, k, r, level[r], NAN, 20);
}

/*
 * The development VM's case: every round is tight, but the level moves
 * between rounds.  A shift that the base's own rounds span is the machine's
 * drift (noisy); a shift beyond every round is a change, rounds or not.
 */
static void test_rounds_drift(void)
{
  su_cmp_side_t b, n;
  su_cmp_opts_t o;
  su_cmp_t c;
  su_sample_key_t k0 = conf_key(0), k1 = conf_key(2);

  su_cmp_opts_default(&o);
  o.threshold = 0.05;
  rng_state = 21;
  memset(&b, 0, sizeof(b));
  memset(&n, 0, sizeof(n));
  /* configuration 0: base rounds at 100, 99, 91; new rounds at 93, 92, 93:
   * -6% by the medians, p tiny, pooled cv below 5%, yet the base itself sat
   * below the new level once */
  add_rounds(&b.ok, &k0, (const double[]){100, 99, 91});
  add_rounds(&n.ok, &k0, (const double[]){93, 92, 93});
  /* configuration 2: rounds at 100, 99, 101 against 85, 86, 85: regressed */
  add_rounds(&b.ok, &k1, (const double[]){100, 99, 101});
  add_rounds(&n.ok, &k1, (const double[]){85, 86, 85});
  CHECK_EQ_INT(su_cmp_run(&b, &n, &o, &c), SU_OK);
  CHECK_EQ_INT(c.nrows, 2);
  CHECK_EQ_INT(c.rows[0].cls, SU_CMP_NOISY);
  CHECK(strstr(c.rows[0].note, "replicates") != NULL);
  CHECK_EQ_INT(c.rows[0].base_reps, 3);
  CHECK_EQ_INT(c.rows[0].new_reps, 3);
  CHECK(c.rows[0].change < -0.05);     /* the medians alone would have gated it */
  CHECK(c.rows[0].p_value < o.alpha);
  CHECK_EQ_INT(c.rows[1].cls, SU_CMP_REGRESSED);
  CHECK(c.rows[1].change < -0.10);
  su_cmp_fini(&c);
  su_cmp_side_fini(&b);
  su_cmp_side_fini(&n);
}

/*
 * Two vCPUs 50 ns apart stream at about half the rate of two 210 ns apart.
 * A new run on the near placement is compared with the base's near rounds
 * only: unchanged, though the pooled base median is far higher.  With no
 * base round on its placement it is noisy.  Within one placement a real
 * regression is still flagged.
 */
static void test_placement(void)
{
  su_cmp_side_t b, n;
  su_cmp_opts_t o;
  su_cmp_t c;
  su_sample_key_t k0 = conf_key(1), k1 = conf_key(3), k2 = conf_key(5), k3 = conf_key(7);

  su_cmp_opts_default(&o);
  rng_state = 33;
  memset(&b, 0, sizeof(b));
  memset(&n, 0, sizeof(n));
  add_round(&b.ok, &k0, 0, 72, 210, 20);      /* far, far, near */
  add_round(&b.ok, &k0, 1, 71, 205, 20);
  add_round(&b.ok, &k0, 2, 39, 48, 20);
  add_round(&n.ok, &k0, 0, 39.5, 52, 20);     /* near, near, near */
  add_round(&n.ok, &k0, 1, 39, 45, 20);
  add_round(&n.ok, &k0, 2, 38.5, 50, 20);
  add_round(&b.ok, &k1, 0, 72, 210, 20);      /* far only, against near */
  add_round(&b.ok, &k1, 1, 71, 205, 20);
  add_round(&n.ok, &k1, 0, 39, 50, 20);
  add_round(&n.ok, &k1, 1, 39, 50, 20);
  add_round(&b.ok, &k2, 0, 72, 210, 20);      /* far against far, 20% slower */
  add_round(&b.ok, &k2, 1, 73, 40, 20);       /* (and a near round, left out) */
  add_round(&b.ok, &k2, 2, 71, 200, 20);
  add_round(&n.ok, &k2, 0, 57, 205, 20);
  add_round(&n.ok, &k2, 1, 58, 212, 20);
  add_round(&b.ok, &k3, 0, 39, 45, 20);       /* both sides move: near, far, far */
  add_round(&b.ok, &k3, 1, 72, 205, 20);
  add_round(&b.ok, &k3, 2, 71, 198, 20);
  add_round(&n.ok, &k3, 0, 72, 210, 20);      /* against far, near, near */
  add_round(&n.ok, &k3, 1, 39.5, 40, 20);
  add_round(&n.ok, &k3, 2, 38.5, 52, 20);
  CHECK_EQ_INT(su_cmp_run(&b, &n, &o, &c), SU_OK);
  CHECK_EQ_INT(c.nrows, 4);
  CHECK_EQ_INT(c.rows[3].cls, SU_CMP_UNCHANGED);   /* pooled: a 45% "regression" */
  CHECK_EQ_INT(c.rows[3].n_base + c.rows[3].n_new, 60);   /* one placement: 20 + 40 */
  CHECK_EQ_INT(c.rows[0].cls, SU_CMP_UNCHANGED);
  CHECK_EQ_INT(c.rows[0].n_base, 20);         /* the near round only */
  CHECK_NEAR(c.rows[0].base_c2c, 48, 0);
  CHECK_EQ_INT(c.rows[1].cls, SU_CMP_NOISY);
  CHECK(strstr(c.rows[1].note, "thread placement") != NULL);
  CHECK_EQ_INT(c.rows[2].cls, SU_CMP_REGRESSED);
  CHECK_EQ_INT(c.rows[2].n_base, 40);
  CHECK_EQ_INT(c.rows[2].base_reps, 2);
  su_cmp_fini(&c);
  su_cmp_side_fini(&b);
  su_cmp_side_fini(&n);
}

/*
 * The empirical null (su_cmp_run): 40 configurations whose whole runs move
 * by a random 6% (sd) while each run's samples agree to 1%.  Without the
 * noise floor the rule flags a dozen; with it none.  A change of every
 * configuration at once on a quiet machine is still caught everywhere.
 */
static void test_noise_floor(void)
{
  enum { NC = 40 };
  static char names[NC][16];
  su_cmp_side_t b, n, q;
  su_cmp_opts_t o;
  su_cmp_t c;
  int flagged_off = 0;

  su_cmp_opts_default(&o);
  rng_state = 99;
  memset(&b, 0, sizeof(b));
  memset(&n, 0, sizeof(n));
  memset(&q, 0, sizeof(q));
  for (int i = 0; i < NC; i++) {
    su_sample_key_t k = conf_key(0);
    double m = 50 + i;
    snprintf(names[i], sizeof(names[i]), "k%02d", i);
    k.kernel = names[i];
    k.metric = "bandwidth";
    add_round(&b.ok, &k, 0, m, NAN, 20);
    add_round(&n.ok, &k, 0, m * exp(0.06 * rng_normal()), NAN, 20);
    add_round(&q.ok, &k, 0, m * 0.90 * exp(0.003 * rng_normal()), NAN, 20);
  }
  o.noise_k = 0;
  CHECK_EQ_INT(su_cmp_run(&b, &n, &o, &c), SU_OK);
  flagged_off = (int)(c.count[SU_CMP_REGRESSED] + c.count[SU_CMP_IMPROVED]);
  CHECK(flagged_off >= 10);
  su_cmp_fini(&c);
  su_cmp_opts_default(&o);
  CHECK_EQ_INT(su_cmp_run(&b, &n, &o, &c), SU_OK);
  CHECK_EQ_INT(c.count[SU_CMP_REGRESSED] + c.count[SU_CMP_IMPROVED], 0);
  CHECK(c.noise > 0.04 && c.noise < 0.09);      /* the 6% it was made with */
  CHECK_EQ_INT(c.noise_n, NC);
  CHECK(c.count[SU_CMP_NOISY] >= (size_t)flagged_off);
  for (size_t i = 0; i < c.nrows; i++)
    if (c.rows[i].cls == SU_CMP_NOISY && strstr(c.rows[i].note, "run-to-run noise"))
      CHECK(fabs(log(c.rows[i].ratio)) <= 3 * c.noise);
  /* what this gate can see: 3 x the noise, well above the 5% threshold */
  CHECK_NEAR(su_cmp_detectable(&c), exp(3 * c.noise) - 1, 1e-12);
  CHECK(su_cmp_detectable(&c) > 0.12);
  CHECK_EQ_INT(su_cmp_checks(&c), NC);
  CHECK_NEAR(su_cmp_blind(&c), (double)c.count[SU_CMP_NOISY] / NC, 1e-12);
  su_cmp_fini(&c);
  /* the machine got 10% slower: the median moves, the spread stays small */
  CHECK_EQ_INT(su_cmp_run(&b, &q, &o, &c), SU_OK);
  CHECK_EQ_INT(c.count[SU_CMP_REGRESSED], NC);
  CHECK(c.noise < 0.01);
  CHECK_NEAR(su_cmp_detectable(&c), 0.05, 1e-12);  /* a quiet machine: the threshold */
  CHECK_NEAR(su_cmp_blind(&c), 0, 1e-12);
  su_cmp_fini(&c);
  su_cmp_side_fini(&b);
  su_cmp_side_fini(&n);
  su_cmp_side_fini(&q);
}

static void test_cliffs_delta(void)
{
  su_cmp_side_t b, n;
  su_cmp_opts_t o;
  su_cmp_t c;
  su_sample_key_t k = conf_key(0);
  double x[] = {1, 2, 3}, y[] = {2, 3, 4};

  su_cmp_opts_default(&o);
  o.min_samples = 3;
  o.threshold = 5;          /* cv is large here; only the statistics matter */
  memset(&b, 0, sizeof(b));
  memset(&n, 0, sizeof(n));
  su_samples_add(&b.ok, &k, "GB/s", x, 3);
  su_samples_add(&n.ok, &k, "GB/s", y, 3);
  CHECK_EQ_INT(su_cmp_run(&b, &n, &o, &c), SU_OK);
  /* pairs new > base: 6, new < base: 1, of 9 */
  CHECK_NEAR(c.rows[0].cliffs_delta, 5.0 / 9.0, 1e-12);
  CHECK_NEAR(c.rows[0].ratio, 1.5, 1e-12);
  su_cmp_fini(&c);
  su_cmp_side_fini(&b);
  su_cmp_side_fini(&n);
}

static void test_missing_new_failed(void)
{
  su_cmp_side_t b, n;
  su_cmp_opts_t o;
  su_cmp_t c;
  double v[] = {10, 10.1, 9.9, 10, 10.2, 9.8};
  su_sample_key_t k0 = conf_key(0), k1 = conf_key(1), k2 = conf_key(2);

  su_cmp_opts_default(&o);
  memset(&b, 0, sizeof(b));
  memset(&n, 0, sizeof(n));
  su_samples_add(&b.ok, &k0, "GB/s", v, 6);     /* only in base */
  su_samples_add(&b.ok, &k1, "GB/s", v, 6);     /* fails verification in new */
  su_samples_add(&n.failed, &k1, "GB/s", NULL, 0);
  su_samples_add(&n.ok, &k2, "GB/s", v, 6);     /* only in new */
  CHECK_EQ_INT(su_cmp_run(&b, &n, &o, &c), SU_OK);
  CHECK_EQ_INT(c.nrows, 3);
  CHECK_EQ_INT(c.rows[0].cls, SU_CMP_MISSING);
  CHECK_EQ_INT(c.rows[1].cls, SU_CMP_REGRESSED);
  CHECK_EQ_INT(c.rows[2].cls, SU_CMP_NEW);
  CHECK_EQ_STR(su_cmp_class_name(c.rows[2].cls), "new");
  su_cmp_fini(&c);
  su_cmp_side_fini(&b);
  su_cmp_side_fini(&n);
}

static char *slurp(FILE *fp)
{
  long len;
  char *buf;

  fflush(fp);
  len = ftell(fp);
  rewind(fp);
  buf = calloc(1, (size_t)len + 1);
  if (buf && fread(buf, 1, (size_t)len, fp) != (size_t)len)
    buf[0] = '\0';
  return buf;
}

static void test_junit_and_csv(void)
{
  su_cmp_side_t b, n;
  su_cmp_opts_t o;
  su_cmp_t c;
  su_sample_key_t k = conf_key(0);
  double x[] = {100, 101, 99, 100, 100.5, 99.5, 100, 101, 99, 100};
  double y[] = {80, 80.8, 79.2, 80, 80.4, 79.6, 80, 80.8, 79.2, 80};
  FILE *fp;
  char *xml, *sp;
  su_csv_reader_t rd;
  char **f;
  size_t nf;
  int rows = 0, cls_col = -1;

  su_cmp_opts_default(&o);
  memset(&b, 0, sizeof(b));
  memset(&n, 0, sizeof(n));
  k.device = "Evil <cpu> & \"co\" 'x'\x01\xff\xc3\xa9";
  su_samples_add(&b.ok, &k, "GB/s", x, 10);
  su_samples_add(&n.ok, &k, "GB/s", y, 10);
  b.label = strdup("base<run>");
  n.label = strdup("new&run");
  CHECK_EQ_INT(su_cmp_run(&b, &n, &o, &c), SU_OK);
  CHECK_EQ_INT(c.rows[0].cls, SU_CMP_REGRESSED);

  fp = tmpfile();
  CHECK_EQ_INT(su_report_cmp_junit(&c, "sizeup compare", fp), SU_OK);
  xml = slurp(fp);
  fclose(fp);
  CHECK(strstr(xml, "failures=\"1\"") != NULL);
  CHECK(strstr(xml, "<failure type=\"regression\"") != NULL);
  CHECK(strstr(xml, "Evil &lt;cpu&gt; &amp; &quot;co&quot; &apos;x&apos;??\xc3\xa9") != NULL);
  CHECK(strstr(xml, "base&lt;run&gt;") != NULL);
  CHECK(strstr(xml, "new&amp;run") != NULL);
  CHECK(strstr(xml, "<cpu>") == NULL);
  CHECK(strchr(xml, '\x01') == NULL);
  CHECK(strchr(xml, '\xff') == NULL);
  for (sp = xml; *sp; sp++)
    if (*sp == '&')
      CHECK(strncmp(sp, "&amp;", 5) == 0 || strncmp(sp, "&lt;", 4) == 0 ||
            strncmp(sp, "&gt;", 4) == 0 || strncmp(sp, "&quot;", 6) == 0 ||
            strncmp(sp, "&apos;", 6) == 0);
  free(xml);

  fp = tmpfile();
  CHECK_EQ_INT(su_report_cmp_csv(&c, fp), SU_OK);
  rewind(fp);
  su_csv_reader_init(&rd, fp);
  while (su_csv_read(&rd, &f, &nf) == 1) {
    if (rows == 0) {
      CHECK_EQ_INT(nf, 38);
      for (size_t i = 0; i < nf; i++)
        if (strcmp(f[i], "class") == 0)
          cls_col = (int)i;
      CHECK(cls_col >= 0);
    } else if (cls_col >= 0) {
      CHECK_EQ_STR(f[cls_col], "regressed");
      CHECK_EQ_STR(f[5], k.device);   /* untrusted text round-trips */
    }
    rows++;
  }
  CHECK_EQ_INT(rows, 2);
  su_csv_reader_fini(&rd);
  fclose(fp);
  su_cmp_fini(&c);
  su_cmp_side_fini(&b);
  su_cmp_side_fini(&n);
}

/* samples.csv with the round and c2c_ns columns, and bad cells in them. */
static void test_samples_tags(void)
{
  static const char head[] =
    "schema_version,run_id,kernel,variant,backend,device,precision,threads,ranks,nodes,"
    "placement,cpuset,size_bytes,metric,unit,point,rep,inner,time_ns,device_ns,value,round,"
    "c2c_ns\n";
  char dir[] = "/tmp/sizeup-test-tags.XXXXXX", path[64];
  su_samples_t s;
  FILE *fp;

  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof(path), "%s/samples.csv", dir);
  CHECK((fp = fopen(path, "w")) != NULL);
  if (!fp)
    return;
  fputs(head, fp);
  fputs("1,r,stream_triad,omp,cpu,CPU,fp64,2,1,1,compact,\"0,1\",1024,bandwidth,GB/s,0,0,1,5,,"
        "40.5,0,48.25\n", fp);
  fputs("1,r,stream_triad,omp,cpu,CPU,fp64,2,1,1,compact,\"0,1\",1024,bandwidth,GB/s,0,1,1,5,,"
        "72.5,1,205\n", fp);
  fputs("1,r,stream_triad,omp,cpu,CPU,fp64,1,1,1,compact,0,1024,bandwidth,GB/s,1,0,1,5,,"
        "36,1,\n", fp);
  fclose(fp);
  CHECK_EQ_INT(su_samples_load(dir, &s), SU_OK);
  CHECK_EQ_INT(s.n, 2);
  if (s.n == 2) {
    CHECK_EQ_INT(s.g[0].n, 2);
    CHECK_EQ_INT(s.g[0].replicate[0], 0);
    CHECK_EQ_INT(s.g[0].replicate[1], 1);
    CHECK_NEAR(s.g[0].c2c_ns[0], 48.25, 0);
    CHECK_NEAR(s.g[0].c2c_ns[1], 205, 0);
    CHECK_EQ_INT(s.g[1].replicate[0], 1);
    CHECK(isnan(s.g[1].c2c_ns[0]));         /* one thread: not measured */
  }
  su_samples_fini(&s);

  CHECK((fp = fopen(path, "w")) != NULL);
  if (!fp)
    return;
  fputs(head, fp);
  fputs("1,r,stream_triad,omp,cpu,CPU,fp64,2,1,1,compact,0,1024,bandwidth,GB/s,0,0,1,5,,"
        "40.5,0,-3\n", fp);
  fclose(fp);
  CHECK_EQ_INT(su_samples_load(dir, &s), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "c2c_ns") != NULL);
  CHECK(strstr(su_errmsg(), "line 2") != NULL);
  remove(path);
  remove(dir);
}

static void test_side_load(void)
{
  su_cmp_side_t b, n;
  su_cmp_opts_t o;
  su_cmp_t c;
  int err;

  su_cmp_opts_default(&o);
  err = su_cmp_side_load(SU_TEST_DATA_DIR "/compare-base", &b);
  CHECK_EQ_INT(err, SU_OK);
  if (err)
    return;
  CHECK_EQ_INT(su_cmp_side_load(SU_TEST_DATA_DIR "/compare-new", &n), SU_OK);
  CHECK(b.ok.n >= 4);
  for (size_t i = 0; i < b.ok.n; i++)
    CHECK(b.ok.g[i].n >= 10);
  /* files without the round and c2c_ns columns: one replicate, no latency */
  CHECK_EQ_INT(b.ok.g[0].replicate[0], 0);
  CHECK(isnan(b.ok.g[0].c2c_ns[0]));
  CHECK_EQ_INT(su_cmp_run(&b, &n, &o, &c), SU_OK);
  CHECK_EQ_INT(c.count[SU_CMP_REGRESSED], 1);
  for (size_t i = 0; i < c.nrows; i++)
    if (c.rows[i].cls == SU_CMP_REGRESSED) {
      CHECK_EQ_STR(c.rows[i].key->kernel, "stream_triad");
      CHECK_EQ_INT(c.rows[i].key->threads, 2);
    }
  su_cmp_fini(&c);
  su_cmp_side_fini(&n);
  CHECK_EQ_INT(su_cmp_side_load(SU_TEST_DATA_DIR "/no-such-dir", &n), SU_EIO);
  CHECK(strstr(su_errmsg(), "no-such-dir") != NULL);
  su_cmp_side_fini(&b);
}

int main(void)
{
  SU_TEST_RUN(test_regression_flagged_and_nothing_else);
  SU_TEST_RUN(test_improved);
  SU_TEST_RUN(test_identical);
  SU_TEST_RUN(test_noisy_and_few);
  SU_TEST_RUN(test_rounds_drift);
  SU_TEST_RUN(test_placement);
  SU_TEST_RUN(test_noise_floor);
  SU_TEST_RUN(test_cliffs_delta);
  SU_TEST_RUN(test_missing_new_failed);
  SU_TEST_RUN(test_junit_and_csv);
  SU_TEST_RUN(test_samples_tags);
  SU_TEST_RUN(test_side_load);
  return SU_TEST_REPORT();
}
