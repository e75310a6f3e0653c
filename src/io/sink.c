/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sink.c: the results directory being written: summary.csv, samples.csv, run.args.
 *
 * Data safety: rows go to summary.csv.part and samples.csv.part and are
 * flushed and fsync'ed after every point, so a crash or Ctrl-C keeps every
 * finished configuration; su_sink_close renames the .part files into
 * place.  --resume reopens a directory (from .part or final files), drops
 * the rows of any point that was cut off mid-write, and reports which points
 * are done.
 */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sizeup/csv.h"
#include "sizeup/error.h"
#include "sizeup/fs.h"
#include "sizeup/run.h"

struct su_sink {
  char dir[1024];
  FILE *summary, *samples;
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

/* The key columns shared by both files (docs/csv-schema.md, columns 1-13). */
static const char *const su_key_cols[] = {
  "schema_version", "run_id", "kernel", "variant", "backend", "device", "precision",
  "threads", "ranks", "nodes", "placement", "cpuset", "size_bytes",
};
static const char *const su_summary_cols[] = {
  "metric", "unit", "status", "reason", "median", "min", "max", "mean", "stddev", "cv",
  "ci95_lo", "ci95_hi", "reps", "point", "inner", "flops", "bytes", "timer", "noisy",
  "scaling", "rounds", "c2c_ns",
};
static const char *const su_sample_cols[] = {
  "metric", "unit", "point", "rep", "inner", "time_ns", "device_ns", "value", "round", "c2c_ns",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void path_join(char *out, size_t len, const char *dir, const char *name)
{
  snprintf(out, len, "%s/%s", dir, name);
}

static int exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

static int write_header(FILE *fp, const char *const *extra, size_t nextra)
{
  su_csv_writer_t w;

  su_csv_writer_init(&w, fp);
  for (size_t i = 0; i < NELEM(su_key_cols); i++)
    su_csv_put_str(&w, su_key_cols[i]);
  for (size_t i = 0; i < nextra; i++)
    su_csv_put_str(&w, extra[i]);
  return su_csv_end_row(&w);
}

/* Column index of `point` in a file with the given extra columns. */
static size_t point_col(const char *const *extra, size_t nextra)
{
  for (size_t i = 0; i < nextra; i++)
    if (strcmp(extra[i], "point") == 0)
      return NELEM(su_key_cols) + i;
  SU_ASSERT(0);
  return 0;
}

/* Closes the rewritten copy `tmp` of `part` and renames it over `part`,
 * unless an error (err, or one writing it) came first: then removes it. */
static int replace_part(FILE *out, const su_csv_writer_t *w, const char *tmp, const char *part,
                        int err)
{
  if (!err && w->err)
    err = su_errorf(SU_EIO, "cannot write '%s'", tmp);
  if (fclose(out) != 0 && !err)
    err = su_errorf(SU_EIO, "cannot write '%s': %s", tmp, strerror(errno));
  if (!err && rename(tmp, part) != 0)
    err = su_errorf(SU_EIO, "cannot rename '%s': %s", tmp, strerror(errno));
  if (err)
    unlink(tmp);
  return err;
}

/*
 * Rewrites `part` keeping the header and the rows whose point is in
 * `keep` (NULL: every complete row, and marks them in `mark`).  A row cut off
 * by a crash fails to parse or has too few fields and is dropped.
 */
static int filter_file(const char *part, const char *const *extra, size_t nextra,
                       unsigned char *mark, const unsigned char *keep, size_t nplan)
{
  char tmp[1100];
  FILE *in = NULL, *out = NULL;
  su_csv_reader_t r;
  su_csv_writer_t w;
  char **f;
  size_t n, ncol = NELEM(su_key_cols) + nextra, pc = point_col(extra, nextra);
  int err = SU_OK, rc, first = 1;

  snprintf(tmp, sizeof(tmp), "%s.tmp", part);
  if (!(in = fopen(part, "r")))
    return su_errorf(SU_EIO, "cannot open '%s': %s", part, strerror(errno));
  if (!(out = fopen(tmp, "w"))) {
    fclose(in);
    return su_errorf(SU_EIO, "cannot write '%s': %s", tmp, strerror(errno));
  }
  su_csv_reader_init(&r, in);
  su_csv_writer_init(&w, out);
  while ((rc = su_csv_read(&r, &f, &n)) == 1) {
    if (first) {
      first = 0;
      if (n != ncol || strcmp(f[0], "schema_version") != 0) {
        err = su_errorf(SU_EINVAL, "'%s' is not a sizeup results file of this version", part);
        break;
      }
    } else {
      char *end;
      unsigned long pt;
      if (n != ncol)
        continue;
      pt = strtoul(f[pc], &end, 10);
      if (*end || pt >= nplan)
        continue;
      if (keep && !keep[pt])
        continue;
      if (mark)
        mark[pt] = 1;
    }
    for (size_t i = 0; i < n; i++)
      su_csv_put_str(&w, f[i]);
    su_csv_end_row(&w);
  }
  /* A record cut off inside a quoted field is what a crash leaves: drop it. */
  su_csv_reader_fini(&r);
  fclose(in);
  return replace_part(out, &w, tmp, part, err);
}

/* Puts `name` back as `name.part` for appending (resume). */
static int reopen_part(const char *dir, const char *name, char *part, size_t len)
{
  char final[1100];

  path_join(final, sizeof(final), dir, name);
  if (snprintf(part, len, "%s.part", final) >= (int)len)
    return su_errorf(SU_EINVAL, "path too long '%s'", final);
  if (!exists(part)) {
    if (!exists(final))
      return su_errorf(SU_EINVAL, "'%s' holds no sizeup results to resume", dir);
    if (rename(final, part) != 0)
      return su_errorf(SU_EIO, "cannot rename '%s': %s", final, strerror(errno));
  }
  return SU_OK;
}

static void free_carry(su_sink_t *r)
{
  for (size_t i = 0; r->carry && i < r->nplan; i++)
    su_point_result_fini(&r->carry[i]);
  free(r->carry);
  free(r->partial);
  r->carry = NULL;
  r->partial = NULL;
}

/* Index of column `name` in a header row, or -1. */
static int find_col(char **f, size_t n, const char *name)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(f[i], name) == 0)
      return (int)i;
  return -1;
}

