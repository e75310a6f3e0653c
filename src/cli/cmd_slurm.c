/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_slurm.c: `sizeup slurm`, a batch script for the node-scaling sweep.
 *
 * Writes an sbatch script that allocates the largest node count once and
 * runs one job step per count (srun --mpi=pmix with CPU binding, so each
 * step is a `sizeup run --mpi` on that many nodes), each into DIR/nodes-N/;
 * then it gathers the steps into DIR/all/ (one summary.csv and samples.csv
 * over every count, the largest step's system.json) for `sizeup fit` and
 * `sizeup report`.  --submit hands the script to sbatch.  Values that end
 * up in the script are checked against a conservative character set and
 * single-quoted, because the script is run by a shell.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sizeup/error.h"
#include "sizeup/fs.h"

#define MAX_COUNTS 32
#define MAX_RUN_ARGS 128

static void usage(FILE *fp)
{
  fprintf(fp,
    "usage: sizeup slurm --nodes LIST --partition P [options] [-- RUN OPTIONS]\n"
    "\n"
    "Writes an sbatch script that runs the node-scaling sweep: one job step per node\n"
    "count, each 'srun --mpi=pmix sizeup run --mpi' into DIR/nodes-N/, then gathers\n"
    "every step into DIR/all/.  Options after '--' go to 'sizeup run' (default:\n"
    "--backend mpi -k mpi_triad_dot,mpi_stencil).\n"
    "\n"
    "  -N, --nodes LIST          node counts, e.g. 1,2,4 (the job allocates the largest)\n"
    "  -p, --partition P         Slurm partition\n"
    "      --ntasks-per-node K   MPI ranks per node (default 1)\n"
    "      --cpus-per-task C     CPUs bound to each rank (default 1; srun --cpu-bind=cores)\n"
    "      --time T              wall-clock limit, Slurm format (default 01:00:00)\n"
    "      --account A           Slurm account\n"
    "  -o, --out DIR             results directory of the sweep (default results/slurm-<time>)\n"
    "      --script FILE         where to write the script (default DIR/sizeup.sbatch)\n"
    "      --sizeup PATH         the sizeup binary the nodes run (default: this one)\n"
    "      --submit              submit the script with sbatch\n"
    "\n"
    "examples:\n"
    "  sizeup slurm --nodes 1,2,4 --partition compute\n"
    "  sizeup slurm -N 1,2,4,8 -p compute --ntasks-per-node 4 --time 00:30:00 --submit \\\n"
    "      -- --backend mpi -k mpi_stencil,mpi_triad_dot -S 256M\n");
}

/* Slurm names and values: letters, digits and -_.:,/+= (no shell syntax). */
static int safe_value(const char *s)
{
  if (!s || !s[0] || strlen(s) > 200)
    return 0;
  for (const char *c = s; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
          strchr("-_.:,/+=", *c)))
      return 0;
  return 1;
}

/* Writes s single-quoted for a POSIX shell ('\'' for a quote). */
static void put_quoted(FILE *fp, const char *s)
{
  fputc('\'', fp);
  for (const char *c = s; *c; c++) {
    if (*c == '\'')
      fputs("'\\''", fp);
    else
      fputc(*c, fp);
  }
  fputc('\'', fp);
}

static int parse_counts(const char *spec, unsigned *out, unsigned *n)
{
  char buf[256], *save = NULL, *tok;
  unsigned m = 0;

  if (strlen(spec) >= sizeof(buf))
    return -1;
  strcpy(buf, spec);
  for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    char *end;
    long v;
    errno = 0;
    v = strtol(tok, &end, 10);
    if (*end || errno || v < 1 || v > 100000 || m == MAX_COUNTS)
      return -1;
    for (unsigned i = 0; i < m; i++)
      if (out[i] == (unsigned)v)
        return -1;
    out[m++] = (unsigned)v;
  }
  *n = m;
  return m ? 0 : -1;
}

typedef struct slurm_args {
  const char *nodes, *partition, *time, *account, *out, *script, *sizeup;
  long ntasks, cpus;
  int submit;
  char **run_argv;
  int run_argc;
} slurm_args_t;

