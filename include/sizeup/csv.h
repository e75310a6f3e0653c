/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csv.h: RFC 4180 CSV writing and reading.
 *
 * Writer: a cell is quoted when it holds a comma, a double quote, CR or LF,
 * or leading/trailing space; quotes are doubled.  String cells that a
 * spreadsheet would run as a formula (first character = + - @ TAB CR) or
 * that start with an apostrophe get a leading apostrophe (OWASP "CSV
 * injection"); the reader removes exactly that apostrophe, so strings round
 * trip.  Numbers are written by su_csv_put_double/_u64 and never neutralised.
 * Lines end with LF (readers accept CRLF too).
 *
 * Clarifications of the contract:
 * - Neutralisation looks only at the first character, so a string such as
 *   "-1.5" passed to su_csv_put_str is neutralised ("'-1.5"); write numbers
 *   with su_csv_put_double/_u64.  A neutralised cell is always quoted.
 * - Leading or trailing TAB is quoted like a space.
 * - Writer errors are sticky: after the first failed write every call
 *   returns SU_EIO and the context names the cause.  Output is buffered by
 *   stdio, so a failure may surface only at a later call or at the caller's
 *   fflush/fclose, which the caller must check.
 * - Reader: a blank line is a record of one empty field (callers skip it);
 *   a UTF-8 byte-order mark at the start of the file is skipped; a quote in
 *   the middle of an unquoted field is kept as text; a NUL byte is
 *   SU_EINVAL and a read error SU_EIO, both naming the line.  After an
 *   error, stop reading.
 */
#ifndef SIZEUP_CSV_H
#define SIZEUP_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct su_csv_writer {
  FILE *fp;
  unsigned col;            /* cells written on the current row */
  int err;                 /* sticky: first write error */
} su_csv_writer_t;

void su_csv_writer_init(su_csv_writer_t *w, FILE *fp);
int su_csv_put_str(su_csv_writer_t *w, const char *s); /* NULL writes an empty cell */
int su_csv_put_u64(su_csv_writer_t *w, uint64_t v);
/* %.9g; NaN and infinities are written as an empty cell. */
int su_csv_put_double(su_csv_writer_t *w, double v);
int su_csv_end_row(su_csv_writer_t *w);   /* SU_EIO if any write failed */

/* Reader: one record at a time, fields owned by the reader until the next call. */
typedef struct su_csv_reader {
  FILE *fp;
  char *buf;               /* all fields of the current record, NUL-separated */
  size_t cap;
  char **fields;
  size_t nfields, fcap;
  unsigned long line;      /* line number where the current record started */
  unsigned long lines;     /* physical lines consumed so far (a quoted field
                              may span several) */
} su_csv_reader_t;

void su_csv_reader_init(su_csv_reader_t *r, FILE *fp);
void su_csv_reader_fini(su_csv_reader_t *r);
/*
 * Reads the next record: returns 1 with *fields and *n set, 0 at end of file,
 * SU_EINVAL on malformed input (unterminated quote, text after a closing
 * quote) with context naming the line, SU_ENOMEM.
 */
int su_csv_read(su_csv_reader_t *r, char ***fields, size_t *n);

#endif /* SIZEUP_CSV_H */
