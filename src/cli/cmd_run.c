/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_run.c: `sizeup run`, the measuring side.
 *
 * Parses the options (or, for `--resume DIR`, the command line saved in
 * DIR/run.args) and hands them to the run engine (src/core/engine.c), which
 * plans the whole sweep first (so bad input fails before anything is
 * written) and measures point after point into results/<run-id>/.  This
 * file prints: the plan of a dry run, the progress line, the summary.
 * Ctrl-C sets the engine's stop flag: it stops after the current
 * repetition, keeps every finished point, and we say how to resume.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sizeup/app.h"
#include "sizeup/engine.h"
#include "sizeup/error.h"
#include "sizeup/parse.h"
#include "sizeup/run.h"

#define MAX_LABELS 64

static volatile sig_atomic_t su_stop;

static void on_signal(int sig)
{
  if (su_stop) {
    /* Second Ctrl-C: every finished point is already on disk. */
    signal(sig, SIG_DFL);
    raise(sig);
  }
  su_stop = 1;
}

typedef struct run_args {
  su_engine_opts_t o;        /* what the engine is given */
  const char *resume;        /* --resume DIR */
  const char *labels[MAX_LABELS];
  int quiet;
  int app;                   /* `sizeup app` (cmd_app.c): one application group */
  su_group_t group;
} run_args_t;

static void usage(FILE *fp)
{
  char profiles[256];

  su_suite_profile_list(profiles, sizeof(profiles), " | ");
  fprintf(fp,
    "usage: sizeup run [options]\n"
    "\n"
    "Runs a benchmark suite and writes results/<run-id>/ (summary.csv, samples.csv,\n"
    "system.json).  Every configuration gets a row with a status; a wrong answer is\n"
    "recorded as failed_verify, never as a number.\n"
    "\n"
    "  -p, --profile NAME     %s\n"
    "                         (bench/NAME.ini; default standard)\n"
    "  -s, --suite FILE       a suite INI file instead of a profile\n"
    "  -k, --kernels LIST     only these kernels (see 'sizeup list')\n"
    "  -t, --threads SPEC     ladder | 1,2,4 | 1..max | pow2 | max (max = the\n"
    "                         placement's cores; ladder: 1, 2, 4, ... and each boundary\n"
    "                         of the machine); groups with `fixed = threads` keep theirs\n"
    "  -P, --placement LIST   compact, scatter, numa:N, kind:N, kinds, pu:0,2,4-7 (comma\n"
    "                         list; a pu: list is one placement: give it last or alone)\n"
    "  -m, --memory LIST      local (first touch, default), mem:N (memory bound to NUMA\n"
    "                         node N), each (the NUMA matrix: threads on every CPU\n"
    "                         node, memory on every node)\n"
    "  -S, --sizes SPEC       auto | sweep | 16K,1M,64M | 16K..256M[:points per doubling]\n"
    "      --precision LIST   fp64,fp32 (default: what each kernel has)\n"
    "      --variants LIST    e.g. omp,nt (default: each kernel's)\n"
    "  -b, --budget SECONDS   timed samples per configuration (default 0.3)\n"
    "      --min-reps N       at least N timed samples (default 10)\n"
    "      --max-reps N       at most N (default 1000)\n"
    "      --ci FRACTION      stop once the 95%% CI of the median is within +-FRACTION\n"
    "                         (default 0.02)\n"
    "      --rounds N         measure the whole plan N times, interleaved, and pool\n"
    "                         the samples: slow drifts of the machine show in the\n"
    "                         spread instead of in one run's level (default 1)\n"
    "      --backend LIST     cpu, opencl or all (default: the suite's groups); null\n"
    "                         models every CPU kernel instead of running it: for\n"
    "                         tests, its numbers are not measurements\n"
    "      --device SEL       OpenCL device: P:D id or a name substring\n"
    "  -o, --out DIR          results directory (default results/<run-id>)\n"
    "  -l, --label KEY=VALUE  recorded in system.json (repeatable), e.g.\n"
    "                         --label instance=c7i.8xlarge --label price_per_hour=1.43\n"
    "      --topology SPEC    plan for an hwloc XML file or a synthetic topology\n"
    "                         (\"pack:2 numa:2 core:16 pu:2\"); implies --dry-run,\n"
    "                         except with --backend null, which binds nothing\n"
    "  -n, --dry-run          print the plan (every point with its cpuset) and its\n"
    "                         estimated duration, run nothing\n"
    "      --time-limit TIME  fit the plan to TIME (90s, 10m, 2h): the finest sizes and\n"
    "                         thread counts go first; the plan says what it dropped\n"
    "      --resume DIR       complete an interrupted run in DIR\n"
    "  -q, --quiet            no progress line\n"
    "      --mpi              a distributed run: start with mpirun or srun; every rank\n"
    "                         measures each point at once, rank 0 writes the results\n"
    "                         (see docs/mpi.md; kernels of the mpi backend need it)\n"
    "\n"
    "examples:\n"
    "  sizeup run --profile quick\n"
    "  sizeup run -k stream_triad,fma_peak -t 1..max -P compact,scatter\n"
    "  sizeup run -k stream_read -S 16K..256M:2 -t 1 --label instance=c7i.8xlarge\n"
    "  sizeup run -k stream_triad,latency_chase --memory each\n"
    "  sizeup run --topology \"pack:2 numa:2 core:16 pu:2\" -k stream_triad -t pow2 -P scatter\n"
    "  sizeup run --resume results/20261124T101530Z-node17-3f2a\n"
    "  sizeup run --backend null --topology \"pack:2 numa:2 core:8 pu:2\" -k stream_triad -S 1M -o /tmp/n\n"
    "  mpirun -n 4 sizeup run --mpi -k mpi_latency,mpi_stencil --backend mpi -S 8,64K\n",
    profiles);
}

