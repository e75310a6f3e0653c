/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_schema.c: the CSV contract as data (schema.h) and the number parsers
 * (parse.h): the writer and the reader use one table; every row's field
 * count and every number's range are checked; a cut last record is dropped
 * only where the caller allows it; samples.csv groups are found through
 * the hash index; a PNG cut short is not complete.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sizeup/error.h"
#include "sizeup/parse.h"
#include "sizeup/report.h"
#include "sizeup/samples.h"
#include "sizeup/schema.h"
#include "test.h"

static char dir[] = "/tmp/su-schema-XXXXXX";

static const char *put(const char *name, const char *text)
{
  static char path[256];
  FILE *fp;

  snprintf(path, sizeof(path), "%s/%s", dir, name);
  fp = fopen(path, "wb");
  fwrite(text, 1, strlen(text), fp);
  fclose(fp);
  return path;
}

static void test_parsers(void)
{
  uint64_t u = 7;
  unsigned v = 7;
  double d = 7;

  CHECK(su_parse_u64("42", 0, 100, &u) == 0 && u == 42);
  CHECK(su_parse_u64("-1", 0, UINT64_MAX, &u) != 0);       /* strtoull would wrap it */
  CHECK(su_parse_u64(" 1", 0, 100, &u) != 0);
  CHECK(su_parse_u64("1x", 0, 100, &u) != 0);
  CHECK(su_parse_u64("", 0, 100, &u) != 0);
  CHECK(su_parse_u64("101", 0, 100, &u) != 0);
  CHECK(su_parse_u64("99999999999999999999", 0, UINT64_MAX, &u) != 0);
  CHECK(su_parse_uint("1.5", 1, 100, &v) != 0 && v == 7);  /* --rounds 1.5 */
  CHECK(su_parse_real("1.5", 0, 2, &d) == 0 && d == 1.5);
  CHECK(su_parse_real("inf", -1e300, 1e300, &d) != 0);
  CHECK(su_parse_real("nan", -1e300, 1e300, &d) != 0);
  CHECK(su_parse_real("1e999", 0, INFINITY, &d) != 0);
  CHECK(su_parse_real("3", 0, 2, &d) != 0);
  CHECK(su_parse_real("", 0, 2, &d) != 0);
}

/* The writer's header is the table, and the reader maps it exactly. */
static void test_round_trip(void)
{
  char path[256];
  su_table_row_t row;
  su_table_reader_t t;
  su_csv_writer_t w;
  FILE *fp;

  snprintf(path, sizeof(path), "%s/summary.csv", dir);
  fp = fopen(path, "w");
  su_csv_writer_init(&w, fp);
  CHECK_EQ_INT(su_table_write_header(&w, &su_schema_summary), SU_OK);
  su_table_row_init(&row, &su_schema_summary);
  su_table_set_u64(&row, SU_SUM_SCHEMA_VERSION, SU_CSV_SCHEMA_VERSION);
  su_table_set_str(&row, SU_SUM_KERNEL, "=stream");
  su_table_set_u64(&row, SU_SUM_THREADS, 2);
  su_table_set_u64(&row, SU_SUM_RANKS, 1);
  su_table_set_u64(&row, SU_SUM_NODES, 1);
  su_table_set_u64(&row, SU_SUM_SIZE_BYTES, 4096);
  su_table_set_real(&row, SU_SUM_MEDIAN, 33.38);
  su_table_set_real(&row, SU_SUM_MIN, NAN);                /* empty */
  su_table_set_u64(&row, SU_SUM_REPS, 3);
  su_table_set_u64(&row, SU_SUM_POINT, 0);
  su_table_set_u64(&row, SU_SUM_INNER, 1);
  su_table_set_u64(&row, SU_SUM_NOISY, 0);
  su_table_set_u64(&row, SU_SUM_ROUNDS, 1);
  CHECK_EQ_INT(su_table_write_row(&w, &row), SU_OK);
  fclose(fp);

  CHECK_EQ_INT(su_table_open(&t, &su_schema_summary, path), SU_OK);
  CHECK(t.exact);
  CHECK_EQ_INT(su_table_next(&t), 1);
  CHECK_EQ_STR(su_table_str(&t, SU_SUM_KERNEL), "=stream");
  CHECK(su_table_u64(&t, SU_SUM_THREADS) == 2);
  CHECK_NEAR(su_table_real(&t, SU_SUM_MEDIAN), 33.38, 1e-12);
  CHECK(isnan(su_table_real(&t, SU_SUM_MIN)));
  CHECK_EQ_INT(su_table_next(&t), 0);
  su_table_close(&t);
  su_table_close(&t);       /* idempotent */
}

/* A samples.csv with the given second row; returns su_table_next's result
 * for it (after open succeeded). */
static int read_row(const char *row, int allow_cut, su_table_reader_t *t)
{
  char text[1024];
  int rc;

  snprintf(text, sizeof(text),
           "schema_version,kernel,variant,backend,device,precision,threads,ranks,nodes,"
           "placement,cpuset,size_bytes,run_id,metric,unit,value\n%s", row);
  if ((rc = su_table_open(t, &su_schema_samples, put("samples.csv", text))))
    return rc;
  t->allow_cut = allow_cut;
  rc = su_table_next(t);
  return rc;
}

