/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sink.c: the results directory being written: summary.csv, samples.csv,
 * run.args, and the lock that keeps a second run out.
 *
 * Data safety (docs/architecture.md): a run writes only into a new or empty
 * folder, or (--resume) one that holds a run of its own, and only files it
 * creates (O_EXCL, O_NOFOLLOW).  An advisory lock on `sizeup.lock`, holding
 * the pid and the host, keeps a second run or resume out while one writes;
 * a lock left by a dead process is taken over, and the sink says so.
 * Headers are written and synced before the first point; rows go to
 * summary.csv.part and samples.csv.part, flushed and fsync'ed after every
 * point, so a crash keeps every finished configuration; su_sink_close
 * renames the .part files into place only after every write, flush and
 * fsync succeeded.  --resume reads both files completely and checks them
 * before it changes anything: a record it cannot read stops it with the
 * line (only a last record cut off by a crash, with no line end, is dropped,
 * and its point measured again); then it writes the files it keeps, drops
 * the samples of points that summary.csv does not list (written just before
 * a crash), and reports which points are done.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sizeup/csv.h"
#include "sizeup/error.h"
#include "sizeup/fs.h"
#include "sizeup/parse.h"
#include "sizeup/run.h"
#include "sizeup/schema.h"

#define LOCK_NAME "sizeup.lock"

struct su_sink {
  char dir[1024];
  FILE *summary, *samples;
  int lock_fd;
  char note[512];          /* said once by the caller: a stale lock taken over */
  unsigned char *done;
  size_t nplan;
  /* --resume of a run of several rounds: per point, the rounds already on
   * disk of a point that has fewer than asked (0 otherwise), and their
   * samples read back; `dedupe` when such a point may be written again, so
   * that close keeps only its last rows. */
  unsigned *partial;
  su_point_result_t *carry;
  unsigned char *failed;   /* with dedupe: points written not ok (samples dropped) */
  unsigned char *rewritten; /* with dedupe: points written by this run */
  size_t old_rows[2];      /* with dedupe: data rows of summary, samples at resume */
  int dedupe;
};

_Static_assert((int)SU_SUM_SIZE_BYTES == (int)SU_SMP_SIZE_BYTES &&
               (int)SU_SUM_METRIC == (int)SU_SMP_METRIC && (int)SU_SUM_UNIT == (int)SU_SMP_UNIT,
               "both files open with the same key columns, then metric and unit");

static int path_join(char *out, size_t len, const char *dir, const char *name)
{
  if (snprintf(out, len, "%s/%s", dir, name) >= (int)len)
    return su_errorf(SU_EINVAL, "path too long '%s/%s'", dir, name);
  return SU_OK;
}

/* --- the run id and the folder ------------------------------------------------ */

int su_sink_check_run_id(const char *id)
{
  size_t n = strlen(id);

  if (n == 0)
    return su_errorf(SU_EINVAL, "the run id is empty");
  if (n >= SU_RUN_ID_MAX)
    return su_errorf(SU_EINVAL, "run id '%.40s...' is longer than %d characters",
                     id, SU_RUN_ID_MAX - 1);
  if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0 || strchr(id, '/'))
    return su_errorf(SU_EINVAL, "run id '%s' is not one file name (no '/', not '.' or '..')",
                     id);
  for (const char *c = id; *c; c++)
    if ((unsigned char)*c < 0x20 || *c == 0x7f)
      return su_errorf(SU_EINVAL, "run id '%s' holds a control character", id);
  return SU_OK;
}

/*
 * Takes the folder's lock: an advisory lock (flock) on sizeup.lock, which
 * then holds "PID HOST".  Held by a live process: SU_EIO saying who.  Left
 * by a dead one (the file has content but nobody holds it): taken over,
 * with a note.
 */
