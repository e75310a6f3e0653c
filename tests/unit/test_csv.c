/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_csv.c: RFC 4180 quoting, spreadsheet-formula neutralisation and its
 * round trip through the reader, numbers, write errors (sticky, buffered or
 * not), and the reader on CRLF/LF, multi-line fields, byte-order marks and
 * malformed input.  Expected texts are written out in full.
 */
#include <stdlib.h>

#include "sizeup/csv.h"
#include "sizeup/error.h"
#include "test.h"

/* Writes one row of string cells and returns the text (caller frees). */
static char *write_row(const char *const *cells, size_t n)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  su_csv_writer_t w;

  su_csv_writer_init(&w, fp);
  for (size_t i = 0; i < n; i++)
    CHECK_EQ_INT(su_csv_put_str(&w, cells[i]), SU_OK);
  CHECK_EQ_INT(su_csv_end_row(&w), SU_OK);
  fclose(fp);
  return buf;
}

/* Reads every record of text (textlen bytes, or up to its NUL when 0);
 * returns the last su_csv_read result, the fields of record `want` joined
 * by '|' (or "" if it does not exist) and the number of records. */
static int read_all(const char *text, size_t textlen, int want, char *joined, size_t cap,
                    size_t *nrec)
{
  FILE *fp = fmemopen((void *)text, textlen ? textlen : strlen(text), "r");
  su_csv_reader_t r;
  char **f;
  size_t n;
  int rc, i = 0;

  joined[0] = '\0';
  *nrec = 0;
  su_csv_reader_init(&r, fp);
  while ((rc = su_csv_read(&r, &f, &n)) == 1) {
    if (i++ == want)
      for (size_t k = 0; k < n; k++)
        snprintf(joined + strlen(joined), cap - strlen(joined), "%s%s", k ? "|" : "", f[k]);
    (*nrec)++;
  }
  su_csv_reader_fini(&r);
  fclose(fp);
  return rc;
}

static void test_quoting(void)
{
  const char *cells[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "cr\rx", " lead",
                         "trail ", "", NULL, "trail\t", "in side", "a\"b"};
  char *row = write_row(cells, 12);

  CHECK_EQ_STR(row, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rx\",\" lead\","
                    "\"trail \",,,\"trail\t\",in side,\"a\"\"b\"\n");
  free(row);
}

static void test_neutralise(void)
{
  const char *cells[] = {"=SUM(A1)", "+1", "-x", "@x", "\tx", "'x", "a=b", "\rx", "-1.5", "'"};
  char *row = write_row(cells, 10);

  CHECK_EQ_STR(row, "\"'=SUM(A1)\",\"'+1\",\"'-x\",\"'@x\",\"'\tx\",\"''x\",a=b,\"'\rx\","
                    "\"'-1.5\",\"''\"\n");
  free(row);
}

static void test_numbers(void)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  su_csv_writer_t w;

  su_csv_writer_init(&w, fp);
  su_csv_put_double(&w, -1.5);   /* numbers are never neutralised */
  su_csv_put_double(&w, NAN);
  su_csv_put_double(&w, 1e300 * 1e300);
  su_csv_put_double(&w, -1e300 * 1e300);
  su_csv_put_u64(&w, 18446744073709551615ull);
  su_csv_put_double(&w, 0.1);
  su_csv_put_double(&w, 123456789012.0); /* %.9g */
  su_csv_put_double(&w, -2.5e-7);
  CHECK_EQ_INT(su_csv_end_row(&w), SU_OK);
  su_csv_put_u64(&w, 0);         /* a new row starts without a comma */
  CHECK_EQ_INT(su_csv_end_row(&w), SU_OK);
  fclose(fp);
  CHECK_EQ_STR(buf, "-1.5,,,,18446744073709551615,0.1,1.23456789e+11,-2.5e-07\n0\n");
  free(buf);
}

static void test_round_trip(void)
{
  const char *cells[] = {"=SUM(A1)", "+1", "-x", "@x", "\tx", "'x", "'", "''=",
                         "=cmd|' /C calc'!A0", "a,b", "x\"y", "multi\nline", "crlf\r\nin",
                         "-1.5", "@SUM", "", " pad ", "\rx", "plain"};
  enum { N = sizeof(cells) / sizeof(cells[0]) };
  char *row = write_row(cells, N);
  FILE *fp = fmemopen(row, strlen(row), "r");
  su_csv_reader_t r;
  char **f;
  size_t n;

  su_csv_reader_init(&r, fp);
  CHECK_EQ_INT(su_csv_read(&r, &f, &n), 1);
  CHECK_EQ_INT(n, N);
  for (size_t i = 0; i < n && i < N; i++)
    CHECK_EQ_STR(f[i], cells[i]);
  CHECK_EQ_INT(su_csv_read(&r, &f, &n), 0);
  su_csv_reader_fini(&r);
  fclose(fp);
  free(row);
}

