/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * history.c: the SQLite history of runs (history.h).
 *
 * Schema (version 2, PRAGMA user_version; PRAGMA application_id 0x73697a75,
 * "sizu", marks the file as ours, https://www.sqlite.org/pragma.html):
 *
 *   runs(id, run_id UNIQUE, fingerprint, hostname, cpu_model, added_unix, source_dir)
 *   configs(id, run -> runs, kernel, variant, backend, device, precision,
 *           threads, ranks, nodes, placement, size_bytes, metric, unit, status,
 *           reason, median, min, max, cv, ci95_lo, ci95_hi, reps)
 *   samples(config -> configs, value, round, c2c)
 *   systems(run -> runs, json): system.json, created by the first add that
 *           stores one (databases without it open unchanged)
 *
 * Version 1 lacked samples.round and samples.c2c: opening such a file adds
 * them (round 0, no c2c), under the write lock, and marks it version 2.
 *
 * Durability: WAL mode, one BEGIN IMMEDIATE transaction per added run, a
 * 10 s busy timeout (https://www.sqlite.org/wal.html,
 * https://www.sqlite.org/lang_transaction.html).  BEGIN IMMEDIATE takes the
 * write lock at the start, so two writers queue on the busy handler instead
 * of deadlocking on a lock upgrade.  Strings from results files only ever
 * reach SQL as bound parameters.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "io/io_int.h"
#include "sizeup/config.h"
#include "sizeup/error.h"
#include "sizeup/fs.h"
#include "sizeup/history.h"
#include "sizeup/stats.h"
#include "sizeup/results.h"

void (*su__history_before_commit)(void);

#if !SU_HAVE_SQLITE

#define NOSQL su_errorf(SU_ENOTSUP, "built without SQLite: install libsqlite3-dev and rebuild")

int su_history_open(const char *path, int create, su_history_t **out)
{
  (void)path, (void)create, (void)out;
  return NOSQL;
}
void su_history_close(su_history_t *h) { (void)h; }
int su_history_add(su_history_t *h, const char *dir, int *added)
{
  (void)h, (void)dir, (void)added;
  return NOSQL;
}
int su_history_list(su_history_t *h, su_history_run_t **runs, size_t *n)
{
  (void)h, (void)runs, (void)n;
  return NOSQL;
}
void su_history_runs_free(su_history_run_t *runs, size_t n) { (void)runs, (void)n; }
int su_history_baseline(su_history_t *h, const char *dir, unsigned window,
                        su_cmp_side_t *base, su_cmp_side_t *cur, size_t *nruns)
{
  (void)h, (void)dir, (void)window, (void)base, (void)cur, (void)nruns;
  return NOSQL;
}
int su_history_trends(su_history_t *h, unsigned window, const su_cmp_opts_t *o,
                      su_history_trend_t **out, size_t *n)
{
  (void)h, (void)window, (void)o, (void)out, (void)n;
  return NOSQL;
}
void su_history_trends_free(su_history_trend_t *t, size_t n) { (void)t, (void)n; }
int su_history_fingerprint(const struct su_results *r, char **out)
{
  (void)r, (void)out;
  return NOSQL;
}
int su_history_last_system(su_history_t *h, const char *dir, char **json, char **run_id)
{
  (void)h, (void)dir, (void)json, (void)run_id;
  return NOSQL;
}
int su_history_explain(su_history_t *h, const char *dir, char **why, size_t *nstored)
{
  (void)h, (void)dir, (void)why, (void)nstored;
  return NOSQL;
}

#else

#include <sqlite3.h>

#define SU_HISTORY_APP_ID 0x73697a75
#define SU_HISTORY_BUSY_MS 10000

struct su_history {
  sqlite3 *db;
  char *path;
  uint64_t ticks;          /* progress-handler calls so far (see on_progress) */
};

/*
 * A bound on the work of one opened database: the progress handler runs
 * every SU_HISTORY_TICK virtual-machine instructions and interrupts the
 * statement after SU_HISTORY_MAX_TICKS calls (1e9 instructions: seconds of
 * work, far more than a history of thousands of runs needs), so that a
 * crafted file cannot make a command run forever.
 */
#define SU_HISTORY_TICK 1000
#define SU_HISTORY_MAX_TICKS 1000000u

/* The objects a sizeup history holds, and their types: anything else (a
 * view or a trigger above all) makes the file foreign. */
static const struct { const char *type, *name; } su_history_objects[] = {
  {"table", "runs"}, {"table", "configs"}, {"table", "samples"}, {"table", "systems"},
  {"index", "runs_fingerprint"}, {"index", "configs_run"}, {"index", "samples_config"},
};

/* Rounds per run kept apart when runs are pooled (sizeup run allows 100). */
#define SU_HISTORY_MAX_ROUNDS 128u

static const char su_history_schema[] =
  "CREATE TABLE runs(\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  run_id TEXT NOT NULL UNIQUE,\n"
  "  fingerprint TEXT NOT NULL,\n"
  "  hostname TEXT NOT NULL,\n"
  "  cpu_model TEXT NOT NULL,\n"
  "  added_unix INTEGER NOT NULL,\n"
  "  source_dir TEXT NOT NULL);\n"
  "CREATE INDEX runs_fingerprint ON runs(fingerprint, id);\n"
  "CREATE TABLE configs(\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
  "  kernel TEXT NOT NULL, variant TEXT NOT NULL, backend TEXT NOT NULL,\n"
  "  device TEXT NOT NULL, precision TEXT NOT NULL, threads INTEGER NOT NULL,\n"
  "  ranks INTEGER NOT NULL, nodes INTEGER NOT NULL, placement TEXT NOT NULL,\n"
  "  size_bytes INTEGER NOT NULL, metric TEXT NOT NULL, unit TEXT NOT NULL,\n"
  "  status TEXT NOT NULL, reason TEXT NOT NULL, median REAL, min REAL, max REAL,\n"
  "  cv REAL, ci95_lo REAL, ci95_hi REAL, reps INTEGER NOT NULL);\n"
  "CREATE INDEX configs_run ON configs(run);\n"
  "CREATE TABLE samples(\n"
  "  config INTEGER NOT NULL REFERENCES configs(id) ON DELETE CASCADE,\n"
  "  value REAL NOT NULL, round INTEGER NOT NULL DEFAULT 0, c2c REAL);\n"
  "CREATE INDEX samples_config ON samples(config);\n"
  "PRAGMA application_id = 1936292469;\n"   /* SU_HISTORY_APP_ID */
  "PRAGMA user_version = 2;\n";

/* From version 1 (samples without round and c2c). */
static const char su_history_upgrade_1[] =
  "ALTER TABLE samples ADD COLUMN round INTEGER NOT NULL DEFAULT 0;\n"
  "ALTER TABLE samples ADD COLUMN c2c REAL;\n"
  "PRAGMA user_version = 2;\n";

static int db_err(su_history_t *h, const char *what)
{
  int code = sqlite3_errcode(h->db);

  if (code == SQLITE_INTERRUPT)
    return su_errorf(SU_EINVAL, "history '%s': %s: the query ran past its bound (%u million "
                     "steps): not a database sizeup made", h->path, what,
                     SU_HISTORY_MAX_TICKS * SU_HISTORY_TICK / 1000000u);
  if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
    return su_errorf(SU_EINVAL, "'%s' is not a sizeup history database (%s)", h->path,
                     sqlite3_errmsg(h->db));
  return su_errorf(SU_EIO, "history '%s': %s: %s", h->path, what, sqlite3_errmsg(h->db));
}

static int exec(su_history_t *h, const char *sql)
{
  if (sqlite3_exec(h->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return db_err(h, "cannot update");
  return SU_OK;
}

/*
 * Switching a new file to WAL needs an exclusive lock, and SQLite answers
 * SQLITE_BUSY at once instead of calling the busy handler when another
 * process is creating the same file: retry for as long as the busy timeout.
 */
static int exec_wal(su_history_t *h)
{
  const struct timespec pause = {0, 5 * 1000 * 1000};
  int rc;

  for (int waited_ms = 0;; waited_ms += 5) {
    rc = sqlite3_exec(h->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited_ms >= SU_HISTORY_BUSY_MS)
      break;
    nanosleep(&pause, NULL);
  }
  return rc == SQLITE_OK ? SU_OK : db_err(h, "cannot switch to WAL mode");
}

static int query_int(su_history_t *h, const char *sql, int64_t *out)
{
  sqlite3_stmt *st = NULL;
  int rc;

  if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
    return db_err(h, "cannot read");
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW)
    return db_err(h, "cannot read");
  return SU_OK;
}

static int on_progress(void *arg)
{
  su_history_t *h = arg;

  return ++h->ticks > SU_HISTORY_MAX_TICKS;
}

/*
 * Checks that every object of the file is one sizeup makes, of its type
 * (per sqlite_master: `runs` must be a table, not a view named like one),
 * and that the three tables sizeup reads are there.  SU_EINVAL naming the
 * first object that is not.
 */
static int check_objects(su_history_t *h)
{
  sqlite3_stmt *st = NULL;
  size_t nobj = sizeof(su_history_objects) / sizeof(su_history_objects[0]);
  unsigned found = 0;
  int rc, err = SU_OK;

  if (sqlite3_prepare_v2(h->db, "SELECT type, name FROM sqlite_master", -1, &st, NULL))
    return db_err(h, "cannot read");
  while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *type = (const char *)sqlite3_column_text(st, 0);
    const char *name = (const char *)sqlite3_column_text(st, 1);
    size_t i;
    type = type ? type : "";
    name = name ? name : "";
    for (i = 0; i < nobj; i++)
      if (strcmp(name, su_history_objects[i].name) == 0)
        break;
    if (i < nobj && strcmp(type, su_history_objects[i].type) == 0)
      found |= 1u << i;
    else if (!(strcmp(type, "index") == 0 && strncmp(name, "sqlite_autoindex_", 17) == 0))
      err = su_errorf(SU_EINVAL, "'%s' is not a sizeup history database (it holds the %.20s "
                      "'%.60s', which sizeup does not make)", h->path, type, name);
  }
  if (!err && rc != SQLITE_DONE)
    err = db_err(h, "cannot read");
  sqlite3_finalize(st);
  if (!err && (found & 7u) != 7u)
    err = su_errorf(SU_EINVAL, "'%s' is not a sizeup history database (its tables runs, "
                    "configs and samples are not all there)", h->path);
  return err;
}

/* Checks the identity of the file; creates the schema in an empty one when
 * create is set.  Called inside BEGIN IMMEDIATE when creating, so that two
 * processes do not both create it. */
static int check_schema(su_history_t *h, int create)
{
  int64_t app = 0, ver = 0, nobj = 0;
  int err;

  if ((err = query_int(h, "SELECT count(*) FROM sqlite_master", &nobj)) ||
      (err = query_int(h, "PRAGMA application_id", &app)) ||
      (err = query_int(h, "PRAGMA user_version", &ver)))
    return err;
  if (nobj == 0 && app == 0 && ver == 0) {
    if (!create)
      return su_errorf(SU_EINVAL, "'%s' is not a sizeup history database (it is empty; "
                       "'sizeup history add' creates one)", h->path);
    return exec(h, su_history_schema);
  }
  if (app != SU_HISTORY_APP_ID)
    return su_errorf(SU_EINVAL, "'%s' is not a sizeup history database (another SQLite "
                     "database, application_id %lld)", h->path, (long long)app);
  if (ver == 1 && create)
    return exec(h, su_history_upgrade_1);
  if (ver != SU_HISTORY_SCHEMA_VERSION)
    return su_errorf(SU_EINVAL, "'%s' is not a sizeup history database of schema version %d "
                     "(it has version %lld)", h->path, SU_HISTORY_SCHEMA_VERSION,
                     (long long)ver);
  return SU_OK;
}

void su_history_close(su_history_t *h)
{
  if (!h)
    return;
  sqlite3_close(h->db);
  free(h->path);
  free(h);
}

int su_history_open(const char *path, int create, su_history_t **out)
{
  su_history_t *h;
  struct stat st;
  int err, flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);

  *out = NULL;
  if (!create && stat(path, &st) != 0)
    return su_errorf(SU_EINVAL, "cannot open history '%s': %s", path, strerror(errno));
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
    return su_errorf(SU_EINVAL, "'%s' is not a sizeup history database (not a file)", path);
  if (!(h = calloc(1, sizeof(*h))) || !(h->path = strdup(path))) {
    free(h);
    return su_errorf(SU_ENOMEM, "cannot open history '%s'", path);
  }
  if (sqlite3_open_v2(path, &h->db, flags, NULL) != SQLITE_OK) {
    err = su_errorf(SU_EIO, "cannot open history '%s': %s", path,
                    h->db ? sqlite3_errmsg(h->db) : "out of memory");
    goto fail;
  }
  sqlite3_busy_timeout(h->db, SU_HISTORY_BUSY_MS);
  sqlite3_extended_result_codes(h->db, 0);
  /* The file is untrusted (copied between machines): no functions with side
   * effects from its schema, no writes to its schema by SQL, and a bound on
   * the work of every query. */
  sqlite3_progress_handler(h->db, SU_HISTORY_TICK, on_progress, h);
  sqlite3_db_config(h->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
  if ((err = exec(h, "PRAGMA trusted_schema=OFF")))
    goto fail;
  /* Identify the file before changing anything in it: under the write lock
   * when we may create the schema, so that of two processes creating the
   * same file one creates it and the other sees it complete. */
  if ((err = check_schema(h, 0)) != SU_OK) {
    int64_t ver = 0;
    /* Empty (create it) or of version 1 (upgrade it): again under the
     * write lock, which also orders two processes doing it at once. */
    if (!(create || (query_int(h, "PRAGMA user_version", &ver) == SU_OK && ver == 1)))
      goto fail;
    su_errclear();
    if ((err = exec(h, "BEGIN IMMEDIATE")))
      goto fail;
    if ((err = check_schema(h, 1)) == SU_OK)
      err = check_schema(h, 0);
    if (err) {
      sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
      goto fail;
    }
    if ((err = exec(h, "COMMIT")))
      goto fail;
  }
  if ((err = check_objects(h)) || (err = exec_wal(h)) ||
      (err = exec(h, "PRAGMA foreign_keys=ON")))
    goto fail;
  *out = h;
  return SU_OK;
fail:
  su_history_close(h);
  return err;
}

/* --- fingerprint ---------------------------------------------------------------- */

static int cmp_str_idx(const void *a, const void *b, void *keys)
{
  char **k = keys;
  return strcmp(k[*(const size_t *)a], k[*(const size_t *)b]);
}

int su_history_fingerprint(const struct su_results *r, char **out)
{
  const su_fingerprint_t *f = &r->fp;
  size_t len = 256, *idx = NULL;
  char *s, *p;

  *out = NULL;
  for (size_t i = 0; i < f->nlabels; i++)
    len += strlen(f->label_keys[i]) + strlen(f->label_vals[i]) + 2;
  len += strlen(f->cpu_model ? f->cpu_model : "") + strlen(f->hostname ? f->hostname : "");
  if (!f->loaded && r->nrows)
    len += strlen(r->rows[0].device);
  if (!(s = malloc(len)) || (f->nlabels && !(idx = malloc(f->nlabels * sizeof(*idx))))) {
    free(s);
    return su_errorf(SU_ENOMEM, "cannot build a fingerprint");
  }
  if (!f->loaded) {
    /* no system.json (or no libjansson): the device of the rows is all we know */
    snprintf(s, len, "cpu=%s;system.json=absent", r->nrows ? r->rows[0].device : "");
    *out = s;
    return SU_OK;
  }
  /* Memory in whole GiB: a VM's reported memory moves by a few percent
   * between runs (the development VM's between 7.71 and 7.84 GiB, four
   * minutes apart), which must not start a new baseline every night. */
  p = s + snprintf(s, len, "cpu=%s;cores=%u;packages=%u;numa=%u;memory=%lluGiB;host=%s;labels=",
                   f->cpu_model, f->cores, f->packages, f->numa_nodes,
                   (unsigned long long)((f->memory_bytes + (1ull << 29)) >> 30), f->hostname);
  /* labels sorted by key, so that their order in system.json does not matter */
  for (size_t i = 0; i < f->nlabels; i++)
    idx[i] = i;
  if (f->nlabels > 1)
    qsort_r(idx, f->nlabels, sizeof(*idx), cmp_str_idx, f->label_keys);
  for (size_t i = 0; i < f->nlabels; i++)
    p += sprintf(p, "%s%s=%s", i ? "," : "", f->label_keys[idx[i]], f->label_vals[idx[i]]);
  free(idx);
  *out = s;
  return SU_OK;
}

/* --- add -------------------------------------------------------------------------- */

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
  sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_TRANSIENT);
}