static void test_rows_checked(void)
{
  su_table_reader_t t;

  /* Columns in another order (found by name). */
  CHECK_EQ_INT(read_row("1,k,v,cpu,d,fp64,1,1,1,compact,0,8,r,bandwidth,GB/s,3.5\n", 0, &t), 1);
  CHECK(!t.exact);
  CHECK_NEAR(su_table_real(&t, SU_SMP_VALUE), 3.5, 0);
  su_table_close(&t);
  /* A row cut short: an error naming the line, never empty cells. */
  CHECK_EQ_INT(read_row("1,k,v,cpu,d,fp64,1,1,1,compact,0,8,r,bandwidth,GB/s\n", 0, &t),
               SU_EINVAL);
  CHECK(strstr(su_errmsg(), "line 2: 15 fields where the header has 16") != NULL);
  su_table_close(&t);
  /* Numbers out of range. */
  CHECK_EQ_INT(read_row("1,k,v,cpu,d,fp64,0,1,1,compact,0,8,r,bandwidth,GB/s,3\n", 0, &t),
               SU_EINVAL);
  CHECK(strstr(su_errmsg(), "column 'threads'") != NULL);
  su_table_close(&t);
  CHECK_EQ_INT(read_row("1,k,v,cpu,d,fp64,1,1,1,compact,0,8,r,bandwidth,GB/s,1e300\n", 0, &t),
               SU_EINVAL);
  su_table_close(&t);
  CHECK_EQ_INT(read_row("9,k,v,cpu,d,fp64,1,1,1,compact,0,8,r,bandwidth,GB/s,3\n", 0, &t),
               SU_EINVAL);
  CHECK(strstr(su_errmsg(), "column 'schema_version'") != NULL);
  su_table_close(&t);
  /* A cut last record (no line end) ends the file only where allowed. */
  CHECK_EQ_INT(read_row("1,k,v,cpu,d,fp64,1,1,1,comp", 0, &t), SU_EINVAL);
  su_table_close(&t);
  CHECK_EQ_INT(read_row("1,k,v,cpu,d,fp64,1,1,1,comp", 1, &t), 0);
  CHECK(t.cut_line == 2);
  su_table_close(&t);
  /* ... but not a bad record with a line end. */
  CHECK_EQ_INT(read_row("1,k,v,cpu,d,fp64,1,1,1,comp\n", 1, &t), SU_EINVAL);
  su_table_close(&t);
  /* A NUL byte names the file and the line. */
  {
    su_table_reader_t r2;
    const char *p = put("nul.csv", "schema_version,run_id\n1,a\n");
    FILE *fp = fopen(p, "r+b");
    fseek(fp, 24, SEEK_SET);
    fputc(0, fp);
    fclose(fp);
    CHECK_EQ_INT(su_table_open(&r2, &su_schema_samples, p), SU_EINVAL);   /* lacks columns */
    CHECK(strstr(su_errmsg(), "lacks the column") != NULL);
  }
}

static void test_header_checked(void)
{
  su_table_reader_t t;

  CHECK_EQ_INT(su_table_open(&t, &su_schema_samples, put("e.csv", "")), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "is empty") != NULL);
  CHECK_EQ_INT(su_table_open(&t, &su_schema_samples,
                             put("d.csv", "schema_version,run_id,kernel,kernel\n")), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "names the column 'kernel' twice") != NULL);
  CHECK_EQ_INT(su_table_open(&t, &su_schema_samples, "/nonexistent/samples.csv"), SU_EIO);
}

/* Many groups: each found again through the index. */
static void test_samples_index(void)
{
  su_samples_t s = {0};
  enum { N = 20000 };
  char name[32];

  for (unsigned i = 0; i < N; i++) {
    su_sample_key_t k = {"stream_triad", "omp", "cpu", "d", "fp64", "compact", "bandwidth",
                         1 + i % 7, 1, 1, i};
    double v = i;
    CHECK_EQ_INT(su_samples_add(&s, &k, "GB/s", &v, 1), SU_OK);
  }
  CHECK(s.n == N);
  for (unsigned i = 0; i < N; i += 97) {
    su_sample_key_t k = {"stream_triad", "omp", "cpu", "d", "fp64", "compact", "bandwidth",
                         1 + i % 7, 1, 1, i};
    su_sample_group_t *g = su_samples_find(&s, &k);
    CHECK(g && g->n == 1 && g->values[0] == i);
  }
  snprintf(name, sizeof(name), "other");
  {
    su_sample_key_t k = {name, "omp", "cpu", "d", "fp64", "compact", "bandwidth", 1, 1, 1, 0};
    CHECK(su_samples_find(&s, &k) == NULL);
  }
  su_samples_fini(&s);
}

static void test_png_complete(void)
{
  static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3,
                                      0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
  char path[256];
  FILE *fp;

  snprintf(path, sizeof(path), "%s/a.png", dir);
  fp = fopen(path, "wb");
  fwrite(png, 1, sizeof(png), fp);
  fclose(fp);
  CHECK(su_report_png_complete(path));
  CHECK_EQ_INT(truncate(path, sizeof(png) - 5), 0);     /* a full disk cut it */
  CHECK(!su_report_png_complete(path));
  CHECK(!su_report_png_complete("/nonexistent.png"));
}

int main(void)
{
  if (!mkdtemp(dir))
    return 1;
  SU_TEST_RUN(test_parsers);
  SU_TEST_RUN(test_round_trip);
  SU_TEST_RUN(test_rows_checked);
  SU_TEST_RUN(test_header_checked);
  SU_TEST_RUN(test_samples_index);
  SU_TEST_RUN(test_png_complete);
  {
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
      return 1;
  }
  return SU_TEST_REPORT();
}