static int write_script(const slurm_args_t *a, const unsigned *counts, unsigned n,
                        const char *out_abs, const char *sizeup_abs, const char *path)
{
  unsigned max = 0;
  FILE *fp = su_fs_fopen_w(path);

  if (!fp)
    return su_errorf(SU_EIO, "cannot write '%s': %s", path, strerror(errno));
  for (unsigned i = 0; i < n; i++)
    if (counts[i] > max)
      max = counts[i];
  fprintf(fp, "#!/bin/bash\n");
  fprintf(fp, "# Node-scaling sweep written by 'sizeup slurm': one job step per node count,\n"
              "# then the steps gathered into one results directory (all/).\n");
  fprintf(fp, "#SBATCH --job-name=sizeup-scaling\n");
  fprintf(fp, "#SBATCH --partition=%s\n", a->partition);
  if (a->account)
    fprintf(fp, "#SBATCH --account=%s\n", a->account);
  fprintf(fp, "#SBATCH --nodes=%u\n", max);
  fprintf(fp, "#SBATCH --ntasks-per-node=%ld\n", a->ntasks);
  fprintf(fp, "#SBATCH --cpus-per-task=%ld\n", a->cpus);
  fprintf(fp, "#SBATCH --time=%s\n", a->time);
  /* Nothing else on the nodes while they are measured. */
  fprintf(fp, "#SBATCH --exclusive\n");
  fprintf(fp, "#SBATCH --output=%s/slurm-%%j.out\n", out_abs);
  fprintf(fp, "set -u\n");
  fprintf(fp, "SIZEUP=");
  put_quoted(fp, sizeup_abs);
  fprintf(fp, "\nOUT=");
  put_quoted(fp, out_abs);
  fprintf(fp, "\nRUN_ARGS=(");
  for (int i = 0; i < a->run_argc; i++) {
    if (i)
      fputc(' ', fp);
    put_quoted(fp, a->run_argv[i]);
  }
  fprintf(fp, ")\n");
  fprintf(fp, "export OMP_NUM_THREADS=%ld OMP_PROC_BIND=false\n", a->cpus);
  fprintf(fp, "mkdir -p \"$OUT\"\nrc=0\nlast=\n");
  fprintf(fp, "for n in");
  for (unsigned i = 0; i < n; i++)
    fprintf(fp, " %u", counts[i]);
  fprintf(fp, "; do\n");
  fprintf(fp, "  echo \"sizeup: $n node(s), $((n * %ld)) ranks\"\n", a->ntasks);
  fprintf(fp, "  srun --mpi=pmix --nodes=\"$n\" --ntasks=$((n * %ld)) --ntasks-per-node=%ld \\\n"
              "       --cpus-per-task=%ld --cpu-bind=cores \\\n"
              "       \"$SIZEUP\" run --mpi --out \"$OUT/nodes-$n\" -q \\\n"
              "       --label slurm_job=\"${SLURM_JOB_ID:-none}\" --label slurm_nodes=\"$n\" \\\n"
              "       \"${RUN_ARGS[@]}\" || rc=$?\n",
          a->ntasks, a->ntasks, a->cpus);
  fprintf(fp, "  [ -f \"$OUT/nodes-$n/summary.csv\" ] && last=$n\n");
  fprintf(fp, "done\n");
  fprintf(fp, "# Gather: one header, then the rows of every node count.\n"
              "mkdir -p \"$OUT/all\"\n"
              "for f in summary.csv samples.csv; do\n"
              "  awk 'FNR == 1 && NR != 1 { next } { print }' \"$OUT\"/nodes-*/\"$f\" \\\n"
              "    >\"$OUT/all/$f.tmp\" 2>/dev/null && mv \"$OUT/all/$f.tmp\" \"$OUT/all/$f\"\n"
              "done\n"
              "[ -n \"$last\" ] && cp \"$OUT/nodes-$last/system.json\" \"$OUT/all/system.json\"\n"
              "echo \"sizeup: results in $OUT/all (per node count in $OUT/nodes-N)\"\n"
              "exit $rc\n");
  if (fclose(fp) != 0)
    return su_errorf(SU_EIO, "cannot write '%s': %s", path, strerror(errno));
  chmod(path, 0755);
  return SU_OK;
}

/* The absolute form of path (which need not exist yet) into out; "" when
 * it does not fit. */
static void absolute(const char *path, char *out, size_t len)
{
  char cwd[PATH_MAX];
  int n;

  if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
    n = snprintf(out, len, "%s", path);
  else
    n = snprintf(out, len, "%s/%s", cwd, path);
  if (n < 0 || (size_t)n >= len)
    out[0] = '\0';
}

