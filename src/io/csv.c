/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csv.c: RFC 4180 CSV writer and reader (contract in include/sizeup/csv.h).
 *
 * Results travel between organisations and end up in spreadsheets, so the
 * writer neutralises cells a spreadsheet would run as a formula (OWASP "CSV
 * injection": a leading = + - @ TAB or CR) by prefixing an apostrophe, and
 * the reader strips exactly that apostrophe again.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/csv.h"
#include "sizeup/error.h"

void su_csv_writer_init(su_csv_writer_t *w, FILE *fp)
{
  w->fp = fp;
  w->col = 0;
  w->err = 0;
}

static int needs_neutralising(const char *s)
{
  return s[0] && strchr("=+-@\t\r'", s[0]) != NULL;
}

static int needs_quotes(const char *s)
{
  size_t n = strlen(s);

  if (n && (s[0] == ' ' || s[n - 1] == ' '))
    return 1;
  return strpbrk(s, ",\"\r\n") != NULL;
}

static void put_sep(su_csv_writer_t *w)
{
  if (w->col++ && fputc(',', w->fp) == EOF)
    w->err = 1;
}

int su_csv_put_str(su_csv_writer_t *w, const char *s)
{
  int quote;

  put_sep(w);
  if (!s || !s[0])
    return w->err ? SU_EIO : SU_OK;
  quote = needs_quotes(s) || needs_neutralising(s);
  if (quote && fputc('"', w->fp) == EOF)
    w->err = 1;
  if (needs_neutralising(s) && fputc('\'', w->fp) == EOF)
    w->err = 1;
  for (const char *c = s; *c; c++) {
    if (*c == '"' && fputc('"', w->fp) == EOF)
      w->err = 1;
    if (fputc(*c, w->fp) == EOF)
      w->err = 1;
  }
  if (quote && fputc('"', w->fp) == EOF)
    w->err = 1;
  return w->err ? SU_EIO : SU_OK;
}

int su_csv_put_u64(su_csv_writer_t *w, uint64_t v)
{
  put_sep(w);
  if (fprintf(w->fp, "%llu", (unsigned long long)v) < 0)
    w->err = 1;
  return w->err ? SU_EIO : SU_OK;
}

int su_csv_put_double(su_csv_writer_t *w, double v)
{
  put_sep(w);
  if (isfinite(v) && fprintf(w->fp, "%.9g", v) < 0)
    w->err = 1;
  return w->err ? SU_EIO : SU_OK;
}

int su_csv_end_row(su_csv_writer_t *w)
{
  if (fputc('\n', w->fp) == EOF || ferror(w->fp))
    w->err = 1;
  w->col = 0;
  return w->err ? su_errorf(SU_EIO, "cannot write CSV") : SU_OK;
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
      return su_errorf(SU_ENOMEM, "out of memory reading CSV");
    r->buf = b;
    r->cap = cap;
  }
  r->buf[(*len)++] = c;
  return SU_OK;
}

/* Field starts are kept as offsets while the buffer may move. */
static int field_start(su_csv_reader_t *r, size_t off)
{
  if (r->nfields == r->fcap) {
    size_t cap = r->fcap ? r->fcap * 2 : 32;
    char **f = realloc(r->fields, cap * sizeof(*f));
    if (!f)
      return su_errorf(SU_ENOMEM, "out of memory reading CSV");
    r->fields = f;
    r->fcap = cap;
  }
  r->fields[r->nfields++] = (char *)(uintptr_t)off;
  return SU_OK;
}

int su_csv_read(su_csv_reader_t *r, char ***fields, size_t *n)
{
  size_t len = 0;
  int c, err, in_quotes = 0, after_quote = 0;
  unsigned long start_line;

  r->nfields = 0;
  c = fgetc(r->fp);
  if (c == EOF)
    return 0;
  r->line++;
  start_line = r->line;
  if ((err = field_start(r, 0)))
    return err;
  for (;; c = fgetc(r->fp)) {
    if (in_quotes) {
      if (c == EOF)
        return su_errorf(SU_EINVAL, "line %lu: unterminated quoted field", start_line);
      if (c == '"') {
        int next = fgetc(r->fp);
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
        r->line++;
      if ((err = buf_put(r, &len, (char)c)))
        return err;
      continue;
    }
    if (c == '\r') {
      int next = fgetc(r->fp);
      if (next != '\n')
        ungetc(next, r->fp);
      c = '\n';
    }
    if (c == ',' || c == '\n' || c == EOF) {
      if ((err = buf_put(r, &len, '\0')))
        return err;
      if (c != ',')
        break;
      if ((err = field_start(r, len)))
        return err;
      after_quote = 0;
      continue;
    }
    if (after_quote)
      return su_errorf(SU_EINVAL, "line %lu: text after a closing quote", start_line);
    if (c == '"' && len == (size_t)(uintptr_t)r->fields[r->nfields - 1]) {
      in_quotes = 1;
      continue;
    }
    if ((err = buf_put(r, &len, (char)c)))
      return err;
  }
  /* Offsets become pointers; the writer's neutralising apostrophe goes. */
  for (size_t i = 0; i < r->nfields; i++) {
    char *f = r->buf + (size_t)(uintptr_t)r->fields[i];
    if (f[0] == '\'' && f[1] && strchr("=+-@\t\r'", f[1]))
      memmove(f, f + 1, strlen(f));
    r->fields[i] = f;
  }
  *fields = r->fields;
  *n = r->nfields;
  return 1;
}
