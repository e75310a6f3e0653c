/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_fit.c: the scaling-law fits, the cache plateau detection and the
 * results-directory reader.
 *
 * Fits must recover known parameters from synthetic series (exact and with
 * deterministic noise) and reproduce a published USL fit: the SPEC SDM91
 * benchmark of a Sun SPARCcenter 2000 from N. J. Gunther, "Guerrilla
 * Capacity Planning", Springer 2007 (sect. 5.6, the data set `specsdm91` of
 * the R package `usl` by S. Moeding), whose published nonlinear fit of all
 * three parameters is sigma = 2.773e-2 (s.e. 9.122e-3), kappa = 1.044e-4
 * (s.e. 1.988e-5), lambda = 90.00 (s.e. 14.21), R^2 = 0.9896 (usl package,
 * tests/summary.Rout.save; GCaP quotes sigma 0.0277, kappa 0.000104) and a
 * peak at N* = 97 users (usl tests/peak-scalability.Rout.save).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sizeup/config.h"
#include "sizeup/csv.h"
#include "sizeup/error.h"
#include "sizeup/fit.h"
#include "sizeup/results.h"
#include "sizeup/samples.h"
#include "test.h"

#define REL(a, b) (fabs((double)(a) - (double)(b)) / fabs((double)(b)))

/* Deterministic noise in [-1, 1] (a 64-bit LCG, Knuth MMIX constants). */
static double noise(unsigned long long *st)
{
  *st = *st * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double)(*st >> 11) / (double)(1ULL << 53) * 2.0 - 1.0;
}

static double usl(double lam, double sig, double kap, double n)
{
  return lam * n / (1 + sig * (n - 1) + kap * n * (n - 1));
}

static void test_usl_exact(void)
{
  double n[] = {1, 2, 4, 8, 12, 16, 24, 32, 48, 64}, x[10];
  su_fit_t f;

  for (int i = 0; i < 10; i++)
    x[i] = usl(50.0, 0.05, 0.002, n[i]);
  CHECK_EQ_INT(su_fit_series(SU_FIT_USL, n, x, 10, &f), SU_OK);
  CHECK_EQ_INT(f.status, SU_FIT_OK);
  CHECK_NEAR(f.param[0], 50.0, 50.0 * 1e-6);
  CHECK_NEAR(f.param[1], 0.05, 0.05 * 1e-5);
  CHECK_NEAR(f.param[2], 0.002, 0.002 * 1e-5);
  CHECK_NEAR(f.r2, 1.0, 1e-9);
  CHECK_NEAR(f.nstar, sqrt(0.95 / 0.002), 1e-3);
  CHECK_NEAR(f.eff_at_nmax, usl(50, 0.05, 0.002, 64) / (64 * 50.0), 1e-6);
  /* exact data: the held-out prediction from N <= 32 is exact too */
  CHECK_EQ_INT(f.heldout_n, 2);
  CHECK(f.heldout_mare < 1e-6);
  CHECK_NEAR(su_fit_eval(&f, 10), usl(50, 0.05, 0.002, 10), 1e-5);
}

static void test_usl_noisy(void)
{
  double n[32], x[32];
  unsigned long long st = 42;
  su_fit_t f;

  for (int i = 0; i < 32; i++) {
    n[i] = 2 * i + 1;
    x[i] = usl(50.0, 0.05, 0.002, n[i]) * (1 + 0.02 * noise(&st));
  }
  CHECK_EQ_INT(su_fit_series(SU_FIT_USL, n, x, 32, &f), SU_OK);
  CHECK_EQ_INT(f.status, SU_FIT_OK);
  /* within 4 standard errors and within 10% of the truth */
  CHECK(isfinite(f.se[1]) && isfinite(f.se[2]) && f.se[1] > 0);
  CHECK(fabs(f.param[1] - 0.05) < 4 * f.se[1]);
  CHECK(fabs(f.param[2] - 0.002) < 4 * f.se[2]);
  CHECK(REL(f.param[0], 50.0) < 0.05);
  CHECK(REL(f.param[1], 0.05) < 0.10);
  CHECK(REL(f.param[2], 0.002) < 0.10);
  CHECK(f.r2 > 0.95 && f.r2 < 1.0);
  CHECK(f.heldout_mare > 0 && f.heldout_mare < 0.1);
}