static int parse_u64(const char *c, uint64_t *v)
{
  char *end;

  if (!*c)
    return -1;
  errno = 0;
  *v = strtoull(c, &end, 10);
  return *end || errno ? -1 : 0;
}

/*
 * Finds the points of summary.csv.part that are ok with fewer rounds than
 * asked: r->partial[pt] = their rounds, and they are no longer done.
 */
static int scan_partial(su_sink_t *r, const char *part, unsigned rounds)
{
  FILE *in = fopen(part, "r");
  su_csv_reader_t rd;
  char **f;
  size_t n;
  int rc, cp = -1, cr = -1, cs = -1;

  if (!in)
    return su_errorf(SU_EIO, "cannot open '%s': %s", part, strerror(errno));
  su_csv_reader_init(&rd, in);
  if ((rc = su_csv_read(&rd, &f, &n)) == 1) {
    cp = find_col(f, n, "point");
    cr = find_col(f, n, "rounds");
    cs = find_col(f, n, "status");
  }
  while (cp >= 0 && cr >= 0 && cs >= 0 && (rc = su_csv_read(&rd, &f, &n)) == 1) {
    uint64_t pt, got;
    r->old_rows[0]++;
    if ((size_t)cr >= n || parse_u64(f[cp], &pt) || pt >= r->nplan ||
        parse_u64(f[cr], &got) || strcmp(f[cs], "ok") != 0 || got >= rounds || got == 0)
      continue;
    r->partial[pt] = (unsigned)got;
    r->done[pt] = 0;
    r->dedupe = 1;
  }
  su_csv_reader_fini(&rd);
  fclose(in);
  return rc < 0 ? rc : SU_OK;
}

/* Appends one sample to a carried result (grows its arrays by doubling). */
static int carry_add(su_point_result_t *c, size_t *cap, double value, uint64_t time_ns,
                     uint64_t device_ns, uint64_t inner, unsigned round, double c2c)
{
  if (c->nsamples == *cap) {
    size_t nc = *cap ? 2 * *cap : 64;
    if (su_point_result_reserve(c, nc))
      return su_errorf(SU_ENOMEM, "out of memory reading back samples");
    *cap = nc;
  }
  c->values[c->nsamples] = value;
  c->time_ns[c->nsamples] = time_ns;
  c->device_ns[c->nsamples] = device_ns;
  c->inners[c->nsamples] = inner;
  c->round[c->nsamples] = round;
  c->c2c[c->nsamples++] = c2c;
  if (round + 1 > c->rounds)
    c->rounds = round + 1;
  return SU_OK;
}

