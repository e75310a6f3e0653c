/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_fit.c: `sizeup fit DIR|TABLE.csv [--kernel K] [--out FILE] [--predict LIST]`.
 *
 * Fits the scaling laws of fit.h to every headline series of a results
 * directory, prints a table, writes fits.csv (docs/models.md), and lists the
 * cache levels found in the working-set sweeps.  Fits that the data cannot
 * determine are printed with their status, never with invented numbers.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "sizeup/config.h"
#include "sizeup/error.h"
#include "sizeup/fit.h"
#include "sizeup/results.h"
#include "sizeup/fs.h"
#include "sizeup/mix.h"
#include "sizeup/report.h"
#include <stdlib.h>
#include <sys/stat.h>

static void usage(FILE *fp)
{
  fprintf(fp,
          "usage: sizeup fit DIR|TABLE.csv [--kernel K] [--out FILE] [--predict LIST]\n"
          "\n"
          "Fit Amdahl, the Universal Scalability Law and the bandwidth bound\n"
          "min(N b1, Bmax) (Gustafson for weak-scaling series) to every bandwidth\n"
          "and flops series of a results directory, by nonlinear least squares\n"
          "(GSL).  Prints parameters with standard errors, R^2, the held-out error\n"
          "(fit on N <= max/2, predict the rest), the USL peak N* and the\n"
          "efficiency at the largest N, and the cache levels found in working-set\n"
          "sweeps.  Series with fewer than 3 thread counts are listed as\n"
          "too_few_points.  Times (an application's, metric time) are fitted as\n"
          "rates, 1/s.  Rows whose MPI ranks vary at one thread count (sizeup app\n"
          "--ranks) make series over ranks as well.  Each series' model is chosen\n"
          "by leave-one-out cross-validation (the one that best predicts the\n"
          "counts it did not see; the simpler within 10%%), and parameters stay in\n"
          "their physical range (kappa >= 0, sigma and p in [0, 1]).  See\n"
          "docs/models.md.\n"
          "\n"
          "A TABLE.csv made by hand has a header with a count column (cores,\n"
          "threads, ranks, nodes or n) and a time column (seconds or time_s); rows\n"
          "at the same count are repetitions.\n"
          "\n"
          "options:\n"
          "  -k, --kernel K       only series of kernel K\n"
          "  -o, --out FILE       where to write fits.csv (default DIR/fits.csv, or beside\n"
          "                       the table; '-' for stdout)\n"
          "  -p, --predict LIST   predict the chosen model at these counts, e.g. 64,128,\n"
          "                       with 95%% prediction intervals (a bootstrap over the\n"
          "                       counts, the model chosen again in each replicate), and\n"
          "                       the USL peak N* with its interval; writes\n"
          "                       predictions.csv beside fits.csv\n"
          "      --boot N         bootstrap replicates (default 400)\n"
          "      --seed N         the bootstrap's seed (default 1)\n"
          "      --workload-out FILE  infer an application's workload from its times and\n"
          "                       the kernels' (stream_triad, gemm or fma_peak,\n"
          "                       latency_chase) measured at the same thread counts,\n"
          "                       and write it as a workload file for recommend\n"
          "      --app NAME       the application (default: the only one in DIR); without\n"
          "                       --kernel, only its series are fitted\n"
          "      --target KEY=VALUE  the workload's target, e.g.\n"
          "                       throughput_jobs_per_day=20 (default: a commented example)\n"
          "      --reference NAME the catalog entry of the machine DIR was measured on\n"
          "  -h, --help           this text\n"
          "\n"
          "examples:\n"
          "  sizeup fit results/20261124T101530Z-node17-3f2a\n"
          "  sizeup fit results/latest --kernel stream_triad --out triad-fits.csv\n"
          "  sizeup fit results/latest --kernel solver --predict 64,128\n"
          "  sizeup fit timings.csv --predict 32\n"
          "  sizeup fit results/node --app cfd --workload-out cfd.ini \\\n"
          "      --target throughput_jobs_per_day=20\n");
}

/* Untrusted text on a terminal: control characters become '?'. */
static void put_safe(const char *s, int width)
{
  char buf[256];
  size_t i;

  for (i = 0; s[i] && i + 1 < sizeof(buf); i++)
    buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
  buf[i] = '\0';
  if (width > 0 && i > (size_t)width) {
    buf[width - 1] = '~';
    buf[width] = '\0';
  }
  printf("%-*s", width, buf);
}

static void print_num(double v, double se)
{
  if (!isfinite(v))
    printf(" n/a");
  else if (isfinite(se))
    printf(" %.4g(+-%.2g)", v, se);
  else
    printf(" %.4g", v);
}

