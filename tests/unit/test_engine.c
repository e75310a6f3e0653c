/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_engine.c: whole plans through the run engine (engine.c) on the null
 * backend, which models its timing on a virtual clock: plans of machines
 * we do not have (hwloc XML and synthetic topologies) run end to end in
 * seconds.  Checked: point counts and cpusets, every status a row can
 * have, rounds, an interruption and its resume, and that a topology that
 * is not this machine is planned only, unless the backend is modelled.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sizeup/engine.h"
#include "sizeup/error.h"
#include "sizeup/results.h"
#include "test.h"

#define BIG_XML SU_TEST_DATA_DIR "/big-2s-24numa.xml"
#define SMT_2S "pack:2 numa:2 core:4 pu:2"
#define SMT_384 "pack:2 numa:4 core:24 pu:2"

static char tmpdir[256];
static char suite_path[300];

/* A suite whose [run] section keeps every point short; the groups come
 * from the filter. */
static void write_suite(void)
{
  FILE *fp;

  snprintf(tmpdir, sizeof(tmpdir), "/tmp/su_engine_XXXXXX");
  if (!mkdtemp(tmpdir)) {
    perror("mkdtemp");
    exit(1);
  }
  snprintf(suite_path, sizeof(suite_path), "%s/suite.ini", tmpdir);
  fp = fopen(suite_path, "w");
  fprintf(fp, "[run]\nbudget = 0.01\nmin_reps = 3\nmax_reps = 20\nmin_sample = 1e-5\n\n"
              "[stream]\nkernels = stream_triad\nprecision = fp64\nvariants = omp\n"
              "threads = 1\nplacement = compact\nsizes = 1M\n");
  fclose(fp);
}

/* Options for a run on the null backend of topology `topo`, into tmpdir/out
 * (NULL: none), with the given threads and placements (NULL: the suite's). */
static void opts_init(su_engine_opts_t *o, const char *topo, const char *out, const char *threads,
                      const char *placement)
{
  static char dir[512];

  memset(o, 0, sizeof(*o));
  o->suite = suite_path;
  o->topology = topo;
  o->filter.backend = "null";
  o->filter.threads = threads;
  o->filter.placement = placement;
  o->run_id = "test-run";
  if (out) {
    snprintf(dir, sizeof(dir), "%s/%s", tmpdir, out);
    o->out = dir;
  }
}

/* What the progress callback saw. */
typedef struct seen {
  size_t starts, done;
  size_t status[5];
  unsigned min_rounds, max_rounds;
  char last_reason[256];
} seen_t;

static void on_progress(const su_engine_progress_t *p, void *arg)
{
  seen_t *s = arg;

  if (p->event == SU_ENGINE_POINT_START) {
    s->starts++;
    return;
  }
  s->done++;
  s->status[p->result->rows[0].status]++;
  if (p->result->rows[0].status != SU_STATUS_OK)
    snprintf(s->last_reason, sizeof(s->last_reason), "%s", p->result->rows[0].reason);
  if (!s->min_rounds || p->result->rounds < s->min_rounds)
    s->min_rounds = p->result->rounds;
  if (p->result->rounds > s->max_rounds)
    s->max_rounds = p->result->rounds;
}

/* Opens, steps to the end (or `max_steps`), closes. */
static int run(su_engine_opts_t *o, size_t max_steps, su_engine_summary_t *sum, seen_t *seen)
{
  su_engine_t *e;
  int err, more = 1;
  size_t steps = 0;

  o->progress = on_progress;
  o->progress_arg = seen;
  if ((err = su_engine_open(o, &e, NULL)))
    return err;
  while (more && steps < max_steps && !(err = su_engine_step(e, &more)))
    steps++;
  CHECK_EQ_INT(su_engine_close(e, sum), SU_OK);
  return err;
}

static size_t count_rows(const char *dir, const char *status)
{
  su_results_t r;
  size_t n = 0;

  if (su_results_load(dir, &r) != SU_OK)
    return (size_t)-1;
  for (size_t i = 0; i < r.nrows; i++)
    n += !status || strcmp(r.rows[i].status, status) == 0;
  su_results_fini(&r);
  return n;
}

static int exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