static int valid_label(const char *kv)
{
  const char *eq = strchr(kv, '=');

  if (!eq || eq == kv || eq - kv > 63)
    return 0;
  for (const char *c = kv; c < eq; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
          *c == '_' || *c == '-' || *c == '.'))
      return 0;
  return 1;
}

static int parse_num(const char *opt, const char *v, double lo, double hi, double *out)
{
  if (su_parse_real(v, lo, hi, out))
    return su_cli_usage_error("run", "invalid value '%s' for %s", v, opt);
  return 0;
}

/* A whole number: `--rounds 1.5` is refused, not run as 1. */
static int parse_int(const char *opt, const char *v, unsigned lo, unsigned hi, long *out)
{
  unsigned u;

  if (su_parse_uint(v, lo, hi, &u))
    return su_cli_usage_error("run", "invalid value '%s' for %s (a whole number from %u to %u)",
                              v, opt, lo, hi);
  *out = (long)u;
  return 0;
}

/* Parses argv into *a; returns 0 or an exit code. */
static int parse_args(int argc, char **argv, run_args_t *a)
{
  enum { O_PREC = 256, O_VAR, O_MINR, O_MAXR, O_CI, O_BACKEND, O_DEVICE, O_TOPO, O_RESUME,
         O_RUNID, O_MPI, O_ROUNDS, O_TLIMIT, O_NAME, O_RANKS, O_FOM, O_FOMU, O_HIB, O_TIMEOUT, O_LAUNCHER };
  static const struct option opts[] = {
    {"profile", required_argument, 0, 'p'},   {"suite", required_argument, 0, 's'},
    {"kernels", required_argument, 0, 'k'},   {"threads", required_argument, 0, 't'},
    {"placement", required_argument, 0, 'P'}, {"sizes", required_argument, 0, 'S'},
    {"precision", required_argument, 0, O_PREC}, {"variants", required_argument, 0, O_VAR},
    {"budget", required_argument, 0, 'b'},    {"min-reps", required_argument, 0, O_MINR},
    {"max-reps", required_argument, 0, O_MAXR}, {"ci", required_argument, 0, O_CI},
    {"backend", required_argument, 0, O_BACKEND}, {"device", required_argument, 0, O_DEVICE},
    {"out", required_argument, 0, 'o'},       {"label", required_argument, 0, 'l'},
    {"topology", required_argument, 0, O_TOPO}, {"dry-run", no_argument, 0, 'n'},
    {"resume", required_argument, 0, O_RESUME}, {"run-id", required_argument, 0, O_RUNID},
    {"quiet", no_argument, 0, 'q'},           {"help", no_argument, 0, 'h'},
    {"mpi", no_argument, 0, O_MPI},           {"rounds", required_argument, 0, O_ROUNDS},
    {"memory", required_argument, 0, 'm'},   {"time-limit", required_argument, 0, O_TLIMIT},
    /* sizeup app only (cmd_app.c) */
    {"name", required_argument, 0, O_NAME},   {"ranks", required_argument, 0, O_RANKS},
    {"fom", required_argument, 0, O_FOM},     {"fom-unit", required_argument, 0, O_FOMU},
    {"higher-is-better", no_argument, 0, O_HIB}, {"timeout", required_argument, 0, O_TIMEOUT},
    {"launcher", required_argument, 0, O_LAUNCHER},
    {0, 0, 0, 0}};
  const char *cmd = argc > 0 && strcmp(argv[0], "app") == 0 ? "app" : "run";
  su_app_spec_t *sp = &a->group.app;
  int c, rc;

  optind = 1;
  opterr = 0;
  a->app = cmd[0] == 'a';
  su_app_spec_default(sp);
  while ((c = getopt_long(argc, argv, "+p:s:k:t:P:S:m:b:o:l:nqh", opts, NULL)) != -1) {
    if (c >= O_NAME && c <= O_LAUNCHER && !a->app)
      return su_cli_usage_error("run", "%s is an option of 'sizeup app'", argv[optind - 1]);
    switch (c) {
    case O_NAME: snprintf(sp->name, sizeof(sp->name), "%s", optarg); break;
    case O_RANKS: snprintf(sp->ranks, sizeof(sp->ranks), "%s", optarg); break;
    case O_FOM: snprintf(sp->fom, sizeof(sp->fom), "%s", optarg); break;
    case O_FOMU: snprintf(sp->fom_unit, sizeof(sp->fom_unit), "%s", optarg); break;
    case O_HIB: sp->higher_is_better = 1; break;
    case O_LAUNCHER: snprintf(sp->launcher, sizeof(sp->launcher), "%s", optarg); break;
    case O_TIMEOUT:
      if ((rc = parse_num("--timeout", optarg, 0, 1e6, &sp->timeout_s)))
        return rc;
      break;
    case 'p': a->o.profile = optarg; break;
    case 's': a->o.suite = optarg; break;
    case 'k': a->o.filter.kernels = optarg; break;
    case 't': a->o.filter.threads = optarg; break;
    case 'P': a->o.filter.placement = optarg; break;
    case 'S': a->o.filter.sizes = optarg; break;
    case 'm': a->o.filter.memory = optarg; break;
    case O_PREC: a->o.filter.precision = optarg; break;
    case O_VAR: a->o.filter.variants = optarg; break;
    case O_BACKEND: a->o.filter.backend = optarg; break;
    case O_DEVICE: a->o.filter.device = optarg; break;
    case 'o': a->o.out = optarg; break;
    case O_TOPO: a->o.topology = optarg; break;
    case O_RESUME: a->resume = optarg; break;
    case O_RUNID:
      if (su_sink_check_run_id(optarg))
        return su_cli_usage_error("run", "%s", su_errmsg());
      a->o.run_id = optarg;
      break;
    case 'n': a->o.dry_run = 1; break;
    case 'q': a->quiet = 1; break;
    case O_MPI: a->o.mpi = 1; break;
    case 'b':
      if ((rc = parse_num("--budget", optarg, 1e-3, 3600, &a->o.budget_s)))
        return rc;
      break;
    case O_CI:
      if ((rc = parse_num("--ci", optarg, 0, 1, &a->o.ci)))
        return rc;
      break;
    case O_ROUNDS:
      if ((rc = parse_int("--rounds", optarg, 1, 100, &a->o.rounds)))
        return rc;
      break;
    case O_TLIMIT:
      if (su_parse_duration(optarg, &a->o.filter.time_limit_s))
        return su_cli_usage_error(cmd, "invalid value '%s' for --time-limit (e.g. 90s, 10m, "
                                       "1h30m)", optarg);
      break;
    case O_MINR:
    case O_MAXR:
      if ((rc = parse_int(c == O_MINR ? "--min-reps" : "--max-reps", optarg, 1, 10000000,
                          c == O_MINR ? &a->o.min_reps : &a->o.max_reps)))
        return rc;
      break;
    case 'l':
      if (!valid_label(optarg))
        return su_cli_usage_error("run", "invalid label '%s' (expected KEY=VALUE, KEY of "
                                         "letters, digits, '_', '-', '.')", optarg);
      if (a->o.nlabels == MAX_LABELS)
        return su_cli_usage_error("run", "too many labels (at most %d)", MAX_LABELS);
      a->labels[a->o.nlabels++] = optarg;
      break;
    case 'h':
      if (a->app)
        su_cli_app_usage(stdout);
      else
        usage(stdout);
      return -1;
    default: return su_cli_bad_option(cmd, argc, argv, opts);
    }
  }
  if (a->app) {
    if ((rc = su_cli_app_finish(argc, argv, optind, sp, a->o.profile || a->o.suite, a->resume)))
      return rc;
    snprintf(a->group.name, sizeof(a->group.name), "%s", sp->name);
    a->o.groups = &a->group;
    a->o.ngroups = 1;
    return 0;
  }
  if (optind < argc)
    return su_cli_usage_error("run", "unexpected argument '%s'", argv[optind]);
  if (a->o.profile && a->o.suite)
    return su_cli_usage_error("run", "--profile and --suite exclude each other");
  return 0;
}