static void print_fits(const su_fit_set_t *set)
{
  printf("%-14s %-8s %-5s %-10s %-9s %-9s %-15s", "kernel", "variant", "prec", "placement",
         "unit", "model", "status");
  printf(" parameters / R2 / held-out error / N* / efficiency at N max\n");
  for (size_t j = 0; j < set->nseries; j++) {
    const su_fit_series_t *s = &set->series[j];
    for (int m = 0; m < SU_FIT_NMODELS; m++) {
      const su_fit_t *f = &s->fit[m];
      if (!s->fitted[m])
        continue;
      put_safe(s->kernel, 14);
      putchar(' ');
      put_safe(s->variant, 8);
      putchar(' ');
      put_safe(s->precision, 5);
      putchar(' ');
      put_safe(s->placement, 10);
      putchar(' ');
      put_safe(s->unit, 9);
      printf(" %-9s %-15s", su_fit_model_name(f->model), su_fit_status_name(f->status));
      if (f->status == SU_FIT_OK || f->status == SU_FIT_EXACT ||
          f->status == SU_FIT_UNIDENTIFIED) {
        for (unsigned p = 0; p < f->nparams; p++) {
          printf(" %s=", su_fit_param_name(f->model, p));
          print_num(f->param[p], f->se[p]);
        }
        printf("  R2=");
        print_num(f->r2, NAN);
        printf(" heldout=");
        if (isfinite(f->heldout_mare))
          printf("%.1f%%", 100 * f->heldout_mare);
        else
          printf("n/a");
        if (f->model == SU_FIT_USL) {
          printf(" N*=");
          print_num(f->nstar, NAN);
        }
        printf(" eff(%g%s)=", f->nmax, strcmp(s->axis, "ranks") == 0 ? " ranks" : "");
        print_num(f->eff_at_nmax, NAN);
      } else {
        printf(" %zu points: ", f->npoints);
        put_safe(f->reason, 0);
      }
      if ((f->status == SU_FIT_EXACT || f->status == SU_FIT_UNIDENTIFIED) && f->reason[0]) {
        printf("  (");
        put_safe(f->reason, 0);
        printf(")");
      }
      putchar('\n');
    }
  }
}

/* The choice of each series, and its predictions in words. */
static void print_choices(const su_fit_set_t *set, int predicted)
{
  char w[512];

  for (size_t j = 0; j < set->nseries; j++) {
    const su_fit_series_t *s = &set->series[j];
    if (!s->why[0])
      continue;
    printf("\n");
    put_safe(s->kernel, 0);
    printf(" (");
    put_safe(s->placement[0] ? s->placement : s->backend, 0);
    printf(", ");
    put_safe(s->metric, 0);
    if (strcmp(s->axis, "ranks") == 0)
      printf(", over MPI ranks of %u thread(s)", s->threads);
    printf("): ");
    put_safe(s->why, 0);
    putchar('\n');
    if (s->chosen >= 0 && s->fit[s->chosen].bounded) {
      printf("  ");
      put_safe(s->fit[s->chosen].reason, 0);
      putchar('\n');
    }
    for (size_t a = 0; predicted && a < s->npred; a++) {
      su_report_prediction_words(s, &s->pred[a], w, sizeof(w));
      printf("  ");
      put_safe(w, 0);
      putchar('\n');
    }
    su_report_nstar_words(s, w, sizeof(w));
    if (predicted && w[0])
      printf("  %s\n", w);
  }
}

/* Infers the application's mix and writes it as a workload file. */
static int write_workload(const su_results_t *r, const char *app, const char *target,
                          const char *reference, const char *path)
{
  su_mix_t m;
  char ranges[160];
  FILE *fp;
  int err;

  if ((err = su_mix_infer(r, app, &m)))
    return su_cli_fail(err);
  printf("workload of ");
  put_safe(m.app, 0);
  printf(" from %zu core counts (R^2 %.4f, largest error %.1f%%): on %.0f %s ", m.npoints,
         m.r2, 100 * m.max_rel_err, m.nmax, m.over_ranks ? "cores (ranks x threads)" : "threads");
  printf("%.0f%% serial", 100 * m.serial_share);
  for (size_t k = 0; k < m.nk; k++)
    printf(", %.0f%% %s", 100 * m.share[k], m.kernel[k]);
  printf("\n");
  su_mix_share_ranges(&m, ranges, sizeof(ranges));
  if (ranges[0])
    printf("  with each count left out in turn the shares move within: %s; the largest error "
           "predicting the count left out: %.1f%%\n", ranges, 100 * m.held_out_err);
  if (su_mix_loose(&m))
    printf("  CAUTION: these counts fix the shares only loosely (a share moves by more than 20 "
           "points): measure more thread counts, or in rounds, or run the program itself on "
           "the candidates\n");
  if (!(fp = su_fs_fopen_w(path)))
    return su_cli_fail(su_errorf(SU_EIO, "cannot write '%s': %s", path, strerror(errno)));
  err = su_mix_write_workload(&m, r, target, reference, fp);
  if (fclose(fp) != 0 && !err)
    err = su_errorf(SU_EIO, "cannot write '%s'", path);
  if (err)
    return su_cli_fail(err);
  printf("wrote %s\n", path);
  return 0;
}

