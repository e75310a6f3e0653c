/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * run.h: sweep plans, the per-configuration runner and the results sink.
 *
 * A run is the product of its sweep axes: kernel x precision x variant x
 * threads x placement x size x device.  su_plan_* expands suite groups into
 * points (validating everything before anything is measured, so bad input
 * leaves nothing half-written); su_point_measure runs one point with the
 * statistics of Hoefler & Belli (SC15); su_sink_* writes tidy rows per
 * point, flushed as soon as the point is done.
 */
#ifndef SIZEUP_RUN_H
#define SIZEUP_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sizeup/backend.h"
#include "sizeup/kernel.h"
#include "sizeup/schema.h"
#include "sizeup/stats.h"
#include "sizeup/topo.h"

typedef enum su_status_e {
  SU_STATUS_OK,
  SU_STATUS_UNSUPPORTED,
  SU_STATUS_SKIPPED,
  SU_STATUS_FAILED_VERIFY,
  SU_STATUS_ERROR
} su_status_t;

/* "ok", "unsupported", "skipped", "failed_verify", "error". */
const char *su_status_name(su_status_t s);

typedef struct su_collective su_collective_t;

/* How each point is measured. */
typedef struct su_measure_opts {
  double budget_s;        /* time budget per point (timed reps), default 0.3 */
  unsigned min_reps;      /* at least this many timed reps, default 10 */
  unsigned max_reps;      /* at most, default 1000 */
  double ci_target;       /* stop once the CI95 of the median is within +-this, 0.02 */
  double min_sample_s;    /* calibrate `inner` so one sample lasts >= this, 1e-4 */
  double noise_cv;        /* flag configurations with cv above this, 0.05 */
  unsigned rounds;        /* measure the whole plan this many times, interleaved: 1 */
  /* A distributed run (sizeup run --mpi): every rank measures the same
   * point at once; NULL (the default) for a one-process run. */
  const su_collective_t *coll;
} su_measure_opts_t;

void su_measure_opts_default(su_measure_opts_t *o);

/*
 * A user's application (the `app` backend, include/sizeup/app.h): a command
 * run over the thread ladder (and MPI ranks), timed or searched for a
 * figure of merit.  From `sizeup app ... -- CMD` or a suite section with
 * `command = ...`.
 */
typedef struct su_app_spec {
  char name[64];          /* the `kernel` column; lower_snake-ish, no '/' */
  char command[2048];     /* words, quoted as in sh; {threads}, {ranks} replaced */
  char fom[256];          /* POSIX ERE with one capture group; "" = wall time */
  char fom_unit[32];
  int higher_is_better;   /* for the figure of merit (time is lower-is-better) */
  double timeout_s;       /* per run; 0 = none */
  char ranks[128];        /* "" = no launcher; "1,2,4": through the launcher */
  char launcher[32];      /* "mpirun" | "srun" | "" = srun under Slurm, else mpirun */
} su_app_spec_t;

/* One group of a suite: a section of a profile INI file. */
typedef struct su_group {
  char name[64];
  char kernels[512];      /* comma list */
  char backend[32];       /* "cpu" (default), "opencl", "all" */
  char precision[64];     /* comma list or "auto" */
  char variants[128];     /* comma list or "auto" */
  char threads[128];      /* "ladder" (default) | "1,2,4" | "1..max" | "pow2" | "max" */
  char placement[256];    /* comma list of placements */
  char sizes[256];        /* "auto" | "sweep" | "16K,1M" | "16K..256M" */
  double budget_s;        /* 0 = the run's */
  char memory[128];       /* "local" (first touch, default) | "mem:J" | "each" (NUMA matrix) */
  char fixed[64];         /* axes -t/-P/-S leave alone: "threads,placement,sizes" */
  su_app_spec_t app;      /* app.command non-empty: an application group */
} su_group_t;