/* The cpuset of the point with `threads` and `placement`, or "". */
static const char *cpuset_of(const su_plan_t *p, unsigned threads, const char *placement)
{
  for (size_t i = 0; i < p->n; i++)
    if (p->points[i].threads == threads && strcmp(p->points[i].placement, placement) == 0)
      return p->points[i].cpuset;
  return "";
}

/* compact fills package 0 one PU per core before any SMT sibling; scatter
 * alternates packages and goes round their NUMA nodes. */
static void test_plan_cpusets(void)
{
  su_engine_opts_t o;
  su_engine_t *e;

  opts_init(&o, SMT_2S, "never", "2,4,8", "compact,scatter");
  o.dry_run = 1;
  CHECK_EQ_INT(su_engine_open(&o, &e, NULL), SU_OK);
  const su_plan_t *p = su_engine_plan(e);
  CHECK_EQ_INT(p->n, 6);
  CHECK_EQ_INT(su_engine_dry(e), 1);
  CHECK_EQ_STR(cpuset_of(p, 2, "compact"), "0,2");
  CHECK_EQ_STR(cpuset_of(p, 4, "compact"), "0,2,4,6");
  CHECK_EQ_STR(cpuset_of(p, 8, "compact"), "0,2,4,6,8,10,12,14");       /* package 0 */
  CHECK_EQ_STR(cpuset_of(p, 2, "scatter"), "0,16");                    /* both packages */
  CHECK_EQ_STR(cpuset_of(p, 4, "scatter"), "0,8,16,24");               /* every NUMA node */
  CHECK_EQ_STR(cpuset_of(p, 8, "scatter"), "0,2,8,10,16,18,24,26");
  CHECK_EQ_INT(su_engine_close(e, NULL), SU_OK);
  CHECK(!exists(o.out));                 /* a dry run writes nothing */

  /* 2 packages x 12 NUMA nodes x 8 cores x 2 PUs, the SMT siblings
   * numbered 192 up (Intel's interleaving). */
  opts_init(&o, BIG_XML, "never", "2,4,8,24", "compact,scatter");
  o.dry_run = 1;
  CHECK_EQ_INT(su_engine_open(&o, &e, NULL), SU_OK);
  p = su_engine_plan(e);
  CHECK_EQ_INT(p->n, 8);
  CHECK_EQ_STR(cpuset_of(p, 4, "compact"), "0-3");
  CHECK_EQ_STR(cpuset_of(p, 2, "scatter"), "0,96");
  CHECK_EQ_STR(cpuset_of(p, 4, "scatter"), "0,8,96,104");
  CHECK_EQ_STR(cpuset_of(p, 8, "scatter"), "0,8,16,24,96,104,112,120");
  CHECK_EQ_STR(cpuset_of(p, 24, "scatter"), "0,8,16,24,32,40,48,56,64,72,80,88,96,104,112,120,"
                                            "128,136,144,152,160,168,176,184");  /* every node */
  CHECK_EQ_INT(su_engine_close(e, NULL), SU_OK);
  opts_init(&o, BIG_XML, "never", "192,384", "compact");
  o.dry_run = 1;
  CHECK_EQ_INT(su_engine_open(&o, &e, NULL), SU_OK);
  p = su_engine_plan(e);
  CHECK_EQ_STR(cpuset_of(p, 192, "compact"), "0-191");       /* every core, no sibling */
  CHECK_EQ_STR(cpuset_of(p, 384, "compact"), "0-383");
  CHECK_EQ_INT(su_engine_close(e, NULL), SU_OK);
}

/* A whole plan of a 2 x 96-core, 24-NUMA, 384-PU machine, end to end. */
static void test_big_machine(void)
{
  su_engine_opts_t o;
  su_engine_summary_t sum;
  seen_t seen = {0};

  opts_init(&o, BIG_XML, "big", "2,4,8,16,32,64,128", "compact,scatter");
  o.filter.kernels = "stream_triad,fma_peak";
  o.filter.precision = "fp64";
  CHECK_EQ_INT(run(&o, (size_t)-1, &sum, &seen), SU_OK);
  /* stream_triad: 7 thread counts x 2 placements at 1 MiB; fma_peak (no
   * size): the same 14. */
  CHECK_EQ_INT(seen.done, 28);
  CHECK_EQ_INT(sum.measured, 28);
  CHECK_EQ_INT(sum.counts[SU_STATUS_OK], 28);
  CHECK_EQ_INT(sum.interrupted, 0);
  CHECK_EQ_INT(count_rows(o.out, "ok"), 28);
  CHECK(sum.nheads == 2);
}

