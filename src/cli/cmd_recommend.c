/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_recommend.c: `sizeup recommend --catalog F --workload W [--out DIR]`.
 *
 * Which hardware, how many nodes, at what cost: reads a catalog of
 * candidate systems and a workload profile (docs/sizing.md), ranks the
 * candidates for the workload's target, prints the table and the reasons,
 * and writes recommend.csv, a cost-against-time plot and recommend.html.
 * Both inputs are read and validated in full first: a bad file is an error
 * naming the file, line and field (exit 2) and nothing is written.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "sizeup/error.h"
#include "sizeup/fs.h"
#include "sizeup/report.h"
#include "sizeup/sizing.h"

static void usage(FILE *fp)
{
  fprintf(fp,
          "usage: sizeup recommend --catalog FILE --workload FILE [--out DIR]\n"
          "                        [--gnuplot PROG | --no-render]\n"
          "\n"
          "Ranks candidate systems for a workload: per candidate the nodes needed for\n"
          "the target (jobs per hour, day or month; a deadline; a budget), the jobs\n"
          "side by side on a node (cores_per_job), parallel efficiency, time, cost and\n"
          "energy per job (with 95%% ranges from the measurements), what the system\n"
          "costs per hour, month and year (licences per core or node included), jobs\n"
          "per money unit and per kWh, the cost/time Pareto front and a composite\n"
          "score; then says in plain words why the first choice wins and what would\n"
          "change the ranking.  Candidates with datasheet peaks instead of\n"
          "measurements are marked ESTIMATE; a catalog line whose cores, memory or\n"
          "GPUs differ from what its results were measured on gets a warning.\n"
          "Writes DIR/recommend.csv, recommend.gp/.dat (+ .png/.svg with gnuplot) and\n"
          "recommend.html.  Formats: docs/sizing.md.\n"
          "\n"
          "options:\n"
          "  -c, --catalog FILE   candidate systems (CSV)\n"
          "  -w, --workload FILE  kernel mix or flops/bytes, memory per job, target (INI)\n"
          "  -o, --out DIR        output directory (default reports/recommend)\n"
          "      --gnuplot PROG   the gnuplot to run (default: gnuplot on PATH)\n"
          "      --no-render      write the plot script only\n"
          "  -h, --help           this text\n"
          "\n"
          "examples:\n"
          "  sizeup recommend --catalog bench/catalogs/walkthrough.csv \\\n"
          "                   --workload bench/workloads/cfd-throughput.ini\n"
          "  sizeup recommend -c bench/catalogs/example-cloud.csv -w bench/workloads/roofline-deadline.ini "
          "-o reports/buy\n");
}

int cmd_recommend(int argc, char **argv)
{
  enum { OPT_GNUPLOT = 256, OPT_NO_RENDER };
  static const struct option opts[] = {
    {"catalog", required_argument, NULL, 'c'},
    {"workload", required_argument, NULL, 'w'},
    {"out", required_argument, NULL, 'o'},
    {"gnuplot", required_argument, NULL, OPT_GNUPLOT},
    {"no-render", no_argument, NULL, OPT_NO_RENDER},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *catalog = NULL, *workload = NULL, *out = "reports/recommend", *gnuplot = NULL;
  su_sizing_catalog_t cat;
  su_sizing_workload_t w;
  su_sizing_t s;
  char path[4096];
  FILE *fp = NULL;
  int c, err, rendered = 0, rc = SU_EXIT_OK;

  memset(&cat, 0, sizeof(cat));
  memset(&s, 0, sizeof(s));
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":c:w:o:h", opts, NULL)) != -1) {
    switch (c) {
    case 'c': catalog = optarg; break;
    case 'w': workload = optarg; break;
    case 'o': out = optarg; break;
    case OPT_GNUPLOT: gnuplot = optarg; break;
    case OPT_NO_RENDER: gnuplot = ""; break;
    case 'h': usage(stdout); return SU_EXIT_OK;
    default: return su_cli_bad_option("recommend", argc, argv, opts);
    }
  }
  if (optind < argc)
    return su_cli_usage_error("recommend", "unexpected argument '%s'", argv[optind]);
  if (!catalog || !workload)
    return su_cli_usage_error("recommend", "give both --catalog and --workload");
  /* Read and check everything before anything is computed or written. */
  if ((err = su_sizing_catalog_load(catalog, &cat)) != SU_OK)
    return su_cli_fail(err == SU_EIO ? SU_EINVAL : err);
  if ((err = su_sizing_workload_load(workload, &w)) != SU_OK) {
    rc = su_cli_fail(err == SU_EIO ? SU_EINVAL : err);
    goto out;
  }
  if ((err = su_sizing_evaluate(&cat, &w, &s)) != SU_OK) {
    rc = su_cli_fail(err == SU_EIO ? SU_EINVAL : err);
    goto out;
  }
  for (size_t i = 0; i < s.n; i++)
    if (s.res[i].warning[0])
      fprintf(stderr, "sizeup: warning: %s\n", s.res[i].warning);
  su_report_sizing_table(&s, stdout);
  if ((err = su_fs_mkdir_p(out)) != SU_OK) {
    rc = su_cli_fail(err);
    goto out;
  }
  snprintf(path, sizeof(path), "%s/recommend.csv", out);
  if (!(fp = su_fs_fopen_w(path))) {
    rc = su_cli_fail(su_errorf(SU_EIO, "cannot write '%s'", path));
    goto out;
  }
  err = su_report_sizing_csv(&s, fp);
  if (fclose(fp) != 0 && err == SU_OK)
    err = su_errorf(SU_EIO, "cannot write '%s'", path);
  if (err != SU_OK) {
    rc = su_cli_fail(err);
    goto out;
  }
  if ((err = su_report_sizing_files(&s, out, gnuplot, &rendered)) != SU_OK) {
    rc = su_cli_fail(err);
    goto out;
  }
  printf("\nwrote %s/recommend.csv, recommend.html and recommend.gp%s\n", out,
         rendered ? " (rendered as PNG and SVG)" : "");
  if (!rendered && !(gnuplot && !*gnuplot))
    printf("gnuplot not available: render with  cd '%s' && gnuplot recommend.gp\n", out);
out:
  su_sizing_fini(&s);
  su_sizing_catalog_fini(&cat);
  return rc;
}
