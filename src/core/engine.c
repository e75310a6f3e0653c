/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * engine.c: the run engine (engine.h): suite, overrides, MPI, topology,
 * plan, run id, results directory, rounds, resume, and the summary.
 *
 * The whole plan is built and validated in su_engine_open before the
 * results directory is created, so bad input leaves nothing behind.  Each
 * su_engine_step measures one point of one round.  Rounds: the whole plan
 * is measured mo.rounds times, one point after the other in each round, so
 * that the rounds of a point lie a round's time apart and see the
 * machine's slow drifts (a hypervisor moving vCPUs, neighbours' memory
 * traffic) instead of one moment of it.  A point's rows are written after
 * its last round, pooled; close writes what every started point has.
 *
 * With MPI every rank plans the same sweep and measures each point at the
 * same time as the others (src/mpi/); rank 0 alone writes the results
 * directory, with every node's fingerprint.  Every outcome that decides
 * what happens next is agreed on by all ranks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sizeup/engine.h"
#include "sizeup/error.h"
#include "sizeup/timer.h"

#define SU_ENGINE_MAX_ARGS 256

struct su_engine {
  su_engine_opts_t o;
  su_suite_t suite;
  su_measure_opts_t mo;
  su_topo_t *topo;
  su_plan_t plan;
  su_sink_t *sink;
  const su_dist_t *dist;
  su_collective_t *coll;
  int writer, dry;
  char run_id[SU_RUN_ID_MAX], dir[1024];
  char *eff[SU_ENGINE_MAX_ARGS + 8];  /* the effective command line */
  int neff;
  char *mpi_json;
  const char *profile;
  su_run_meta_t meta;
  const unsigned char *done;          /* per point: on disk already */
  unsigned char *rank_done;           /* with MPI: rank 0's `done`, broadcast */
  unsigned *start;                    /* per point: rounds on disk (resume) */
  su_point_result_t *acc;             /* per point: its rounds so far */
  unsigned round;                     /* the position of the next step */
  size_t next;
  int finished, failed;
  uint64_t t0;
  size_t steps;
  su_engine_summary_t sum;
};

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

void su_engine_args_free(int argc, char **argv)
{
  for (int i = 0; argv && i < argc; i++)
    free(argv[i]);
  free(argv);
}