/* "45 s", "4m 10s", "2h 05m". */
static void fmt_duration(double s, char *buf, size_t len)
{
  long v = (long)(s + 0.5);

  if (v < 120)
    snprintf(buf, len, "%ld s", v);
  else if (v < 7200)
    snprintf(buf, len, "%ldm %02lds", v / 60, v % 60);
  else
    snprintf(buf, len, "%ldh %02ldm", v / 3600, (v % 3600) / 60);
}

/* What the plan holds besides its points, and how long it will take: the
 * dry run prints it, and every run starts with it. */
static void print_estimate(const su_plan_t *plan, FILE *fp)
{
  char tot[32], timed[32], warm[32], setup[32];

  if (plan->nskipped)
    fprintf(fp, "%zu points will be skipped rows (see their reasons)\n", plan->nskipped);
  if (plan->ndup)
    fprintf(fp, "%zu points repeat an earlier point under another placement's name (same "
                "kernel, settings and cpuset): measured once, a row for each\n", plan->ndup);
  if (plan->fit[0])
    fprintf(fp, "%s\n", plan->fit);
  fmt_duration(plan->est_s, tot, sizeof(tot));
  fmt_duration(plan->est_timed_s, timed, sizeof(timed));
  fmt_duration(plan->est_warm_s, warm, sizeof(warm));
  fmt_duration(plan->est_setup_s, setup, sizeof(setup));
  fprintf(fp, "estimated duration: %s for %u round%s (timed samples %s, warm-up %s, setup, "
              "verification and the rest %s)\n",
          tot, plan->rounds, plan->rounds == 1 ? "" : "s", timed, warm, setup);
}