static int take_lock(su_sink_t *r)
{
  char path[1100], old[256] = "", host[128] = "?";
  ssize_t got;
  int fd, err;

  if ((err = path_join(path, sizeof(path), r->dir, LOCK_NAME)))
    return err;
  fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    return su_errorf(SU_EIO, "cannot create the lock '%s': %s", path, strerror(errno));
  got = pread(fd, old, sizeof(old) - 1, 0);
  old[got > 0 ? got : 0] = '\0';
  old[strcspn(old, "\n")] = '\0';
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    unsigned long pid = 0;
    char who[128] = "?";
    close(fd);
    sscanf(old, "%lu %127s", &pid, who);
    return su_errorf(SU_EIO, "another sizeup run (pid %lu on %s) is writing here: '%s' "
                     "(wait for it to end, or write elsewhere)", pid, who, r->dir);
  }
  if (old[0])
    snprintf(r->note, sizeof(r->note), "took over the lock of a sizeup run that ended without "
             "releasing it (%.100s) in '%.200s'", old, r->dir);
  gethostname(host, sizeof(host));
  host[sizeof(host) - 1] = '\0';
  snprintf(old, sizeof(old), "%ld %s\n", (long)getpid(), host);
  if (ftruncate(fd, 0) != 0 || pwrite(fd, old, strlen(old), 0) != (ssize_t)strlen(old) ||
      fsync(fd) != 0) {
    close(fd);
    return su_errorf(SU_EIO, "cannot write the lock '%s': %s", path, strerror(errno));
  }
  r->lock_fd = fd;
  return SU_OK;
}

static void drop_lock(su_sink_t *r)
{
  char path[1100];

  if (r->lock_fd < 0)
    return;
  /* Removed while still held, so that no other run locks the old file. */
  if (path_join(path, sizeof(path), r->dir, LOCK_NAME) == SU_OK)
    unlink(path);
  close(r->lock_fd);
  r->lock_fd = -1;
}

/* A new run: the folder must be empty (but for the lock just taken). */
static int check_empty(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  char first[256] = "";

  if (!d)
    return su_errorf(SU_EIO, "cannot open '%s': %s", dir, strerror(errno));
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, LOCK_NAME)) {
      snprintf(first, sizeof(first), "%s", e->d_name);
      break;
    }
  closedir(d);
  if (first[0])
    return su_errorf(SU_EINVAL, "'%s' is not empty (it holds '%s'): sizeup writes a new run only "
                     "into a new or empty folder (to complete a run there: --resume '%s')",
                     dir, first, dir);
  return SU_OK;
}

/* Refuses '/' and anything that is not a directory once created. */
static int check_folder(const char *dir)
{
  char real[4096];
  struct stat st;

  if (!realpath(dir, real))
    return su_errorf(SU_EIO, "cannot resolve '%s': %s", dir, strerror(errno));
  if (strcmp(real, "/") == 0)
    return su_errorf(SU_EINVAL, "refusing to write results into '/' (give --out a folder of "
                     "its own)");
  if (stat(real, &st) != 0 || !S_ISDIR(st.st_mode))
    return su_errorf(SU_EINVAL, "'%s' is not a directory", dir);
  return SU_OK;
}

/* Opens a .part file of ours for appending, without following a link. */
static int open_append(const char *path, FILE **out)
{
  int fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);

  if (fd < 0 || !(*out = fdopen(fd, "a"))) {
    if (fd >= 0)
      close(fd);
    return su_errorf(SU_EIO, "cannot open '%s': %s", path, strerror(errno));
  }
  return SU_OK;
}

/* Writes a header and puts it on disk (a crash right after leaves a file
 * that --resume and every reader understand). */
static int start_file(const char *dir, const char *name, const su_schema_t *s, FILE **out)
{
  su_csv_writer_t w;
  char path[1100];
  int err;

  if ((err = path_join(path, sizeof(path), dir, name)) || (err = su_fs_create(path, out)))
    return err;
  su_csv_writer_init(&w, *out);
  su_table_write_header(&w, s);
  if (w.err || fflush(*out) != 0 || ferror(*out) || fsync(fileno(*out)) != 0)
    return su_errorf(SU_EIO, "cannot write '%s': %s", path, strerror(errno ? errno : EIO));
  return SU_OK;
}