static void bind_num(sqlite3_stmt *st, int i, double v)
{
  if (isfinite(v))
    sqlite3_bind_double(st, i, v);
  else
    sqlite3_bind_null(st, i);
}

/*
 * system.json of each run, for `history check` to say what changed on the
 * machine since the baseline.  A table of its own, created by the first add
 * that needs it, so databases written before it still open with the same
 * schema version (their runs have no system.json to compare).
 */
#define SU_HISTORY_MAX_SYSTEM (4u << 20)

static int store_system(su_history_t *h, int64_t run, const char *json)
{
  sqlite3_stmt *st = NULL;
  int err;

  if ((err = exec(h, "CREATE TABLE IF NOT EXISTS systems(run INTEGER PRIMARY KEY "
                     "REFERENCES runs(id) ON DELETE CASCADE, json TEXT NOT NULL)")))
    return err;
  if (sqlite3_prepare_v2(h->db, "INSERT INTO systems(run, json) VALUES(?,?)", -1, &st, NULL))
    return db_err(h, "cannot prepare");
  sqlite3_bind_int64(st, 1, run);
  bind_text(st, 2, json);
  if (sqlite3_step(st) != SQLITE_DONE)
    err = db_err(h, "cannot add the run's system.json");
  sqlite3_finalize(st);
  return err;
}

