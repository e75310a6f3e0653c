/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_history.c: `sizeup history add|list|check|plot ... --db FILE`.
 *
 * The nightly workflow (docs/nightly.md): `history check DIR` gates a new
 * run against the pooled samples of the last --window comparable runs (exit
 * 3 on a regression, like `compare`), `history add DIR` stores it, `history
 * plot` draws the trends.  The database work is in src/io/history.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "sizeup/compare.h"
#include "sizeup/config.h"
#include "sizeup/error.h"
#include "sizeup/parse.h"
#include "sizeup/fs.h"
#include "sizeup/history.h"
#include "sizeup/report.h"
#include "sizeup/suggest.h"

static void usage(FILE *fp)
{
  fprintf(fp,
          "usage: sizeup history add DIR --db FILE\n"
          "       sizeup history list --db FILE\n"
          "       sizeup history check DIR --db FILE [--add] [--window N] [--threshold PCT]\n"
          "                            [--alpha A] [--fail-if-blind F] [--junit FILE]\n"
          "                            [--out DIR]\n"
          "       sizeup history plot --db FILE [--out DIR] [--window N]\n"
          "\n"
          "Keep runs in an SQLite database and check new runs against them.\n"
          "'add' stores a results directory (fingerprint, summary rows, samples) in\n"
          "one transaction; adding a run id that is already stored does nothing.\n"
          "'check' pools the samples of the last N runs with the same fingerprint\n"
          "(CPU model, cores, packages, NUMA nodes, memory, host name, labels) and\n"
          "compares DIR with them like 'sizeup compare' (exit 3 on a regression,\n"
          "4 with --fail-if-blind when too many checks were too noisy to judge); with\n"
          "--add it then stores DIR.  The first night (no database, or no comparable\n"
          "run yet) is not a failure: 'baseline recorded' with --add, exit 0.\n"
          "'plot' writes trend_N.gp/.dat per headline figure with regressions marked\n"
          "and renders them when gnuplot is installed.  See docs/nightly.md.\n"
          "\n"
          "options:\n"
          "  -d, --db FILE        the history database (created by 'add')\n"
          "  -w, --window N       comparable runs pooled as the baseline (default 10)\n"
          "      --add            check: then store DIR (creates the database)\n"
          "      --fail-if-blind F  check: exit 4 when more than F (0..1, or a\n"
          "                       percentage) of the checks were too noisy to judge\n"
          "  -t, --threshold PCT  smallest change that matters, percent (default 5)\n"
          "  -k, --noise-k K      check: changes within K x the run-to-run noise are\n"
          "                       noisy (default 3; 0: off; see sizeup compare --help)\n"
          "  -a, --alpha A        significance level of the U test (default 0.01)\n"
          "  -j, --junit FILE     check: write JUnit XML\n"
          "  -o, --out DIR        check: compare.csv and plot; plot: output directory\n"
          "                       (default history-plots)\n"
          "  -h, --help           this text\n"
          "\n"
          "examples:\n"
          "  sizeup history check results/tonight --db nightly.db --junit check.xml\n"
          "  sizeup history check results/tonight --db nightly.db --add --fail-if-blind 0.5\n"
          "  sizeup history add results/tonight --db nightly.db\n"
          "  sizeup history list --db nightly.db\n"
          "  sizeup history plot --db nightly.db --out trends/\n");
}

static int fail_db(int err)
{
  return su_cli_fail_input(err);
}

static int is_dir(const char *dir)
{
  struct stat st;

  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "sizeup: error: '%s' is not a results directory\n", dir);
    return 0;
  }
  return 1;
}

static int do_add(su_history_t *h, const char *db, const char *dir)
{
  int added = 0, err;

  if (!is_dir(dir))
    return SU_EXIT_USAGE;
  if ((err = su_history_add(h, dir, &added)) != SU_OK)
    return fail_db(err);
  if (added)
    printf("added '%s' to %s\n", dir, db);
  else
    printf("'%s' is already in %s: nothing added\n", dir, db);
  return SU_EXIT_OK;
}