/* --- resume --------------------------------------------------------------------- */

static void free_carry(su_sink_t *r)
{
  for (size_t i = 0; r->carry && i < r->nplan; i++)
    su_point_result_fini(&r->carry[i]);
  free(r->carry);
  free(r->partial);
  r->carry = NULL;
  r->partial = NULL;
}

/* Where a file of the run is: its .part (being written) if there is one,
 * else the final file; either must be a regular file. */
static int pick_source(const char *dir, const char *name, char *out, size_t len, int *is_part)
{
  char final[1100];
  struct stat st;
  int err;

  if ((err = path_join(final, sizeof(final), dir, name)))
    return err;
  if (snprintf(out, len, "%s.part", final) >= (int)len)
    return su_errorf(SU_EINVAL, "path too long '%s'", final);
  *is_part = lstat(out, &st) == 0;
  if (!*is_part) {
    snprintf(out, len, "%s", final);
    if (lstat(out, &st) != 0)
      return su_errorf(SU_EINVAL, "cannot resume '%s': it holds no %s", dir, name);
  }
  if (!S_ISREG(st.st_mode))
    return su_errorf(SU_EINVAL, "cannot resume '%s': '%s' is not a regular file", dir, out);
  return SU_OK;
}

/*
 * Where the threads and the memory of a point were: the CPU NUMA node
 * holding every thread, and the node its memory was bound to, or with first
 * touch the threads' own node (each page lands next to the thread that
 * touches it first).  Empty when the threads span several nodes, and for
 * kernels whose memory is a device's.
 */
static void put_numa(su_table_row_t *row, const su_point_t *pt)
{
  if (!(pt->backend->flags & SU_BACKEND_HOST_THREADS))
    return;
  if (pt->cpu_numa >= 0)
    su_table_set_u64(row, SU_SUM_CPU_NUMA, (uint64_t)pt->cpu_numa);
  if (pt->mem_bound)
    su_table_set_u64(row, SU_SUM_MEM_NUMA, pt->mem_numa);
  else if (pt->cpu_numa >= 0)
    su_table_set_u64(row, SU_SUM_MEM_NUMA, (uint64_t)pt->cpu_numa);
}

/* Opens a file of the run for reading back: it must have this version's
 * columns, in order (the rows are copied as they are). */
static int open_own(su_table_reader_t *t, const su_schema_t *s, const char *path, int is_part)
{
  int err = su_table_open(t, s, path);

  if (err)
    return err;
  t->allow_cut = is_part;
  if (!t->exact) {
    su_table_close(t);
    return su_errorf(SU_EINVAL, "cannot resume: the columns of '%s' are not those this sizeup "
                     "writes (schema version %d): complete it with the sizeup that started it",
                     path, SU_CSV_SCHEMA_VERSION);
  }
  return SU_OK;
}

/* The point of the current row, which must be in the plan. */
static int row_point(const su_table_reader_t *t, int col, size_t nplan, size_t *pt)
{
  uint64_t v = su_table_u64(t, col);

  if (!*su_table_str(t, col) || v >= nplan)
    return su_errorf(SU_EINVAL, "cannot resume: '%s' line %lu: point '%s' is not one of the "
                     "%zu points of the run's plan (run.args)", t->path, su_table_line(t),
                     su_table_str(t, col), nplan);
  *pt = (size_t)v;
  return SU_OK;
}

/*
 * Reads summary.csv back: the points done, and (rounds > 1) those ok with
 * fewer rounds than asked, which are not done: r->partial[pt] = their rounds.
 */