/* Gunther, GCaP 2007: SPEC SDM91, Sun SPARCcenter 2000 (see the header). */
static void test_usl_published_specsdm91(void)
{
  double load[] = {1, 18, 36, 72, 108, 144, 216};
  double tput[] = {64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2};
  su_fit_t f;

  CHECK_EQ_INT(su_fit_series(SU_FIT_USL, load, tput, 7, &f), SU_OK);
  CHECK_EQ_INT(f.status, SU_FIT_OK);
  CHECK(REL(f.param[1], 2.773e-2) < 0.02);
  CHECK(REL(f.param[2], 1.044e-4) < 0.02);
  CHECK(REL(f.param[0], 90.00) < 0.02);
  CHECK(REL(f.se[1], 9.122e-3) < 0.02);
  CHECK(REL(f.se[2], 1.988e-5) < 0.02);
  CHECK(REL(f.se[0], 14.21) < 0.02);
  CHECK_NEAR(f.r2, 0.9896, 0.0005);
  CHECK(REL(f.nstar, 97) < 0.02);
  printf("  specsdm91: lambda %.4g (%.3g) sigma %.4g (%.3g) kappa %.4g (%.3g) R2 %.4f N* %.1f\n",
         f.param[0], f.se[0], f.param[1], f.se[1], f.param[2], f.se[2], f.r2, f.nstar);
}

static void test_amdahl_gustafson(void)
{
  double n[] = {1, 2, 4, 8, 16, 32}, x[6], xw[6];
  unsigned long long st = 7;
  su_fit_t f;

  for (int i = 0; i < 6; i++) {
    x[i] = 10.0 / ((1 - 0.95) + 0.95 / n[i]);
    xw[i] = 3.0 * ((1 - 0.8) + 0.8 * n[i]);
  }
  CHECK_EQ_INT(su_fit_series(SU_FIT_AMDAHL, n, x, 6, &f), SU_OK);
  CHECK_EQ_INT(f.status, SU_FIT_OK);
  CHECK_NEAR(f.param[0], 10.0, 1e-6);
  CHECK_NEAR(f.param[1], 0.95, 1e-8);
  CHECK_NEAR(f.eff_at_nmax, 1.0 / ((1 - 0.95) + 0.95 / 32) / 32, 1e-8);
  CHECK(!isfinite(f.nstar));
  CHECK_EQ_INT(su_fit_series(SU_FIT_GUSTAFSON, n, xw, 6, &f), SU_OK);
  CHECK_EQ_INT(f.status, SU_FIT_OK);
  CHECK_NEAR(f.param[0], 3.0, 1e-8);
  CHECK_NEAR(f.param[1], 0.8, 1e-9);
  for (int i = 0; i < 6; i++)
    x[i] *= 1 + 0.01 * noise(&st);
  CHECK_EQ_INT(su_fit_series(SU_FIT_AMDAHL, n, x, 6, &f), SU_OK);
  CHECK(fabs(f.param[1] - 0.95) < 4 * f.se[1] && REL(f.param[1], 0.95) < 0.01);
}

static void test_bwsat(void)
{
  double n[] = {1, 2, 3, 4, 6, 8, 12, 16}, x[8];
  su_fit_t f;

  for (int i = 0; i < 8; i++)
    x[i] = fmin(n[i] * 20.0, 90.0);
  CHECK_EQ_INT(su_fit_series(SU_FIT_BWSAT, n, x, 8, &f), SU_OK);
  CHECK_EQ_INT(f.status, SU_FIT_OK);
  CHECK_NEAR(f.param[0], 20.0, 1e-9);
  CHECK_NEAR(f.param[1], 90.0, 1e-9);
  CHECK_NEAR(su_fit_eval(&f, 3.0), 60.0, 1e-9);
  /* saturated everywhere: b1 is not determined by the data */
  for (int i = 0; i < 8; i++)
    x[i] = 90.0 + (i % 2 ? 0.5 : -0.5);
  CHECK_EQ_INT(su_fit_series(SU_FIT_BWSAT, n, x, 8, &f), SU_OK);
  CHECK_EQ_INT(f.status, SU_FIT_UNIDENTIFIED);
  CHECK(!isfinite(f.param[0]));
  CHECK_NEAR(f.param[1], 90.0, 0.1);
  CHECK(strstr(f.reason, "b1 not determined") != NULL);
}

