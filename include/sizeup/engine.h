/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * engine.h: the run engine, what `sizeup run` does between parsing its
 * options and printing its summary.
 *
 *   su_engine_open   loads the suite, applies the overrides, loads the
 *                    topology, builds and validates the whole plan, and
 *                    (unless it is a dry run) creates or reopens the results
 *                    directory: bad input fails here, before anything is
 *                    written;
 *   su_engine_step   measures one point of one round, and writes the point
 *                    once its last round is done;
 *   su_engine_close  writes what every started point has (an interrupted
 *                    run keeps every round it measured), system.json, and
 *                    renames the files into place.
 *
 * The engine never prints: a progress callback sees every measurement
 * before and after it, and su_engine_close hands back the counts and the
 * headline figures.  It is interruptible through a flag (a signal handler
 * sets it): the point being measured stops after its current repetition
 * and su_engine_step returns SU_EINTR.
 */
#ifndef SIZEUP_ENGINE_H
#define SIZEUP_ENGINE_H

#include <signal.h>
#include <stddef.h>

#include "sizeup/run.h"

typedef struct su_engine su_engine_t;

/* What the progress callback is told. */
typedef enum su_engine_event_e {
  SU_ENGINE_POINT_START,   /* about to measure `point` in `round` */
  SU_ENGINE_POINT_DONE     /* `point` is written, pooled over its rounds: `result` */
} su_engine_event_t;

typedef struct su_engine_progress {
  su_engine_event_t event;
  const su_point_t *point;
  const su_point_result_t *result;   /* SU_ENGINE_POINT_DONE only */
  unsigned round, rounds;            /* 0-based round of `rounds` */
  size_t index, npoints;             /* the point's place in the plan */
  size_t steps;                      /* measurements done by this engine so far */
  double elapsed_s, eta_s;           /* wall clock since the first step; estimate left */
} su_engine_progress_t;

typedef void (*su_engine_progress_fn)(const su_engine_progress_t *p, void *arg);

typedef struct su_engine_opts {
  const char *suite;       /* a suite INI file, or NULL for `profile` */
  const char *profile;     /* a profile name (bench/NAME.ini); NULL: "standard" */
  const su_group_t *groups;  /* non-NULL: these groups with the default measuring */
  size_t ngroups;            /* options instead of a suite (sizeup app) */
  su_plan_filter_t filter; /* -k, -t, -P, -S, ... overrides */
  double budget_s, ci;     /* > 0: override the suite's */
  long min_reps, max_reps, rounds;   /* > 0: override the suite's */
  const char *topology;    /* hwloc XML or synthetic description, NULL: this machine */
  const char *out;         /* results directory; NULL: results/<run id> */
  const char *run_id;      /* NULL: made from the time, the host and a random number */
  int resume;              /* reopen `out` and measure only what is missing */
  int dry_run;             /* plan only: nothing is written */
  int mpi;                 /* a distributed run (su_dist_find("mpi")) */
  const char **labels;     /* "key=value", recorded in system.json */
  size_t nlabels;
  int argc;                /* the command line, saved as run.args (--run-id and */
  char **argv;             /* --out are appended when they were not given) */
  volatile sig_atomic_t *stop;   /* non-zero: stop after the current repetition */
  su_engine_progress_fn progress;  /* NULL: none */
  void *progress_arg;
} su_engine_opts_t;

/* The best figure per (kernel, variant, precision, backend): the largest
 * size measured, and at it the best rate (the lowest latency). */
typedef struct su_engine_headline {
  char kernel[64], unit[32];   /* copies: an app's name and unit die with the plan */
  const char *backend;
  char variant[24];
  char placement[64];
  su_precision_t prec;
  unsigned threads;
  uint64_t size_bytes;
  double value;
} su_engine_headline_t;

#define SU_ENGINE_MAX_HEADLINES 128

typedef struct su_engine_summary {
  size_t counts[5];        /* points written, by su_status_t of their headline row */
  size_t measured;         /* points written by this engine */
  size_t planned;          /* points in the plan */
  double elapsed_s;
  int interrupted;         /* closed before every point was measured */
  int writer;              /* this process wrote the results (rank 0, or no MPI) */
  char dir[1024];          /* the results directory */
  su_engine_headline_t heads[SU_ENGINE_MAX_HEADLINES];
  size_t nheads;
} su_engine_summary_t;

/*
 * Plans the run described by *o and, unless it is a dry run, opens its
 * results directory (creating it, or with o->resume reopening it).  A
 * topology that is not this machine makes it a dry run unless every point
 * of the plan is on a virtual backend (`null`), which needs no binding.
 * On success *out is the engine; on failure nothing was written and *out
 * is untouched.  SU_EINVAL with context for bad input (suite, filter,
 * topology, --min-reps above --max-reps, MPI asked of a build without it),
 * SU_EIO when the results directory cannot be written, SU_ENOMEM.
 * In a distributed run every rank gets the same outcome, and only rank 0
 * should report it: *writer (may be NULL) is set, on failure too, to 1 when
 * this process is the one that writes and reports (rank 0, or no MPI).
 */
int su_engine_open(const su_engine_opts_t *o, su_engine_t **out, int *writer);

/* The plan (valid until close). */
const su_plan_t *su_engine_plan(const su_engine_t *e);
/* 1 when open planned only (o->dry_run, or a topology that cannot be measured). */
int su_engine_dry(const su_engine_t *e);
/* 1 when this process writes the results (and so prints): rank 0, or no MPI. */
int su_engine_writer(const su_engine_t *e);
/* What the results folder's opening wants said once (a stale lock taken
 * over, a row cut off by a crash dropped on resume), or NULL. */
const char *su_engine_note(const su_engine_t *e);
/* The results directory ("" for a dry run). */
const char *su_engine_dir(const su_engine_t *e);
/* The suite's measuring options after the overrides. */
const su_measure_opts_t *su_engine_measure_opts(const su_engine_t *e);

/*
 * Measures the next point of the next round (points already on disk are
 * passed over) and writes it when its last round is done.  *more is set to
 * 1 while measurements remain, 0 after the last.  SU_OK; SU_EINTR when
 * *o->stop was set (the point is dropped, the engine can still be closed);
 * another SU_E* with context for an error that ends the run (a write
 * failed): close keeps what was measured.
 */
int su_engine_step(su_engine_t *e, int *more);

/*
 * Writes every point measured in at least one round that is not written
 * yet, system.json (complete when every point was measured), renames the
 * results into place and frees the engine.  *sum (may be NULL) receives
 * the counts and headlines.  NULL-safe.  Returns the first write error.
 */
int su_engine_close(su_engine_t *e, su_engine_summary_t *sum);

/* Sets the progress callback (NULL: none). */
void su_engine_set_progress(su_engine_t *e, su_engine_progress_fn fn, void *arg);

/* Reads DIR/run.args (the command line of a run, one argument per line,
 * as su_engine_open saved it) into a malloc'ed, NULL-terminated argv;
 * release it with su_engine_args_free.  SU_EINVAL with context when it is
 * missing or is not a `run` (or `app`) command line, SU_ENOMEM. */
int su_engine_args_read(const char *dir, int *argc, char ***argv_out);
void su_engine_args_free(int argc, char **argv);   /* NULL-safe */

#endif /* SIZEUP_ENGINE_H */