static int scan_summary(su_sink_t *r, const char *path, int is_part, unsigned rounds,
                        unsigned long *cut)
{
  su_table_reader_t t;
  int rc, err;
  size_t pt = 0, last = SIZE_MAX;

  if ((err = open_own(&t, &su_schema_summary, path, is_part)))
    return err;
  while ((rc = su_table_next(&t)) == 1) {
    uint64_t got = su_table_u64(&t, SU_SUM_ROUNDS);
    if ((err = row_point(&t, SU_SUM_POINT, r->nplan, &pt)))
      break;
    last = pt;
    r->old_rows[0]++;
    r->done[pt] = 1;
    if (rounds > 1 && strcmp(su_table_str(&t, SU_SUM_STATUS), "ok") == 0 && got >= 1 &&
        got < rounds) {
      r->partial[pt] = (unsigned)got;
      r->dedupe = 1;
    }
  }
  *cut = t.cut_line;
  if (!err && rc < 0)
    err = rc;
  /* The cut row may have been one of several rows of the last point: then
   * that point is measured again, its rows written anew.  The cut record
   * tells its point when it reaches past that column. */
  if (*cut && last != SIZE_MAX) {
    int pc = t.idx[SU_SUM_POINT];
    uint64_t cp;
    if (!(t.cut_n > (size_t)pc + 1 && su_parse_u64(t.f[pc], 0, SIZE_MAX, &cp) == 0 &&
          cp != last))
      r->done[last] = 0, r->partial[last] = 0;
  }
  su_table_close(&t);
  for (size_t i = 0; i < r->nplan && !err; i++)
    if (r->partial[i])
      r->done[i] = 0;
  return err;
}

/* Appends one sample to a carried result (grows its arrays by doubling). */
static int carry_add(su_point_result_t *c, size_t *cap, const su_table_reader_t *t)
{
  unsigned round = (unsigned)su_table_u64(t, SU_SMP_ROUND);

  if (c->nsamples == *cap) {
    size_t nc = *cap ? 2 * *cap : 64;
    if (su_point_result_reserve(c, nc))
      return su_errorf(SU_ENOMEM, "out of memory reading back samples");
    *cap = nc;
  }
  c->values[c->nsamples] = su_table_real(t, SU_SMP_VALUE);
  c->time_ns[c->nsamples] = su_table_u64(t, SU_SMP_TIME_NS);
  c->device_ns[c->nsamples] = su_table_u64(t, SU_SMP_DEVICE_NS);
  c->inners[c->nsamples] = su_table_u64(t, SU_SMP_INNER);
  c->round[c->nsamples] = round;
  c->c2c[c->nsamples++] = su_table_real(t, SU_SMP_C2C_NS);
  if (round + 1 > c->rounds)
    c->rounds = round + 1;
  return SU_OK;
}

/* 1 when the current samples row is kept: its point is recorded (done, or
 * partial and of a round on disk). */
static int sample_kept(const su_sink_t *r, const su_table_reader_t *t, size_t pt)
{
  return r->done[pt] ||
         (r->partial[pt] && su_table_u64(t, SU_SMP_ROUND) < r->partial[pt] &&
          isfinite(su_table_real(t, SU_SMP_VALUE)));
}

/* Reads samples.csv back: counts its rows, collects the samples of the
 * partial points. */
static int scan_samples(su_sink_t *r, const char *path, int is_part, unsigned long *cut)
{
  size_t *cap = calloc(r->nplan ? r->nplan : 1, sizeof(*cap)), pt = 0;
  su_table_reader_t t;
  int rc = 0, err;

  if (!cap)
    return su_errorf(SU_ENOMEM, "out of memory");
  if ((err = open_own(&t, &su_schema_samples, path, is_part))) {
    free(cap);
    return err;
  }
  while ((rc = su_table_next(&t)) == 1) {
    if ((err = row_point(&t, SU_SMP_POINT, r->nplan, &pt)))
      break;
    r->old_rows[1]++;
    if (r->partial[pt] && sample_kept(r, &t, pt) &&
        (err = carry_add(&r->carry[pt], &cap[pt], &t)))
      break;
  }
  *cut = t.cut_line;
  su_table_close(&t);
  free(cap);
  return err ? err : rc < 0 ? rc : SU_OK;
}