static void print_plan(const su_plan_t *plan, FILE *fp)
{
  char sz[32];

  fprintf(fp, "%-6s %-15s %-8s %-6s %-7s %-4s %-9s %-14s %s\n", "point", "kernel", "variant",
          "prec", "backend", "thr", "placement", "cpuset", "size");
  for (size_t i = 0; i < plan->n; i++) {
    const su_point_t *p = &plan->points[i];
    if (p->size_bytes)
      su_format_size(p->size_bytes, sz, sizeof(sz));
    else
      snprintf(sz, sizeof(sz), "-");
    char same[32] = "";
    if (p->same_as)
      snprintf(same, sizeof(same), "  = point %u", p->same_as - 1);
    fprintf(fp, "%-6u %-15s %-8s %-6s %-7s %-4u %-9s %-14s %s%s%s%s\n", p->index,
            p->ops->desc->name, p->variant, su_precision_name(p->prec), p->backend->name,
            p->threads, p->placement, p->cpuset[0] ? p->cpuset : "-", sz,
            p->unsupported[0] ? "  unsupported: " : p->skipped[0] ? "  skipped: " : "",
            p->unsupported[0] ? p->unsupported : p->skipped, same);
  }
  fprintf(fp, "%zu points\n", plan->n);
  print_estimate(plan, fp);
}