static void test_reader(void)
{
  const char *text = "a,b,c\r\n1,\"x,y\",\"\"\"q\"\"\"\n\"l1\nl2\",,z";
  FILE *fp = fmemopen((void *)text, strlen(text), "r");
  su_csv_reader_t r;
  char **f;
  size_t n;

  su_csv_reader_init(&r, fp);
  CHECK_EQ_INT(su_csv_read(&r, &f, &n), 1);
  CHECK_EQ_INT(n, 3);
  CHECK_EQ_STR(f[0], "a");
  CHECK_EQ_STR(f[2], "c"); /* no CR left over */
  CHECK_EQ_INT(r.line, 1);
  CHECK_EQ_INT(su_csv_read(&r, &f, &n), 1);
  CHECK_EQ_STR(f[0], "1");
  CHECK_EQ_STR(f[1], "x,y");
  CHECK_EQ_STR(f[2], "\"q\"");
  CHECK_EQ_INT(su_csv_read(&r, &f, &n), 1); /* no final newline */
  CHECK_EQ_INT(r.line, 3);
  CHECK_EQ_INT(n, 3);
  CHECK_EQ_STR(f[0], "l1\nl2");
  CHECK_EQ_STR(f[1], "");
  CHECK_EQ_STR(f[2], "z");
  CHECK_EQ_INT(su_csv_read(&r, &f, &n), 0);
  CHECK_EQ_INT(su_csv_read(&r, &f, &n), 0); /* and stays at the end */
  su_csv_reader_fini(&r);
  fclose(fp);
}

static void test_reader_edges(void)
{
  char got[256];
  size_t nrec;

  /* Final newline or not, LF or CRLF or lone CR: the same records. */
  CHECK_EQ_INT(read_all("a,b\nc,d\n", 0, 1, got, sizeof(got), &nrec), 0);
  CHECK_EQ_STR(got, "c|d");
  CHECK_EQ_INT(nrec, 2);
  CHECK_EQ_INT(read_all("a,b\r\nc,d\r\n", 0, 1, got, sizeof(got), &nrec), 0);
  CHECK_EQ_STR(got, "c|d");
  CHECK_EQ_INT(nrec, 2);
  CHECK_EQ_INT(read_all("a,b\rc,d", 0, 1, got, sizeof(got), &nrec), 0);
  CHECK_EQ_STR(got, "c|d");
  CHECK_EQ_INT(nrec, 2);
  /* CRLF inside a quoted field is kept. */
  CHECK_EQ_INT(read_all("\"x\r\ny\",z\r\n", 0, 0, got, sizeof(got), &nrec), 0);
  CHECK_EQ_STR(got, "x\r\ny|z");
  /* A blank line is one empty field; empty cells at the edges count. */
  CHECK_EQ_INT(read_all("a\n\n,b,\n", 0, 1, got, sizeof(got), &nrec), 0);
  CHECK_EQ_STR(got, "");
  CHECK_EQ_INT(nrec, 3);
  CHECK_EQ_INT(read_all("a\n\n,b,\n", 0, 2, got, sizeof(got), &nrec), 0);
  CHECK_EQ_STR(got, "|b|");
  /* Empty file: no record. */
  CHECK_EQ_INT(read_all("", 0, 0, got, sizeof(got), &nrec), 0);
  CHECK_EQ_INT(nrec, 0);
  /* A byte-order mark is skipped, also before a quoted field ... */
  CHECK_EQ_INT(read_all("\xef\xbb\xbf\"h\",x\n", 0, 0, got, sizeof(got), &nrec), 0);
  CHECK_EQ_STR(got, "h|x");
  /* ... but only a complete one, and only at the start of the file. */
  CHECK_EQ_INT(read_all("\xef\xbc\x8c,x\n", 0, 0, got, sizeof(got), &nrec), 0);
  CHECK_EQ_STR(got, "\xef\xbc\x8c|x");
  CHECK_EQ_INT(read_all("a\n\xef\xbb\xbf" "b\n", 0, 1, got, sizeof(got), &nrec), 0);
  CHECK_EQ_STR(got, "\xef\xbb\xbf" "b");
  /* A quote inside an unquoted field is text. */
  CHECK_EQ_INT(read_all("5\" disk,x\n", 0, 0, got, sizeof(got), &nrec), 0);
  CHECK_EQ_STR(got, "5\" disk|x");
  /* An apostrophe not followed by a trigger character stays. */
  CHECK_EQ_INT(read_all("'abc,'=x,'\n", 0, 0, got, sizeof(got), &nrec), 0);
  CHECK_EQ_STR(got, "'abc|=x|'");
}