static void test_too_few(void)
{
  double n[] = {1, 2, 4}, x[] = {10, 19, 30};
  su_fit_t f;

  /* the 2-core machine: two points determine nothing */
  CHECK_EQ_INT(su_fit_series(SU_FIT_USL, n, x, 2, &f), SU_OK);
  CHECK_EQ_INT(f.status, SU_FIT_TOO_FEW);
  CHECK(!isfinite(f.param[0]) && !isfinite(f.r2) && !isfinite(f.heldout_mare));
  CHECK(strstr(f.reason, "under-determined") != NULL);
  CHECK_EQ_INT(su_fit_series(SU_FIT_AMDAHL, n, x, 2, &f), SU_OK);
  CHECK_EQ_INT(f.status, SU_FIT_TOO_FEW);
  /* three points, three USL parameters: an interpolation, no errors */
  CHECK_EQ_INT(su_fit_series(SU_FIT_USL, n, x, 3, &f), SU_OK);
  CHECK_EQ_INT(f.status, SU_FIT_EXACT);
  CHECK(!isfinite(f.se[0]) && !isfinite(f.r2));
  CHECK(!isfinite(f.heldout_mare));   /* one training point: n/a */
  /* the interpolating USL has sigma = -0.0058: fitted within sigma >= 0
   * instead, it passes close to the points */
  CHECK(f.bounded && f.param[1] == 0 && f.param[2] > 0);
  CHECK(strstr(f.reason, "sigma = 0") != NULL || strstr(f.reason, "interpolation") != NULL);
  CHECK_NEAR(su_fit_eval(&f, 2), 19, 0.05);
  /* repeated N do not count twice */
  {
    double nn[] = {1, 1, 2, 2}, xx[] = {10, 10.1, 19, 19.2};
    CHECK_EQ_INT(su_fit_series(SU_FIT_AMDAHL, nn, xx, 4, &f), SU_OK);
    CHECK_EQ_INT(f.status, SU_FIT_TOO_FEW);
  }
  {
    double nn[] = {1, 2, 4}, xx[] = {10, -1, 30};
    CHECK_EQ_INT(su_fit_series(SU_FIT_AMDAHL, nn, xx, 3, &f), SU_OK);
    CHECK_EQ_INT(f.status, SU_FIT_BAD_DATA);
  }
  CHECK_EQ_INT(su_fit_series(SU_FIT_NMODELS, n, x, 3, &f), SU_EINVAL);
}

static void test_plateaus(void)
{
  double s[24], b[24];
  su_cache_info_t c[3] = {{1, 32 << 10, 2, 1}, {2, 1 << 20, 2, 1}, {3, 32 << 20, 1, 2}};
  su_plateau_t p[8];
  size_t np = 0, k = 0;

  for (double sz = 4096; sz <= 512.0 * (1 << 20); sz *= 2, k++) {
    double v;
    if (sz <= 16384) v = 200;
    else if (sz == 32768) v = 150;             /* knee */
    else if (sz <= 512 << 10) v = 100;
    else if (sz <= 8 << 20) v = 50;
    else if (sz == 16 << 20) v = 35;           /* knee */
    else v = 20;
    s[k] = sz;
    b[k] = v * (1 + 0.02 * ((k % 3) - 1.0));   /* +-2% wobble */
  }
  CHECK_EQ_INT(su_fit_plateaus(s, b, k, c, 3, p, 8, &np), SU_OK);
  CHECK_EQ_INT(np, 4);
  if (np == 4) {
    CHECK_EQ_STR(p[0].level, "L1");
    CHECK_EQ_STR(p[1].level, "L2");
    CHECK_EQ_STR(p[2].level, "L3");
    CHECK_EQ_STR(p[3].level, "DRAM");
    CHECK(REL(p[0].bw, 200) < 0.021 && REL(p[1].bw, 100) < 0.021);
    CHECK(REL(p[2].bw, 50) < 0.021 && REL(p[3].bw, 20) < 0.021);
    CHECK_EQ_INT(p[0].size_lo_bytes, 4096);
    CHECK_EQ_INT(p[0].size_hi_bytes, 16384);
    CHECK_EQ_INT(p[1].size_lo_bytes, 65536);
    CHECK_EQ_INT(p[3].knee_bytes, 0);
    CHECK(p[0].knee_bytes > 16384 && p[0].knee_bytes < 65536);
  }
  /* no cache sizes: neutral names */
  CHECK_EQ_INT(su_fit_plateaus(s, b, k, NULL, 0, p, 8, &np), SU_OK);
  CHECK_EQ_INT(np, 4);
  CHECK_EQ_STR(p[0].level, "P1");
  /* a flat curve is one plateau; too few points give none */
  for (size_t i = 0; i < k; i++)
    b[i] = 30 * (1 + 0.03 * ((i % 2) ? 1 : -1));
  CHECK_EQ_INT(su_fit_plateaus(s, b, k, NULL, 0, p, 8, &np), SU_OK);
  CHECK_EQ_INT(np, 1);
  CHECK_EQ_INT(su_fit_plateaus(s, b, 3, NULL, 0, p, 8, &np), SU_OK);
  CHECK_EQ_INT(np, 0);
}