/*
 * Copies the rows of `src` that `keep` accepts (NULL: all) to `dst` through
 * a temporary file, renamed over `dst` only once written and synced.
 * `nrows` gets the rows copied.
 */
static int copy_rows(su_sink_t *r, const su_schema_t *s, const char *src, int is_part,
                     const char *dst, int kind, const unsigned char *drop, size_t old_rows,
                     size_t *nrows)
{
  char tmp[1200];
  su_table_reader_t t;
  su_csv_writer_t w;
  FILE *out;
  size_t row = 0, pt = 0;
  int rc, err, pc = kind ? SU_SMP_POINT : SU_SUM_POINT;

  snprintf(tmp, sizeof(tmp), "%s.tmp", dst);
  unlink(tmp);              /* ours, left by a crash; unlink follows no link */
  if ((err = open_own(&t, s, src, is_part)))
    return err;
  if ((err = su_fs_create(tmp, &out))) {
    su_table_close(&t);
    return err;
  }
  su_csv_writer_init(&w, out);
  su_table_write_header(&w, s);
  while ((rc = su_table_next(&t)) == 1) {
    int keep;
    if ((err = row_point(&t, pc, r->nplan, &pt)))
      break;
    if (drop)               /* closing a resumed run: rows it replaced go */
      keep = !(row < old_rows && r->rewritten[pt]) && !(kind && r->failed[pt]);
    else                    /* resuming: the rows of points recorded */
      keep = kind ? sample_kept(r, &t, pt) : r->done[pt] || r->partial[pt];
    row++;
    if (!keep)
      continue;
    for (size_t i = 0; i < t.nfields; i++)
      su_csv_put_str(&w, t.f[i]);
    su_csv_end_row(&w);
    if (nrows)
      (*nrows)++;
  }
  su_table_close(&t);
  if (!err && rc < 0)
    err = rc;
  if (err) {
    fclose(out);
    unlink(tmp);
    return err;
  }
  return su_fs_commit(out, tmp, dst);
}

/*
 * --resume: checks both files completely, then writes the .part files to
 * continue (the rows kept), removes the final files they replace and opens
 * the .part files for appending.  Nothing changes on disk before every
 * check passed.
 */
static int resume(su_sink_t *r, unsigned rounds)
{
  char src[2][1100], part[2][1100];
  int is_part[2], err;
  unsigned long cut[2] = {0, 0};
  const char *names[2] = {"summary.csv", "samples.csv"};
  const su_schema_t *schemas[2] = {&su_schema_summary, &su_schema_samples};

  for (int k = 0; k < 2; k++) {
    if ((err = pick_source(r->dir, names[k], src[k], sizeof(src[k]), &is_part[k])))
      return err;
    snprintf(part[k], sizeof(part[k]), "%s/%s.part", r->dir, names[k]);
  }
  if ((err = scan_summary(r, src[0], is_part[0], rounds, &cut[0])) ||
      (err = scan_samples(r, src[1], is_part[1], &cut[1])))
    return err;
  for (int k = 0; k < 2; k++) {
    if ((err = copy_rows(r, schemas[k], src[k], is_part[k], part[k], k, NULL, 0, NULL)))
      return err;
    if (!is_part[k] && unlink(src[k]) != 0)
      return su_errorf(SU_EIO, "cannot remove '%s': %s", src[k], strerror(errno));
  }
  if ((err = su_fs_sync_dir(r->dir)) || (err = open_append(part[0], &r->summary)) ||
      (err = open_append(part[1], &r->samples)))
    return err;
  if (cut[0] || cut[1])
    snprintf(r->note + strlen(r->note), sizeof(r->note) - strlen(r->note),
             "%sdropped a row cut off by a crash (%s line %lu); its configuration is measured "
             "again", r->note[0] ? "; " : "", cut[0] ? "summary.csv" : "samples.csv",
             cut[0] ? cut[0] : cut[1]);
  return SU_OK;
}