static int do_list(su_history_t *h)
{
  su_history_run_t *runs;
  size_t n;
  int err;

  if ((err = su_history_list(h, &runs, &n)) != SU_OK)
    return fail_db(err);
  printf("%-4s %-20s %-36s %8s %9s  %s\n", "#", "added (UTC)", "run id", "configs", "samples",
         "fingerprint");
  for (size_t i = 0; i < n; i++) {
    char when[32] = "?";
    time_t t = (time_t)runs[i].added_unix;
    struct tm tm;
    if (gmtime_r(&t, &tm))
      strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
    printf("%-4lld %-20s ", (long long)runs[i].id, when);
    /* untrusted text: control characters become '?' */
    su_cli_put_safe(stdout, runs[i].run_id);
    printf("%*s %8zu %9zu  ", (int)(strlen(runs[i].run_id) < 36 ? 36 - strlen(runs[i].run_id) : 0),
           "", runs[i].nconfigs, runs[i].nsamples);
    su_cli_put_safe(stdout, runs[i].fingerprint);
    putchar('\n');
  }
  printf("%zu run(s)\n", n);
  su_history_runs_free(runs, n);
  return SU_EXIT_OK;
}

/*
 * The first night: no database, or no run comparable with dir in it.  Not a
 * failure: says so, names what keeps the stored runs from being comparable
 * (a changed label, another host), and with --add records dir as the
 * baseline.
 */
static int first_night(su_history_t *h, const char *db, const char *dir, int add)
{
  char *why = NULL;
  size_t nstored = 0;
  int err, added = 0;

  if (h && (err = su_history_explain(h, dir, &why, &nstored)) != SU_OK)
    return fail_db(err);
  if (add && (err = su_history_add(h, dir, &added)) != SU_OK) {
    free(why);
    return fail_db(err);
  }
  if (add)
    printf("gate: baseline recorded: no earlier run of this machine in %s, so '%s' is the "
           "baseline the next check compares with\n", db, dir);
  else
    printf("gate: no baseline yet: %s; nothing to compare.  'sizeup history add %s --db %s' "
           "records this run as the baseline (or check with --add)\n",
           h ? "no comparable run in the history" : "the database does not exist yet", dir, db);
  if (why) {
    printf("gate: %zu stored run(s) are of another machine or labels; the closest, ", nstored);
    su_cli_put_safe(stdout, why);
    printf(" (a changed label or machine starts a new baseline)\n");
  }
  free(why);
  return SU_EXIT_OK;
}

static int do_check(const char *db, const char *dir, unsigned window, int add,
                    const su_cli_gate_t *g)
{
  su_cmp_side_t base, cur;
  su_history_t *h = NULL;
  char *base_sys = NULL, *base_id = NULL, *new_sys = NULL, path[4096];
  struct stat st;
  su_cmp_t c;
  size_t nruns = 0;
  int err, rc;

  memset(&base, 0, sizeof(base));
  memset(&cur, 0, sizeof(cur));
  if (!is_dir(dir))
    return SU_EXIT_USAGE;
  if (stat(db, &st) != 0 && errno == ENOENT && !add) {
    if ((err = su_cmp_side_load(dir, &cur)) != SU_OK)
      return fail_db(err);
  } else {
    if ((err = su_history_open(db, add, &h)) != SU_OK)
      return fail_db(err);
    if ((err = su_history_baseline(h, dir, window, &base, &cur, &nruns)) != SU_OK) {
      rc = fail_db(err);
      goto out;
    }
  }
  if ((err = su_cmp_run(&base, &cur, &g->o, &c)) != SU_OK) {
    rc = su_cli_fail(err);
    goto out;
  }
  if (nruns == 0) {
    rc = first_night(h, db, dir, add);
    if (rc == SU_EXIT_OK && (g->junit || g->out_dir))
      rc = su_cli_compare_report(&c, "sizeup history check", g);
    su_cmp_fini(&c);
    goto out;
  }
  su_report_cmp_gate(&c, stdout);
  printf("baseline: %zu comparable run(s), samples pooled per configuration\n\n", nruns);
  rc = su_cli_compare_report(&c, "sizeup history check", g);
  if (c.count[SU_CMP_REGRESSED]) {
    snprintf(path, sizeof(path), "%s/system.json", dir);
    if (su_fs_read_text(path, 4u << 20, &new_sys) != SU_OK)
      su_errclear();
    if ((err = su_history_last_system(h, dir, &base_sys, &base_id)) != SU_OK)
      su_errclear();
    su_report_cmp_changes(stdout, base_sys, base_id ? base_id : base.label, new_sys);
  }
  su_cmp_fini(&c);
  if (add && rc != SU_EXIT_ERROR) {
    int added = 0;
    if ((err = su_history_add(h, dir, &added)) != SU_OK)
      rc = fail_db(err);
    else if (added)
      printf("added '%s' to %s\n", dir, db);
  }
out:
  free(base_sys);
  free(base_id);
  free(new_sys);
  su_cmp_side_fini(&base);
  su_cmp_side_fini(&cur);
  su_history_close(h);
  return rc;
}