static const su_fit_series_t *find_series(const su_fit_set_t *set, const char *kernel,
                                          const char *placement)
{
  for (size_t i = 0; i < set->nseries; i++)
    if (strcmp(set->series[i].kernel, kernel) == 0 &&
        strcmp(set->series[i].placement, placement) == 0)
      return &set->series[i];
  return NULL;
}

static void test_results_dir(void)
{
  su_results_t r;
  su_fit_set_t set;
  const su_fit_series_t *s;
  FILE *fp;
  su_csv_reader_t rd;
  char **fld;
  size_t nf;
  int rows = 0, usl_sigma = 0;

  CHECK_EQ_INT(su_results_load(SU_TEST_DATA_DIR "/results-scaling", &r), SU_OK);
  CHECK_EQ_INT(r.nrows, 23);
  CHECK_EQ_STR(r.run_id, "20261125T080000Z-synth16-0001");
#if SU_HAVE_JANSSON
  CHECK_EQ_INT(r.fp.loaded, 1);
  CHECK_EQ_INT(r.fp.cores, 16);
  CHECK_EQ_INT(r.fp.ncaches, 3);
  CHECK_EQ_STR(su_results_label(&r, "instance_type"), "synthetic-16c");
#endif
  CHECK_EQ_INT(su_fit_results(&r, NULL, &set), SU_OK);
  CHECK_EQ_INT(set.nseries, 4);
  s = find_series(&set, "stream_triad", "compact");
  CHECK(s != NULL);
  if (s) {
    CHECK_EQ_INT(s->npoints, 6);
    CHECK_EQ_INT(s->fit[SU_FIT_USL].status, SU_FIT_OK);
    CHECK(REL(s->fit[SU_FIT_USL].param[0], 13.0) < 1e-4);
    CHECK(REL(s->fit[SU_FIT_USL].param[1], 0.02) < 1e-3);
    CHECK(REL(s->fit[SU_FIT_USL].param[2], 0.0015) < 1e-3);
    CHECK(s->fitted[SU_FIT_BWSAT] && !s->fitted[SU_FIT_GUSTAFSON]);
  }
  s = find_series(&set, "stream_triad", "scatter");
  CHECK(s && REL(s->fit[SU_FIT_BWSAT].param[0], 14) < 1e-6 &&
        REL(s->fit[SU_FIT_BWSAT].param[1], 96) < 1e-6);
  s = find_series(&set, "fma_peak", "compact");
  CHECK(s && !s->fitted[SU_FIT_BWSAT] && REL(s->fit[SU_FIT_AMDAHL].param[1], 0.99) < 1e-6);
  s = find_series(&set, "stencil_7pt", "compact");
  CHECK(s && s->fitted[SU_FIT_GUSTAFSON] && !s->fitted[SU_FIT_USL]);
  CHECK(s && REL(s->fit[SU_FIT_GUSTAFSON].param[1], 0.9) < 1e-6);

  /* fits.csv: header, and the USL sigma row reads back */
  fp = tmpfile();
  CHECK(fp != NULL);
  CHECK_EQ_INT(su_fit_write_csv(&set, r.run_id, fp), SU_OK);
  rewind(fp);
  su_csv_reader_init(&rd, fp);
  CHECK_EQ_INT(su_csv_read(&rd, &fld, &nf), 1);
  CHECK_EQ_INT(nf, 24);
  CHECK_EQ_STR(fld[0], "schema_version");
  CHECK_EQ_STR(fld[19], "quantity");
  while (su_csv_read(&rd, &fld, &nf) == 1) {
    rows++;
    CHECK_EQ_INT(nf, 24);
    if (strcmp(fld[2], "stream_triad") == 0 && strcmp(fld[7], "compact") == 0 &&
        strcmp(fld[14], "usl") == 0 && strcmp(fld[19], "sigma") == 0) {
      usl_sigma++;
      CHECK(REL(atof(fld[20]), 0.02) < 1e-3);
      CHECK_EQ_STR(fld[15], "ok");
      CHECK_EQ_STR(fld[22], "1");
    }
  }
  CHECK_EQ_INT(usl_sigma, 1);
  CHECK(rows > 30);
  su_csv_reader_fini(&rd);
  fclose(fp);
  su_fit_set_fini(&set);
  su_results_fini(&r);

  /* the 2-core quick run: two thread counts, reported as too few */
  CHECK_EQ_INT(su_results_load(SU_TEST_DATA_DIR "/results-quick", &r), SU_OK);
  CHECK_EQ_INT(su_fit_results(&r, "stream_triad", &set), SU_OK);
  CHECK_EQ_INT(set.nseries, 1);
  if (set.nseries == 1) {
    CHECK_EQ_INT(set.series[0].fit[SU_FIT_USL].status, SU_FIT_TOO_FEW);
    CHECK_EQ_INT(set.series[0].fit[SU_FIT_AMDAHL].status, SU_FIT_TOO_FEW);
  }
  su_fit_set_fini(&set);
  su_results_fini(&r);
}

