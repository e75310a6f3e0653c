/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * main.c: the `sizeup` command.  A sorted table of subcommands (git's
 * cmd_struct), one file each; every subcommand parses its own options with
 * getopt_long and answers --help with examples.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "sizeup/config.h"
#include "sizeup/error.h"
#include "sizeup/suggest.h"

struct su_cmd {
  const char *name;
  int (*fn)(int argc, char **argv);
  const char *summary;
};

/* Sorted by name. */
static const struct su_cmd su_cmds[] = {
  {"app", cmd_app, "measure your own program over threads or MPI ranks, like a kernel"},
  {"compare", cmd_compare, "compare two results directories; exit 3 on a regression"},
  {"fit", cmd_fit, "fit scaling laws (Amdahl, Gustafson, USL) to a results directory"},
  {"history", cmd_history, "keep runs in an SQLite history; check a run against it, plot trends"},
  {"list", cmd_list, "list the kernels with their work models"},
  {"recommend", cmd_recommend, "rank candidate systems for a workload: nodes, cost, energy"},
  {"report", cmd_report, "plots and an HTML/Markdown report from results directories"},
  {"run", cmd_run, "run a benchmark suite and write results/<run-id>/"},
  {"slurm", cmd_slurm, "write (and submit) an sbatch script for the node-scaling sweep"},
  {"topo", cmd_topo, "show the machine's topology (packages, NUMA, cores, caches)"},
};

static void usage(FILE *fp)
{
  fprintf(fp, "usage: sizeup [--version] [--help] <command> [<args>]\n\ncommands:\n");
  for (size_t i = 0; i < sizeof(su_cmds) / sizeof(su_cmds[0]); i++)
    fprintf(fp, "  %-10s %s\n", su_cmds[i].name, su_cmds[i].summary);
  fprintf(fp, "\n'sizeup <command> --help' shows a command's options and examples.\n");
}

/*
 * The generic reason of an error code adds nothing to a context that says
 * what went wrong: "unknown kernel 'x' (see 'sizeup list')" needs no
 * ": invalid argument", and "cannot open 'f': No such file or directory"
 * already carries the system's reason.  The reason is printed when there is
 * no context, or when it says more than the context can (out of memory, not
 * supported, failed verification, a backend error, interrupted).
 */
static int reason_adds(int err)
{
  return err != SU_EINVAL && err != SU_EIO;
}

int su_cli_fail(int err)
{
  const char *ctx = su_errmsg();

  if (ctx[0] && reason_adds(err))
    fprintf(stderr, "sizeup: error: %s: %s\n", ctx, su_strerror(err));
  else if (ctx[0])
    fprintf(stderr, "sizeup: error: %s\n", ctx);
  else
    fprintf(stderr, "sizeup: error: %s\n", su_strerror(err));
  if (err == SU_EINVAL)
    return SU_EXIT_USAGE;
  if (err == SU_EINTR)
    return SU_EXIT_INTERRUPTED;
  return SU_EXIT_ERROR;
}

int su_cli_fail_input(int err)
{
  int rc = su_cli_fail(err);

  return err == SU_EIO ? SU_EXIT_USAGE : rc;
}

int su_cli_usage_error(const char *cmd, const char *fmt, ...)
{
  va_list ap;

  fprintf(stderr, "sizeup: error: ");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nsee 'sizeup %s --help'\n", cmd);
  return SU_EXIT_USAGE;
}

int su_cli_bad_option(const char *cmd, int argc, char **argv, const struct option *opts)
{
  const char *arg = optind - 1 < argc && optind >= 1 ? argv[optind - 1] : "?";
  const char *names[64];
  char word[64], hint[96] = "";
  size_t n = 0;

  if (optopt && strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", optopt))
    return su_cli_usage_error(cmd, "bad or incomplete option '-%c'", optopt);
  /* "--profle=x": suggest among the long options */
  if (arg[0] == '-' && arg[1] == '-' && opts) {
    snprintf(word, sizeof(word), "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
    for (; opts[n].name && n < sizeof(names) / sizeof(names[0]); n++)
      names[n] = opts[n].name;
    if (su_suggest(word, names, n))
      snprintf(hint, sizeof(hint), " (did you mean '--%s'?)", su_suggest(word, names, n));
  }
  return su_cli_usage_error(cmd, "bad or incomplete option '%s'%s", arg, hint);
}

int main(int argc, char **argv)
{
  /* Whole lines to stdout as they are made: an error on stderr then never
   * lands inside a table row when both go to one file (a cron mail). */
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc < 2) {
    usage(stderr);
    return SU_EXIT_USAGE;
  }
  if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
    printf("sizeup %s (git %s)\n", SU_VERSION_STRING, SU_GIT_COMMIT);
    return SU_EXIT_OK;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return SU_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof(su_cmds) / sizeof(su_cmds[0]); i++) {
    if (strcmp(argv[1], su_cmds[i].name) == 0) {
      optind = 1;
      return su_cmds[i].fn(argc - 1, argv + 1);
    }
  }
  {
    const char *names[sizeof(su_cmds) / sizeof(su_cmds[0])];
    char hint[96];
    for (size_t i = 0; i < sizeof(su_cmds) / sizeof(su_cmds[0]); i++)
      names[i] = su_cmds[i].name;
    su_suggest_hint(argv[1], NULL, names, sizeof(names) / sizeof(names[0]), hint, sizeof(hint));
    fprintf(stderr, "sizeup: error: '%s' is not a sizeup command; %ssee 'sizeup --help'\n",
            argv[1], hint);
  }
  return SU_EXIT_USAGE;
}
