/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_compare.c: `sizeup compare BASE NEW [--threshold 5] [--alpha 0.01]
 * [--junit FILE] [--out DIR]`.
 *
 * Compares two results directories configuration by configuration
 * (compare.h), prints a table, and optionally writes JUnit XML, compare.csv
 * and a bar chart.  The exit code is the gate: 0 nothing regressed,
 * 3 a regression, 2 bad usage or unreadable input, 1 an output error.
 * The output half is shared with `sizeup history check`.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "sizeup/compare.h"
#include "sizeup/error.h"
#include "sizeup/parse.h"
#include "sizeup/fs.h"
#include "sizeup/report.h"
#include "sizeup/results.h"

static void usage(FILE *fp)
{
  fprintf(fp,
          "usage: sizeup compare BASE NEW [--threshold PCT] [--alpha A] [--junit FILE]\n"
          "                      [--out DIR]\n"
          "\n"
          "Compare two results directories configuration by configuration (same\n"
          "kernel, variant, backend, device, precision, threads, ranks, nodes,\n"
          "placement, size and metric).  For bandwidth, flops and latency: both\n"
          "medians with 95%% CIs, the ratio, the Mann-Whitney U p-value of the\n"
          "samples and Cliff's delta.  A configuration is 'regressed' when p < alpha,\n"
          "its median is worse by more than the threshold AND the two CIs do not\n"
          "overlap AND, for runs of several rounds (sizeup run --rounds), the round\n"
          "medians confirm it (Welch's t, p < alpha; no overlap); or it failed in\n"
          "NEW.  'noisy' when a side has a cv above the threshold, too few samples,\n"
          "or rounds that do not confirm the change.  Multi-thread configurations\n"
          "are compared within one thread placement (the c2c_ns column).  See\n"
          "docs/nightly.md.\n"
          "\n"
          "options:\n"
          "  -t, --threshold PCT  smallest change that matters, percent (default 5)\n"
          "  -k, --noise-k K      changes within K x the run-to-run noise (the robust\n"
          "                       spread of all configurations' changes) are noisy\n"
          "                       (default 3; 0: off)\n"
          "  -a, --alpha A        significance level of the U test (default 0.01)\n"
          "  -j, --junit FILE     write JUnit XML (one testcase per configuration)\n"
          "  -o, --out DIR        write DIR/compare.csv and the plot DIR/compare.{gp,dat,png}\n"
          "      --fail-if-blind F  exit 4 when more than F (0..1, or a percentage) of\n"
          "                       the checks were too noisy to judge\n"
          "  -h, --help           this text\n"
          "\n"
          "The first line says what the check can see: the smallest change it can\n"
          "call on this machine (the threshold, or K x the run-to-run noise when\n"
          "larger) and how many checks were too noisy to judge.  A regression alert\n"
          "ends with what changed in system.json between BASE and NEW.\n"
          "\n"
          "exit status: 0 nothing regressed, 3 a regression, 4 too blind to judge\n"
          "(--fail-if-blind), 2 bad usage or input, 1 an output error.\n"
          "\n"
          "examples:\n"
          "  sizeup compare results/last-night results/tonight\n"
          "  sizeup compare base/ new/ --threshold 3 --junit compare.xml --out cmp/\n"
          "  sizeup compare base/ new/ --fail-if-blind 0.5\n");
}

/* Parses "5" or "5%" as a percentage in (0, 1000). */
static int parse_pct(const char *s, double *out)
{
  char num[64];
  size_t n = strlen(s);
  double v;

  if (n == 0 || n >= sizeof(num))
    return -1;
  memcpy(num, s, n + 1);
  if (num[n - 1] == '%')
    num[n - 1] = '\0';
  if (su_parse_real(num, 0, 1000, &v) || v <= 0 || v >= 1000)
    return -1;
  *out = v / 100;
  return 0;
}

/* A number in [lo, hi], or in (lo, hi) when `open`: 0, or -1. */
static int parse_in(const char *s, double lo, double hi, int open, double *out)
{
  double v;

  if (su_parse_real(s, lo, hi, &v) || (open && (v == lo || v == hi)))
    return -1;
  *out = v;
  return 0;
}