int su_history_add(su_history_t *h, const char *dir, int *added)
{
  su_results_t r;
  su_samples_t smp = {0};
  sqlite3_stmt *q_run = NULL, *q_dup = NULL, *q_cfg = NULL, *q_smp = NULL;
  char *fp = NULL, *sys = NULL, path[4096];
  int err, in_tx = 0;
  int64_t run;

  *added = 0;
  if ((err = su_results_load(dir, &r)) != SU_OK)
    return err;
  /* An unreadable samples.csv is an error: storing the run without its
   * samples would make every later check against it untestable. */
  if ((err = su_samples_load(dir, &smp)) || (err = su_history_fingerprint(&r, &fp)))
    goto out;
  snprintf(path, sizeof(path), "%s/system.json", dir);
  if (su_fs_read_text(path, SU_HISTORY_MAX_SYSTEM, &sys) != SU_OK)
    su_errclear();          /* no system.json: nothing to tell what changed */
  if (sqlite3_prepare_v2(h->db, "SELECT 1 FROM runs WHERE run_id = ?", -1, &q_dup, NULL) ||
      sqlite3_prepare_v2(h->db,
                         "INSERT INTO runs(run_id, fingerprint, hostname, cpu_model, "
                         "added_unix, source_dir) VALUES(?,?,?,?,?,?)", -1, &q_run, NULL) ||
      sqlite3_prepare_v2(h->db,
                         "INSERT INTO configs(run, kernel, variant, backend, device, precision,"
                         " threads, ranks, nodes, placement, size_bytes, metric, unit, status,"
                         " reason, median, min, max, cv, ci95_lo, ci95_hi, reps) VALUES(?,?,?,"
                         "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &q_cfg, NULL) ||
      sqlite3_prepare_v2(h->db, "INSERT INTO samples(config, value, round, c2c) VALUES(?,?,?,?)",
                         -1, &q_smp, NULL)) {
    err = db_err(h, "cannot prepare");
    goto out;
  }
  if ((err = exec(h, "BEGIN IMMEDIATE")))
    goto out;
  in_tx = 1;
  bind_text(q_dup, 1, r.run_id);
  if (sqlite3_step(q_dup) == SQLITE_ROW)
    goto out;               /* already stored: a no-op, rolled back below */
  bind_text(q_run, 1, r.run_id);
  bind_text(q_run, 2, fp);
  bind_text(q_run, 3, r.fp.hostname);
  bind_text(q_run, 4, r.fp.loaded ? r.fp.cpu_model : (r.nrows ? r.rows[0].device : ""));
  sqlite3_bind_int64(q_run, 5, (sqlite3_int64)time(NULL));
  bind_text(q_run, 6, dir);
  if (sqlite3_step(q_run) != SQLITE_DONE) {
    err = db_err(h, "cannot add the run");
    goto out;
  }
  run = sqlite3_last_insert_rowid(h->db);
  if (sys && (err = store_system(h, run, sys)))
    goto out;
  for (size_t i = 0; i < r.nrows; i++) {
    const su_result_row_t *w = &r.rows[i];
    su_sample_key_t k = su__row_sample_key(w);
    const su_sample_group_t *g;
    int64_t cfg;
    sqlite3_reset(q_cfg);
    sqlite3_bind_int64(q_cfg, 1, run);
    bind_text(q_cfg, 2, w->kernel);
    bind_text(q_cfg, 3, w->variant);
    bind_text(q_cfg, 4, w->backend);
    bind_text(q_cfg, 5, w->device);
    bind_text(q_cfg, 6, w->precision);
    sqlite3_bind_int64(q_cfg, 7, w->threads);
    sqlite3_bind_int64(q_cfg, 8, w->ranks);
    sqlite3_bind_int64(q_cfg, 9, w->nodes);
    bind_text(q_cfg, 10, w->placement);
    sqlite3_bind_int64(q_cfg, 11, (sqlite3_int64)w->size_bytes);
    bind_text(q_cfg, 12, w->metric);
    bind_text(q_cfg, 13, w->unit);
    bind_text(q_cfg, 14, w->status);
    bind_text(q_cfg, 15, w->reason);
    bind_num(q_cfg, 16, w->median);
    bind_num(q_cfg, 17, w->min);
    bind_num(q_cfg, 18, w->max);
    bind_num(q_cfg, 19, w->cv);
    bind_num(q_cfg, 20, w->ci95_lo);
    bind_num(q_cfg, 21, w->ci95_hi);
    sqlite3_bind_int64(q_cfg, 22, w->reps);
    if (sqlite3_step(q_cfg) != SQLITE_DONE) {
      err = db_err(h, "cannot add a configuration");
      goto out;
    }
    cfg = sqlite3_last_insert_rowid(h->db);
    if (!su_cmp_metric_direction(w->metric) || !su_results_row_ok(w) ||
        !(g = su_samples_find(&smp, &k)))
      continue;
    for (size_t j = 0; j < g->n; j++) {
      sqlite3_reset(q_smp);
      sqlite3_bind_int64(q_smp, 1, cfg);
      sqlite3_bind_double(q_smp, 2, g->values[j]);
      sqlite3_bind_int64(q_smp, 3, g->replicate[j]);
      bind_num(q_smp, 4, g->c2c_ns[j]);
      if (sqlite3_step(q_smp) != SQLITE_DONE) {
        err = db_err(h, "cannot add a sample");
        goto out;
      }
    }
  }
  if (su__history_before_commit)
    su__history_before_commit();
  if ((err = exec(h, "COMMIT")))
    goto out;
  in_tx = 0;
  *added = 1;
out:
  if (in_tx)
    sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_finalize(q_dup);
  sqlite3_finalize(q_run);
  sqlite3_finalize(q_cfg);
  sqlite3_finalize(q_smp);
  free(fp);
  free(sys);
  su_samples_fini(&smp);
  su_results_fini(&r);
  return err;
}

/* --- list ------------------------------------------------------------------------- */

static char *col_dup(sqlite3_stmt *st, int i)
{
  const unsigned char *t = sqlite3_column_text(st, i);
  return strdup(t ? (const char *)t : "");
}

void su_history_runs_free(su_history_run_t *runs, size_t n)
{
  for (size_t i = 0; runs && i < n; i++) {
    free(runs[i].run_id);
    free(runs[i].fingerprint);
    free(runs[i].hostname);
    free(runs[i].cpu_model);
    free(runs[i].source_dir);
  }
  free(runs);
}

int su_history_list(su_history_t *h, su_history_run_t **runs, size_t *n)
{
  sqlite3_stmt *st = NULL;
  su_history_run_t *v = NULL;
  size_t cnt = 0, cap = 0;
  int rc, err = SU_OK;

  *runs = NULL;
  *n = 0;
  if (sqlite3_prepare_v2(h->db,
                         "SELECT r.id, r.run_id, r.fingerprint, r.hostname, r.cpu_model, "
                         "r.added_unix, r.source_dir, "
                         "(SELECT count(*) FROM configs c WHERE c.run = r.id), "
                         "(SELECT count(*) FROM samples s JOIN configs c ON s.config = c.id "
                         " WHERE c.run = r.id) FROM runs r ORDER BY r.id", -1, &st, NULL))
    return db_err(h, "cannot read");
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    su_history_run_t *w;
    if (su__grow(&v, cnt, &cap, sizeof(*v), 16) != SU_OK) {
      err = su_errorf(SU_ENOMEM, "cannot list '%s'", h->path);
      goto out;
    }
    w = &v[cnt++];
    w->id = sqlite3_column_int64(st, 0);
    w->run_id = col_dup(st, 1);
    w->fingerprint = col_dup(st, 2);
    w->hostname = col_dup(st, 3);
    w->cpu_model = col_dup(st, 4);
    w->added_unix = sqlite3_column_int64(st, 5);
    w->source_dir = col_dup(st, 6);
    w->nconfigs = (size_t)sqlite3_column_int64(st, 7);
    w->nsamples = (size_t)sqlite3_column_int64(st, 8);
    if (!w->run_id || !w->fingerprint || !w->hostname || !w->cpu_model || !w->source_dir) {
      err = su_errorf(SU_ENOMEM, "cannot list '%s'", h->path);
      goto out;
    }
  }
  if (rc != SQLITE_DONE)
    err = db_err(h, "cannot read");
out:
  sqlite3_finalize(st);
  if (err) {
    su_history_runs_free(v, cnt);
    return err;
  }
  *runs = v;
  *n = cnt;
  return SU_OK;
}