int cmd_slurm(int argc, char **argv)
{
  enum { O_NTASKS = 256, O_CPUS, O_TIME, O_ACCOUNT, O_SCRIPT, O_SIZEUP, O_SUBMIT };
  static const struct option opts[] = {
    {"nodes", required_argument, 0, 'N'},       {"partition", required_argument, 0, 'p'},
    {"ntasks-per-node", required_argument, 0, O_NTASKS},
    {"cpus-per-task", required_argument, 0, O_CPUS}, {"time", required_argument, 0, O_TIME},
    {"account", required_argument, 0, O_ACCOUNT}, {"out", required_argument, 0, 'o'},
    {"script", required_argument, 0, O_SCRIPT}, {"sizeup", required_argument, 0, O_SIZEUP},
    {"submit", no_argument, 0, O_SUBMIT},        {"help", no_argument, 0, 'h'},
    {0, 0, 0, 0}};
  static char *default_run[] = {"--backend", "mpi", "-k", "mpi_triad_dot,mpi_stencil"};
  slurm_args_t a;
  unsigned counts[MAX_COUNTS], n = 0;
  char out_abs[PATH_MAX], script[PATH_MAX + 32], self[PATH_MAX], sizeup_abs[PATH_MAX];
  char stamp[64];
  int c, err;

  memset(&a, 0, sizeof(a));
  a.ntasks = 1;
  a.cpus = 1;
  a.time = "01:00:00";
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "+N:p:o:h", opts, NULL)) != -1) {
    switch (c) {
    case 'N': a.nodes = optarg; break;
    case 'p': a.partition = optarg; break;
    case 'o': a.out = optarg; break;
    case O_TIME: a.time = optarg; break;
    case O_ACCOUNT: a.account = optarg; break;
    case O_SCRIPT: a.script = optarg; break;
    case O_SIZEUP: a.sizeup = optarg; break;
    case O_SUBMIT: a.submit = 1; break;
    case O_NTASKS:
    case O_CPUS: {
      char *end;
      long v = strtol(optarg, &end, 10);
      if (*end || v < 1 || v > 4096)
        return su_cli_usage_error("slurm", "invalid value '%s' for %s", optarg,
                                  c == O_NTASKS ? "--ntasks-per-node" : "--cpus-per-task");
      *(c == O_NTASKS ? &a.ntasks : &a.cpus) = v;
      break;
    }
    case 'h': usage(stdout); return SU_EXIT_OK;
    default: return su_cli_bad_option("slurm", argc, argv, opts);
    }
  }
  if (optind < argc && strcmp(argv[optind - 1], "--") != 0)
    return su_cli_usage_error("slurm", "unexpected argument '%s' (run options go after '--')",
                              argv[optind]);
  a.run_argv = optind < argc ? argv + optind : default_run;
  a.run_argc = optind < argc ? argc - optind : 4;
  if (!a.nodes || parse_counts(a.nodes, counts, &n))
    return su_cli_usage_error("slurm", "--nodes needs a list of distinct counts, e.g. 1,2,4");
  if (!a.partition || !safe_value(a.partition))
    return su_cli_usage_error("slurm", "--partition needs a Slurm partition name");
  if (!safe_value(a.time))
    return su_cli_usage_error("slurm", "invalid value '%s' for --time", a.time);
  if (a.account && !safe_value(a.account))
    return su_cli_usage_error("slurm", "invalid value '%s' for --account", a.account);
  for (int i = 0; i < a.run_argc; i++)
    if (strcmp(a.run_argv[i], "--out") == 0 || strcmp(a.run_argv[i], "-o") == 0 ||
        strcmp(a.run_argv[i], "--mpi") == 0 || strcmp(a.run_argv[i], "--resume") == 0)
      return su_cli_usage_error("slurm", "'%s' is set by the script; leave it out",
                                a.run_argv[i]);

  if (!a.out) {
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "results/slurm-%Y%m%dT%H%M%SZ", &tm);
  }
  absolute(a.out ? a.out : stamp, out_abs, sizeof(out_abs));
  if (!out_abs[0] || strpbrk(out_abs, "\n% "))
    return su_cli_usage_error("slurm", "invalid --out directory '%s'", out_abs);
  if (a.sizeup) {
    absolute(a.sizeup, sizeup_abs, sizeof(sizeup_abs));
    if (!sizeup_abs[0])
      return su_cli_usage_error("slurm", "invalid --sizeup path '%s'", a.sizeup);
  } else {
    ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (len <= 0)
      return su_cli_usage_error("slurm", "cannot find this sizeup binary: give --sizeup PATH");
    self[len] = '\0';
    snprintf(sizeup_abs, sizeof(sizeup_abs), "%s", self);
  }
  if ((err = su_fs_mkdir_p(out_abs)))
    return su_cli_fail(err);
  if (a.script)
    snprintf(script, sizeof(script), "%s", a.script);
  else
    snprintf(script, sizeof(script), "%s/sizeup.sbatch", out_abs);
  if ((err = write_script(&a, counts, n, out_abs, sizeup_abs, script)))
    return su_cli_fail(err);
  printf("script: %s\n", script);
  if (!a.submit) {
    printf("submit it with: sbatch %s\n", script);
    return SU_EXIT_OK;
  }
  /* sbatch prints "Submitted batch job N"; its exit status is ours. */
  pid_t pid = fork();
  if (pid == 0) {
    execlp("sbatch", "sbatch", script, (char *)NULL);
    fprintf(stderr, "sizeup: error: cannot run 'sbatch': %s\n", strerror(errno));
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) < 0)
    return su_cli_fail(su_errorf(SU_EIO, "cannot run 'sbatch': %s", strerror(errno)));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "sizeup: error: 'sbatch %s' failed (status %d)\n", script,
            WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return SU_EXIT_ERROR;
  }
  printf("results will be gathered in %s/all\n", out_abs);
  return SU_EXIT_OK;
}