/* Parses "64,128" into counts >= 1. */
static int parse_counts(const char *spec, double *out, size_t cap, size_t *n)
{
  const char *p = spec;

  *n = 0;
  while (*p) {
    char *end;
    double v = strtod(p, &end);
    if (end == p || !(v >= 1) || v > 1e7 || (*end && *end != ',') || *n == cap)
      return su_cli_usage_error("fit", "invalid --predict '%s' (expected counts such as "
                                       "64,128)", spec);
    out[(*n)++] = v;
    p = *end ? end + 1 : end;
  }
  if (*n == 0)
    return su_cli_usage_error("fit", "invalid --predict '%s' (expected counts such as 64,128)",
                              spec);
  return 0;
}

static void print_sweeps(const su_results_t *r)
{
  su_fit_sweep_t *sw = NULL;
  size_t n = 0;

  if (su_fit_sweeps(r, "bandwidth", &sw, &n) != SU_OK || n == 0)
    return;
  printf("\ncache levels from working-set sweeps (plateaus; knees where bandwidth "
         "changes by > %.0f%%):\n", 100 * SU_PLATEAU_DROP);
  for (size_t i = 0; i < n; i++) {
    printf("  ");
    put_safe(sw[i].kernel, 0);
    printf(" ");
    put_safe(sw[i].precision, 0);
    printf(", %u thread(s), ", sw[i].threads);
    if (sw[i].ranks > 1 || sw[i].nodes > 1)
      printf("%u rank(s) on %u node(s), ", sw[i].ranks, sw[i].nodes);
    put_safe(sw[i].placement, 0);
    printf(":\n");
    for (size_t k = 0; k < sw[i].nplateaus; k++) {
      const su_plateau_t *p = &sw[i].plateau[k];
      printf("    %-5s %10.4g ", p->level, p->bw);
      put_safe(sw[i].unit, 0);
      printf("  %zu sizes %.4g-%.4g KiB", p->npoints, p->size_lo_bytes / 1024.0,
             p->size_hi_bytes / 1024.0);
      if (p->knee_bytes)
        printf(", knee near %.4g KiB", p->knee_bytes / 1024.0);
      putchar('\n');
    }
  }
  su_fit_sweeps_free(sw, n);
}