/* --- what the gate tells: what changed, why nothing is comparable ------------------- */

/* Loads dir into *r and its fingerprint key into *fp; on failure neither is
 * left to release. */
static int dir_key(const char *dir, su_results_t *r, char **fp)
{
  int err;

  if ((err = su_results_load(dir, r)) != SU_OK)
    return err;
  if ((err = su_history_fingerprint(r, fp)))
    su_results_fini(r);
  return err;
}

int su_history_last_system(su_history_t *h, const char *dir, char **json, char **run_id)
{
  su_results_t r;
  sqlite3_stmt *st = NULL;
  char *fp = NULL;
  int rc, err;

  *json = *run_id = NULL;
  if ((err = dir_key(dir, &r, &fp)))
    return err;
  if (sqlite3_prepare_v2(h->db, "SELECT r.run_id, s.json FROM runs r JOIN systems s ON "
                         "s.run = r.id WHERE r.fingerprint = ? AND r.run_id <> ? "
                         "ORDER BY r.id DESC LIMIT 1", -1, &st, NULL)) {
    su_errclear();          /* no systems table: written before it existed */
    goto out;
  }
  bind_text(st, 1, fp);
  bind_text(st, 2, r.run_id);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    *run_id = col_dup(st, 0);
    *json = col_dup(st, 1);
    if (!*run_id || !*json) {
      free(*run_id);
      free(*json);
      *json = *run_id = NULL;
      err = su_errorf(SU_ENOMEM, "cannot read '%s'", h->path);
    }
  } else if (rc != SQLITE_DONE) {
    err = db_err(h, "cannot read");
  }