int su_engine_args_read(const char *dir, int *argc, char ***argv_out)
{
  char path[1100], *line = NULL, **argv;
  FILE *fp;
  size_t len = 0;
  ssize_t got;
  int n = 0;

  snprintf(path, sizeof(path), "%s/run.args", dir);
  if (!(argv = calloc(SU_ENGINE_MAX_ARGS + 1, sizeof(*argv))))
    return su_errorf(SU_ENOMEM, "out of memory");
  if (!(fp = fopen(path, "r"))) {
    free(argv);
    return su_errorf(SU_EINVAL, "cannot resume '%s': cannot open '%s': %s", dir, path,
                     strerror(errno));
  }
  while (n < SU_ENGINE_MAX_ARGS && (got = getline(&line, &len, fp)) != -1) {
    if (got > 0 && line[got - 1] == '\n')
      line[got - 1] = '\0';
    argv[n++] = line;
    line = NULL;
    len = 0;
  }
  free(line);
  fclose(fp);
  if (n == 0 || (strcmp(argv[0], "run") != 0 && strcmp(argv[0], "app") != 0)) {
    su_engine_args_free(n, argv);
    return su_errorf(SU_EINVAL, "cannot resume '%s': '%s' is not a sizeup run command line",
                     dir, path);
  }
  *argc = n;
  *argv_out = argv;
  return SU_OK;
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

/* Every outcome is every rank's: the lowest failing rank's (MPI), or err. */
static int agree(const su_engine_t *e, int err)
{
  char why[256];

  return e->coll ? e->coll->agree(e->coll, err, why, sizeof(why)) : err;
}

/* 1 when every point of the plan is on a modelled backend (null). */
static int plan_is_virtual(const su_plan_t *plan)
{
  for (size_t i = 0; i < plan->n; i++)
    if (!(plan->points[i].backend->flags & SU_BACKEND_VIRTUAL))
      return 0;
  return 1;
}

/* Suite, overrides, MPI, topology and plan: everything before a write. */
static int engine_plan(su_engine_t *e)
{
  const su_engine_opts_t *o = &e->o;
  char path[1024];
  int err;

  e->profile = o->groups ? "app" : o->suite ? o->suite : o->profile ? o->profile : "standard";
  if (o->groups) {
    /* Given groups (sizeup app), measured with the default options. */
    su_measure_opts_default(&e->suite.mo);
    if (!(e->suite.groups = calloc(o->ngroups, sizeof(*e->suite.groups))))
      return su_errorf(SU_ENOMEM, "out of memory");
    memcpy(e->suite.groups, o->groups, o->ngroups * sizeof(*o->groups));
    e->suite.ngroups = o->ngroups;
  } else if (o->suite) {
    snprintf(path, sizeof(path), "%s", o->suite);
  } else if ((err = su_suite_find_profile(e->profile, path, sizeof(path)))) {
    return err;
  }
  if (!o->groups && (err = su_suite_load(path, &e->suite)))
    return err;
  e->mo = e->suite.mo;
  if (o->budget_s > 0) e->mo.budget_s = o->budget_s;
  if (o->ci > 0) e->mo.ci_target = o->ci;
  if (o->min_reps > 0) e->mo.min_reps = (unsigned)o->min_reps;
  if (o->max_reps > 0) e->mo.max_reps = (unsigned)o->max_reps;
  if (o->rounds > 0) e->mo.rounds = (unsigned)o->rounds;
  if (e->mo.min_reps > e->mo.max_reps)
    return su_errorf(SU_EINVAL, "--min-reps (%u) is larger than --max-reps (%u)",
                     e->mo.min_reps, e->mo.max_reps);
  if (o->mpi) {
    if (!(e->dist = su_dist_find("mpi")))
      return su_errorf(SU_EINVAL, "--mpi: this sizeup was built without MPI "
                                  "(install libopenmpi-dev and rebuild)");
    if ((err = e->dist->init(&e->coll))) {
      e->dist = NULL;
      return err;
    }
    e->mo.coll = e->coll;
    e->writer = e->coll->rank == 0;
  }
  /* With MPI a rank's failure to load is agreed on in mpi_prepare. */
  if ((err = su_topo_load(o->topology, &e->topo)) && !e->coll)
    return err;
  if (!err)
    err = su_plan_build(&e->plan, e->topo, e->suite.groups, e->suite.ngroups, &o->filter, &e->mo);
  if (e->coll)
    err = mpi_prepare(e->coll, e->topo, &e->plan, err);
  if (err)
    return err;
  /* Binding needs this machine: another topology is planned only, unless
   * the plan is modelled (null backend), which binds nothing. */
  e->dry = o->dry_run || (o->topology && !plan_is_virtual(&e->plan));
  return SU_OK;
}

/* The run id, the results directory and the effective command line. */
static int engine_names(su_engine_t *e)
{
  const su_engine_opts_t *o = &e->o;

  if (o->run_id)
    snprintf(e->run_id, sizeof(e->run_id), "%s", o->run_id);
  else
    make_run_id(e->run_id, sizeof(e->run_id));
  if (o->out)
    snprintf(e->dir, sizeof(e->dir), "%s", o->out);
  else
    snprintf(e->dir, sizeof(e->dir), "results/%s", e->run_id);
  /* The options added go right after the command's name: an application's
   * command, after '--', stays last. */
  if (o->argc > 0)
    e->eff[e->neff++] = o->argv[0];
  if (!o->run_id) {
    e->eff[e->neff++] = "--run-id";
    e->eff[e->neff++] = e->run_id;
  }
  if (!o->out) {
    e->eff[e->neff++] = "--out";
    e->eff[e->neff++] = e->dir;
  }
  for (int i = 1; i < o->argc && e->neff < SU_ENGINE_MAX_ARGS + 4; i++) {
    if (strchr(o->argv[i], '\n'))
      return su_errorf(SU_EINVAL, "argument '%.20s...' contains a newline", o->argv[i]);
    e->eff[e->neff++] = o->argv[i];
  }
  e->eff[e->neff] = NULL;
  snprintf(e->plan.out_dir, sizeof(e->plan.out_dir), "%s", e->dir);
  return SU_OK;
}

/* Opens the results directory (rank 0) and learns, on every rank, which
 * points are on disk and how many of their rounds. */
static int engine_sink(su_engine_t *e)
{
  const size_t n = e->plan.n ? e->plan.n : 1;
  int err = SU_OK;

  if (e->coll && (err = e->coll->describe(e->coll, e->topo, &e->plan, &e->mpi_json)))
    return err;
  e->meta = (su_run_meta_t){e->run_id, e->neff, e->eff, e->o.labels, e->o.nlabels, e->profile,
                            &e->mo, e->mpi_json};
  if (e->writer) {
    if (!(err = su_sink_open(e->dir, e->o.resume, e->plan.n, e->mo.rounds, &e->sink)) &&
        !e->o.resume)
      err = su_sink_write_args(e->sink, e->neff, e->eff);
    if (!err)
      err = su_sink_write_system(e->sink, e->topo, &e->plan, &e->meta, 0);
  }
  if (e->coll) {
    /* Rank 0's outcome is everyone's; then its list of finished points. */
    if (!(e->rank_done = calloc(n, 1)) && !err)
      err = su_errorf(SU_ENOMEM, "out of memory");
    if (!err && e->writer)
      memcpy(e->rank_done, su_sink_done(e->sink), e->plan.n);
    if (!(err = agree(e, err)))
      err = e->coll->bcast(e->coll, e->rank_done, e->plan.n);
  }
  /* Rounds already on disk per point (a resumed multi-round run), the same
   * on every rank. */
  if (!err && !(e->start = calloc(n, sizeof(*e->start))))
    err = su_errorf(SU_ENOMEM, "out of memory");
  if (!err && e->writer)
    memcpy(e->start, su_sink_partial(e->sink), e->plan.n * sizeof(*e->start));
  if (!err && e->coll)
    err = e->coll->bcast(e->coll, e->start, e->plan.n * sizeof(*e->start));
  if (!err && !(e->acc = calloc(n, sizeof(*e->acc))))
    err = su_errorf(SU_ENOMEM, "out of memory");
  if (err)
    return err;
  e->done = e->coll ? e->rank_done : su_sink_done(e->sink);
  for (size_t i = 0; e->writer && i < e->plan.n; i++)
    if (e->start[i])
      su_sink_take_carry(e->sink, i, &e->acc[i]);   /* the samples of its first rounds */
  return SU_OK;
}

/* Frees everything; the sink must be closed already. */
static void engine_free(su_engine_t *e)
{
  for (size_t i = 0; e->acc && i < e->plan.n; i++)
    su_point_result_fini(&e->acc[i]);
  free(e->acc);
  free(e->start);
  free(e->rank_done);
  free(e->mpi_json);
  su_plan_fini(&e->plan);
  su_topo_destroy(e->topo);
  su_suite_fini(&e->suite);
  if (e->dist)
    e->dist->fini(e->coll, 0); /* every error was agreed on by all ranks */
  free(e);
}

int su_engine_open(const su_engine_opts_t *o, su_engine_t **out, int *writer)
{
  su_engine_t *e = calloc(1, sizeof(*e));
  int err;

  if (!e)
    return su_errorf(SU_ENOMEM, "out of memory");
  e->o = *o;
  e->writer = 1;
  if (!(err = engine_plan(e)) && !e->dry && !(err = engine_names(e)))
    err = engine_sink(e);
  if (writer)
    *writer = e->writer;
  if (err) {
    if (e->sink)
      su_sink_close(e->sink);   /* keep what a resumed directory had */
    engine_free(e);
    return err;
  }
  e->t0 = su_time_ns();
  e->finished = e->dry;
  *out = e;
  return SU_OK;
}

void su_engine_set_progress(su_engine_t *e, su_engine_progress_fn fn, void *arg)
{
  e->o.progress = fn;
  e->o.progress_arg = arg;
}

const su_plan_t *su_engine_plan(const su_engine_t *e) { return &e->plan; }
int su_engine_dry(const su_engine_t *e) { return e->dry; }
int su_engine_writer(const su_engine_t *e) { return e->writer; }
const char *su_engine_dir(const su_engine_t *e) { return e->dry ? "" : e->dir; }
const char *su_engine_note(const su_engine_t *e) { return e->sink ? su_sink_note(e->sink) : NULL; }
const su_measure_opts_t *su_engine_measure_opts(const su_engine_t *e) { return &e->mo; }

/* Keeps the best headline figure of a written point. */
static void note_headline(su_engine_summary_t *s, const su_point_t *pt,
                          const su_point_result_t *res)
{
  const su_row_t *row = &res->rows[0];
  const int lower = su_metric_lower_is_better(su_desc_metric_name(pt->ops->desc));
  const char *var = res->work.variant[0] ? res->work.variant : pt->variant;
  su_engine_headline_t *h = NULL;

  if (row->status != SU_STATUS_OK)
    return;
  for (size_t i = 0; i < s->nheads && !h; i++)
    if (strcmp(s->heads[i].kernel, pt->ops->desc->name) == 0 && s->heads[i].prec == pt->prec &&
        strcmp(s->heads[i].backend, pt->backend->name) == 0 &&
        strcmp(s->heads[i].variant, var) == 0)
      h = &s->heads[i];
  if (!h) {
    if (s->nheads == SU_ENGINE_MAX_HEADLINES)
      return;
    h = &s->heads[s->nheads++];
    memset(h, 0, sizeof(*h));
  } else {
    /* Latency: the largest working set (memory); others: the best rate at
     * the largest size measured. */
    if (pt->size_bytes < h->size_bytes)
      return;
    if (pt->size_bytes == h->size_bytes &&
        (lower ? row->stats.median >= h->value : row->stats.median <= h->value))
      return;
  }
  snprintf(h->kernel, sizeof(h->kernel), "%s", pt->ops->desc->name);
  h->backend = pt->backend->name;
  snprintf(h->unit, sizeof(h->unit), "%s", row->unit ? row->unit : "");
  snprintf(h->variant, sizeof(h->variant), "%s", var);
  snprintf(h->placement, sizeof(h->placement), "%s", pt->placement);
  h->prec = pt->prec;
  h->threads = pt->threads;
  h->size_bytes = pt->size_bytes;
  h->value = row->stats.median;
}

static void report(su_engine_t *e, su_engine_event_t ev, size_t i, unsigned r,
                   const su_point_result_t *res)
{
  su_engine_progress_t p;
  size_t left;

  if (!e->o.progress)
    return;
  memset(&p, 0, sizeof(p));
  p.event = ev;
  p.point = &e->plan.points[i];
  p.result = res;
  p.round = r;
  p.rounds = e->mo.rounds;
  p.index = i;
  p.npoints = e->plan.n;
  p.steps = e->steps;
  p.elapsed_s = (double)(su_time_ns() - e->t0) * 1e-9;
  left = r < e->mo.rounds ? (size_t)(e->mo.rounds - r) * e->plan.n - i : 0;
  p.eta_s = e->steps ? p.elapsed_s / (double)e->steps * (double)left : 0;
  e->o.progress(&p, e->o.progress_arg);
}

/* Writes a point's pooled rows (rank 0), counts it and releases it. */
static int finish_point(su_engine_t *e, size_t i)
{
  su_point_result_t *acc = &e->acc[i];
  int err = SU_OK;

  /* The point, then the points that repeat it under another placement's
   * name (plan.c, same_as): one measurement, a row for each. */
  for (size_t k = i; k < e->plan.n && !err; k++) {
    const su_point_t *pt = &e->plan.points[k];
    if (k != i && (pt->same_as != i + 1 || e->done[k]))
      continue;
    if (e->writer)
      err = su_sink_append(e->sink, e->run_id, pt, acc);
    if (!err) {
      e->sum.counts[acc->rows[0].status]++;
      note_headline(&e->sum, pt, acc);
      e->sum.measured++;
      report(e, SU_ENGINE_POINT_DONE, k, e->round, acc);
    }
  }
  su_point_result_fini(acc);
  return err;
}

/* Moves (round, next) to the next measurement due, at or after it; 0 when
 * there is none left. */
static int seek(su_engine_t *e)
{
  for (; e->round < e->mo.rounds; e->round++, e->next = 0)
    for (; e->next < e->plan.n; e->next++) {
      size_t i = e->next;
      /* Finished (resume), or not ok in an earlier round: nothing to do. */
      if (e->done[i] || e->plan.points[i].same_as || e->round < e->start[i] ||
          (e->round > e->start[i] && e->acc[i].nrows == 0))
        continue;
      return 1;
    }
  return 0;
}

int su_engine_step(su_engine_t *e, int *more)
{
  su_point_result_t pr;
  const su_point_t *pt;
  size_t i;
  int err, last;

  *more = 0;
  if (e->finished || e->failed)
    return e->failed;
  if (!seek(e)) {
    e->finished = 1;
    return SU_OK;
  }
  i = e->next;
  pt = &e->plan.points[i];
  report(e, SU_ENGINE_POINT_START, i, e->round, NULL);
  if (e->coll)
    e->coll->before_point(e->coll, pt);
  err = su_point_measure(&e->plan, e->topo, pt, &e->mo, e->o.stop, &pr);
  e->steps++;
  if (err == SU_EINTR) {
    su_point_result_fini(&pr);
    *more = 1;
    return su_errorf(SU_EINTR, "interrupted");
  }
  if (!err)
    err = su_point_result_merge(&e->acc[i], &pr, e->round, e->mo.noise_cv);
  else
    su_point_result_fini(&pr);
  last = e->round + 1 == e->mo.rounds || e->acc[i].rows[0].status != SU_STATUS_OK;
  if (!err && last)
    err = finish_point(e, i);
  if ((err = agree(e, err))) {
    e->failed = err;
    return err;
  }
  e->next++;
  *more = seek(e);
  e->finished = !*more;
  return SU_OK;
}

int su_engine_close(su_engine_t *e, su_engine_summary_t *sum)
{
  int err = SU_OK, e2;

  if (!e)
    return SU_OK;
  /* Every point measured in at least one round keeps it: an interrupted
   * run, or rounds measured before a failure. */
  for (size_t i = 0; !e->dry && i < e->plan.n && !err; i++)
    if (e->acc[i].nrows)
      err = finish_point(e, i);
  if (!err && !e->failed && e->writer && e->sink)
    err = su_sink_write_system(e->sink, e->topo, &e->plan, &e->meta, e->finished);
  e2 = su_sink_close(e->sink);
  if (!err)
    err = e2;
  e->sum.elapsed_s = (double)(su_time_ns() - e->t0) * 1e-9;
  e->sum.interrupted = !e->finished;
  e->sum.planned = e->plan.n;
  e->sum.writer = e->writer;
  snprintf(e->sum.dir, sizeof(e->sum.dir), "%s", su_engine_dir(e));
  if (sum)
    *sum = e->sum;
  engine_free(e);
  return err;
}