/* --- open, append, close ----------------------------------------------------------- */

static void sink_free(su_sink_t *r)
{
  if (r->summary)
    fclose(r->summary);
  if (r->samples)
    fclose(r->samples);
  drop_lock(r);
  free_carry(r);
  free(r->failed);
  free(r->rewritten);
  free(r->done);
  free(r);
}

int su_sink_open(const char *dir, int resume_run, size_t nplan, unsigned rounds,
                 su_sink_t **out)
{
  su_sink_t *r = calloc(1, sizeof(*r));
  size_t np = nplan ? nplan : 1;
  int err = SU_OK;

  if (!r)
    return su_errorf(SU_ENOMEM, "out of memory");
  r->lock_fd = -1;
  r->nplan = nplan;
  if (!(r->done = calloc(np, 1)) || !(r->partial = calloc(np, sizeof(*r->partial))) ||
      !(r->carry = calloc(np, sizeof(*r->carry)))) {
    err = su_errorf(SU_ENOMEM, "out of memory");
    goto fail;
  }
  if (snprintf(r->dir, sizeof(r->dir), "%s", dir) >= (int)sizeof(r->dir) - 64) {
    err = su_errorf(SU_EINVAL, "output directory name too long '%.60s...'", dir);
    goto fail;
  }
  if ((!resume_run && (err = su_fs_mkdir_p(dir))) || (err = check_folder(dir)) ||
      (err = take_lock(r)))
    goto fail;
  if (resume_run) {
    if ((err = resume(r, rounds)))
      goto fail;
    if (r->dedupe && (!(r->failed = calloc(np, 1)) || !(r->rewritten = calloc(np, 1)))) {
      err = su_errorf(SU_ENOMEM, "out of memory");
      goto fail;
    }
  } else if ((err = check_empty(dir)) ||
             (err = start_file(dir, "summary.csv.part", &su_schema_summary, &r->summary)) ||
             (err = start_file(dir, "samples.csv.part", &su_schema_samples, &r->samples)) ||
             (err = su_fs_sync_dir(dir))) {
    goto fail;
  }
  *out = r;
  return SU_OK;

fail:
  sink_free(r);
  return err;
}

const char *su_sink_note(const su_sink_t *r)
{
  return r->note[0] ? r->note : NULL;
}

const unsigned char *su_sink_done(const su_sink_t *r)
{
  return r->done;
}

const unsigned *su_sink_partial(const su_sink_t *r)
{
  return r->partial;
}

void su_sink_take_carry(su_sink_t *r, size_t point, su_point_result_t *out)
{
  memset(out, 0, sizeof(*out));
  if (point < r->nplan) {
    *out = r->carry[point];
    memset(&r->carry[point], 0, sizeof(r->carry[point]));
  }
}

const char *su_sink_dir(const su_sink_t *r)
{
  return r->dir;
}

int su_sink_write_args(su_sink_t *r, int argc, char **argv)
{
  char path[1100], tmp[1120];
  FILE *fp;
  int err;

  if ((err = path_join(path, sizeof(path), r->dir, "run.args")))
    return err;
  snprintf(tmp, sizeof(tmp), "%s.tmp", path);
  unlink(tmp);              /* ours, left by a crash */
  if ((err = su_fs_create(tmp, &fp)))
    return err;
  for (int i = 0; i < argc; i++)
    fprintf(fp, "%s\n", argv[i]);
  return su_fs_commit(fp, tmp, path);
}

