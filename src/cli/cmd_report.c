/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_report.c: `sizeup report DIR... [--out reports/NAME]`.
 *
 * Loads one or several results directories and writes the report of
 * report.h: gnuplot scripts and data, PNG/SVG when gnuplot is on PATH,
 * report.html and report.md.  Without gnuplot it still writes everything
 * else and says how to render the plots.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "sizeup/error.h"
#include "sizeup/report.h"
#include "sizeup/results.h"

static void usage(FILE *fp)
{
  fprintf(fp,
          "usage: sizeup report DIR... [--out reports/NAME] [--gnuplot PROG | --no-render]\n"
          "\n"
          "Plots and a report from one results directory, or several side by side:\n"
          "scaling per kernel (with the ideal line, fitted model and CI error bars),\n"
          "bandwidth against working set with the cache plateaus, latency against\n"
          "working set, a roofline from measured ceilings and comparison bars.\n"
          "Writes NAME.gp and NAME.dat per plot (rerun with 'gnuplot NAME.gp'),\n"
          "NAME.png and NAME.svg when gnuplot is available, report.html (self-\n"
          "contained) and report.md.  See docs/report.md.\n"
          "\n"
          "options:\n"
          "  -o, --out DIR       output directory (default reports/<run id of the first DIR>)\n"
          "      --gnuplot PROG  the gnuplot to run (default: gnuplot on PATH)\n"
          "      --no-render     write the scripts only\n"
          "  -h, --help          this text\n"
          "\n"
          "examples:\n"
          "  sizeup report results/20261124T101530Z-node17-3f2a\n"
          "  sizeup report results/vendor-a results/vendor-b --out reports/procurement\n"
          "  sizeup report results/latest --no-render && (cd reports/... && gnuplot *.gp)\n");
}

/* A run id as a path component: anything but [A-Za-z0-9._-] becomes '_'. */
static void safe_component(const char *s, char *out, size_t outlen)
{
  size_t j = 0;

  for (size_t i = 0; s[i] && j + 1 < outlen; i++) {
    char c = s[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '-' || c == '_' || (c == '.' && j > 0);
    out[j++] = ok ? c : '_';
  }
  if (j == 0)
    out[j++] = '_';
  out[j] = '\0';
}

int cmd_report(int argc, char **argv)
{
  enum { OPT_GNUPLOT = 256, OPT_NO_RENDER };
  static const struct option opts[] = {
    {"out", required_argument, NULL, 'o'},
    {"gnuplot", required_argument, NULL, OPT_GNUPLOT},
    {"no-render", no_argument, NULL, OPT_NO_RENDER},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  su_report_opts_t o = {NULL, NULL};
  su_report_info_t info;
  su_results_t *dirs = NULL;
  size_t ndirs = 0;
  char outbuf[4096], comp[256];
  int c, err, rc = SU_EXIT_OK;

  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
    switch (c) {
    case 'o': o.out_dir = optarg; break;
    case OPT_GNUPLOT: o.gnuplot = optarg; break;
    case OPT_NO_RENDER: o.gnuplot = ""; break;
    case 'h': usage(stdout); return SU_EXIT_OK;
    default: return su_cli_bad_option("report", argc, argv, opts);
    }
  }
  if (optind >= argc)
    return su_cli_usage_error("report", "no results directory given");
  dirs = calloc((size_t)(argc - optind), sizeof(*dirs));
  if (!dirs)
    return su_cli_fail(su_errorf(SU_ENOMEM, "cannot load results"));
  for (int i = optind; i < argc; i++) {
    if ((err = su_results_load(argv[i], &dirs[ndirs])) != SU_OK) {
      rc = su_cli_fail_input(err);
      goto out;
    }
    ndirs++;
  }
  if (!o.out_dir) {
    safe_component(dirs[0].run_id, comp, sizeof(comp));
    snprintf(outbuf, sizeof(outbuf), "reports/%s", comp);
    o.out_dir = outbuf;
  }
  if ((err = su_report_write(dirs, ndirs, &o, &info)) != SU_OK) {
    rc = su_cli_fail(err);
    goto out;
  }
  printf("wrote %s/report.html and report.md (%zu plots", o.out_dir, info.nplots);
  if (info.nrendered)
    printf(", %zu rendered as PNG and SVG", info.nrendered);
  printf(")\n");
  if (!info.fits_available)
    fprintf(stderr, "sizeup: warning: built without GSL: no fitted curves (install "
                    "libgsl-dev and rebuild)\n");
  if (info.gnuplot_missing)
    printf("gnuplot not found on PATH: the plot scripts are written; render them with\n"
           "  cd '%s' && for f in *.gp; do gnuplot \"$f\"; done\n", o.out_dir);
  else if (o.gnuplot && !*o.gnuplot)
    printf("not rendered (--no-render): cd '%s' && for f in *.gp; do gnuplot \"$f\"; done\n",
           o.out_dir);
  if (info.render_error[0]) {
    fprintf(stderr, "sizeup: warning: %s\n", info.render_error);
    rc = SU_EXIT_ERROR;
  }
out:
  for (size_t i = 0; i < ndirs; i++)
    su_results_fini(&dirs[i]);
  free(dirs);
  return rc;
}
