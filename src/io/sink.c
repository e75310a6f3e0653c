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
  if (!err && w.err)
    err = su_errorf(SU_EIO, "cannot write '%s'", tmp);
  if (fclose(out) != 0 && !err)
    err = su_errorf(SU_EIO, "cannot write '%s': %s", tmp, strerror(errno));
  if (!err && rename(tmp, part) != 0)
    err = su_errorf(SU_EIO, "cannot rename '%s': %s", tmp, strerror(errno));
  if (err)
    unlink(tmp);
  return err;
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

int su_sink_open(const char *dir, int resume, size_t nplan, su_sink_t **out)
{
  su_sink_t *r = calloc(1, sizeof(*r));
  char sum[1100], smp[1100];
  int err = SU_OK;

  if (!r || !(r->done = calloc(nplan ? nplan : 1, 1))) {
    free(r);
    return su_errorf(SU_ENOMEM, "out of memory");
  }
  r->nplan = nplan;
  snprintf(r->dir, sizeof(r->dir), "%s", dir);
  if (resume) {
    if ((err = reopen_part(dir, "summary.csv", sum, sizeof(sum))) ||
        (err = reopen_part(dir, "samples.csv", smp, sizeof(smp))) ||
        (err = filter_file(sum, su_summary_cols, NELEM(su_summary_cols), r->done, NULL, nplan)) ||
        (err = filter_file(smp, su_sample_cols, NELEM(su_sample_cols), NULL, r->done, nplan)))
      goto fail;
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
  free(r->done);
  free(r);
  return err;
}

const unsigned char *su_sink_done(const su_sink_t *r)
{
  return r->done;
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
  if (pt->index < r->nplan)
    r->done[pt->index] = 1;
  return SU_OK;
}

static int finish_file(FILE *fp, const char *dir, const char *name)
{
  char part[1100], final[1100];
  int bad = fclose(fp) != 0;

  path_join(final, sizeof(final), dir, name);
  if (snprintf(part, sizeof(part), "%s.part", final) >= (int)sizeof(part))
    return su_errorf(SU_EINVAL, "path too long '%s'", final);
  if (bad || rename(part, final) != 0)
    return su_errorf(SU_EIO, "cannot finish '%s': %s", final, strerror(errno));
  return SU_OK;
}

int su_sink_close(su_sink_t *r)
{
  int err = SU_OK, e;

  if (!r)
    return SU_OK;
  if ((e = finish_file(r->summary, r->dir, "summary.csv")))
    err = e;
  if ((e = finish_file(r->samples, r->dir, "samples.csv")) && !err)
    err = e;
  free(r->done);
  free(r);
  return err;
}