typedef struct su_point {
  unsigned index;
  const su_backend_t *backend;
  unsigned device;
  char device_name[128];
  const su_kernel_ops_t *ops;
  su_precision_t prec;
  char variant[24];
  unsigned threads;
  char placement[64];
  char *cpuset;           /* the team's PUs as a list string ("0-3,8"), owned */
  unsigned *pus;          /* PU OS index per thread, owned */
  uint64_t size_bytes;    /* requested; 0 when the kernel has no size */
  double budget_s;
  char unsupported[160];  /* non-empty: record an `unsupported` row, don't run */
  char skipped[160];      /* non-empty: record a `skipped` row with this reason, don't run
                             (a team the placement cannot hold, arrays larger than memory) */
  double est_s;           /* estimated duration of one round of the point, s */
  unsigned char rung_keep, size_keep; /* --time-limit drops level 1 first; 0 = kept */
  unsigned same_as;       /* > 0: measures what point same_as - 1 measures (same kernel,
                             settings and cpuset under another placement's name: scatter
                             = compact on one NUMA node): its rows are that point's */
  int has_peer;           /* a pair kernel (SU_KERNEL_PAIRS): from `device` to `peer` */
  unsigned peer;
  unsigned ndevices;      /* > 1: the kernel runs on devices[0..ndevices-1] at once */
  unsigned devices[16];
  int cpu_numa;           /* the CPU NUMA node holding every thread; -1: several */
  int mem_bound;          /* 1: memory bound to NUMA node mem_numa; 0: first touch */
  unsigned mem_numa;
  unsigned ranks;         /* an app started through a launcher with this many
                             ranks (pus has threads x ranks entries); 0 = none */
} su_point_t;

typedef struct su_plan {
  su_point_t *points;
  size_t n, cap;
  void *backend_ctx[8];   /* per backend in su_backends() order, from init() */
  int backend_err[8];     /* init's result; 0 when not initialised yet */
  char backend_why[8][160];
  char out_dir[1024];     /* the results directory once known ("" before) */
  char notes[4][200];     /* why a group measured nothing (no GPU found), for system.json */
  unsigned nnotes;
  size_t nskipped;        /* points planned as `skipped` rows */
  size_t ndup;            /* points measured once for several placements (same_as) */
  double est_s;           /* estimated duration of the whole plan, every round, s */
  double est_timed_s, est_warm_s, est_setup_s; /* its parts: samples, warm-up, the rest */
  unsigned rounds;        /* the rounds the estimate counts */
  char fit[320];          /* what --time-limit dropped, "" when nothing */
  struct su_energy *energy; /* the energy counters, opened by the first point (energy.h) */
  int energy_tried;
} su_plan_t;

typedef struct su_plan_filter {
  const char *kernels, *threads, *placement, *sizes, *precision, *variants;
  const char *backend, *device;
  const char *memory;     /* --memory: local | mem:J | each */
  double time_limit_s;    /* --time-limit: > 0 fits the plan to this many seconds */
} su_plan_filter_t;

/*
 * Expands `groups` into points on topology `t`; the filter's non-NULL fields
 * override every group's axes, except those a group lists in `fixed`.  A
 * team the placement cannot hold (49 threads on a 48-PU NUMA node) or arrays
 * larger than memory become `skipped` points with the reason; a point that
 * repeats an earlier one under another placement's name (same kernel,
 * settings and cpuset) gets same_as, and is measured once.  The plan's
 * duration is estimated (plan->est_s); with f->time_limit_s > 0 the finest
 * sizes and thread rungs are dropped first until it fits (plan->fit says
 * what went).  SU_EINVAL with context for an unknown kernel, placement,
 * precision, variant, device or NUMA node, or a time limit shorter than one
 * point.
 */
int su_plan_build(su_plan_t *plan, su_topo_t *t, const su_group_t *groups, size_t ngroups,
                  const su_plan_filter_t *f, const su_measure_opts_t *mo);
void su_plan_fini(su_plan_t *plan);

/* Parses "1,2,4", "1..max", "1..8", "pow2", "max"; max = cores.  Sorted,
 * unique, of any length: *out is malloc'ed (the caller frees it). */
int su_parse_threads(const char *spec, unsigned max, unsigned **out, unsigned *n);
/* Parses a size "64K", "1.5M", "2G", "4096" (binary multiples) into bytes. */
int su_parse_size(const char *s, uint64_t *out);
/* Formats bytes as "64 KiB", "1.5 MiB". */
void su_format_size(uint64_t bytes, char *out, size_t len);

/* One row of summary.csv. */
typedef struct su_row {
  const char *metric, *unit;
  su_status_t status;
  char reason[256];
  su_stats_t stats;       /* valid when status == OK */
  int noisy;
} su_row_t;

#define SU_MAX_ROWS (1 + SU_MAX_DERIVED)

typedef struct su_point_result {
  su_row_t rows[SU_MAX_ROWS];
  unsigned nrows;
  su_work_t work;
  uint64_t inner;
  int device_timer;       /* values come from device events */
  double *values;         /* per sample, owned */
  uint64_t *time_ns, *device_ns;
  uint64_t *inners;       /* per sample: `inner` of its round */
  unsigned *round;        /* per sample: the round it was taken in, 0-based */
  double *c2c;            /* per sample: c2c_ns of its round */
  size_t nsamples;
  unsigned ranks, nodes;  /* that measured the point together; 0 means 1 */
  unsigned rounds;        /* rounds pooled in the result (1 for one measurement) */
  /* The core-to-core latency of the point's threads (the largest from
   * thread 0), measured before and after the samples, the larger of the two;
   * over several rounds the median of the rounds'.  NaN when not measured:
   * one thread, or a distributed run. */
  double c2c_ns;
  /* Measured energy of the timed samples (all rounds) and the time it was
   * measured over: NaN / 0 where the machine has no counter (energy.h). */
  double energy_j, energy_s;
} su_point_result_t;

