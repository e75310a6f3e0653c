/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_app.c: `sizeup app [options] -- CMD [ARGS...]`.
 *
 * A user's own program measured like a kernel (the app backend,
 * include/sizeup/app.h): over the thread ladder and placements, or over MPI
 * ranks, with warm-up, repetitions to the CI target or the budget, rounds
 * and a timeout per run.  The options and the measuring loop are run's
 * (cmd_run.c); this file has the usage and the command's parsing.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "sizeup/app.h"
#include "sizeup/error.h"

void su_cli_app_usage(FILE *fp)
{
  fprintf(fp,
    "usage: sizeup app [options] -- CMD [ARGS...]\n"
    "\n"
    "Runs your program over a thread ladder (OMP_NUM_THREADS set, the process bound\n"
    "with hwloc to the planned cpuset) or over MPI ranks, repeats it until the 95%%\n"
    "CI of the median is within --ci or the budget is spent, and writes the same\n"
    "summary.csv and samples.csv as 'sizeup run' (backend app, kernel = the name):\n"
    "fit, report, compare, history and recommend work on them.  {threads} and\n"
    "{ranks} in the command are replaced.  A run that exits non-zero, times out or\n"
    "prints no figure of merit makes an error row with the end of its stderr.\n"
    "Each run's output is kept (first and last 64 KiB) in DIR/app-output/.\n"
    "\n"
    "  --name NAME            the kernel column (default: the program's base name)\n"
    "  -t, --threads SPEC     1,2,4 | 1..max | pow2 | max   (default 1..max)\n"
    "  -P, --placement LIST   compact, scatter, numa:N, pu:LIST (as for run)\n"
    "      --ranks LIST       run through mpirun (srun under Slurm) with these\n"
    "                         numbers of ranks, e.g. 1,2,4\n"
    "      --launcher CMD     mpirun or srun (default: srun when SLURM_JOB_ID is set)\n"
    "      --fom REGEX        the metric is the number REGEX's one capture group\n"
    "                         finds in stdout (the last match), not the wall time\n"
    "      --fom-unit UNIT    its unit (needed with --fom)\n"
    "      --higher-is-better the figure of merit is a rate (default: lower is better)\n"
    "      --timeout SECONDS  per run; the process group is killed (default 600, 0 none)\n"
    "  -b, --budget SECONDS   timed runs per configuration (default 0.3; a slow\n"
    "                         program stops after 3 runs past 20x the budget)\n"
    "      --min-reps N, --max-reps N, --ci FRACTION, --rounds N   as for run\n"
    "  -o, --out DIR          results directory (default results/<run-id>)\n"
    "  -l, --label KEY=VALUE  recorded in system.json (repeatable)\n"
    "  -n, --dry-run          print the plan, run nothing\n"
    "      --resume DIR       complete an interrupted run in DIR\n"
    "  -q, --quiet            no progress line\n"
    "\n"
    "examples:\n"
    "  sizeup app -t 1,2,4,8 -- ./solver --input case.dat\n"
    "  sizeup app --name xz -t 1..max -- xz -T{threads} -kc big.tar\n"
    "  sizeup app --fom 'cells/s: ([0-9.eE+]+)' --fom-unit cells/s --higher-is-better \\\n"
    "      -t pow2 -- ./cfd case.ini\n"
    "  sizeup app --ranks 1,2,4 -- ./mpi_solver input\n"
    "See docs/app.md.\n");
}

int su_cli_app_finish(int argc, char **argv, int optind, su_app_spec_t *spec, int has_suite,
                      const char *resume)
{
  const char *base;
  int err;

  if (resume)
    return 0;
  if (has_suite)
    return su_cli_usage_error("app", "--profile and --suite are for 'sizeup run' (a suite "
                                     "holds applications as sections with 'command = ...')");
  if (optind >= argc)
    return su_cli_usage_error("app", "no command given: put it after '--', e.g. "
                                     "'sizeup app -t 1,2 -- ./solver input.dat'");
  if ((err = su_app_join(argv + optind, argc - optind, spec->command, sizeof(spec->command))))
    return su_cli_fail(err);
  if (!spec->name[0]) {
    base = strrchr(argv[optind], '/');
    snprintf(spec->name, sizeof(spec->name), "%s", base ? base + 1 : argv[optind]);
  }
  if ((err = su_app_spec_check(spec)))
    return su_cli_fail(err);
  return 0;
}

int cmd_app(int argc, char **argv)
{
  return cmd_run(argc, argv);
}