static void test_results_errors(void)
{
  char dir[] = "/tmp/sizeup-test-fit-XXXXXX", path[256];
  su_results_t r;
  FILE *fp;

  CHECK_EQ_INT(su_results_load("/nonexistent/sizeup-results", &r), SU_EIO);
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof(path), "%s/summary.csv", dir);
  fp = fopen(path, "w");
  fputs("schema_version,run_id,kernel\n1,x,y\n", fp);
  fclose(fp);
  CHECK_EQ_INT(su_results_load(dir, &r), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "lacks the column") != NULL);
  CHECK(r.rows == NULL && r.nrows == 0);
  unlink(path);
  rmdir(dir);
}

/* A curve that bends less than Amdahl's at large N drives the free USL to
 * kappa < 0, which means nothing physical: within kappa >= 0 the USL is
 * Amdahl's law (lambda = X1, sigma = 1 - p), as R's nls with bounds gives. */
static void test_bounds(void)
{
  double n[] = {1, 2, 4, 8, 16}, x[] = {10, 17.5, 28, 39, 50};
  su_fit_t u, a;

  CHECK_EQ_INT(su_fit_series(SU_FIT_USL, n, x, 5, &u), SU_OK);
  CHECK_EQ_INT(su_fit_series(SU_FIT_AMDAHL, n, x, 5, &a), SU_OK);
  CHECK_EQ_INT(u.status, SU_FIT_OK);
  CHECK(u.bounded);
  CHECK(u.param[2] == 0);
  CHECK(!isfinite(u.se[2]));
  CHECK(strstr(u.reason, "kappa = 0") != NULL);
  CHECK_NEAR(u.param[0], a.param[0], 1e-3 * a.param[0]);
  CHECK_NEAR(u.param[1], 1 - a.param[1], 1e-3);
  CHECK(u.param[1] >= 0 && u.param[1] <= 1);
}

/* The stand-in application's law (tests/apps/standin.c): T(N) = s + p/N +
 * c (N - 1), whose rate 1/T is a USL with lambda = 1/(s+p), sigma =
 * s/(s+p), kappa = c/(s+p).  A table of its times at 1..8 with a few
 * percent of deterministic scatter, fitted through su_fit_table_load. */
static void write_standin_table(const char *path, double s, double p, double c)
{
  static const double wobble[] = {0.01, -0.012, 0.004, -0.006, 0.011, -0.003, 0.007, -0.009};
  FILE *fp = fopen(path, "w");

  fputs("cores,seconds\n", fp);
  for (int n = 1; n <= 8; n++)
    for (int r = 0; r < 3; r++)
      fprintf(fp, "%d,%.9g\n", n, (s + p / n + c * (n - 1)) * (1 + wobble[(n + r) % 8]));
  fclose(fp);
}