void su_point_result_fini(su_point_result_t *r);

/* Makes room for cap samples in every per-sample array; SU_OK or SU_ENOMEM
 * (the arrays stay valid, some may have grown). */
int su_point_result_reserve(su_point_result_t *r, size_t cap);

/*
 * Pools the measurement of one more round of a point into *acc and releases
 * *r.  The first round is moved in as is.  A later round that is not ok
 * replaces the result (its reason says which round), because a point that
 * failed verification once has no trustworthy number.  Otherwise the samples
 * are appended (tagged with `round`) and the statistics are computed again
 * over all of them, so the spread between rounds shows in the CI and the cv;
 * derived rows scaled from the headline follow it.  SU_OK or SU_ENOMEM (then
 * *acc is unchanged and *r is released).
 */
int su_point_result_merge(su_point_result_t *acc, su_point_result_t *r, unsigned round,
                          double noise_cv);

/*
 * Measures one point: binds the threads, sets up (first touch), warms up,
 * calibrates `inner`, times repetitions until the CI target or the budget,
 * verifies, derives.  Failures of the kernel become rows (status and reason);
 * the return value is SU_OK, or SU_EINTR when *stop became non-zero (nothing
 * is recorded for the interrupted point).
 */
int su_point_measure(su_plan_t *plan, su_topo_t *t, const su_point_t *pt,
                     const su_measure_opts_t *mo, volatile sig_atomic_t *stop,
                     su_point_result_t *out);

/* The results directory. */
typedef struct su_sink su_sink_t;

typedef struct su_run_meta {
  const char *run_id;
  int argc;
  char **argv;            /* the effective command line, saved as run.args */
  const char **labels;    /* "key=value" */
  size_t nlabels;
  const char *profile;
  const su_measure_opts_t *mo;
  const char *mpi_json;   /* a JSON object for system.json's "mpi", or NULL */
} su_run_meta_t;

/* Longest run id, with its NUL. */
#define SU_RUN_ID_MAX 64

/* SU_OK when `id` can name a results folder: one path component (no '/',
 * not '.' or '..'), not empty, shorter than SU_RUN_ID_MAX, no control
 * characters; else SU_EINVAL saying why (a long id is refused, never cut). */
int su_sink_check_run_id(const char *id);

/*
 * Creates results directory `dir` (parents too), which must be new or empty
 * (not '/'), takes its lock (sizeup.lock: pid and host) and creates the
 * .part files with their headers on disk; or, with `resume`, locks a folder
 * that holds a run, checks summary.csv and samples.csv completely and only
 * then continues them (docs/architecture.md, Data safety).  *done (owned by
 * the sink) flags, per point index < nplan, the points already recorded.
 * With `rounds` > 1, a point recorded ok with fewer rounds (an interrupted
 * run) is not done: su_sink_partial gives its rounds on disk and
 * su_sink_take_carry its samples, so that the run can measure the rounds
 * left and write the point again; close then drops the rows it replaced
 * (and the samples of a point whose resumed round failed).
 * SU_EIO with context when the directory cannot be created or written, is
 * not empty, or another run holds its lock ("another sizeup run (pid N on
 * HOST) is writing here"); SU_EINVAL for '/', a file of the run that cannot
 * be read back (naming its line; nothing was changed then).
 */
int su_sink_open(const char *dir, int resume, size_t nplan, unsigned rounds, su_sink_t **out);
/* What the caller should say once (a stale lock taken over, a row cut off by
 * a crash dropped), or NULL. */
const char *su_sink_note(const su_sink_t *r);
const unsigned char *su_sink_done(const su_sink_t *r);
const unsigned *su_sink_partial(const su_sink_t *r);
/* Moves the samples read back of a partial point into *out (rounds, per
 * sample arrays; no rows); an empty result for any other point. */
void su_sink_take_carry(su_sink_t *r, size_t point, su_point_result_t *out);
/* Saves the effective command line as run.args (one argument per line),
 * for --resume.  SU_OK or SU_EIO. */
int su_sink_write_args(su_sink_t *r, int argc, char **argv);
/* Writes system.json atomically (temp file + rename). */
int su_sink_write_system(su_sink_t *r, su_topo_t *t, su_plan_t *plan,
                            const su_run_meta_t *meta, int complete);