void su_cli_gate_init(su_cli_gate_t *g)
{
  memset(g, 0, sizeof(*g));
  su_cmp_opts_default(&g->o);
  g->fail_if_blind = -1;
}

/* "0.5", or "50%": a share in [0, 1]. */
static int parse_share(const char *s, double *out)
{
  size_t n = strlen(s);
  char buf[64];

  if (n && n < sizeof(buf) && s[n - 1] == '%') {
    memcpy(buf, s, n - 1);
    buf[n - 1] = '\0';
    if (parse_in(buf, 0, 100, 0, out) < 0)
      return -1;
    *out /= 100;
    return 0;
  }
  return parse_in(s, 0, 1, 0, out);
}

int su_cli_gate_option(const char *cmd, int c, const char *arg, su_cli_gate_t *g)
{
  switch (c) {
  case 't':
    if (parse_pct(arg, &g->o.threshold) < 0)
      return su_cli_usage_error(cmd, "invalid value '%s' for --threshold (a percentage)", arg);
    return SU_EXIT_OK;
  case 'a':
    if (parse_in(arg, 0, 1, 1, &g->o.alpha) < 0)
      return su_cli_usage_error(cmd, "invalid value '%s' for --alpha (between 0 and 1)", arg);
    return SU_EXIT_OK;
  case 'k':
    if (parse_in(arg, 0, 100, 0, &g->o.noise_k) < 0)
      return su_cli_usage_error(cmd, "invalid value '%s' for --noise-k (0 to 100)", arg);
    return SU_EXIT_OK;
  case 'B':
    if (parse_share(arg, &g->fail_if_blind) < 0)
      return su_cli_usage_error(cmd, "invalid value '%s' for --fail-if-blind (a share of the "
                                "checks, 0 to 1, or a percentage)", arg);
    return SU_EXIT_OK;
  case 'j': g->junit = arg; return SU_EXIT_OK;
  case 'o': g->out_dir = arg; return SU_EXIT_OK;
  default: return -1;
  }
}

static int write_file(const char *path, const su_cmp_t *c, const char *suite, int junit)
{
  FILE *fp = su_fs_fopen_w(path);
  int err;

  if (!fp) {
    fprintf(stderr, "sizeup: error: cannot write '%s': %s\n", path, strerror(errno));
    return SU_EXIT_ERROR;
  }
  err = junit ? su_report_cmp_junit(c, suite, fp) : su_report_cmp_csv(c, fp);
  if (fclose(fp) != 0 && !err)
    err = su_errorf(SU_EIO, "cannot write '%s'", path);
  if (err) {
    su_cli_fail(err);
    return SU_EXIT_ERROR;
  }
  return SU_EXIT_OK;
}