static void test_choose_predict(void)
{
  char path[] = "/tmp/sizeup-test-table-XXXXXX";
  const double s = 0.002, p = 0.03, c = 0.0004, at[] = {16};
  su_fit_set_t set = {NULL, 0, NULL};
  int fd = mkstemp(path);
  const su_fit_series_t *se;
  const su_fit_t *u;

  CHECK(fd >= 0);
  close(fd);
  write_standin_table(path, s, p, c);
  CHECK_EQ_INT(su_fit_table_load(path, &set), SU_OK);
  CHECK_EQ_INT((int)set.nseries, 1);
  se = &set.series[0];
  CHECK(se->inverted && strcmp(se->unit, "1/s") == 0 && strcmp(se->value_unit, "s") == 0);
  CHECK_EQ_INT((int)se->npoints, 8);
  /* contention is real: the USL predicts the left-out counts best */
  CHECK_EQ_INT(se->chosen, SU_FIT_USL);
  CHECK(strstr(se->why, "usl: leave-one-out error") != NULL);
  u = &se->fit[SU_FIT_USL];
  /* recovered within 3% (lambda), 0.02 (sigma), 25% (kappa) */
  CHECK_NEAR(u->param[0], 1 / (s + p), 0.03 / (s + p));
  CHECK_NEAR(u->param[1], s / (s + p), 0.02);
  CHECK_NEAR(u->param[2], c / (s + p), 0.25 * c / (s + p));
  CHECK_EQ_INT(su_fit_predict_set(&set, at, 1, 400, 1), SU_OK);
  {
    double truth = s + p / 16 + c * 15;
    printf("# 16 cores: %.5f s (%.5f-%.5f), truth %.5f; N* %.1f (%.1f-%.1f)\n",
           se->pred[0].value, se->pred[0].lo, se->pred[0].hi, truth, se->nstar.value,
           se->nstar.lo, se->nstar.hi);
    CHECK(se->pred[0].lo <= truth && truth <= se->pred[0].hi);
    CHECK_NEAR(se->pred[0].value, truth, 0.1 * truth);
    CHECK(se->nstar.lo <= sqrt((1 - s / (s + p)) / (c / (s + p))) &&
          sqrt((1 - s / (s + p)) / (c / (s + p))) <= se->nstar.hi);
  }
  su_fit_set_fini(&set);

  /* no contention: Amdahl and the USL predict alike, the simpler wins; the
   * interval (the choice made again in every replicate) holds the law and
   * says something (narrower than +-25%) */
  write_standin_table(path, s, p, 0);
  CHECK_EQ_INT(su_fit_table_load(path, &set), SU_OK);
  CHECK_EQ_INT(set.series[0].chosen, SU_FIT_AMDAHL);
  CHECK_EQ_INT(su_fit_predict_set(&set, at, 1, 400, 1), SU_OK);
  {
    const su_fit_pred_t *pr = &set.series[0].pred[0];
    double truth = s + p / 16;
    printf("# no contention, 16 cores: %.5f s (%.5f-%.5f), truth %.5f\n", pr->value, pr->lo,
           pr->hi, truth);
    CHECK(pr->lo <= truth && truth <= pr->hi);
    CHECK(pr->hi - pr->lo < 0.5 * pr->value);
    CHECK(!isfinite(set.series[0].nstar.value));
  }
  su_fit_set_fini(&set);

  /* a table without a time column says what it needs */
  {
    FILE *fp = fopen(path, "w");
    fputs("cores,minutes\n1,3\n", fp);
    fclose(fp);
  }
  CHECK_EQ_INT(su_fit_table_load(path, &set), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "no time (seconds or time_s) column") != NULL);
  unlink(path);
}

int main(void)
{
#if !SU_HAVE_GSL
  SU_TEST_SKIP("built without GSL");
#endif
  SU_TEST_RUN(test_usl_exact);
  SU_TEST_RUN(test_usl_noisy);
  SU_TEST_RUN(test_usl_published_specsdm91);
  SU_TEST_RUN(test_amdahl_gustafson);
  SU_TEST_RUN(test_bwsat);
  SU_TEST_RUN(test_too_few);
  SU_TEST_RUN(test_bounds);
  SU_TEST_RUN(test_choose_predict);
  SU_TEST_RUN(test_plateaus);
  SU_TEST_RUN(test_results_dir);
  SU_TEST_RUN(test_results_errors);
  return SU_TEST_REPORT();
}
