/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csv.c: RFC 4180 CSV writer and reader (contract in include/sizeup/csv.h).
 *
 * Results travel between organisations and end up in spreadsheets, so the
 * writer neutralises cells a spreadsheet would run as a formula (OWASP "CSV
 * injection": a leading = + - @ TAB or CR) by prefixing an apostrophe, and
 * the reader strips exactly that apostrophe again.  The reader is strict
 * where strictness protects the data (an unterminated quote, text after a
 * closing quote, a NUL byte are errors naming the line) and lenient where
 * a hand-edited file is still unambiguous (CRLF, a missing final newline,
 * a UTF-8 byte-order mark, a quote inside an unquoted field).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/csv.h"
#include "sizeup/error.h"

/* First characters that make a spreadsheet evaluate a cell, plus the
 * apostrophe itself so that a string starting with one round-trips. */
static const char neutralise_set[] = "=+-@\t\r'";

void su_csv_writer_init(su_csv_writer_t *w, FILE *fp)
{
  w->fp = fp;
  w->col = 0;
  w->err = 0;
}

/* Records the first write failure, with its context, once. */
static void write_failed(su_csv_writer_t *w)
{
  if (!w->err) {
    w->err = 1;
    su_errorf(SU_EIO, "cannot write CSV: %s", errno ? strerror(errno) : "stream error");
  }
}

static void put_char(su_csv_writer_t *w, char c)
{
  if (fputc(c, w->fp) == EOF)
    write_failed(w);
}

static int status(const su_csv_writer_t *w)
{
  return w->err ? SU_EIO : SU_OK;
}

static int needs_neutralising(const char *s)
{
  return s[0] && strchr(neutralise_set, s[0]) != NULL;
}

static int needs_quotes(const char *s)
{
  size_t n = strlen(s);

  /* Many readers trim unquoted white space at the edges; quoting keeps it. */
  if (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'))
    return 1;
  return strpbrk(s, ",\"\r\n") != NULL;
}

static void put_sep(su_csv_writer_t *w)
{
  if (w->col++)
    put_char(w, ',');
}

int su_csv_put_str(su_csv_writer_t *w, const char *s)
{
  int quote, neutral;

  put_sep(w);
  if (!s || !s[0])
    return status(w);
  neutral = needs_neutralising(s);
  /* A neutralised cell is quoted too, as OWASP advises, so that no reader
   * splits it at a separator before seeing the apostrophe. */
  quote = neutral || needs_quotes(s);
  if (quote)
    put_char(w, '"');
  if (neutral)
    put_char(w, '\'');
  for (const char *c = s; *c; c++) {
    if (*c == '"')
      put_char(w, '"');
    put_char(w, *c);
  }
  if (quote)
    put_char(w, '"');
  return status(w);
}

int su_csv_put_u64(su_csv_writer_t *w, uint64_t v)
{
  put_sep(w);
  if (fprintf(w->fp, "%llu", (unsigned long long)v) < 0)
    write_failed(w);
  return status(w);
}

int su_csv_put_double(su_csv_writer_t *w, double v)
{
  put_sep(w);
  if (isfinite(v) && fprintf(w->fp, "%.9g", v) < 0)
    write_failed(w);
  return status(w);
}

int su_csv_end_row(su_csv_writer_t *w)
{
  put_char(w, '\n');
  /* A buffered stream reports a failed flush only through ferror. */
  if (ferror(w->fp))
    write_failed(w);
  w->col = 0;
  return status(w);
}

void su_csv_reader_init(su_csv_reader_t *r, FILE *fp)
{
  memset(r, 0, sizeof(*r));
  r->fp = fp;
}

void su_csv_reader_fini(su_csv_reader_t *r)
{
  free(r->buf);
  free(r->fields);
  memset(r, 0, sizeof(*r));
}

static int buf_put(su_csv_reader_t *r, size_t *len, char c)
{
  if (*len + 1 >= r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 1024;
    char *b = realloc(r->buf, cap);
    if (!b)
      return su_errorf(SU_ENOMEM, "out of memory reading CSV line %lu", r->line);
    r->buf = b;
    r->cap = cap;
  }
  r->buf[(*len)++] = c;
  return SU_OK;
}

/* Reads one byte; a read error (not end of file) becomes SU_EIO. */
static int get(su_csv_reader_t *r, int *c)
{
  *c = fgetc(r->fp);
  if (*c == EOF && ferror(r->fp))
    return su_errorf(SU_EIO, "cannot read CSV line %lu: %s", r->lines + 1,
                     errno ? strerror(errno) : "stream error");
  if (*c == '\0')
    return su_errorf(SU_EINVAL, "line %lu: NUL byte in CSV", r->lines + 1);
  return SU_OK;
}

/*
 * At the start of the file: skips a UTF-8 byte-order mark (spreadsheets
 * write one) and sets *c to the byte after it.  Bytes that only begin like
 * one are content: they go to the buffer and *c is the first byte after them.
 */
static int skip_bom(su_csv_reader_t *r, int *c, size_t *len)
{
  static const int bom[3] = {0xef, 0xbb, 0xbf};
  int err, i;

  for (i = 0; i < 3 && *c == bom[i]; i++)
    if ((err = get(r, c)))
      return err;
  if (i == 3)
    return SU_OK;
  for (int k = 0; k < i; k++)
    if ((err = buf_put(r, len, (char)bom[k])))
      return err;
  return SU_OK;
}

/* Pointers into buf once the record is complete: fields are NUL-separated
 * and hold no NUL of their own, since the reader rejects NUL bytes. */
static int set_fields(su_csv_reader_t *r, size_t nfields)
{
  char *f = r->buf;

  if (nfields > r->fcap) {
    size_t cap = r->fcap ? r->fcap : 32;
    char **p;
    while (cap < nfields)
      cap *= 2;
    if (!(p = realloc(r->fields, cap * sizeof(*p))))
      return su_errorf(SU_ENOMEM, "out of memory reading CSV line %lu", r->line);
    r->fields = p;
    r->fcap = cap;
  }
  for (size_t i = 0; i < nfields; i++) {
    char *next = f + strlen(f) + 1;
    /* The writer's neutralising apostrophe goes. */
    if (f[0] == '\'' && f[1] && strchr(neutralise_set, f[1]))
      memmove(f, f + 1, strlen(f));
    r->fields[i] = f;
    f = next;
  }
  r->nfields = nfields;
  return SU_OK;
}

int su_csv_read(su_csv_reader_t *r, char ***fields, size_t *n)
{
  size_t len = 0, fstart = 0, nfields = 1;
  int c, next, err, in_quotes = 0, after_quote = 0;
  unsigned long start_line;

  r->nfields = 0;
  if ((err = get(r, &c)))
    return err;
  if (r->lines == 0 && (err = skip_bom(r, &c, &len)))
    return err;
  if (c == EOF && len == 0)
    return 0;
  start_line = r->line = r->lines + 1;
  for (err = SU_OK;; err = get(r, &c)) {
    if (err)
      return err;
    if (in_quotes) {
      if (c == EOF)
        return su_errorf(SU_EINVAL, "line %lu: unterminated quoted field", start_line);
      if (c == '"') {
        if ((err = get(r, &next)))
          return err;
        if (next == '"') {
          if ((err = buf_put(r, &len, '"')))
            return err;
          continue;
        }
        ungetc(next, r->fp);
        in_quotes = 0;
        after_quote = 1;
        continue;
      }
      if (c == '\n')
        r->lines++;
      if ((err = buf_put(r, &len, (char)c)))
        return err;
      continue;
    }
    if (c == '\r') { /* CRLF, or a lone CR, ends the record */
      if ((err = get(r, &next)))
        return err;
      if (next != '\n')
        ungetc(next, r->fp);
      c = '\n';
    }
    if (c == ',' || c == '\n' || c == EOF) {
      if ((err = buf_put(r, &len, '\0')))
        return err;
      if (c != ',') {
        r->lines++;
        break;
      }
      nfields++;
      fstart = len;
      after_quote = 0;
      continue;
    }
    if (after_quote)
      return su_errorf(SU_EINVAL, "line %lu: text after a closing quote", r->lines + 1);
    if (c == '"' && len == fstart) {
      in_quotes = 1;
      continue;
    }
    if ((err = buf_put(r, &len, (char)c)))
      return err;
  }
  if ((err = set_fields(r, nfields)))
    return err;
  *fields = r->fields;
  *n = r->nfields;
  return 1;
}