/* Reads the samples of the partial points back from samples.csv.part. */
static int read_carry(su_sink_t *r, const char *part)
{
  static const char *const need[] = {"point", "inner", "time_ns", "device_ns", "value",
                                     "round", "c2c_ns"};
  int col[7];
  size_t *cap = calloc(r->nplan ? r->nplan : 1, sizeof(*cap));
  FILE *in = fopen(part, "r");
  su_csv_reader_t rd;
  char **f;
  size_t n;
  int rc, err = SU_OK;

  if (!cap || !in) {
    free(cap);
    if (in)
      fclose(in);
    return su_errorf(SU_EIO, "cannot read '%s': %s", part, strerror(errno));
  }
  su_csv_reader_init(&rd, in);
  if ((rc = su_csv_read(&rd, &f, &n)) == 1)
    for (int k = 0; k < 7; k++)
      if ((col[k] = find_col(f, n, need[k])) < 0)
        rc = 0;
  while (rc == 1 && !err && (rc = su_csv_read(&rd, &f, &n)) == 1) {
    uint64_t pt, inner, t, d = 0, round;
    double v, c2c = NAN;
    char *end;
    r->old_rows[1]++;
    if ((size_t)col[6] >= n || parse_u64(f[col[0]], &pt) || pt >= r->nplan || !r->partial[pt])
      continue;
    v = strtod(f[col[4]], &end);
    if (*end || !isfinite(v) || parse_u64(f[col[1]], &inner) || parse_u64(f[col[2]], &t) ||
        (*f[col[3]] && parse_u64(f[col[3]], &d)) || parse_u64(f[col[5]], &round) ||
        round >= r->partial[pt])
      continue;
    if (*f[col[6]])
      c2c = strtod(f[col[6]], NULL);
    err = carry_add(&r->carry[pt], &cap[pt], v, t, d, inner, (unsigned)round, c2c);
  }
  su_csv_reader_fini(&rd);
  fclose(in);
  free(cap);
  return err ? err : rc < 0 ? rc : SU_OK;
}

/*
 * Rewrites `part` without the rows that a resumed multi-round run replaced:
 * of the first `old_rows` data rows (those on disk when the run was
 * resumed), the ones of a point flagged in `rewritten` (written again, with
 * all its rounds); and every row of a point flagged in `drop` (may be NULL:
 * a resumed point whose new round failed has no samples to show).
 */
static int dedupe_file(const char *part, size_t nplan, size_t old_rows,
                       const unsigned char *rewritten, const unsigned char *drop)
{
  char tmp[1200];
  FILE *in, *out;
  su_csv_reader_t rd;
  su_csv_writer_t w;
  char **f;
  size_t n, row = 0;
  int rc, cp = -1;
  uint64_t pt;

  if (!(in = fopen(part, "r")))
    return su_errorf(SU_EIO, "cannot read '%s': %s", part, strerror(errno));
  snprintf(tmp, sizeof(tmp), "%s.tmp", part);
  if (!(out = fopen(tmp, "w"))) {
    fclose(in);
    return su_errorf(SU_EIO, "cannot write '%s': %s", tmp, strerror(errno));
  }
  su_csv_reader_init(&rd, in);
  su_csv_writer_init(&w, out);
  for (int header = 1; (rc = su_csv_read(&rd, &f, &n)) == 1; header = 0) {
    int keep = 1;
    if (header)
      cp = find_col(f, n, "point");
    else if (cp >= 0 && (size_t)cp < n && parse_u64(f[cp], &pt) == 0 && pt < nplan)
      keep = !(row < old_rows && rewritten[pt]) && !(drop && drop[pt]);
    row += !header;
    if (keep) {
      for (size_t i = 0; i < n; i++)
        su_csv_put_str(&w, f[i]);
      su_csv_end_row(&w);
    }
  }
  su_csv_reader_fini(&rd);
  fclose(in);
  return replace_part(out, &w, tmp, part, rc < 0 ? rc : SU_OK);
}

