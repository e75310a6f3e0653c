/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_run.c: `sizeup run`, the measuring side.
 *
 * Plans the whole sweep first (so bad input fails before anything is
 * written), then measures point after point, appending each finished point
 * to results/<run-id>/.  Ctrl-C stops after the current repetition, keeps
 * every finished point and says how to resume; `--resume DIR` re-plans from
 * DIR/run.args and measures only what is missing.
 *
 * With --mpi (started by mpirun or srun) every rank plans the same sweep and
 * measures each point at the same time as the others (src/mpi/); rank 0
 * alone writes the results directory, with every node's fingerprint.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sizeup/error.h"
#include "sizeup/run.h"
#include "sizeup/timer.h"

#define MAX_LABELS 64
#define MAX_ARGS 256

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
  const char *profile, *suite, *out, *resume, *topology, *run_id;
  su_plan_filter_t filter;
  const char *labels[MAX_LABELS];
  size_t nlabels;
  double budget, ci;
  long min_reps, max_reps, rounds;
  int dry_run, quiet, mpi;
} run_args_t;

static void usage(FILE *fp)
{
  fprintf(fp,
    "usage: sizeup run [options]\n"
    "\n"
    "Runs a benchmark suite and writes results/<run-id>/ (summary.csv, samples.csv,\n"
    "system.json).  Every configuration gets a row with a status; a wrong answer is\n"
    "recorded as failed_verify, never as a number.\n"
    "\n"
    "  -p, --profile NAME     quick | standard | full (bench/NAME.ini; default standard)\n"
    "  -s, --suite FILE       a suite INI file instead of a profile\n"
    "  -k, --kernels LIST     only these kernels (see 'sizeup list')\n"
    "  -t, --threads SPEC     1,2,4 | 1..max | pow2 | max   (max = cores)\n"
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
    "      --backend LIST     cpu, opencl or all (default: the suite's groups)\n"
    "      --device SEL       OpenCL device: P:D id or a name substring\n"
    "  -o, --out DIR          results directory (default results/<run-id>)\n"
    "  -l, --label KEY=VALUE  recorded in system.json (repeatable), e.g.\n"
    "                         --label instance=c7i.8xlarge --label price_per_hour=1.43\n"
    "      --topology SPEC    plan for an hwloc XML file or a synthetic topology\n"
    "                         (\"pack:2 numa:2 core:16 pu:2\"); implies --dry-run\n"
    "  -n, --dry-run          print the plan (every point with its cpuset), run nothing\n"
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
    "  mpirun -n 4 sizeup run --mpi -k mpi_latency,mpi_stencil --backend mpi -S 8,64K\n");
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
  char *end;

  errno = 0;
  *out = strtod(v, &end);
  if (end == v || *end || errno || !(*out >= lo && *out <= hi))
    return su_cli_usage_error("run", "invalid value '%s' for %s", v, opt);
  return 0;
}

/* Parses argv into *a; returns 0 or an exit code. */
static int parse_args(int argc, char **argv, run_args_t *a)
{
  enum { O_PREC = 256, O_VAR, O_MINR, O_MAXR, O_CI, O_BACKEND, O_DEVICE, O_TOPO, O_RESUME,
         O_RUNID, O_MPI, O_ROUNDS };
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
    {"memory", required_argument, 0, 'm'},
    {0, 0, 0, 0}};
  double d;
  int c, rc;

  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "p:s:k:t:P:S:m:b:o:l:nqh", opts, NULL)) != -1) {
    switch (c) {
    case 'p': a->profile = optarg; break;
    case 's': a->suite = optarg; break;
    case 'k': a->filter.kernels = optarg; break;
    case 't': a->filter.threads = optarg; break;
    case 'P': a->filter.placement = optarg; break;
    case 'S': a->filter.sizes = optarg; break;
    case 'm': a->filter.memory = optarg; break;
    case O_PREC: a->filter.precision = optarg; break;
    case O_VAR: a->filter.variants = optarg; break;
    case O_BACKEND: a->filter.backend = optarg; break;
    case O_DEVICE: a->filter.device = optarg; break;
    case 'o': a->out = optarg; break;
    case O_TOPO: a->topology = optarg; break;
    case O_RESUME: a->resume = optarg; break;
    case O_RUNID: a->run_id = optarg; break;
    case 'n': a->dry_run = 1; break;
    case 'q': a->quiet = 1; break;
    case O_MPI: a->mpi = 1; break;
    case 'b':
      if ((rc = parse_num("--budget", optarg, 1e-3, 3600, &a->budget)))
        return rc;
      break;
    case O_CI:
      if ((rc = parse_num("--ci", optarg, 0, 1, &a->ci)))
        return rc;
      break;
    case O_ROUNDS:
      if ((rc = parse_num("--rounds", optarg, 1, 100, &d)))
        return rc;
      a->rounds = (long)d;
      break;
    case O_MINR:
    case O_MAXR:
      if ((rc = parse_num(c == O_MINR ? "--min-reps" : "--max-reps", optarg, 1, 1e7, &d)))
        return rc;
      *(c == O_MINR ? &a->min_reps : &a->max_reps) = (long)d;
      break;
    case 'l':
      if (!valid_label(optarg))
        return su_cli_usage_error("run", "invalid label '%s' (expected KEY=VALUE, KEY of "
                                         "letters, digits, '_', '-', '.')", optarg);
      if (a->nlabels == MAX_LABELS)
        return su_cli_usage_error("run", "too many labels (at most %d)", MAX_LABELS);
      a->labels[a->nlabels++] = optarg;
      break;
    case 'h': usage(stdout); return -1;
    default: return su_cli_bad_option("run", argc, argv);
    }
  }
  if (optind < argc)
    return su_cli_usage_error("run", "unexpected argument '%s'", argv[optind]);
  if (a->profile && a->suite)
    return su_cli_usage_error("run", "--profile and --suite exclude each other");
  return 0;
}