/* The progress line, before each measurement. */
static void on_progress(const su_engine_progress_t *p, void *arg)
{
  const su_point_t *pt = p->point;
  char sz[32] = "-", rnd[32] = "";

  (void)arg;
  if (p->event != SU_ENGINE_POINT_START)
    return;
  if (pt->size_bytes)
    su_format_size(pt->size_bytes, sz, sizeof(sz));
  if (p->rounds > 1)
    snprintf(rnd, sizeof(rnd), "round %u/%u ", p->round + 1, p->rounds);
  fprintf(stderr, "\r\033[K%s[%zu/%zu] %s %s %s t=%u %s %s  elapsed %.0fs  eta %.0fs", rnd,
          p->index + 1, p->npoints, pt->ops->desc->name, pt->variant,
          su_precision_name(pt->prec), pt->threads, pt->placement, sz, p->elapsed_s, p->eta_s);
  fflush(stderr);
}

static void print_summary(const su_engine_summary_t *s)
{
  if (s->nheads) {
    printf("%-15s %-8s %-5s %-7s %4s %-9s %10s %-8s %s\n", "kernel", "variant", "prec",
           "backend", "thr", "placement", "median", "unit", "size");
    for (size_t i = 0; i < s->nheads; i++) {
      const su_engine_headline_t *h = &s->heads[i];
      char sz[32] = "-";
      if (h->size_bytes)
        su_format_size(h->size_bytes, sz, sizeof(sz));
      printf("%-15s %-8s %-5s %-7s %4u %-9s %10.4g %-8s %s\n", h->kernel, h->variant,
             su_precision_name(h->prec), h->backend, h->threads, h->placement, h->value, h->unit,
             sz);
    }
  }
  if (s->interrupted)
    printf("%zu of the plan's %zu configurations measured (INTERRUPTED) ", s->measured,
           s->planned);
  else
    printf("%zu configurations measured ", s->measured);
  printf("in %.1f s: %zu ok, %zu unsupported, %zu skipped, %zu failed verification, "
         "%zu errors\n", s->elapsed_s, s->counts[SU_STATUS_OK], s->counts[SU_STATUS_UNSUPPORTED],
         s->counts[SU_STATUS_SKIPPED], s->counts[SU_STATUS_FAILED_VERIFY],
         s->counts[SU_STATUS_ERROR]);
  printf("results: %s/summary.csv\n", s->dir);
}

/* What to type next, with the run's directory in it (quoted for a shell
 * when it needs to be). */
static void print_next(const char *dir)
{
  const char *safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+:=@%,";
  const char *quote = !dir[strspn(dir, safe)] ? "" : strchr(dir, '\'') ? "\"" : "'";
  char cmd[3][1200];

  snprintf(cmd[0], sizeof(cmd[0]), "sizeup report %s%s%s", quote, dir, quote);
  snprintf(cmd[1], sizeof(cmd[1]), "sizeup compare EARLIER_RUN %s%s%s", quote, dir,
           quote);
  snprintf(cmd[2], sizeof(cmd[2]), "sizeup history check %s%s%s --db nightly.db --add", quote,
           dir, quote);
  printf("next:\n  %-44s # plots and report.html: what this machine is good for\n"
         "  %-44s # what changed since an earlier run\n"
         "  %-44s # the nightly gate (docs/nightly.md)\n", cmd[0], cmd[1], cmd[2]);
}