static void put_keys(su_table_row_t *row, const char *run_id, const su_point_t *pt,
                     const su_point_result_t *res)
{
  su_table_set_u64(row, SU_SUM_SCHEMA_VERSION, SU_CSV_SCHEMA_VERSION);
  su_table_set_str(row, SU_SUM_RUN_ID, run_id);
  su_table_set_str(row, SU_SUM_KERNEL, pt->ops->desc->name);
  su_table_set_str(row, SU_SUM_VARIANT, res->work.variant[0] ? res->work.variant : pt->variant);
  su_table_set_str(row, SU_SUM_BACKEND, pt->backend->name);
  su_table_set_str(row, SU_SUM_DEVICE, pt->device_name);
  su_table_set_str(row, SU_SUM_PRECISION, su_precision_name(pt->prec));
  su_table_set_u64(row, SU_SUM_THREADS, pt->threads);
  su_table_set_u64(row, SU_SUM_RANKS, res->ranks ? res->ranks : 1);
  su_table_set_u64(row, SU_SUM_NODES, res->nodes ? res->nodes : 1);
  su_table_set_str(row, SU_SUM_PLACEMENT, pt->placement);
  su_table_set_str(row, SU_SUM_CPUSET, pt->cpuset);
  su_table_set_u64(row, SU_SUM_SIZE_BYTES,
                   res->work.size_bytes ? res->work.size_bytes : pt->size_bytes);
}

static int sync_file(FILE *fp)
{
  if (fflush(fp) != 0 || ferror(fp))
    return -1;
  return fsync(fileno(fp));
}

int su_sink_append(su_sink_t *r, const char *run_id, const su_point_t *pt,
                   const su_point_result_t *res)
{
  su_csv_writer_t w;
  su_table_row_t row;
  const char *timer = res->device_timer && res->nsamples && res->device_ns[0] ? "device" : "host";

  /* Samples first: a crash between the two leaves samples of a point that
   * summary.csv does not list, which --resume drops. */
  su_csv_writer_init(&w, r->samples);
  for (size_t i = 0; i < res->nsamples && res->rows[0].status == SU_STATUS_OK; i++) {
    su_table_row_init(&row, &su_schema_samples);
    put_keys(&row, run_id, pt, res);
    su_table_set_str(&row, SU_SMP_METRIC, res->rows[0].metric);
    su_table_set_str(&row, SU_SMP_UNIT, res->rows[0].unit);
    su_table_set_u64(&row, SU_SMP_POINT, pt->index);
    su_table_set_u64(&row, SU_SMP_REP, i);
    su_table_set_u64(&row, SU_SMP_INNER, res->inners[i]);
    su_table_set_u64(&row, SU_SMP_TIME_NS, res->time_ns[i]);
    if (res->device_ns[i])
      su_table_set_u64(&row, SU_SMP_DEVICE_NS, res->device_ns[i]);
    su_table_set_real(&row, SU_SMP_VALUE, res->values[i]);
    su_table_set_u64(&row, SU_SMP_ROUND, res->round[i]);
    su_table_set_real(&row, SU_SMP_C2C_NS, res->c2c[i]);   /* empty: not measured */
    su_table_write_row(&w, &row);
  }
  if (w.err || sync_file(r->samples) != 0)
    return su_errorf(SU_EIO, "cannot write samples to '%s': %s", r->dir,
                     strerror(errno ? errno : EIO));

  su_csv_writer_init(&w, r->summary);
  for (unsigned i = 0; i < res->nrows; i++) {
    const su_row_t *rw = &res->rows[i];
    const int ok = rw->status == SU_STATUS_OK;
    su_table_row_init(&row, &su_schema_summary);
    put_keys(&row, run_id, pt, res);
    su_table_set_str(&row, SU_SUM_METRIC, rw->metric);
    su_table_set_str(&row, SU_SUM_UNIT, rw->unit);
    su_table_set_str(&row, SU_SUM_STATUS, su_status_name(rw->status));
    su_table_set_str(&row, SU_SUM_REASON, ok ? "" : rw->reason);
    if (ok) {
      const su_stats_t *s = &rw->stats;
      su_table_set_real(&row, SU_SUM_MEDIAN, s->median);
      su_table_set_real(&row, SU_SUM_MIN, s->min);
      su_table_set_real(&row, SU_SUM_MAX, s->max);
      su_table_set_real(&row, SU_SUM_MEAN, s->mean);
      su_table_set_real(&row, SU_SUM_STDDEV, s->stddev);
      su_table_set_real(&row, SU_SUM_CV, s->cv);
      su_table_set_real(&row, SU_SUM_CI95_LO, s->ci95_lo);
      su_table_set_real(&row, SU_SUM_CI95_HI, s->ci95_hi);
    }
    su_table_set_u64(&row, SU_SUM_REPS, ok ? rw->stats.n : 0);
    su_table_set_u64(&row, SU_SUM_POINT, pt->index);
    su_table_set_u64(&row, SU_SUM_INNER, res->inner);
    su_table_set_real(&row, SU_SUM_FLOPS, res->work.flops);
    su_table_set_real(&row, SU_SUM_BYTES, res->work.bytes);
    su_table_set_str(&row, SU_SUM_TIMER, timer);
    su_table_set_u64(&row, SU_SUM_NOISY, (uint64_t)rw->noisy);
    /* Distributed kernels (family "dist") run a strong- or weak-scaling
     * series, named by their variant; other rows leave it empty. */
    su_table_set_str(&row, SU_SUM_SCALING,
                     strcmp(pt->ops->desc->family, "dist") == 0 ? pt->variant : "");
    su_table_set_u64(&row, SU_SUM_ROUNDS, res->rounds ? res->rounds : 1);
    su_table_set_real(&row, SU_SUM_C2C_NS, ok ? res->c2c_ns : NAN);
    /* measured energy of the point's timed samples (energy.h); empty where
     * the machine has no counter, system.json's "energy" says why */
    su_table_set_real(&row, SU_SUM_ENERGY_J, ok ? res->energy_j : NAN);
    su_table_set_real(&row, SU_SUM_POWER_W,
                      ok && res->energy_s > 0 ? res->energy_j / res->energy_s : NAN);
    put_numa(&row, pt);
    su_table_write_row(&w, &row);
  }
  if (w.err || sync_file(r->summary) != 0)
    return su_errorf(SU_EIO, "cannot write summary to '%s': %s", r->dir,
                     strerror(errno ? errno : EIO));
  if (pt->index < r->nplan) {
    r->done[pt->index] = 1;
    if (r->dedupe) {
      r->rewritten[pt->index] = 1;
      r->failed[pt->index] = res->rows[0].status != SU_STATUS_OK;
    }
  }
  return SU_OK;
}