/* A run id: UTC time, a host name reduced to [A-Za-z0-9-], and 4 hex digits. */
static void make_run_id(char *out, size_t len)
{
  char host[64] = "host", clean[32];
  time_t now = time(NULL);
  struct tm tm;
  size_t j = 0;
  unsigned rnd = (unsigned)(su_time_ns() ^ ((uint64_t)getpid() << 16)) & 0xffff;

  gethostname(host, sizeof(host));
  host[sizeof(host) - 1] = '\0';
  for (size_t i = 0; host[i] && host[i] != '.' && j < sizeof(clean) - 1; i++) {
    char c = host[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')
      clean[j++] = c;
  }
  clean[j] = '\0';
  gmtime_r(&now, &tm);
  snprintf(out, len, "%04d%02d%02dT%02d%02d%02dZ-%s-%04x", tm.tm_year + 1900, tm.tm_mon + 1,
           tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, j ? clean : "host", rnd);
}

/* Saves the effective command line for --resume, one argument per line. */
static int write_run_args(const char *dir, int argc, char **argv)
{
  char path[1100], tmp[1120];
  FILE *fp;
  int bad = 0;

  snprintf(path, sizeof(path), "%s/run.args", dir);
  snprintf(tmp, sizeof(tmp), "%s.tmp", path);
  if (!(fp = fopen(tmp, "w")))
    return su_errorf(SU_EIO, "cannot write '%s': %s", tmp, strerror(errno));
  for (int i = 0; i < argc; i++)
    bad |= fprintf(fp, "%s\n", argv[i]) < 0;
  bad |= fclose(fp) != 0;
  if (bad || rename(tmp, path) != 0) {
    unlink(tmp);
    return su_errorf(SU_EIO, "cannot write '%s'", path);
  }
  return SU_OK;
}

/* Reads DIR/run.args into a NULL-terminated argv (strings owned by *buf). */
static int read_run_args(const char *dir, char **argv, int cap, int *argc, char **buf)
{
  char path[1100];
  FILE *fp;
  size_t len = 0;
  ssize_t got;
  char *line = NULL;
  int n = 0;

  snprintf(path, sizeof(path), "%s/run.args", dir);
  if (!(fp = fopen(path, "r")))
    return su_errorf(SU_EINVAL, "cannot resume '%s': cannot open '%s': %s", dir, path,
                     strerror(errno));
  *buf = NULL;
  while ((got = getline(&line, &len, fp)) != -1 && n < cap - 1) {
    if (got > 0 && line[got - 1] == '\n')
      line[got - 1] = '\0';
    argv[n++] = line;
    line = NULL;
    len = 0;
  }
  free(line);
  fclose(fp);
  argv[n] = NULL;
  *argc = n;
  if (n == 0 || strcmp(argv[0], "run") != 0)
    return su_errorf(SU_EINVAL, "cannot resume '%s': '%s' is not a sizeup run command line",
                     dir, path);
  return SU_OK;
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
    fprintf(fp, "%-6u %-15s %-8s %-6s %-7s %-4u %-9s %-14s %s%s%s\n", p->index,
            p->ops->desc->name, p->variant, su_precision_name(p->prec), p->backend->name,
            p->threads, p->placement, p->cpuset, sz, p->unsupported[0] ? "  unsupported: " : "",
            p->unsupported);
  }
  fprintf(fp, "%zu points\n", plan->n);
}

