/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * history.h: a history of runs in an SQLite database (`sizeup history`).
 *
 * Each run added keeps its fingerprint key (CPU model, cores, packages, NUMA
 * nodes, memory in whole GiB, host name and the user labels of system.json), every
 * summary row and every sample of its headline configurations.  A new run
 * is checked against the last N comparable runs (same fingerprint key):
 * their samples are pooled per configuration and compared with compare.h's
 * rule, so between-run variation enters the baseline's spread.
 *
 * Safety: one run is added in ONE transaction (BEGIN IMMEDIATE ... COMMIT),
 * so a crash mid-insert leaves the database without that run; the database
 * is in WAL mode with a 10 s busy timeout, so concurrent `history add` runs
 * wait for each other instead of failing.  The schema is identified by
 * PRAGMA application_id and versioned by PRAGMA user_version; any other file
 * is refused with "'F' is not a sizeup history database".  Adding a run
 * whose run id is already stored is a no-op (reported through *added).
 *
 * Every function returns SU_ENOTSUP with "built without SQLite: install
 * libsqlite3-dev and rebuild" when sizeup was built without SQLite.
 */
#ifndef SIZEUP_HISTORY_H
#define SIZEUP_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "sizeup/compare.h"
#include "sizeup/results.h"

#define SU_HISTORY_SCHEMA_VERSION 2

typedef struct su_history su_history_t;   /* an open database */

typedef struct su_history_run {
  int64_t id;              /* order of addition */
  char *run_id, *fingerprint, *hostname, *cpu_model, *source_dir;
  int64_t added_unix;      /* seconds since the epoch */
  size_t nconfigs, nsamples;
} su_history_run_t;

/*
 * Opens (create = 1: creates when missing) the history database at path and
 * checks its identity and schema version.  SU_OK with *out set; SU_EINVAL
 * for a file that is not a sizeup history database (another SQLite schema,
 * a newer schema version, not SQLite at all, corrupt); SU_EIO when it cannot
 * be opened; SU_ENOTSUP without SQLite.
 */
int su_history_open(const char *path, int create, su_history_t **out);
void su_history_close(su_history_t *h);   /* NULL-safe */

/*
 * Adds the results directory dir.  *added is 1 when stored, 0 when a run
 * with the same run id was already there (nothing changed).  On any error
 * nothing of the run is stored.  SU_OK; the loaders' errors; SU_EIO for a
 * database error.
 */
int su_history_add(su_history_t *h, const char *dir, int *added);

/* Every run, in the order added.  Free with su_history_runs_free. */
int su_history_list(su_history_t *h, su_history_run_t **runs, size_t *n);
void su_history_runs_free(su_history_run_t *runs, size_t n);

/*
 * Loads the results directory dir into *cur and pools into *base the
 * samples of the last `window` runs with the same fingerprint key as dir
 * (the run with dir's run id excluded).  *nruns is how many were pooled (0:
 * nothing comparable; base is then empty).  Release both sides with
 * su_cmp_side_fini.
 */
int su_history_baseline(su_history_t *h, const char *dir, unsigned window,
                        su_cmp_side_t *base, su_cmp_side_t *cur, size_t *nruns);

/*
 * The system.json stored with the latest run comparable with dir (the run
 * with dir's run id excluded), and that run's id: both malloc'ed, both NULL
 * when no comparable run has one (runs added before sizeup stored it).
 */
int su_history_last_system(su_history_t *h, const char *dir, char **json, char **run_id);

/*
 * Why no stored run is comparable with dir: *why names the stored run whose
 * fingerprint key differs from dir's in the fewest fields (the latest among
 * equals) and those fields, "run 'ID': label instance 'node18' here, 'node17'
 * in the history; ...".  *nstored counts the other runs stored; *why is NULL
 * when there is none.  Free *why.
 */
int su_history_explain(su_history_t *h, const char *dir, char **why, size_t *nstored);

/*
 * One headline figure (results.h: memory bandwidth at the largest working
 * set, peak FP64/FP32, memory latency) of one machine (fingerprint key) over
 * its runs, oldest first.  Drawn by su_report_trends (report.h).
 */
typedef struct su_history_trend {
  char *machine;           /* its `instance` label, else host name, else CPU model
                              (from results files: untrusted) */
  su_head_t head;          /* which figure; unit: su_results_head_unit */
  size_t n;                /* runs of the machine */
  int64_t *when_unix;      /* the run's date: its run id's UTC timestamp, else when added */
  double *value;           /* the figure in that run (median of its samples); NaN: absent */
  unsigned char *regressed;  /* 1 when `history check` with the same window and options
                                finds a regression in the configuration that gives it */
} su_history_trend_t;

/*
 * The trends of every machine in the history: SU_HEAD_N per fingerprint key
 * (in the order first added), less the figures no run of it has.  SU_OK with
 * *t (free with su_history_trends_free) and *n; SU_EIO, SU_ENOMEM.
 */
int su_history_trends(su_history_t *h, unsigned window, const su_cmp_opts_t *o,
                      su_history_trend_t **t, size_t *n);
void su_history_trends_free(su_history_trend_t *t, size_t n);   /* NULL-safe */

/* The fingerprint key of a loaded results directory (malloc'ed text). */
struct su_results;
int su_history_fingerprint(const struct su_results *r, char **out);

/* For tests only: when set, called inside the transaction of
 * su_history_add just before COMMIT (to simulate a crash mid-insert). */
extern void (*su__history_before_commit)(void);

#endif /* SIZEUP_HISTORY_H */
