/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * schema.c: the column tables of summary.csv and samples.csv, their writer
 * and their one header-to-column map (schema.h).
 *
 * A reader never guesses: a row with fewer or more fields than the header
 * is an error (a crash or a full disk cuts rows short, and a cut row such as
 * `...,ok,,3` would otherwise read as a median of 3), and so is a number
 * outside its column's range.  Errors name the file, the line and the
 * column, so that whoever holds the file can look at it.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/parse.h"
#include "sizeup/schema.h"

#define SU__COL_ROW(P, id, name, type, flags, lo, hi) {name, SU_COL_##type, flags, lo, hi},

static const su_col_t summary_cols[] = {SU_SUMMARY_COLUMNS(SU__COL_ROW)};
static const su_col_t samples_cols[] = {SU_SAMPLES_COLUMNS(SU__COL_ROW)};

_Static_assert(SU_SUM_NCOLS <= SU_SCHEMA_MAX_COLS, "raise SU_SCHEMA_MAX_COLS");
_Static_assert(SU_SMP_NCOLS <= SU_SCHEMA_MAX_COLS, "raise SU_SCHEMA_MAX_COLS");

const su_schema_t su_schema_summary = {"summary.csv", summary_cols, SU_SUM_NCOLS};
const su_schema_t su_schema_samples = {"samples.csv", samples_cols, SU_SMP_NCOLS};

void su_table_row_init(su_table_row_t *row, const su_schema_t *s)
{
  memset(row, 0, sizeof(*row));
  row->schema = s;
}

void su_table_set_str(su_table_row_t *row, int col, const char *v)
{
  row->cell[col].kind = 1;
  row->cell[col].s = v;
}

void su_table_set_u64(su_table_row_t *row, int col, uint64_t v)
{
  row->cell[col].kind = 2;
  row->cell[col].u = v;
}

void su_table_set_real(su_table_row_t *row, int col, double v)
{
  row->cell[col].kind = 3;
  row->cell[col].d = v;
}

int su_table_write_header(su_csv_writer_t *w, const su_schema_t *s)
{
  for (size_t i = 0; i < s->ncols; i++)
    su_csv_put_str(w, s->cols[i].name);
  return su_csv_end_row(w);
}

int su_table_write_row(su_csv_writer_t *w, const su_table_row_t *row)
{
  for (size_t i = 0; i < row->schema->ncols; i++) {
    switch (row->cell[i].kind) {
    case 1: su_csv_put_str(w, row->cell[i].s); break;
    case 2: su_csv_put_u64(w, row->cell[i].u); break;
    case 3: su_csv_put_double(w, row->cell[i].d); break;
    default: su_csv_put_str(w, ""); break;
    }
  }
  return su_csv_end_row(w);
}

void su_table_close(su_table_reader_t *r)
{
  if (!r || !r->fp)
    return;
  su_csv_reader_fini(&r->csv);
  fclose(r->fp);
  r->fp = NULL;
}

/* Puts the file's name before the CSV reader's "line N: ..." context. */
static int name_file(const su_table_reader_t *r, int err)
{
  char msg[512];

  snprintf(msg, sizeof(msg), "%s", su_errmsg());
  if (strncmp(msg, "line ", 5) == 0)
    return su_errorf(err, "'%s' %s", r->path, msg);
  return su_errorf(err, "'%s': %s", r->path, msg);
}