/* The progress line: point i of n in round r of nr; `steps` measurements
 * done so far in this process give the rate for the estimate. */
static void progress(const su_point_t *p, unsigned r, unsigned nr, size_t i, size_t n,
                     double elapsed_s, size_t steps)
{
  char sz[32] = "-", rnd[32] = "";
  size_t left = (size_t)(nr - r) * n - i;
  double eta = steps ? elapsed_s / (double)steps * (double)left : 0;

  if (p->size_bytes)
    su_format_size(p->size_bytes, sz, sizeof(sz));
  if (nr > 1)
    snprintf(rnd, sizeof(rnd), "round %u/%u ", r + 1, nr);
  fprintf(stderr, "\r\033[K%s[%zu/%zu] %s %s %s t=%u %s %s  elapsed %.0fs  eta %.0fs", rnd, i + 1,
          n, p->ops->desc->name, p->variant, su_precision_name(p->prec), p->threads,
          p->placement, sz, elapsed_s, eta);
  fflush(stderr);
}

/* The best headline figure per (kernel, variant, precision, backend). */
typedef struct headline {
  const su_point_t *pt;
  char variant[24];
  double value;
  const char *unit;
  uint64_t size;
} headline_t;

static void note_headline(headline_t *h, size_t *nh, size_t cap, const su_point_t *pt,
                          const su_point_result_t *res)
{
  const su_row_t *row = &res->rows[0];
  const int lower = pt->ops->desc->metric == SU_METRIC_LATENCY;
  const char *var = res->work.variant[0] ? res->work.variant : pt->variant;
  size_t i;

  if (row->status != SU_STATUS_OK)
    return;
  for (i = 0; i < *nh; i++)
    if (h[i].pt->ops == pt->ops && h[i].pt->prec == pt->prec &&
        h[i].pt->backend == pt->backend && strcmp(h[i].variant, var) == 0)
      break;
  if (i == *nh) {
    if (*nh == cap)
      return;
    (*nh)++;
    h[i].pt = NULL;
  }
  /* Latency: the largest working set (memory); others: the best rate at the
   * largest size measured. */
  if (h[i].pt && pt->size_bytes < h[i].size)
    return;
  if (h[i].pt && pt->size_bytes == h[i].size &&
      (lower ? row->stats.median >= h[i].value : row->stats.median <= h[i].value))
    return;
  h[i].pt = pt;
  snprintf(h[i].variant, sizeof(h[i].variant), "%s", var);
  h[i].value = row->stats.median;
  h[i].unit = row->unit;
  h[i].size = pt->size_bytes;
}

/* Writes a point's pooled rows (rank 0), counts it and releases it. */
static int finish_point(su_sink_t *res, int writer, const char *run_id, const su_point_t *pt,
                        su_point_result_t *acc, size_t *counts, headline_t *heads,
                        size_t *nheads, size_t *measured)
{
  int err = writer ? su_sink_append(res, run_id, pt, acc) : SU_OK;

  if (!err) {
    counts[acc->rows[0].status]++;
    note_headline(heads, nheads, 128, pt, acc);
    (*measured)++;
  }
  su_point_result_fini(acc);
  return err;
}

/*
 * A distributed run: every rank must have planned the same points (auto
 * sizes follow each node's caches: heterogeneous nodes need --sizes), then
 * each point is rebound to this rank's share of its node.
 */
static int mpi_prepare(const su_collective_t *c, su_topo_t *t, su_plan_t *plan, int err)
{
  uint64_t h[2] = {1469598103934665603ull, 0};
  char why[256];

  if ((err = c->agree(c, err, why, sizeof(why))))
    return err;
  for (size_t i = 0; i < plan->n; i++) {
    const su_point_t *p = &plan->points[i];
    uint64_t v[3] = {p->size_bytes, p->threads, (uint64_t)p->prec};
    /* FNV-1a over the kernel, variant and the numbers: equal plans, equal hashes. */
    for (const char *c2 = p->ops->desc->name; *c2; c2++)
      h[0] = (h[0] ^ (unsigned char)*c2) * 1099511628211ull;
    for (const char *c2 = p->variant; *c2; c2++)
      h[0] = (h[0] ^ (unsigned char)*c2) * 1099511628211ull;
    for (int k = 0; k < 3; k++)
      h[0] = (h[0] ^ v[k]) * 1099511628211ull;
  }
  h[1] = ~h[0];
  if ((err = c->max_u64(c, h, 2)))
    return err;
  err = h[0] == ~h[1] ? SU_OK
        : su_errorf(SU_EINVAL, "the ranks planned different sweeps (nodes differ: give "
                               "--sizes and --threads explicitly)");
  for (size_t i = 0; i < plan->n && !err; i++)
    err = c->localize(c, t, &plan->points[i]);
  return c->agree(c, err, why, sizeof(why));
}