out:
  sqlite3_finalize(st);
  free(fp);
  su_results_fini(&r);
  return err;
}

/* One field of a fingerprint key "k=v;k=v;labels=a=b,c=d". */
typedef struct fp_field {
  char name[80];           /* "cpu", "host", "label instance" */
  char value[256];
} fp_field_t;

/* Splits a fingerprint key (su_history_fingerprint) into its fields. */
static size_t fp_fields(const char *fp, fp_field_t *f, size_t max)
{
  const char *labels = strstr(fp, ";labels=");
  const char *p = fp, *end = labels ? labels : fp + strlen(fp);
  size_t n = 0;

  while (p < end && n < max) {
    const char *semi = memchr(p, ';', (size_t)(end - p)), *stop = semi ? semi : end;
    const char *eq = memchr(p, '=', (size_t)(stop - p));
    if (eq) {
      snprintf(f[n].name, sizeof(f[n].name), "%.*s", (int)(eq - p), p);
      snprintf(f[n].value, sizeof(f[n].value), "%.*s", (int)(stop - eq - 1), eq + 1);
      n++;
    }
    p = stop + 1;
  }
  for (p = labels ? labels + 8 : end; *p && n < max;) {
    const char *comma = strchr(p, ','), *stop = comma ? comma : p + strlen(p);
    const char *eq = memchr(p, '=', (size_t)(stop - p));
    if (eq) {
      snprintf(f[n].name, sizeof(f[n].name), "label %.*s", (int)(eq - p), p);
      snprintf(f[n].value, sizeof(f[n].value), "%.*s", (int)(stop - eq - 1), eq + 1);
      n++;
    }
    p = *stop ? stop + 1 : stop;
  }
  return n;
}

