/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_csv.c: RFC 4180 quoting, spreadsheet-formula neutralisation and its
 * round trip through the reader, numbers, write errors, malformed input.
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
    su_csv_put_str(&w, cells[i]);
  su_csv_end_row(&w);
  fclose(fp);
  return buf;
}

static void test_quoting(void)
{
  const char *cells[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "cr\rx", " lead",
                         "trail ", ""};
  char *row = write_row(cells, 8);

  CHECK_EQ_STR(row, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rx\",\" lead\","
                    "\"trail \",\n");
  free(row);
}

static void test_neutralise(void)
{
  const char *cells[] = {"=SUM(A1)", "+1", "-x", "@x", "\tx", "'x", "a=b"};
  char *row = write_row(cells, 7);

  CHECK_EQ_STR(row, "\"'=SUM(A1)\",\"'+1\",\"'-x\",\"'@x\",\"'\tx\",\"''x\",a=b\n");
  free(row);
}

static void test_numbers(void)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  su_csv_writer_t w;

  su_csv_writer_init(&w, fp);
  su_csv_put_double(&w, -1.5);
  su_csv_put_double(&w, NAN);
  su_csv_put_double(&w, 1e300 * 1e300);
  su_csv_put_u64(&w, 18446744073709551615ull);
  su_csv_put_double(&w, 0.1);
  CHECK_EQ_INT(su_csv_end_row(&w), SU_OK);
  fclose(fp);
  CHECK_EQ_STR(buf, "-1.5,,,18446744073709551615,0.1\n");
  free(buf);
}

static void test_round_trip(void)
{
  const char *cells[] = {"=cmd|' /C calc'!A0", "a,b", "x\"y", "multi\nline", "-1.5", "'q",
                         "@SUM", "", "plain"};
  char *row = write_row(cells, 9);
  FILE *fp = fmemopen(row, strlen(row), "r");
  su_csv_reader_t r;
  char **f;
  size_t n;

  su_csv_reader_init(&r, fp);
  CHECK_EQ_INT(su_csv_read(&r, &f, &n), 1);
  CHECK_EQ_INT(n, 9);
  for (size_t i = 0; i < n && i < 9; i++)
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
  CHECK_EQ_STR(f[2], "c");
  CHECK_EQ_INT(su_csv_read(&r, &f, &n), 1);
  CHECK_EQ_STR(f[1], "x,y");
  CHECK_EQ_STR(f[2], "\"q\"");
  CHECK_EQ_INT(su_csv_read(&r, &f, &n), 1); /* no final newline */
  CHECK_EQ_INT(n, 3);
  CHECK_EQ_STR(f[0], "l1\nl2");
  CHECK_EQ_STR(f[1], "");
  CHECK_EQ_STR(f[2], "z");
  CHECK_EQ_INT(su_csv_read(&r, &f, &n), 0);
  su_csv_reader_fini(&r);
  fclose(fp);
}

static void test_malformed(void)
{
  const char *bad[] = {"a,\"unterminated\n", "a,\"x\"y,b\n"};
  const char *why[] = {"line 2: unterminated", "line 2: text after a closing quote"};

  for (int i = 0; i < 2; i++) {
    char text[64];
    snprintf(text, sizeof(text), "h1,h2\n%s", bad[i]);
    FILE *fp = fmemopen(text, strlen(text), "r");
    su_csv_reader_t r;
    char **f;
    size_t n;
    su_csv_reader_init(&r, fp);
    CHECK_EQ_INT(su_csv_read(&r, &f, &n), 1);
    CHECK_EQ_INT(su_csv_read(&r, &f, &n), SU_EINVAL);
    CHECK(strstr(su_errmsg(), why[i]) != NULL);
    su_csv_reader_fini(&r);
    fclose(fp);
  }
}

static void test_write_error(void)
{
  FILE *fp = fopen("/dev/full", "w");
  su_csv_writer_t w;
  int err = SU_OK;

  if (!fp)
    return;
  setvbuf(fp, NULL, _IONBF, 0);
  su_csv_writer_init(&w, fp);
  su_csv_put_str(&w, "x");
  err = su_csv_end_row(&w);
  CHECK_EQ_INT(err, SU_EIO);
  fclose(fp);
}

int main(void)
{
  SU_TEST_RUN(test_quoting);
  SU_TEST_RUN(test_neutralise);
  SU_TEST_RUN(test_numbers);
  SU_TEST_RUN(test_round_trip);
  SU_TEST_RUN(test_reader);
  SU_TEST_RUN(test_malformed);
  SU_TEST_RUN(test_write_error);
  return SU_TEST_REPORT();
}