static int run_plan(run_args_t *a, int argc, char **argv)
{
  su_topo_t *topo = NULL;
  su_suite_t suite;
  su_plan_t plan;
  su_sink_t *res = NULL;
  su_measure_opts_t mo;
  char suite_path[1024], run_id[64], outdir[1024];
  char *eff[MAX_ARGS + 8];
  int neff = 0, err, rc = SU_EXIT_OK, interrupted = 0;
  size_t counts[5] = {0}, measured = 0, steps = 0;
  headline_t heads[128];
  size_t nheads = 0;
  uint64_t t0;
  const char *profile;
  const su_dist_t *dist = NULL;
  su_collective_t *coll = NULL;
  char *mpi_json = NULL;
  unsigned char *rank_done = NULL;
  su_point_result_t *acc = NULL;
  unsigned *start = NULL;
  int writer = 1;

  memset(&plan, 0, sizeof(plan));
  memset(&suite, 0, sizeof(suite));
  profile = a->suite ? a->suite : a->profile ? a->profile : "standard";

  if (a->suite)
    snprintf(suite_path, sizeof(suite_path), "%s", a->suite);
  else if ((err = su_suite_find_profile(profile, suite_path, sizeof(suite_path))))
    return su_cli_fail(err);
  if ((err = su_suite_load(suite_path, &suite)))
    return su_cli_fail(err);
  mo = suite.mo;
  if (a->budget > 0) mo.budget_s = a->budget;
  if (a->ci > 0) mo.ci_target = a->ci;
  if (a->min_reps > 0) mo.min_reps = (unsigned)a->min_reps;
  if (a->max_reps > 0) mo.max_reps = (unsigned)a->max_reps;
  if (a->rounds > 0) mo.rounds = (unsigned)a->rounds;
  if (mo.min_reps > mo.max_reps) {
    su_suite_fini(&suite);
    return su_cli_usage_error("run", "--min-reps (%u) is larger than --max-reps (%u)",
                              mo.min_reps, mo.max_reps);
  }

  if (a->mpi) {
    if (!(dist = su_dist_find("mpi"))) {
      su_suite_fini(&suite);
      return su_cli_usage_error("run", "--mpi: this sizeup was built without MPI "
                                       "(install libopenmpi-dev and rebuild)");
    }
    if ((err = dist->init(&coll)))
      goto fail;
    mo.coll = coll;
    writer = coll->rank == 0;
    a->quiet |= !writer;
  }
  if ((err = su_topo_load(a->topology, &topo)) && !coll)
    goto fail;
  if (!err)
    err = su_plan_build(&plan, topo, suite.groups, suite.ngroups, &a->filter, &mo);
  if (coll)
    err = mpi_prepare(coll, topo, &plan, err);
  if (err)
    goto fail;
  if (!writer && (a->dry_run || a->topology))
    goto out;
  if (a->dry_run || a->topology) {
    if (!su_topo_is_this_system(topo) && !a->dry_run)
      fprintf(stderr, "sizeup: note: '%s' is not this machine: showing the plan only\n",
              a->topology);
    print_plan(&plan, stdout);
    goto out;
  }

  /* Where the results go; the effective command line is saved for --resume. */
  if (a->run_id)
    snprintf(run_id, sizeof(run_id), "%s", a->run_id);
  else
    make_run_id(run_id, sizeof(run_id));
  snprintf(outdir, sizeof(outdir), "%s", a->out ? a->out : "");
  if (!a->out)
    snprintf(outdir, sizeof(outdir), "results/%s", run_id);
  for (int i = 0; i < argc && neff < MAX_ARGS; i++) {
    if (strchr(argv[i], '\n')) {
      err = su_errorf(SU_EINVAL, "argument '%.20s...' contains a newline", argv[i]);
      goto fail;
    }
    eff[neff++] = argv[i];
  }
  if (!a->run_id) {
    eff[neff++] = "--run-id";
    eff[neff++] = run_id;
  }
  if (!a->out) {
    eff[neff++] = "--out";
    eff[neff++] = outdir;
  }
  eff[neff] = NULL;

  if (coll && (err = coll->describe(coll, topo, &plan, &mpi_json)))
    goto fail;
  su_run_meta_t meta = {run_id, neff, eff, a->labels, a->nlabels, profile, &mo, mpi_json};
  if (writer) {
    if (!(err = su_sink_open(outdir, a->resume != NULL, plan.n, mo.rounds, &res)) && !a->resume)
      err = write_run_args(outdir, neff, eff);
    if (!err)
      err = su_sink_write_system(res, topo, &plan, &meta, 0);
  }
  if (coll) {
    /* Rank 0's outcome is everyone's; then its list of finished points. */
    char why[256];
    if (!(rank_done = calloc(plan.n ? plan.n : 1, 1)) && !err)
      err = su_errorf(SU_ENOMEM, "out of memory");
    if (!err && writer)
      memcpy(rank_done, su_sink_done(res), plan.n);
    if (!(err = coll->agree(coll, err, why, sizeof(why))))
      err = coll->bcast(coll, rank_done, plan.n);
  }
  /* Rounds already on disk per point (a resumed multi-round run), the same
   * on every rank. */
  if (!err && !(start = calloc(plan.n ? plan.n : 1, sizeof(*start))))
    err = su_errorf(SU_ENOMEM, "out of memory");
  if (!err && writer)
    memcpy(start, su_sink_partial(res), plan.n * sizeof(*start));
  if (!err && coll)
    err = coll->bcast(coll, start, plan.n * sizeof(*start));
  if (err)
    goto fail;

  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  const int tty = !a->quiet && isatty(STDERR_FILENO);
  const unsigned char *done = coll ? rank_done : su_sink_done(res);
  /* Rounds: the whole plan is measured mo.rounds times, one point after the
   * other in each round, so that the rounds of a point lie a round's time
   * apart and see the machine's slow drifts (a hypervisor moving vCPUs,
   * neighbours' memory traffic) instead of one moment of it.  A point's
   * rows are written after its last round, pooled; an interrupted run
   * writes what every started point has. */
  if (!(acc = calloc(plan.n ? plan.n : 1, sizeof(*acc)))) {
    err = su_errorf(SU_ENOMEM, "out of memory");
    goto fail;
  }
  for (size_t i = 0; writer && i < plan.n; i++)
    if (start[i])
      su_sink_take_carry(res, i, &acc[i]);   /* the samples of its first rounds */
  t0 = su_time_ns();
  for (unsigned r = 0; r < mo.rounds && !interrupted; r++) {
    for (size_t i = 0; i < plan.n; i++) {
      su_point_result_t pr;
      const su_point_t *pt = &plan.points[i];
      int last;

      if (done[i] || r < start[i] || (r > start[i] && acc[i].nrows == 0))
        continue;           /* finished (resume, or not ok in an earlier round) */
      if (tty)
        progress(pt, r, mo.rounds, i, plan.n, (double)(su_time_ns() - t0) * 1e-9, steps);
      if (coll)
        coll->before_point(coll, pt);
      err = su_point_measure(&plan, topo, pt, &mo, &su_stop, &pr);
      steps++;
      if (err == SU_EINTR) {
        su_point_result_fini(&pr);
        err = SU_OK;
        interrupted = 1;
        break;
      }
      if (!err)
        err = su_point_result_merge(&acc[i], &pr, r, mo.noise_cv);
      else
        su_point_result_fini(&pr);
      last = r + 1 == mo.rounds || acc[i].rows[0].status != SU_STATUS_OK;
      if (!err && last)
        err = finish_point(res, writer, run_id, pt, &acc[i], counts, heads, &nheads, &measured);
      if (coll) {
        char why[256];
        err = coll->agree(coll, err, why, sizeof(why));
      }
      if (err)
        goto fail;
    }
  }
  /* Interrupted: every point measured in at least one round keeps it. */
  for (size_t i = 0; i < plan.n && !err; i++)
    if (acc[i].nrows)
      err = finish_point(res, writer, run_id, &plan.points[i], &acc[i], counts, heads, &nheads,
                         &measured);
  if (err)
    goto fail;
  if (tty)
    fprintf(stderr, "\r\033[K");
  if (writer && (err = su_sink_write_system(res, topo, &plan, &meta, !interrupted)))
    goto fail;
  err = su_sink_close(res);
  res = NULL;
  if (err)
    goto fail;
  if (!writer)
    goto done_quiet;

  if (nheads) {
    printf("%-15s %-8s %-5s %-7s %4s %-9s %10s %-8s %s\n", "kernel", "variant", "prec",
           "backend", "thr", "placement", "median", "unit", "size");
    for (size_t i = 0; i < nheads; i++) {
      char sz[32] = "-";
      if (heads[i].size)
        su_format_size(heads[i].size, sz, sizeof(sz));
      printf("%-15s %-8s %-5s %-7s %4u %-9s %10.4g %-8s %s\n", heads[i].pt->ops->desc->name,
             heads[i].variant, su_precision_name(heads[i].pt->prec), heads[i].pt->backend->name,
             heads[i].pt->threads, heads[i].pt->placement, heads[i].value, heads[i].unit, sz);
    }
  }
  printf("%zu configurations measured in %.1f s: %zu ok, %zu unsupported, %zu skipped, "
         "%zu failed verification, %zu errors\n",
         measured, (double)(su_time_ns() - t0) * 1e-9, counts[SU_STATUS_OK],
         counts[SU_STATUS_UNSUPPORTED], counts[SU_STATUS_SKIPPED],
         counts[SU_STATUS_FAILED_VERIFY], counts[SU_STATUS_ERROR]);
  printf("results: %s/summary.csv\n", outdir);
  if (interrupted) {
    fprintf(stderr, "sizeup: interrupted: the finished configurations are in '%s'; "
                    "complete them with 'sizeup run --resume %s'\n", outdir, outdir);
    rc = SU_EXIT_INTERRUPTED;
  } else if (counts[SU_STATUS_FAILED_VERIFY] || counts[SU_STATUS_ERROR]) {
    rc = SU_EXIT_ERROR;
  }
  goto out;

done_quiet:
  if (interrupted)
    rc = SU_EXIT_INTERRUPTED;
  else if (counts[SU_STATUS_FAILED_VERIFY] || counts[SU_STATUS_ERROR])
    rc = SU_EXIT_ERROR;
  goto out;

fail:
  /* In a distributed run the error was agreed on: rank 0 says it. */
  rc = writer ? su_cli_fail(err) : err == SU_EINVAL ? SU_EXIT_USAGE : SU_EXIT_ERROR;
  /* Rounds measured before the failure are results too. */
  for (size_t i = 0; res && acc && i < plan.n; i++)
    if (acc[i].nrows &&
        finish_point(res, writer, run_id, &plan.points[i], &acc[i], counts, heads, &nheads,
                     &measured) != SU_OK)
      break;
  if (res) {
    /* Keep what was measured: the .part files become the results. */
    su_sink_close(res);
    res = NULL;
  }
out:
  su_plan_fini(&plan);
  su_topo_destroy(topo);
  su_suite_fini(&suite);
  free(mpi_json);
  free(rank_done);
  free(start);
  for (size_t i = 0; acc && i < plan.n; i++)
    su_point_result_fini(&acc[i]);
  free(acc);
  if (dist)
    dist->fini(coll, 0); /* every error above was agreed on by all ranks */
  return rc;
}

int cmd_run(int argc, char **argv)
{
  run_args_t a;
  char *rargv[MAX_ARGS + 1], *rbuf = NULL;
  int rargc = 0, rc, err;

  memset(&a, 0, sizeof(a));
  if ((rc = parse_args(argc, argv, &a)))
    return rc < 0 ? SU_EXIT_OK : rc;
  if (!a.resume)
    return run_plan(&a, argc, argv);

  /* --resume DIR: the saved command line, nothing else, decides the plan. */
  if (argc != 3)
    return su_cli_usage_error("run", "--resume takes no other option");
  char dir[1024];
  snprintf(dir, sizeof(dir), "%s", a.resume);
  if ((err = read_run_args(dir, rargv, MAX_ARGS + 1, &rargc, &rbuf))) {
    rc = su_cli_fail(err);
  } else {
    memset(&a, 0, sizeof(a));
    rc = parse_args(rargc, rargv, &a);
    if (rc == 0) {
      a.resume = dir;
      a.out = dir;
      rc = run_plan(&a, rargc, rargv);
    }
  }
  for (int i = 0; i < rargc; i++)
    free(rargv[i]);
  free(rbuf);
  return rc;
}