/* Appends to buf the fields in which a and b differ; returns their number. */
static size_t fp_explain(const char *a, const char *b, char *buf, size_t len)
{
  fp_field_t fa[32], fb[32];
  size_t na = fp_fields(a, fa, 32), nb = fp_fields(b, fb, 32), nd = 0, used = strlen(buf);

  for (size_t pass = 0; pass < 2; pass++) {
    const fp_field_t *x = pass ? fb : fa, *y = pass ? fa : fb;
    size_t nx = pass ? nb : na, ny = pass ? na : nb;
    for (size_t i = 0; i < nx; i++) {
      const fp_field_t *m = NULL;
      for (size_t j = 0; j < ny && !m; j++)
        if (strcmp(x[i].name, y[j].name) == 0)
          m = &y[j];
      if ((m && (pass || strcmp(m->value, x[i].value) == 0)) || used + 1 >= len)
        continue;
      /* a is this run, b the stored one */
      used += (size_t)snprintf(buf + used, len - used, "%s%s '%s' here, '%s' in the history",
                               nd ? "; " : "", x[i].name, pass ? "" : x[i].value,
                               pass ? x[i].value : m ? m->value : "");
      if (used >= len)
        used = len - 1;
      nd++;
    }
  }
  return nd;
}

int su_history_explain(su_history_t *h, const char *dir, char **why, size_t *nstored)
{
  su_results_t r;
  sqlite3_stmt *st = NULL;
  char *fp = NULL, buf[1024], best[1024] = "";
  size_t best_n = (size_t)-1;
  int rc, err;

  *why = NULL;
  *nstored = 0;
  if ((err = dir_key(dir, &r, &fp)))
    return err;
  if (sqlite3_prepare_v2(h->db, "SELECT run_id, fingerprint FROM runs WHERE run_id <> ? "
                         "ORDER BY id DESC", -1, &st, NULL)) {
    err = db_err(h, "cannot read");
    goto out;
  }
  bind_text(st, 1, r.run_id);
  /* the stored run that differs in the fewest fields, the latest among equals */
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *id = (const char *)sqlite3_column_text(st, 0);
    const char *other = (const char *)sqlite3_column_text(st, 1);
    size_t nd;
    (*nstored)++;
    snprintf(buf, sizeof(buf), "run '%s': ", id ? id : "");
    if ((nd = fp_explain(fp, other ? other : "", buf, sizeof(buf))) < best_n) {
      best_n = nd;
      memcpy(best, buf, sizeof(best));
    }
  }
  if (rc != SQLITE_DONE)
    err = db_err(h, "cannot read");
  else if (*nstored && !(*why = strdup(best)))
    err = su_errorf(SU_ENOMEM, "cannot read '%s'", h->path);
out:
  sqlite3_finalize(st);
  free(fp);
  su_results_fini(&r);
  return err;
}

/* --- baselines ---------------------------------------------------------------------- */

/* Adds the headline configurations of one stored run to side (pooling); the
 * run's rounds become replicates rep_base + round. */
static int load_run(su_history_t *h, int64_t run, unsigned rep_base, su_cmp_side_t *side)
{
  sqlite3_stmt *st = NULL, *sv = NULL;
  double *vals = NULL, *c2c = NULL;
  unsigned *rounds = NULL;
  size_t nv = 0, cap = 0, cap_r = 0, cap_c = 0;
  int rc, err = SU_OK;

  if (sqlite3_prepare_v2(h->db,
                         "SELECT id, kernel, variant, backend, device, precision, threads, "
                         "ranks, nodes, placement, size_bytes, metric, unit, status, median "
                         "FROM configs WHERE run = ? ORDER BY id", -1, &st, NULL) ||
      sqlite3_prepare_v2(h->db, "SELECT value, round, c2c FROM samples WHERE config = ? "
                         "ORDER BY rowid", -1, &sv, NULL)) {
    err = db_err(h, "cannot read");
    goto out;
  }
  sqlite3_bind_int64(st, 1, run);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    su_sample_key_t k;
    const char *status = (const char *)sqlite3_column_text(st, 13);
    k.kernel = (const char *)sqlite3_column_text(st, 1);
    k.variant = (const char *)sqlite3_column_text(st, 2);
    k.backend = (const char *)sqlite3_column_text(st, 3);
    k.device = (const char *)sqlite3_column_text(st, 4);
    k.precision = (const char *)sqlite3_column_text(st, 5);
    k.threads = (unsigned)sqlite3_column_int64(st, 6);
    k.ranks = (unsigned)sqlite3_column_int64(st, 7);
    k.nodes = (unsigned)sqlite3_column_int64(st, 8);
    k.placement = (const char *)sqlite3_column_text(st, 9);
    k.size_bytes = (uint64_t)sqlite3_column_int64(st, 10);
    k.metric = (const char *)sqlite3_column_text(st, 11);
    if (!su_cmp_metric_direction(k.metric) || !status)
      continue;
    if (strcmp(status, "ok") == 0 && sqlite3_column_type(st, 14) != SQLITE_NULL) {
      nv = 0;
      sqlite3_reset(sv);
      sqlite3_bind_int64(sv, 1, sqlite3_column_int64(st, 0));
      while ((rc = sqlite3_step(sv)) == SQLITE_ROW) {
        if (su__grow(&vals, nv, &cap, sizeof(*vals), 64) != SU_OK ||
            su__grow(&rounds, nv, &cap_r, sizeof(*rounds), 64) != SU_OK ||
            su__grow(&c2c, nv, &cap_c, sizeof(*c2c), 64) != SU_OK) {
          err = su_errorf(SU_ENOMEM, "cannot read '%s'", h->path);
          goto out;
        }
        vals[nv] = sqlite3_column_double(sv, 0);
        rounds[nv] = (unsigned)sqlite3_column_int64(sv, 1) % SU_HISTORY_MAX_ROUNDS;
        c2c[nv++] = sqlite3_column_type(sv, 2) == SQLITE_NULL ? NAN
                                                               : sqlite3_column_double(sv, 2);
      }
      if (rc != SQLITE_DONE) {
        err = db_err(h, "cannot read");
        goto out;
      }
      err = su_samples_add_tagged(&side->ok, &k, (const char *)sqlite3_column_text(st, 12), vals,
                                  rounds, rep_base, c2c, nv);
    } else if (strcmp(status, "failed_verify") == 0 || strcmp(status, "error") == 0) {
      err = su_samples_add(&side->failed, &k, (const char *)sqlite3_column_text(st, 12),
                           NULL, 0);
    }
    if (err)
      goto out;
  }
  if (rc != SQLITE_DONE)
    err = db_err(h, "cannot read");