void su_cli_put_safe(FILE *fp, const char *s)
{
  for (const char *p = s ? s : ""; *p; p++)
    fputc((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p, fp);
}

int su_cli_gate_blind(const su_cmp_t *c, const su_cli_gate_t *g)
{
  if (!(g->fail_if_blind >= 0) || !(su_cmp_blind(c) > g->fail_if_blind))
    return SU_EXIT_OK;
  fprintf(stderr, "sizeup: error: the check is blind: %zu of %zu checks (%.0f%%) were too "
          "noisy to judge, more than --fail-if-blind %.3g%%\n", c->count[SU_CMP_NOISY],
          su_cmp_checks(c), 100 * su_cmp_blind(c), 100 * g->fail_if_blind);
  return SU_EXIT_BLIND;
}

int su_cli_compare_report(const su_cmp_t *c, const char *suite, const su_cli_gate_t *g)
{
  const char *junit = g->junit, *out_dir = g->out_dir;
  char path[4096];
  int rendered = 0, err, rc;

  if (c->nrows && c->count[SU_CMP_NEW] == c->nrows) {
    printf("%zu configurations recorded, none compared\n", c->nrows);
  } else if ((err = su_report_cmp_table(c, stdout)) != SU_OK) {
    su_cli_fail(err);
    return SU_EXIT_ERROR;
  }
  if (junit) {
    if ((rc = write_file(junit, c, suite, 1)) != SU_EXIT_OK)
      return rc;
    printf("wrote %s\n", junit);
  }
  if (out_dir) {
    if ((err = su_fs_mkdir_p(out_dir)) != SU_OK) {
      su_cli_fail(err);
      return SU_EXIT_ERROR;
    }
    snprintf(path, sizeof(path), "%s/compare.csv", out_dir);
    if ((rc = write_file(path, c, suite, 0)) != SU_EXIT_OK)
      return rc;
    printf("wrote %s\n", path);
    if ((err = su_report_cmp_plot(c, out_dir, NULL, &rendered)) != SU_OK) {
      su_cli_fail(err);
      return SU_EXIT_ERROR;
    }
    printf("wrote %s/compare.gp and compare.dat%s\n", out_dir,
           rendered ? " and rendered compare.png"
                    : " (not rendered: gnuplot missing or failed; run 'gnuplot compare.gp' there)");
  }
  return c->count[SU_CMP_REGRESSED] ? SU_EXIT_REGRESSION : su_cli_gate_blind(c, g);
}

/* A results directory must exist as a directory; anything else is bad input. */
static int load_side(const char *dir, su_cmp_side_t *s)
{
  struct stat st;
  int err;

  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "sizeup: error: '%s' is not a results directory\n", dir);
    return SU_EXIT_USAGE;
  }
  if ((err = su_cmp_side_load(dir, s)) != SU_OK) {
    return su_cli_fail_input(err);   /* unreadable or malformed input */
  }
  return SU_EXIT_OK;
}

/* Reads DIR/system.json, or NULL. */
static char *read_system(const char *dir)
{
  char path[4096], *text = NULL;

  snprintf(path, sizeof(path), "%s/system.json", dir);
  if (su_fs_read_text(path, 4u << 20, &text) != SU_OK)
    su_errclear();
  return text;
}

static void what_changed(const char *base_dir, const char *new_dir, const char *base_name)
{
  char *a = read_system(base_dir), *b = read_system(new_dir);

  su_report_cmp_changes(stdout, a, base_name, b);
  free(a);
  free(b);
}

int cmd_compare(int argc, char **argv)
{
  static const struct option opts[] = {
    SU_CLI_GATE_LONGOPTS,
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  su_cli_gate_t g;
  su_cmp_side_t base, cur;
  su_cmp_t c;
  int ch, err, rc;

  su_cli_gate_init(&g);
  memset(&base, 0, sizeof(base));
  memset(&cur, 0, sizeof(cur));
  opterr = 0;
  while ((ch = getopt_long(argc, argv, ":" SU_CLI_GATE_SHORTOPTS "h", opts, NULL)) != -1) {
    if (ch == 'h') {
      usage(stdout);
      return SU_EXIT_OK;
    }
    if ((rc = su_cli_gate_option("compare", ch, optarg, &g)) < 0)
      return su_cli_bad_option("compare", argc, argv, opts);
    if (rc != SU_EXIT_OK)
      return rc;
  }
  if (argc - optind != 2)
    return su_cli_usage_error("compare", "need two results directories, BASE and NEW (got %d)",
                              argc - optind);
  if ((rc = load_side(argv[optind], &base)) != SU_EXIT_OK)
    return rc;
  if ((rc = load_side(argv[optind + 1], &cur)) != SU_EXIT_OK)
    goto out;
  if ((err = su_cmp_run(&base, &cur, &g.o, &c)) != SU_OK) {
    rc = su_cli_fail(err);
    goto out;
  }
  if (c.nrows == 0)
    fprintf(stderr, "sizeup: warning: no bandwidth, flops or latency rows to compare\n");
  su_report_cmp_gate(&c, stdout);
  rc = su_cli_compare_report(&c, "sizeup compare", &g);
  if (c.count[SU_CMP_REGRESSED])
    what_changed(argv[optind], argv[optind + 1], base.label);
  su_cmp_fini(&c);
out:
  su_cmp_side_fini(&base);
  su_cmp_side_fini(&cur);
  return rc;
}
