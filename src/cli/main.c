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

int su_cli_fail(int err)
{
  const char *ctx = su_errmsg();

  if (ctx[0])
    fprintf(stderr, "sizeup: error: %s: %s\n", ctx, su_strerror(err));
  else
    fprintf(stderr, "sizeup: error: %s\n", su_strerror(err));
  if (err == SU_EINVAL)
    return SU_EXIT_USAGE;
  if (err == SU_EINTR)
    return SU_EXIT_INTERRUPTED;
  return SU_EXIT_ERROR;
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

int su_cli_bad_option(const char *cmd, int argc, char **argv)
{
  const char *arg = optind - 1 < argc && optind >= 1 ? argv[optind - 1] : "?";

  if (optopt && strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", optopt))
    return su_cli_usage_error(cmd, "bad or incomplete option '-%c'", optopt);
  return su_cli_usage_error(cmd, "bad or incomplete option '%s'", arg);
}

int main(int argc, char **argv)
{
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
  fprintf(stderr, "sizeup: error: '%s' is not a sizeup command; see 'sizeup --help'\n", argv[1]);
  return SU_EXIT_USAGE;
}