out:
  free(vals);
  free(rounds);
  free(c2c);
  sqlite3_finalize(st);
  sqlite3_finalize(sv);
  return err;
}

int su_history_baseline(su_history_t *h, const char *dir, unsigned window,
                        su_cmp_side_t *base, su_cmp_side_t *cur, size_t *nruns)
{
  su_results_t r;
  sqlite3_stmt *st = NULL;
  char *fp = NULL, label[160], first[64] = "", last[64] = "";
  int64_t *ids = NULL;
  size_t n = 0;
  int rc, err;

  memset(base, 0, sizeof(*base));
  memset(cur, 0, sizeof(*cur));
  *nruns = 0;
  if ((err = su_results_load(dir, &r)) != SU_OK)
    return err;
  if ((err = su_history_fingerprint(&r, &fp)) || (err = su_cmp_side_load(dir, cur)))
    goto out;
  if (!(ids = calloc(window ? window : 1, sizeof(*ids)))) {
    err = su_errorf(SU_ENOMEM, "cannot read '%s'", h->path);
    goto out;
  }
  if (sqlite3_prepare_v2(h->db,
                         "SELECT id, run_id FROM runs WHERE fingerprint = ? AND run_id <> ? "
                         "ORDER BY id DESC LIMIT ?", -1, &st, NULL)) {
    err = db_err(h, "cannot read");
    goto out;
  }
  bind_text(st, 1, fp);
  bind_text(st, 2, r.run_id);
  sqlite3_bind_int64(st, 3, window);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *id = (const char *)sqlite3_column_text(st, 1);
    ids[n++] = sqlite3_column_int64(st, 0);
    if (!last[0])
      snprintf(last, sizeof(last), "%s", id ? id : "");
    snprintf(first, sizeof(first), "%s", id ? id : "");
  }
  if (rc != SQLITE_DONE) {
    err = db_err(h, "cannot read");
    goto out;
  }
  for (size_t i = n; i-- > 0;)
    if ((err = load_run(h, ids[i], (unsigned)i * SU_HISTORY_MAX_ROUNDS, base)))
      goto out;
  if (n == 1)
    snprintf(label, sizeof(label), "%s", first);
  else
    snprintf(label, sizeof(label), "%zu runs %s..%s", n, first, last);
  if (!(base->label = strdup(label))) {
    err = su_errorf(SU_ENOMEM, "cannot read '%s'", h->path);
    goto out;
  }
  *nruns = n;
out:
  sqlite3_finalize(st);
  free(ids);
  free(fp);
  su_results_fini(&r);
  if (err) {
    su_cmp_side_fini(base);
    su_cmp_side_fini(cur);
  }
  return err;
}

/* --- trends ------------------------------------------------------------------------- */

static void trend_release(su_history_trend_t *t)
{
  free(t->machine);
  free(t->when_unix);
  free(t->value);
  free(t->regressed);
  memset(t, 0, sizeof(*t));
}

void su_history_trends_free(su_history_trend_t *t, size_t n)
{
  for (size_t i = 0; t && i < n; i++)
    trend_release(&t[i]);
  free(t);
}

/* The date of a run: its run id's UTC timestamp ("20261124T101530Z-..."),
 * else when it was added to the history. */
static int64_t run_when(const su_history_run_t *r)
{
  struct tm tm;
  const char *id = r->run_id;

  memset(&tm, 0, sizeof(tm));
  if (strlen(id) >= 16 && id[8] == 'T' && id[15] == 'Z' &&
      sscanf(id, "%4d%2d%2dT%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
             &tm.tm_min, &tm.tm_sec) == 6 && tm.tm_mon >= 1 && tm.tm_mon <= 12) {
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm);
  }
  return r->added_unix;
}

/* The headline figures of a loaded run: its groups as rows, each with the
 * median of its samples. */
static int side_headlines(const su_cmp_side_t *s, su_headline_t head[SU_HEAD_N])
{
  su_result_row_t *rows = calloc(s->ok.n ? s->ok.n : 1, sizeof(*rows));
  char ok[] = "ok";

  if (!rows)
    return su_errorf(SU_ENOMEM, "cannot read the history");
  for (size_t j = 0; j < s->ok.n; j++) {
    const su_sample_group_t *g = &s->ok.g[j];
    su_stats_t st;
    rows[j].kernel = (char *)g->key.kernel;
    rows[j].backend = (char *)g->key.backend;
    rows[j].precision = (char *)g->key.precision;
    rows[j].metric = (char *)g->key.metric;
    rows[j].status = ok;
    rows[j].size_bytes = g->key.size_bytes;
    rows[j].median = g->n && su_stats_compute(g->values, g->n, &st) == SU_OK ? st.median : NAN;
  }
  su_results_headlines(rows, s->ok.n, head);
  free(rows);
  return SU_OK;
}

/* What the user called a machine: its `instance` label (in the fingerprint
 * key: "...;labels=k=v,k=v"), else its host name, else its CPU model. */
static char *machine_name(const su_history_run_t *r)
{
  const char *l = strstr(r->fingerprint, ";labels="), *v;

  for (v = l ? l + 8 : NULL; v && *v; v += strcspn(v, ",") + (v[strcspn(v, ",")] == ',')) {
    if (strncmp(v, "instance=", 9) == 0 && v[9] && v[9] != ',')
      return strndup(v + 9, strcspn(v + 9, ","));
  }
  return strdup(r->hostname[0] ? r->hostname : r->cpu_model);
}

/* The trends of the runs ids[0..n) (one fingerprint, in order added) into
 * t[0..SU_HEAD_N). */