static int do_plot(su_history_t *h, const char *out_dir, unsigned window,
                   const su_cmp_opts_t *o)
{
  su_history_trend_t *t = NULL;
  su_report_opts_t ro = {out_dir, NULL};
  su_report_info_t info;
  size_t n = 0;
  int err;

  if ((err = su_history_trends(h, window, o, &t, &n)) != SU_OK ||
      (err = su_report_trends(t, n, &ro, &info)) != SU_OK) {
    su_history_trends_free(t, n);
    su_cli_fail(err);
    return SU_EXIT_ERROR;
  }
  su_history_trends_free(t, n);
  printf("wrote %s/index.html and %zu trend plot(s) (trend_N.gp + trend_N.dat), %zu rendered%s\n",
         out_dir, info.nplots, info.nrendered,
         info.nrendered < info.nplots ? " (gnuplot missing or failed: run 'gnuplot trend_N.gp' there)"
                                      : "");
  return SU_EXIT_OK;
}

int cmd_history(int argc, char **argv)
{
  static const struct option opts[] = {
    {"db", required_argument, NULL, 'd'},
    {"window", required_argument, NULL, 'w'},
    {"add", no_argument, NULL, 'A'},
    SU_CLI_GATE_LONGOPTS,
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *db = NULL, *sub;
  unsigned window = 10;
  su_history_t *h = NULL;
  su_cli_gate_t g;
  int ch, err, rc, nargs, add = 0;

  su_cli_gate_init(&g);
  opterr = 0;
  while ((ch = getopt_long(argc, argv, ":d:w:" SU_CLI_GATE_SHORTOPTS "h", opts, NULL)) != -1) {
    switch (ch) {
    case 'd': db = optarg; break;
    case 'A': add = 1; break;
    case 'w':
      if (su_parse_uint(optarg, 1, 100000, &window) < 0)
        return su_cli_usage_error("history", "invalid value '%s' for --window", optarg);
      break;
    case 'h': usage(stdout); return SU_EXIT_OK;
    default:
      if ((rc = su_cli_gate_option("history", ch, optarg, &g)) < 0)
        return su_cli_bad_option("history", argc, argv, opts);
      if (rc != SU_EXIT_OK)
        return rc;
    }
  }
  if (optind >= argc)
    return su_cli_usage_error("history", "no subcommand given (add, list, check or plot)");
  sub = argv[optind++];
  nargs = argc - optind;
  if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "check") && strcmp(sub, "plot")) {
    static const char *const subs[] = {"add", "list", "check", "plot"};
    char hint[64];
    su_suggest_hint(sub, NULL, subs, 4, hint, sizeof(hint));
    return su_cli_usage_error("history", "'%s' is not a history subcommand (%sadd, list, "
                              "check or plot)", sub, hint);
  }
  if (nargs != ((strcmp(sub, "add") == 0 || strcmp(sub, "check") == 0) ? 1 : 0))
    return su_cli_usage_error("history", "'history %s' takes %s", sub,
                              strcmp(sub, "add") == 0 || strcmp(sub, "check") == 0
                                ? "one results directory" : "no directory");
  if (!db)
    return su_cli_usage_error("history", "no database given (--db FILE)");
  if (!SU_HAVE_SQLITE) {
    fprintf(stderr, "sizeup: error: built without SQLite: install libsqlite3-dev and rebuild\n");
    return SU_EXIT_ERROR;
  }
  if (add && strcmp(sub, "check") != 0)
    return su_cli_usage_error("history", "--add belongs to 'history check'");
  if (strcmp(sub, "check") == 0)
    return do_check(db, argv[optind], window, add, &g);
  if ((err = su_history_open(db, strcmp(sub, "add") == 0, &h)) != SU_OK)
    return fail_db(err);
  if (strcmp(sub, "add") == 0)
    rc = do_add(h, db, argv[optind]);
  else if (strcmp(sub, "list") == 0)
    rc = do_list(h);
  else
    rc = do_plot(h, g.out_dir ? g.out_dir : "history-plots", window, &g.o);
  su_history_close(h);
  return rc;
}