/* "0,2,4,...,last": one PU of each core, in order. */
static const char *evens(unsigned last)
{
  static char buf[2048];
  size_t len = 0;

  buf[0] = '\0';
  for (unsigned pu = 0; pu <= last && len < sizeof(buf) - 8; pu += 2)
    len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%u", pu ? "," : "", pu);
  return buf;
}

/* 2 packages x 4 NUMA nodes x 24 cores x 2 PUs (384 PUs), planned, then
 * measured end to end in two rounds with an interruption and a resume. */
static void test_384_pus(void)
{
  su_engine_opts_t o;
  su_engine_summary_t sum;
  su_engine_t *e;
  seen_t seen = {0}, seen2 = {0};

  opts_init(&o, SMT_384, "384", "2,8,96,192", "compact,scatter");
  o.dry_run = 1;
  CHECK_EQ_INT(su_engine_open(&o, &e, NULL), SU_OK);
  const su_plan_t *p = su_engine_plan(e);
  CHECK_EQ_INT(p->n, 8);
  /* compact: package 0 one PU per core, then package 1, SMT siblings last */
  CHECK_EQ_STR(cpuset_of(p, 96, "compact"), evens(190));
  CHECK_EQ_STR(cpuset_of(p, 192, "compact"), evens(382));
  /* scatter: packages alternate, round their NUMA nodes */
  CHECK_EQ_STR(cpuset_of(p, 2, "scatter"), "0,192");
  CHECK_EQ_STR(cpuset_of(p, 8, "scatter"), "0,48,96,144,192,240,288,336");
  CHECK_EQ_INT(su_engine_close(e, NULL), SU_OK);

  opts_init(&o, SMT_384, "384", "384", "compact");
  o.dry_run = 1;
  CHECK_EQ_INT(su_engine_open(&o, &e, NULL), SU_OK);
  CHECK_EQ_STR(cpuset_of(su_engine_plan(e), 384, "compact"), "0-383");   /* every PU */
  CHECK_EQ_INT(su_engine_close(e, NULL), SU_OK);

  opts_init(&o, SMT_384, "384", "2,8,96,192", "compact,scatter");
  o.rounds = 2;
  CHECK_EQ_INT(run(&o, 10, &sum, &seen), SU_OK);
  CHECK_EQ_INT(sum.interrupted, 1);
  CHECK_EQ_INT(count_rows(o.out, NULL), 8);
  o.resume = 1;
  CHECK_EQ_INT(run(&o, (size_t)-1, &sum, &seen2), SU_OK);
  /* 7 of the 8 points measured (192 scatter is 192 compact: every core,
   * written with it), 10 of 14 steps done: 4 left */
  CHECK_EQ_INT(seen2.starts, 4);
  CHECK_EQ_INT(seen2.min_rounds, 2);
  CHECK_EQ_INT(count_rows(o.out, "ok"), 8);
}

/* Three rounds: every point pooled over three, written once. */
static void test_rounds(void)
{
  su_engine_opts_t o;
  su_engine_summary_t sum;
  seen_t seen = {0};

  opts_init(&o, SMT_2S, "rounds", "2,4,8", "compact,scatter");
  o.rounds = 3;
  CHECK_EQ_INT(run(&o, (size_t)-1, &sum, &seen), SU_OK);
  CHECK_EQ_INT(seen.starts, 18);        /* 6 points x 3 rounds */
  CHECK_EQ_INT(seen.done, 6);
  CHECK_EQ_INT(seen.min_rounds, 3);
  CHECK_EQ_INT(seen.max_rounds, 3);
  CHECK_EQ_INT(count_rows(o.out, NULL), 6);
}

/* Stopped after step k (in the second round), closed, reopened with
 * resume: every point ends with its rounds, each written once. */