static int trends_of(su_history_t *h, const su_history_run_t *const *runs, size_t n,
                     unsigned window, const su_cmp_opts_t *o, su_history_trend_t *t)
{
  su_cmp_side_t *ring = calloc((size_t)window + 1, sizeof(*ring));
  int err = SU_OK;

  if (!ring)
    return su_errorf(SU_ENOMEM, "cannot read '%s'", h->path);
  for (int f = 0; f < SU_HEAD_N; f++) {
    t[f].head = (su_head_t)f;
    t[f].n = n;
    t[f].machine = machine_name(runs[0]);
    t[f].when_unix = calloc(n, sizeof(*t[f].when_unix));
    t[f].value = calloc(n, sizeof(*t[f].value));
    t[f].regressed = calloc(n, 1);
    if (!t[f].machine || !t[f].when_unix || !t[f].value || !t[f].regressed) {
      err = su_errorf(SU_ENOMEM, "cannot read '%s'", h->path);
      goto out;
    }
  }
  for (size_t i = 0; i < n; i++) {
    su_cmp_side_t *cur = &ring[i % (window + 1)], base;
    su_headline_t head[SU_HEAD_N];
    su_cmp_t c;
    su_cmp_side_fini(cur);
    if ((err = load_run(h, runs[i]->id, 0, cur)) || (err = side_headlines(cur, head)))
      goto out;
    for (int f = 0; f < SU_HEAD_N; f++) {
      t[f].when_unix[i] = run_when(runs[i]);
      t[f].value[i] = head[f].value;
    }
    if (i == 0 || window == 0)
      continue;
    memset(&base, 0, sizeof(base));
    for (size_t b = i > window ? i - window : 0; b < i && !err; b++) {
      const su_cmp_side_t *s = &ring[b % (window + 1)];
      for (size_t j = 0; j < s->ok.n && !err; j++)
        err = su_samples_add_tagged(&base.ok, &s->ok.g[j].key, s->ok.g[j].unit,
                                    s->ok.g[j].values, s->ok.g[j].replicate,
                                    (unsigned)b * SU_HISTORY_MAX_ROUNDS, s->ok.g[j].c2c_ns,
                                    s->ok.g[j].n);
    }
    if (!err)
      err = su_cmp_run(&base, cur, o, &c);
    if (!err) {
      /* a figure regressed when the configuration that gives it did */
      for (size_t j = 0; j < c.nrows; j++)
        for (int f = 0; f < SU_HEAD_N; f++)
          if (c.rows[j].cls == SU_CMP_REGRESSED && head[f].row < cur->ok.n &&
              su_samples_key_cmp(c.rows[j].key, &cur->ok.g[head[f].row].key) == 0)
            t[f].regressed[i] = 1;
      su_cmp_fini(&c);
    }
    su_cmp_side_fini(&base);
    if (err)
      goto out;
  }
out:
  for (size_t i = 0; i <= window; i++)
    su_cmp_side_fini(&ring[i]);
  free(ring);
  return err;
}

/* Never two machines with one name: the trends t[at..at+SU_HEAD_N) of a
 * machine named like an earlier one get its host name (or CPU model), then a
 * number. */
static int distinct_machine(su_history_trend_t *t, size_t at, const su_history_run_t *r)
{
  char *name = NULL;

  for (unsigned k = 1;; k++) {
    const char *now = name ? name : t[at].machine;
    int taken = 0;
    for (size_t j = 0; j < at && !taken; j += SU_HEAD_N)
      taken = strcmp(t[j].machine, now) == 0;
    if (!taken)
      break;
    free(name);
    if (!(name = malloc(strlen(t[at].machine) + strlen(r->hostname) + strlen(r->cpu_model) + 16)))
      return su_errorf(SU_ENOMEM, "cannot read the history");
    if (k == 1)
      sprintf(name, "%s (%s)", t[at].machine, r->hostname[0] ? r->hostname : r->cpu_model);
    else
      sprintf(name, "%s #%u", t[at].machine, k);
  }
  for (size_t f = 0; name && f < SU_HEAD_N; f++) {
    char *c = strdup(name);
    if (!c) {
      free(name);
      return su_errorf(SU_ENOMEM, "cannot read the history");
    }
    free(t[at + f].machine);
    t[at + f].machine = c;
  }
  free(name);
  return SU_OK;
}

int su_history_trends(su_history_t *h, unsigned window, const su_cmp_opts_t *o,
                      su_history_trend_t **out, size_t *nout)
{
  su_history_run_t *runs = NULL;
  const su_history_run_t **group = NULL;
  su_history_trend_t *t = NULL;
  size_t nruns = 0, nt = 0;
  unsigned char *done = NULL;
  int err;

  *out = NULL;
  *nout = 0;
  if ((err = su_history_list(h, &runs, &nruns)))
    return err;
  group = malloc((nruns ? nruns : 1) * sizeof(*group));
  done = calloc(nruns ? nruns : 1, 1);
  t = calloc((nruns ? nruns : 1) * SU_HEAD_N, sizeof(*t));
  if (!group || !done || !t) {
    err = su_errorf(SU_ENOMEM, "cannot read '%s'", h->path);
    goto out;
  }
  /* one group of trends per fingerprint key, in the order first seen */
  for (size_t i = 0; i < nruns; i++) {
    size_t n = 0;
    if (done[i])
      continue;
    for (size_t j = i; j < nruns; j++)
      if (!done[j] && strcmp(runs[j].fingerprint, runs[i].fingerprint) == 0) {
        group[n++] = &runs[j];
        done[j] = 1;
      }
    err = trends_of(h, group, n, window, o, &t[nt]);
    nt += SU_HEAD_N;
    if (err || (err = distinct_machine(t, nt - SU_HEAD_N, group[0])))
      goto out;
  }
  /* keep the figures some run of the machine has */
  {
    size_t k = 0;
    for (size_t i = 0; i < nt; i++) {
      int any = 0;
      for (size_t j = 0; j < t[i].n; j++)
        any |= isfinite(t[i].value[j]);
      if (any)
        t[k++] = t[i];
      else
        trend_release(&t[i]);
    }
    nt = k;
  }
  *out = t;
  *nout = nt;
  t = NULL;
out:
  su_history_trends_free(t, nt);
  free(group);
  free(done);
  su_history_runs_free(runs, nruns);
  return err;
}

#endif /* SU_HAVE_SQLITE */