int su_table_open(su_table_reader_t *r, const su_schema_t *s, const char *path)
{
  char **f;
  size_t n;
  int rc, err = SU_OK;

  memset(r, 0, sizeof(*r));
  r->schema = s;
  snprintf(r->path, sizeof(r->path), "%s", path);
  if (!(r->fp = fopen(path, "r")))
    return su_errorf(SU_EIO, "cannot open '%s': %s", path, strerror(errno));
  su_csv_reader_init(&r->csv, r->fp);
  if ((rc = su_csv_read(&r->csv, &f, &n)) <= 0) {
    err = rc < 0 ? name_file(r, rc) : su_errorf(SU_EINVAL, "'%s' is empty (no header line)", path);
    goto out;
  }
  r->nfields = n;
  r->exact = n == s->ncols;
  for (size_t c = 0; c < s->ncols; c++) {
    r->idx[c] = -1;
    for (size_t i = 0; i < n; i++)
      if (strcmp(f[i], s->cols[c].name) == 0) {
        if (r->idx[c] >= 0) {
          err = su_errorf(SU_EINVAL, "'%s' names the column '%s' twice", path, f[i]);
          goto out;
        }
        r->idx[c] = (int)i;
      }
    r->exact &= r->idx[c] == (int)c;
    if (r->idx[c] < 0 && (s->cols[c].flags & SU_COL_REQ)) {
      err = su_errorf(SU_EINVAL, "'%s' lacks the column '%s' (not a sizeup %s)", path,
                      s->cols[c].name, s->file);
      goto out;
    }
  }
out:
  if (err)
    su_table_close(r);
  return err;
}

unsigned long su_table_line(const su_table_reader_t *r)
{
  return r->csv.line;
}

/* Checks one cell of the current row against its column. */
static int check_cell(const su_table_reader_t *r, size_t c)
{
  const su_col_t *col = &r->schema->cols[c];
  const char *v = r->f[r->idx[c]];
  uint64_t u;
  double d;

  if (col->type == SU_COL_TEXT)
    return SU_OK;
  if (!*v) {
    if (col->flags & SU_COL_EMPTY)
      return SU_OK;
    return su_errorf(SU_EINVAL, "'%s' line %lu: column '%s' is empty", r->path, r->csv.line,
                     col->name);
  }
  if (col->type == SU_COL_UINT
          ? su_parse_u64(v, (uint64_t)col->lo, col->hi >= 18446744073709551615.0
                                                    ? UINT64_MAX : (uint64_t)col->hi, &u)
          : su_parse_real(v, col->lo, col->hi, &d))
    return su_errorf(SU_EINVAL, "'%s' line %lu: column '%s': '%.40s' is not %s in [%.15g, %.15g]",
                     r->path, r->csv.line, col->name, v,
                     col->type == SU_COL_UINT ? "an integer" : "a number", col->lo, col->hi);
  return SU_OK;
}

static int next_row(su_table_reader_t *r, size_t *nf)
{
  size_t n = 0;
  int rc, err;

  do {
    if ((rc = su_csv_read(&r->csv, &r->f, &n)) <= 0)
      return rc < 0 ? name_file(r, rc) : rc;
  } while (n == 1 && r->f[0][0] == '\0' && r->nfields != 1);   /* a blank line */
  *nf = n;
  if (n != r->nfields)
    return su_errorf(SU_EINVAL, "'%s' line %lu: %zu fields where the header has %zu (a row cut "
                     "short or a stray separator)", r->path, r->csv.line, n, r->nfields);
  for (size_t c = 0; c < r->schema->ncols; c++)
    if (r->idx[c] >= 0 && (err = check_cell(r, c)))
      return err;
  return 1;
}

int su_table_next(su_table_reader_t *r)
{
  size_t n = 0;
  int rc = next_row(r, &n);

  /* A bad last record that runs into the end of the file, with no line end,
   * is what a crash in the middle of a write leaves. */
  if (rc == SU_EINVAL && r->allow_cut && feof(r->fp)) {
    r->cut_line = r->csv.line ? r->csv.line : r->csv.lines + 1;
    r->cut_n = n;
    return 0;
  }
  return rc;
}

int su_table_has(const su_table_reader_t *r, int col)
{
  return r->idx[col] >= 0;
}

const char *su_table_str(const su_table_reader_t *r, int col)
{
  return r->idx[col] >= 0 ? r->f[r->idx[col]] : "";
}

uint64_t su_table_u64(const su_table_reader_t *r, int col)
{
  const char *v = su_table_str(r, col);

  return *v ? strtoull(v, NULL, 10) : 0;
}

double su_table_real(const su_table_reader_t *r, int col)
{
  const char *v = su_table_str(r, col);

  return *v ? strtod(v, NULL) : NAN;
}