/* Puts every byte of `name`.part on disk; closing a resumed multi-round
 * run drops the rows it rewrote first. */
static int finish_file(su_sink_t *r, FILE **fp, int kind, char *part, size_t len)
{
  const su_schema_t *s = kind ? &su_schema_samples : &su_schema_summary;
  int err;

  if ((err = path_join(part, len, r->dir, kind ? "samples.csv.part" : "summary.csv.part")))
    return err;
  err = su_fs_finish(*fp, part);
  *fp = NULL;
  if (!err && r->dedupe)
    err = copy_rows(r, s, part, 0, part, kind, r->failed, r->old_rows[kind], NULL);
  return err;
}

int su_sink_close(su_sink_t *r)
{
  char part[2][1100], final[1100];
  int err, e;

  if (!r)
    return SU_OK;
  err = finish_file(r, &r->summary, 0, part[0], sizeof(part[0]));
  if ((e = finish_file(r, &r->samples, 1, part[1], sizeof(part[1]))) && !err)
    err = e;
  /* Only files whose every write, flush and fsync succeeded become final;
   * otherwise both stay .part, for --resume. */
  for (int k = 0; k < 2 && !err; k++) {
    snprintf(final, sizeof(final), "%.*s", (int)(strlen(part[k]) - 5), part[k]);
    if (rename(part[k], final) != 0)
      err = su_errorf(SU_EIO, "cannot rename '%s': %s", part[k], strerror(errno));
  }
  if ((e = su_fs_sync_dir(r->dir)) && !err)
    err = e;
  sink_free(r);
  return err;
}