/* Appends a point's summary and sample rows and flushes them to disk.
 * SU_EIO when a write, flush or fsync failed. */
int su_sink_append(su_sink_t *r, const char *run_id, const su_point_t *pt,
                      const su_point_result_t *res);
/* Renames the .part files into place, when every write, flush and fsync of
 * both succeeded (else they stay .part and SU_EIO says why); releases the
 * lock and frees the sink either way.  NULL-safe. */
int su_sink_close(su_sink_t *r);
const char *su_sink_dir(const su_sink_t *r);

/*
 * A distributed run, seen from the core: a few collective operations as
 * function pointers, so that nothing outside src/mpi/ depends on MPI.
 * Provided by su_dist_find("mpi")->init (src/mpi/), NULL-free when given.
 * Every operation is collective: all ranks call it in the same order.  Each
 * returns SU_OK or SU_EBACKEND with context.
 */
struct su_collective {
  unsigned rank, ranks;             /* this process and the job's size */
  unsigned nodes;                   /* distinct nodes (shared-memory domains) */
  unsigned node, local_rank, local_ranks; /* this rank's node and place in it */
  void *ctx;                        /* the provider's own state */
  int (*barrier)(const su_collective_t *c);
  /* In place: v[i] becomes the maximum of v[i] over all ranks. */
  int (*max_u64)(const su_collective_t *c, uint64_t *v, size_t n);
  /* In place: v[i] becomes the sum of v[i] over all ranks. */
  int (*sum_f64)(const su_collective_t *c, double *v, size_t n);
  /* Copies rank 0's `len` bytes at buf to every rank. */
  int (*bcast)(const su_collective_t *c, void *buf, size_t len);
  /*
   * Agrees on an outcome: each rank passes its own err (SU_OK or SU_E*) and
   * message; every rank gets back the err of the lowest failing rank, with
   * msg (len bytes) replaced by "rank N: <its message>".  SU_OK when no rank
   * failed (msg untouched).
   */
  int (*agree)(const su_collective_t *c, int err, char *msg, size_t len);
  /*
   * Rebinds a planned point to this rank's share of its node: the
   * placement's PUs for threads x local_ranks threads, local rank l taking
   * the l-th block (wrapping when the node has fewer PUs: oversubscribed).
   * Updates pt->pus and pt->cpuset.
   */
  int (*localize)(const su_collective_t *c, su_topo_t *t, su_point_t *pt);
  /*
   * Gathers every rank's host and machine fingerprint; on rank 0 *json is
   * a malloc'ed JSON object (ranks, nodes, rank-to-node map, one fingerprint
   * per node), NULL on the other ranks.
   */
  int (*describe)(const su_collective_t *c, su_topo_t *t, su_plan_t *plan, char **json);
  /* Called by every rank before it measures point pt (a test hook). */
  void (*before_point)(const su_collective_t *c, const su_point_t *pt);
};

/* A distributed engine (MPI), compiled in or not; listed in registry.c. */
typedef struct su_dist {
  const char *name;                 /* "mpi" */
  /* Starts the engine (MPI_Init); SU_ENOTSUP with context when unusable. */
  int (*init)(su_collective_t **out);
  /* Stops it; err != SU_OK on any rank aborts the job (MPI_Abort). NULL-safe. */
  void (*fini)(su_collective_t *c, int err);
} su_dist_t;

/* The engine called `name`, or NULL when this build has none. */
const su_dist_t *su_dist_find(const char *name);

/* Suite profiles (INI, libinih): [run] settings and one section per group. */
typedef struct su_suite {
  su_group_t *groups;
  size_t ngroups;
  su_measure_opts_t mo;
  char path[1024];
} su_suite_t;

/* SU_EINVAL naming the file, line and key for a malformed suite. */
int su_suite_load(const char *path, su_suite_t *out);
void su_suite_fini(su_suite_t *s);
/* Finds bench/<name>.ini next to the sources, installed data or $SIZEUP_DATADIR;
 * SU_EINVAL "unknown profile 'x' (did you mean 'y'? profiles: ...)" else. */
int su_suite_find_profile(const char *name, char *path, size_t len);
/* The profiles there (every bench/NAME.ini), sorted, at most max; their count. */
#define SU_PROFILE_NAME_MAX 32
size_t su_suite_profiles(char names[][SU_PROFILE_NAME_MAX], size_t max);
/* The same joined with sep into buf ("full, nightly, quick, standard"). */
size_t su_suite_profile_list(char *buf, size_t len, const char *sep);

#endif /* SIZEUP_RUN_H */