/* The exit code of an error; only the writer (rank 0) prints it. */
static int fail(int err, int writer)
{
  if (writer)
    return su_cli_fail(err);
  return err == SU_EINVAL ? SU_EXIT_USAGE : err == SU_EINTR ? SU_EXIT_INTERRUPTED : SU_EXIT_ERROR;
}

/* Plans and measures through the engine; only parsing and printing here. */
static int run_plan(run_args_t *a, int argc, char **argv)
{
  su_engine_opts_t o;
  su_engine_summary_t sum;
  su_engine_t *e;
  struct sigaction sa;
  int err, more = 1, rc = SU_EXIT_OK, tty, writer = 1;

  o = a->o;
  o.resume = a->resume != NULL;
  o.labels = a->labels;
  o.argc = argc;
  o.argv = argv;
  o.stop = &su_stop;
  /* In a distributed run every error is agreed on: rank 0 says it. */
  if ((err = su_engine_open(&o, &e, &writer)))
    return fail(err, writer);
  if (su_engine_dry(e)) {
    if (su_engine_writer(e)) {
      if (a->o.topology && !a->o.dry_run)
        fprintf(stderr, "sizeup: note: '%s' is not this machine: showing the plan only "
                        "(--backend null runs on any topology)\n", a->o.topology);
      print_plan(su_engine_plan(e), stdout);
    }
    su_engine_close(e, NULL);
    return SU_EXIT_OK;
  }

  if (su_engine_note(e))
    fprintf(stderr, "sizeup: note: %s\n", su_engine_note(e));
  if (su_engine_writer(e) && !a->quiet) {
    fprintf(stderr, "sizeup: %zu points; ", su_engine_plan(e)->n);
    print_estimate(su_engine_plan(e), stderr);
  }
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  tty = !a->quiet && su_engine_writer(e) && isatty(STDERR_FILENO);
  /* The progress callback is set after open: open prints nothing. */
  su_engine_set_progress(e, tty ? on_progress : NULL, NULL);
  while (more && !(err = su_engine_step(e, &more)))
    ;
  if (tty)
    fprintf(stderr, "\r\033[K");
  if (err && err != SU_EINTR) {
    rc = fail(err, writer);
    su_engine_close(e, NULL);   /* keeps what was measured */
    return rc;
  }
  if ((err = su_engine_close(e, &sum)))
    return fail(err, writer);
  if (sum.writer)
    print_summary(&sum);
  if (sum.interrupted) {
    if (sum.writer)
      fprintf(stderr, "sizeup: interrupted: the finished configurations are in '%s'; "
                      "complete them with 'sizeup run --resume %s'\n", sum.dir, sum.dir);
    rc = SU_EXIT_INTERRUPTED;
  } else {
    if (sum.writer)
      print_next(sum.dir);
    if (sum.counts[SU_STATUS_FAILED_VERIFY] || sum.counts[SU_STATUS_ERROR])
      rc = SU_EXIT_ERROR;
  }
  return rc;
}

int cmd_run(int argc, char **argv)
{
  run_args_t a;
  char **rargv = NULL, dir[1024];
  int rargc = 0, rc, err;

  memset(&a, 0, sizeof(a));
  if ((rc = parse_args(argc, argv, &a)))
    return rc < 0 ? SU_EXIT_OK : rc;
  if (!a.resume)
    return run_plan(&a, argc, argv);

  /* --resume DIR: the saved command line, nothing else, decides the plan. */
  if (argc != 3)
    return su_cli_usage_error("run", "--resume takes no other option");
  snprintf(dir, sizeof(dir), "%s", a.resume);
  if ((err = su_engine_args_read(dir, &rargc, &rargv)))
    return su_cli_fail(err);
  memset(&a, 0, sizeof(a));
  rc = parse_args(rargc, rargv, &a);
  if (rc == 0) {
    a.resume = dir;
    a.o.out = dir;
    rc = run_plan(&a, rargc, rargv);
  }
  su_engine_args_free(rargc, rargv);
  return rc;
}