int su_sink_open(const char *dir, int resume, size_t nplan, unsigned rounds, su_sink_t **out)
{
  su_sink_t *r = calloc(1, sizeof(*r));
  char sum[1100], smp[1100];
  int err = SU_OK;

  if (!r || !(r->done = calloc(nplan ? nplan : 1, 1)) ||
      !(r->partial = calloc(nplan ? nplan : 1, sizeof(*r->partial))) ||
      !(r->carry = calloc(nplan ? nplan : 1, sizeof(*r->carry)))) {
    if (r) {
      free(r->done);
      free(r->partial);
    }
    free(r);
    return su_errorf(SU_ENOMEM, "out of memory");
  }
  r->nplan = nplan;
  snprintf(r->dir, sizeof(r->dir), "%s", dir);
  if (resume) {
    if ((err = reopen_part(dir, "summary.csv", sum, sizeof(sum))) ||
        (err = reopen_part(dir, "samples.csv", smp, sizeof(smp))) ||
        (err = filter_file(sum, su_summary_cols, NELEM(su_summary_cols), r->done, NULL, nplan)) ||
        (rounds > 1 && (err = scan_partial(r, sum, rounds))))
      goto fail;
    /* keep the samples of the points recorded, partial ones included */
    for (size_t i = 0; i < nplan; i++)
      r->done[i] |= r->partial[i] ? 2 : 0;
    err = filter_file(smp, su_sample_cols, NELEM(su_sample_cols), NULL, r->done, nplan);
    for (size_t i = 0; i < nplan; i++)
      r->done[i] &= 1;
    if (err || (r->dedupe && (err = read_carry(r, smp))))
      goto fail;
    if (r->dedupe && (!(r->failed = calloc(nplan ? nplan : 1, 1)) ||
                      !(r->rewritten = calloc(nplan ? nplan : 1, 1)))) {
      err = su_errorf(SU_ENOMEM, "out of memory");
      goto fail;
    }
    r->summary = fopen(sum, "a");
    r->samples = fopen(smp, "a");
  } else {
    char probe[1100];
    if ((err = su_fs_mkdir_p(dir)))
      goto fail;
    path_join(probe, sizeof(probe), dir, "summary.csv");
    path_join(sum, sizeof(sum), dir, "summary.csv.part");
    if (exists(probe) || exists(sum)) {
      err = su_errorf(SU_EIO, "'%s' already holds results (use --resume '%s' to complete them)",
                      dir, dir);
      goto fail;
    }
    path_join(smp, sizeof(smp), dir, "samples.csv.part");
    r->summary = fopen(sum, "w");
    r->samples = fopen(smp, "w");
    if (r->summary && r->samples &&
        (write_header(r->summary, su_summary_cols, NELEM(su_summary_cols)) ||
         write_header(r->samples, su_sample_cols, NELEM(su_sample_cols)))) {
      err = su_errorf(SU_EIO, "cannot write to '%s'", dir);
      goto fail;
    }
  }
  if (!r->summary || !r->samples) {
    err = su_errorf(SU_EIO, "cannot write to '%s': %s", dir, strerror(errno));
    goto fail;
  }
  *out = r;
  return SU_OK;

fail:
  if (r->summary)
    fclose(r->summary);
  if (r->samples)
    fclose(r->samples);
  free_carry(r);
  free(r->failed);
  free(r->rewritten);
  free(r->done);
  free(r);
  return err;
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

static void put_keys(su_csv_writer_t *w, const char *run_id, const su_point_t *pt,
                     const su_point_result_t *res)
{
  su_csv_put_u64(w, SU_CSV_SCHEMA_VERSION);
  su_csv_put_str(w, run_id);
  su_csv_put_str(w, pt->ops->desc->name);
  su_csv_put_str(w, res->work.variant[0] ? res->work.variant : pt->variant);
  su_csv_put_str(w, pt->backend->name);
  su_csv_put_str(w, pt->device_name);
  su_csv_put_str(w, su_precision_name(pt->prec));
  su_csv_put_u64(w, pt->threads);
  su_csv_put_u64(w, res->ranks ? res->ranks : 1);
  su_csv_put_u64(w, res->nodes ? res->nodes : 1);
  su_csv_put_str(w, pt->placement);
  su_csv_put_str(w, pt->cpuset);
  su_csv_put_u64(w, res->work.size_bytes ? res->work.size_bytes : pt->size_bytes);
}

static int sync_file(FILE *fp)
{
  if (fflush(fp) != 0)
    return -1;
  return fsync(fileno(fp));
}

int su_sink_append(su_sink_t *r, const char *run_id, const su_point_t *pt,
                      const su_point_result_t *res)
{
  su_csv_writer_t w;
  const char *timer = res->device_timer && res->nsamples && res->device_ns[0] ? "device" : "host";

  /* Samples first: a crash between the two leaves samples of a point that
   * summary.csv does not list, which --resume drops. */
  su_csv_writer_init(&w, r->samples);
  for (size_t i = 0; i < res->nsamples && res->rows[0].status == SU_STATUS_OK; i++) {
    put_keys(&w, run_id, pt, res);
    su_csv_put_str(&w, res->rows[0].metric);
    su_csv_put_str(&w, res->rows[0].unit);
    su_csv_put_u64(&w, pt->index);
    su_csv_put_u64(&w, i);
    su_csv_put_u64(&w, res->inners[i]);
    su_csv_put_u64(&w, res->time_ns[i]);
    if (res->device_ns[i])
      su_csv_put_u64(&w, res->device_ns[i]);
    else
      su_csv_put_str(&w, "");
    su_csv_put_double(&w, res->values[i]);
    su_csv_put_u64(&w, res->round[i]);
    su_csv_put_double(&w, res->c2c[i]);   /* empty: not measured */
    su_csv_end_row(&w);
  }
  if (w.err || sync_file(r->samples) != 0)
    return su_errorf(SU_EIO, "cannot write samples to '%s': %s", r->dir, strerror(errno));

  su_csv_writer_init(&w, r->summary);
  for (unsigned i = 0; i < res->nrows; i++) {
    const su_row_t *row = &res->rows[i];
    const int ok = row->status == SU_STATUS_OK;
    put_keys(&w, run_id, pt, res);
    su_csv_put_str(&w, row->metric);
    su_csv_put_str(&w, row->unit);
    su_csv_put_str(&w, su_status_name(row->status));
    su_csv_put_str(&w, ok ? "" : row->reason);
    if (ok) {
      const su_stats_t *s = &row->stats;
      su_csv_put_double(&w, s->median);
      su_csv_put_double(&w, s->min);
      su_csv_put_double(&w, s->max);
      su_csv_put_double(&w, s->mean);
      su_csv_put_double(&w, s->stddev);
      su_csv_put_double(&w, s->cv);
      su_csv_put_double(&w, s->ci95_lo);
      su_csv_put_double(&w, s->ci95_hi);
      su_csv_put_u64(&w, s->n);
    } else {
      for (int k = 0; k < 8; k++)
        su_csv_put_str(&w, "");
      su_csv_put_u64(&w, 0);
    }
    su_csv_put_u64(&w, pt->index);
    su_csv_put_u64(&w, res->inner);
    su_csv_put_double(&w, res->work.flops);
    su_csv_put_double(&w, res->work.bytes);
    su_csv_put_str(&w, timer);
    su_csv_put_u64(&w, (uint64_t)row->noisy);
    /* Distributed kernels (family "dist") run a strong- or weak-scaling
     * series, named by their variant; other rows leave it empty. */
    su_csv_put_str(&w, strcmp(pt->ops->desc->family, "dist") == 0 ? pt->variant : "");
    su_csv_put_u64(&w, res->rounds ? res->rounds : 1);
    su_csv_put_double(&w, ok ? res->c2c_ns : NAN);
    su_csv_end_row(&w);
  }
  if (w.err || sync_file(r->summary) != 0)
    return su_errorf(SU_EIO, "cannot write summary to '%s': %s", r->dir, strerror(errno));
  if (pt->index < r->nplan) {
    r->done[pt->index] = 1;
    if (r->dedupe) {
      r->rewritten[pt->index] = 1;
      r->failed[pt->index] = res->rows[0].status != SU_STATUS_OK;
    }
  }
  return SU_OK;
}

static int finish_file(FILE *fp, const char *dir, const char *name, int dedupe, size_t nplan,
                       size_t old_rows, const unsigned char *rewritten,
                       const unsigned char *drop)
{
  char part[1100], final[1100];
  int bad = fclose(fp) != 0, err;

  path_join(final, sizeof(final), dir, name);
  if (snprintf(part, sizeof(part), "%s.part", final) >= (int)sizeof(part))
    return su_errorf(SU_EINVAL, "path too long '%s'", final);
  if (!bad && dedupe && (err = dedupe_file(part, nplan, old_rows, rewritten, drop)))
    return err;
  if (bad || rename(part, final) != 0)
    return su_errorf(SU_EIO, "cannot finish '%s': %s", final, strerror(errno));
  return SU_OK;
}

int su_sink_close(su_sink_t *r)
{
  int err = SU_OK, e;

  if (!r)
    return SU_OK;
  if ((e = finish_file(r->summary, r->dir, "summary.csv", r->dedupe, r->nplan, r->old_rows[0],
                       r->rewritten, NULL)))
    err = e;
  if ((e = finish_file(r->samples, r->dir, "samples.csv", r->dedupe, r->nplan, r->old_rows[1],
                       r->rewritten, r->failed)) && !err)
    err = e;
  free(r->failed);
  free(r->rewritten);
  free_carry(r);
  free(r->done);
  free(r);
  return err;
}
