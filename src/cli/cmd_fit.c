/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_fit.c: `sizeup fit DIR [--kernel K] [--out FILE]`.
 *
 * Fits the scaling laws of fit.h to every headline series of a results
 * directory, prints a table, writes fits.csv (docs/models.md), and lists the
 * cache levels found in the working-set sweeps.  Fits that the data cannot
 * determine are printed with their status, never with invented numbers.
 */
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

static void usage(FILE *fp)
{
  fprintf(fp,
          "usage: sizeup fit DIR [--kernel K] [--out FILE]\n"
          "\n"
          "Fit Amdahl, the Universal Scalability Law and the bandwidth bound\n"
          "min(N b1, Bmax) (Gustafson for weak-scaling series) to every bandwidth\n"
          "and flops series of a results directory, by nonlinear least squares\n"
          "(GSL).  Prints parameters with standard errors, R^2, the held-out error\n"
          "(fit on N <= max/2, predict the rest), the USL peak N* and the\n"
          "efficiency at the largest N, and the cache levels found in working-set\n"
          "sweeps.  Series with fewer than 3 thread counts are listed as\n"
          "too_few_points.  See docs/models.md.\n"
          "\n"
          "options:\n"
          "  -k, --kernel K   only series of kernel K\n"
          "  -o, --out FILE   where to write fits.csv (default DIR/fits.csv; '-' for stdout)\n"
          "  -h, --help       this text\n"
          "\n"
          "examples:\n"
          "  sizeup fit results/20261124T101530Z-node17-3f2a\n"
          "  sizeup fit results/latest --kernel stream_triad --out triad-fits.csv\n");
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
        printf(" eff(%g)=", f->nmax);
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
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *kernel = NULL, *outp = NULL, *dir;
  char path[4096];
  su_results_t r;
  su_fit_set_t set = {NULL, 0};
  FILE *fp = NULL;
  int c, err, rc = SU_EXIT_OK;

  opterr = 0;
  while ((c = getopt_long(argc, argv, ":k:o:h", opts, NULL)) != -1) {
    switch (c) {
    case 'k': kernel = optarg; break;
    case 'o': outp = optarg; break;
    case 'h': usage(stdout); return SU_EXIT_OK;
    default: return su_cli_bad_option("fit", argc, argv);
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
  if ((err = su_results_load(dir, &r)) != SU_OK)
    return su_cli_fail_input(err);
  if ((err = su_fit_results(&r, kernel, &set)) != SU_OK) {
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
    print_sweeps(&r);
  }
  if (outp && strcmp(outp, "-") == 0) {
    err = su_fit_write_csv(&set, r.run_id, stdout);
  } else {
    if (!outp) {
      snprintf(path, sizeof(path), "%s/fits.csv", dir);
      outp = path;
    }
    if (!(fp = su_fs_fopen_w(outp))) {
      fprintf(stderr, "sizeup: error: cannot write '%s'\n", outp);
      rc = SU_EXIT_ERROR;
      goto out;
    }
    err = su_fit_write_csv(&set, r.run_id, fp);
    if (fclose(fp) != 0 && !err)
      err = su_errorf(SU_EIO, "cannot write '%s'", outp);
    if (!err)
      printf("\nwrote %s\n", outp);
  }
  if (err)
    rc = su_cli_fail(err);
out:
  su_fit_set_fini(&set);
  su_results_fini(&r);
  return rc;
}