static void test_resume(void)
{
  su_engine_opts_t o;
  su_engine_summary_t sum;
  seen_t seen = {0}, seen2 = {0};

  opts_init(&o, SMT_2S, "resume", "2,4,8,12", "compact,scatter");
  o.rounds = 2;
  CHECK_EQ_INT(run(&o, 11, &sum, &seen), SU_OK);
  CHECK_EQ_INT(seen.starts, 11);
  CHECK_EQ_INT(sum.interrupted, 1);
  CHECK_EQ_INT(sum.measured, 8);      /* all, 3 with both rounds, 5 with one */
  CHECK_EQ_INT(count_rows(o.out, NULL), 8);
  CHECK(exists(o.out));

  o.resume = 1;
  CHECK_EQ_INT(run(&o, (size_t)-1, &sum, &seen2), SU_OK);
  CHECK_EQ_INT(seen2.starts, 5);      /* the second round of the 5 left */
  CHECK_EQ_INT(seen2.done, 5);
  CHECK_EQ_INT(seen2.min_rounds, 2);
  CHECK_EQ_INT(sum.interrupted, 0);
  CHECK_EQ_INT(count_rows(o.out, NULL), 8);
  CHECK_EQ_INT(count_rows(o.out, "ok"), 8);

  /* Resumed again: nothing left to measure. */
  memset(&seen2, 0, sizeof(seen2));
  CHECK_EQ_INT(run(&o, (size_t)-1, &sum, &seen2), SU_OK);
  CHECK_EQ_INT(seen2.starts, 0);
  CHECK_EQ_INT(count_rows(o.out, NULL), 8);
}

/* The stop flag (what Ctrl-C sets) interrupts a step; resume completes. */
static void test_stop_flag(void)
{
  volatile sig_atomic_t stop = 0;
  su_engine_opts_t o;
  su_engine_summary_t sum;
  su_engine_t *e;
  seen_t seen = {0};
  int more = 1;

  opts_init(&o, SMT_2S, "stop", "1,2,4", NULL);
  o.stop = &stop;
  CHECK_EQ_INT(su_engine_open(&o, &e, NULL), SU_OK);
  CHECK_EQ_INT(su_engine_step(e, &more), SU_OK);
  CHECK_EQ_INT(more, 1);
  stop = 1;
  CHECK_EQ_INT(su_engine_step(e, &more), SU_EINTR);
  CHECK_EQ_INT(su_engine_close(e, &sum), SU_OK);
  CHECK_EQ_INT(sum.interrupted, 1);
  CHECK_EQ_INT(sum.measured, 1);
  CHECK_EQ_INT(count_rows(o.out, NULL), 1);

  stop = 0;
  o.resume = 1;
  CHECK_EQ_INT(run(&o, (size_t)-1, &sum, &seen), SU_OK);
  CHECK_EQ_INT(seen.starts, 2);
  CHECK_EQ_INT(count_rows(o.out, "ok"), 3);
}

/* The same plan twice: the same numbers (the null backend's model and
 * jitter depend on the point only). */
static void test_deterministic(void)
{
  su_engine_opts_t o;
  su_engine_summary_t sum;
  su_results_t r[2];
  seen_t seen = {0};

  for (int k = 0; k < 2; k++) {
    opts_init(&o, BIG_XML, k ? "det2" : "det1", "2,4,16", "compact,scatter");
    o.filter.kernels = "stream_triad,fma_peak,latency_chase";
    o.filter.sizes = "1M";
    CHECK_EQ_INT(run(&o, (size_t)-1, &sum, &seen), SU_OK);
    CHECK_EQ_INT(su_results_load(o.out, &r[k]), SU_OK);
  }
  CHECK_EQ_INT(r[0].nrows, r[1].nrows);
  for (size_t i = 0; i < r[0].nrows && i < r[1].nrows; i++) {
    CHECK_EQ_STR(r[0].rows[i].cpuset, r[1].rows[i].cpuset);
    CHECK_NEAR(r[0].rows[i].median, r[1].rows[i].median, 0);
    CHECK_EQ_INT(r[0].rows[i].reps, r[1].rows[i].reps);
  }
  su_results_fini(&r[0]);
  su_results_fini(&r[1]);
}