static void test_wide_record(void)
{
  /* More fields and bytes than the reader's first allocation. */
  char *buf = NULL, **f;
  size_t len = 0, n;
  FILE *fp = open_memstream(&buf, &len);
  su_csv_writer_t w;
  su_csv_reader_t r;
  char cell[16];

  su_csv_writer_init(&w, fp);
  for (int i = 0; i < 500; i++) {
    snprintf(cell, sizeof(cell), "c%d,", i);
    su_csv_put_str(&w, cell);
  }
  su_csv_end_row(&w);
  fclose(fp);
  fp = fmemopen(buf, len, "r");
  su_csv_reader_init(&r, fp);
  CHECK_EQ_INT(su_csv_read(&r, &f, &n), 1);
  CHECK_EQ_INT(n, 500);
  if (n == 500) {
    CHECK_EQ_STR(f[0], "c0,");
    CHECK_EQ_STR(f[499], "c499,");
  }
  su_csv_reader_fini(&r);
  fclose(fp);
  free(buf);
}

static void test_malformed(void)
{
  const char *bad[] = {"a,\"unterminated\n", "a,\"x\"y,b\n", "a,\"x\" ,b\n",
                       "\"two\nlines\" x\n", "\"open\nstill open"};
  const char *why[] = {"line 2: unterminated", "line 2: text after a closing quote",
                       "line 2: text after a closing quote",
                       "line 3: text after a closing quote", "line 2: unterminated"};

  for (int i = 0; i < 5; i++) {
    char text[64];
    snprintf(text, sizeof(text), "h1,h2\n%s", bad[i]);
    FILE *fp = fmemopen(text, strlen(text), "r");
    su_csv_reader_t r;
    char **f;
    size_t n;
    su_csv_reader_init(&r, fp);
    CHECK_EQ_INT(su_csv_read(&r, &f, &n), 1);
    CHECK_EQ_INT(su_csv_read(&r, &f, &n), SU_EINVAL);
    if (!strstr(su_errmsg(), why[i]))
      SU_TEST_FAIL_("case %d: \"%s\" lacks \"%s\"", i, su_errmsg(), why[i]);
    su_csv_reader_fini(&r);
    fclose(fp);
  }
}

static void test_nul_byte(void)
{
  const char text[] = "h\na,b\0c\n";
  char got[64];
  size_t nrec;

  CHECK_EQ_INT(read_all(text, sizeof(text) - 1, 0, got, sizeof(got), &nrec), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "line 2: NUL byte") != NULL);
}

static void test_write_error(void)
{
  FILE *fp = fopen("/dev/full", "w");
  su_csv_writer_t w;
  int err = SU_OK, rows = 0;

  if (!fp) {
    printf("note: no /dev/full, write errors not tested\n");
    return;
  }
  /* Unbuffered: the first cell fails, and so does everything after it. */
  setvbuf(fp, NULL, _IONBF, 0);
  su_csv_writer_init(&w, fp);
  CHECK_EQ_INT(su_csv_put_str(&w, "x"), SU_EIO);
  CHECK(strstr(su_errmsg(), "cannot write CSV") != NULL);
  CHECK_EQ_INT(su_csv_put_double(&w, 1.0), SU_EIO);
  CHECK_EQ_INT(su_csv_end_row(&w), SU_EIO);
  su_csv_writer_init(&w, fp);
  CHECK_EQ_INT(su_csv_put_u64(&w, 7), SU_EIO);
  fclose(fp);

  /* Fully buffered: the failure surfaces once the buffer is flushed, and
   * then it sticks. */
  fp = fopen("/dev/full", "w");
  su_csv_writer_init(&w, fp);
  while (err == SU_OK && rows < 100000) {
    su_csv_put_str(&w, "a fairly long cell to fill the stdio buffer");
    err = su_csv_end_row(&w);
    rows++;
  }
  CHECK_EQ_INT(err, SU_EIO);
  CHECK(rows < 100000);
  su_errclear();
  CHECK_EQ_INT(su_csv_put_str(&w, "more"), SU_EIO);
  CHECK_EQ_INT(su_csv_end_row(&w), SU_EIO);
  CHECK_EQ_STR(su_errmsg(), ""); /* context attached once, at the cause */
  fclose(fp);
}

int main(void)
{
  SU_TEST_RUN(test_quoting);
  SU_TEST_RUN(test_neutralise);
  SU_TEST_RUN(test_numbers);
  SU_TEST_RUN(test_round_trip);
  SU_TEST_RUN(test_reader);
  SU_TEST_RUN(test_reader_edges);
  SU_TEST_RUN(test_wide_record);
  SU_TEST_RUN(test_malformed);
  SU_TEST_RUN(test_nul_byte);
  SU_TEST_RUN(test_write_error);
  return SU_TEST_REPORT();
}