int cmd_fit(int argc, char **argv)
{
  static const struct option opts[] = {
    {"kernel", required_argument, NULL, 'k'},
    {"out", required_argument, NULL, 'o'},
    {"predict", required_argument, NULL, 'p'},
    {"boot", required_argument, NULL, 'B'},
    {"seed", required_argument, NULL, 'S'},
    {"workload-out", required_argument, NULL, 'W'},
    {"app", required_argument, NULL, 'A'},
    {"target", required_argument, NULL, 'T'},
    {"reference", required_argument, NULL, 'R'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *kernel = NULL, *outp = NULL, *dir, *run_id = "";
  const char *wl_out = NULL, *app = NULL, *target = NULL, *reference = NULL;
  char path[4096], ppath[4096];
  su_results_t r;
  su_fit_set_t set = {NULL, 0, NULL};
  FILE *fp = NULL;
  double at[64];
  size_t nat = 0;
  long boot = 400, seed = 1;
  int c, err, rc = SU_EXIT_OK, table = 0, have_r = 0;
  struct stat st;
  char *end;

  opterr = 0;
  while ((c = getopt_long(argc, argv, ":k:o:p:h", opts, NULL)) != -1) {
    switch (c) {
    case 'k': kernel = optarg; break;
    case 'o': outp = optarg; break;
    case 'W': wl_out = optarg; break;
    case 'A': app = optarg; break;
    case 'R': reference = optarg; break;
    case 'T':
      if (!strchr(optarg, '=') || optarg[0] == '=')
        return su_cli_usage_error("fit", "invalid --target '%s' (expected KEY=VALUE, e.g. "
                                         "throughput_jobs_per_day=20)", optarg);
      target = optarg;
      break;
    case 'p':
      if ((rc = parse_counts(optarg, at, 64, &nat)))
        return rc;
      break;
    case 'B':
    case 'S':
      errno = 0;
      *(c == 'B' ? &boot : &seed) = strtol(optarg, &end, 10);
      if (end == optarg || *end || errno || (c == 'B' ? boot < 20 || boot > 100000 : seed < 0))
        return su_cli_usage_error("fit", "invalid value '%s' for --%s", optarg,
                                  c == 'B' ? "boot (20 to 100000)" : "seed");
      break;
    case 'h': usage(stdout); return SU_EXIT_OK;
    default: return su_cli_bad_option("fit", argc, argv, opts);
    }
  }
  if (optind >= argc)
    return su_cli_usage_error("fit", "no results directory given");
  if (optind + 1 < argc)
    return su_cli_usage_error("fit", "one results directory at a time, got '%s' too",
                              argv[optind + 1]);
  dir = argv[optind];
  if (!SU_HAVE_GSL) {
    fprintf(stderr, "sizeup: error: built without GSL: install libgsl-dev and rebuild\n");
    return SU_EXIT_ERROR;
  }
  table = stat(dir, &st) == 0 && S_ISREG(st.st_mode);
  if (table) {
    if ((err = su_fit_table_load(dir, &set)) != SU_OK)
      return su_cli_fail_input(err);
  } else {
    if ((err = su_results_load(dir, &r)) != SU_OK)
      return su_cli_fail_input(err);
    have_r = 1;
    run_id = r.run_id;
    if ((err = su_fit_results(&r, kernel ? kernel : app, &set)) != SU_OK) {
      rc = su_cli_fail(err);
      goto out;
    }
  }
  if (wl_out && table) {
    rc = su_cli_usage_error("fit", "--workload-out needs a results directory with the "
                                   "kernels, not a table");
    goto out;
  }
  if (wl_out && (rc = write_workload(&r, app, target, reference, wl_out)))
    goto out;
  if (nat && (err = su_fit_predict_set(&set, at, nat, (unsigned)boot,
                                       (unsigned long long)seed)) != SU_OK) {
    rc = su_cli_fail(err);
    goto out;
  }
  if (set.nseries == 0) {
    if (kernel)
      fprintf(stderr, "sizeup: warning: no ok bandwidth/flops rows of kernel '%s' in '%s'\n",
              kernel, dir);
    else
      fprintf(stderr, "sizeup: warning: no ok bandwidth/flops rows in '%s'\n", dir);
  }
  if (!outp || strcmp(outp, "-") != 0) {   /* '-': stdout carries the CSV only */
    print_fits(&set);
    print_choices(&set, nat > 0);
    if (have_r)
      print_sweeps(&r);
  }
  if (outp && strcmp(outp, "-") == 0) {
    err = su_fit_write_csv(&set, run_id, stdout);
  } else {
    if (!outp) {
      if (table) {
        const char *sl = strrchr(dir, '/');
        snprintf(path, sizeof(path), "%.*sfits.csv", sl ? (int)(sl - dir + 1) : 0, dir);
      } else {
        snprintf(path, sizeof(path), "%s/fits.csv", dir);
      }
      outp = path;
    }
    if (!(fp = su_fs_fopen_w(outp))) {
      fprintf(stderr, "sizeup: error: cannot write '%s'\n", outp);
      rc = SU_EXIT_ERROR;
      goto out;
    }
    err = su_fit_write_csv(&set, run_id, fp);
    if (fclose(fp) != 0 && !err)
      err = su_errorf(SU_EIO, "cannot write '%s'", outp);
    if (!err)
      printf("\nwrote %s\n", outp);
    if (!err && nat) {
      /* predictions.csv beside fits.csv */
      const char *sl = strrchr(outp, '/');
      snprintf(ppath, sizeof(ppath), "%.*spredictions.csv", sl ? (int)(sl - outp + 1) : 0, outp);
      if (!(fp = su_fs_fopen_w(ppath))) {
        err = su_errorf(SU_EIO, "cannot write '%s': %s", ppath, strerror(errno));
      } else {
        err = su_fit_write_predictions(&set, run_id, fp);
        if (fclose(fp) != 0 && !err)
          err = su_errorf(SU_EIO, "cannot write '%s'", ppath);
        if (!err)
          printf("wrote %s\n", ppath);
      }
    }
  }
  if (err)
    rc = su_cli_fail(err);
out:
  su_fit_set_fini(&set);
  if (have_r)
    su_results_fini(&r);
  return rc;
}