/* Failures on demand: each becomes a row with its status and reason. */
static void test_failures(void)
{
  su_engine_opts_t o;
  su_engine_summary_t sum;
  seen_t seen = {0};

  opts_init(&o, BIG_XML, "failures", "1,2", NULL);
  o.filter.variants = "omp,fail_verify,fail_setup,fail_run,unsupported,nomem,fail_verify@2";
  o.rounds = 2;
  CHECK_EQ_INT(run(&o, (size_t)-1, &sum, &seen), SU_OK);
  CHECK_EQ_INT(seen.done, 14);
  CHECK_EQ_INT(sum.counts[SU_STATUS_OK], 3);          /* omp x 2, fail_verify@2 at 1 */
  CHECK_EQ_INT(sum.counts[SU_STATUS_FAILED_VERIFY], 3);
  CHECK_EQ_INT(sum.counts[SU_STATUS_ERROR], 4);       /* fail_setup, fail_run */
  CHECK_EQ_INT(sum.counts[SU_STATUS_UNSUPPORTED], 2);
  CHECK_EQ_INT(sum.counts[SU_STATUS_SKIPPED], 2);     /* nomem */
  /* A point that fails its first round is not measured again. */
  CHECK_EQ_INT(seen.starts, 3 * 2 + 11);
  CHECK_EQ_INT(count_rows(o.out, "failed_verify"), 3);
  CHECK_EQ_INT(count_rows(o.out, "skipped"), 2);
  CHECK_EQ_INT(count_rows(o.out, "error"), 4);
  CHECK(strstr(seen.last_reason, "failure on demand") != NULL);
}

/* The same, for every point, from the environment. */
static void test_failures_env(void)
{
  su_engine_opts_t o;
  su_engine_summary_t sum;
  seen_t seen = {0};

  opts_init(&o, SMT_2S, "failenv", "1,2,4", NULL);
  setenv("SIZEUP_NULL_FAIL", "fail_verify@4", 1);
  CHECK_EQ_INT(run(&o, (size_t)-1, &sum, &seen), SU_OK);
  unsetenv("SIZEUP_NULL_FAIL");
  CHECK_EQ_INT(sum.counts[SU_STATUS_OK], 2);
  CHECK_EQ_INT(sum.counts[SU_STATUS_FAILED_VERIFY], 1);
}

/* Another machine's topology is planned only, unless modelled. */
static void test_foreign_topology(void)
{
  su_engine_opts_t o;
  su_engine_t *e;

  opts_init(&o, BIG_XML, "foreign", NULL, NULL);
  o.filter.backend = "cpu";
  CHECK_EQ_INT(su_engine_open(&o, &e, NULL), SU_OK);
  CHECK_EQ_INT(su_engine_dry(e), 1);
  CHECK_EQ_STR(su_engine_dir(e), "");
  su_engine_close(e, NULL);
  CHECK(!exists(o.out));

  opts_init(&o, BIG_XML, "foreign", NULL, NULL);
  CHECK_EQ_INT(su_engine_open(&o, &e, NULL), SU_OK);
  CHECK_EQ_INT(su_engine_dry(e), 0);
  su_engine_close(e, NULL);
  CHECK(exists(o.out));
}

/* Bad input fails in open, before anything is written. */
static void test_bad_input(void)
{
  su_engine_opts_t o;
  su_engine_t *e = NULL;

  opts_init(&o, SMT_2S, "bad", NULL, NULL);
  o.min_reps = 50;
  o.max_reps = 10;
  CHECK_EQ_INT(su_engine_open(&o, &e, NULL), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "--min-reps") != NULL);
  opts_init(&o, SMT_2S, "bad", NULL, NULL);
  o.filter.kernels = "no_such_kernel";
  CHECK_EQ_INT(su_engine_open(&o, &e, NULL), SU_EINVAL);
  CHECK(e == NULL);
  CHECK(!exists(o.out));
}

int main(void)
{
  write_suite();
  SU_TEST_RUN(test_plan_cpusets);
  SU_TEST_RUN(test_big_machine);
  SU_TEST_RUN(test_384_pus);
  SU_TEST_RUN(test_rounds);
  SU_TEST_RUN(test_resume);
  SU_TEST_RUN(test_stop_flag);
  SU_TEST_RUN(test_deterministic);
  SU_TEST_RUN(test_failures);
  SU_TEST_RUN(test_failures_env);
  SU_TEST_RUN(test_foreign_topology);
  SU_TEST_RUN(test_bad_input);
  if (!getenv("SU_TEST_KEEP")) {
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
      fprintf(stderr, "cannot remove %s\n", tmpdir);
  }
  return SU_TEST_REPORT();
}
