/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_json.c: the JSON writer: the exact pretty-printed text, escaping of
 * quotes, backslash, control characters and malformed UTF-8, non-finite and
 * shortest round-trip numbers, embedded documents, and every misuse the
 * writer must report (unbalanced, mismatched, misplaced keys, too deep,
 * empty, write errors).
 */
#include <stdlib.h>

#include "sizeup/error.h"
#include "sizeup/json.h"
#include "test.h"

/* A writer on a memory stream; done() finishes it and returns the text. */
typedef struct doc {
  char *buf;
  size_t len;
  FILE *fp;
  su_json_t j;
} doc_t;

static void doc_open(doc_t *d)
{
  d->buf = NULL;
  d->len = 0;
  d->fp = open_memstream(&d->buf, &d->len);
  su_json_init(&d->j, d->fp);
}

static int doc_finish(doc_t *d)
{
  int err = su_json_finish(&d->j);
  fclose(d->fp);
  return err;
}

static void test_document(void)
{
  doc_t d;

  doc_open(&d);
  su_json_begin_object(&d.j, NULL);
  su_json_str(&d.j, "s", "q\"b\\n\nt\t\x01<");
  su_json_double(&d.j, "nan", NAN);
  su_json_double(&d.j, "inf", -INFINITY);
  su_json_double(&d.j, "x", 0.5);
  su_json_u64(&d.j, "big", 18446744073709551615ull);
  su_json_int(&d.j, "neg", -3);
  su_json_bool(&d.j, "t", 1);
  su_json_bool(&d.j, "f", 0);
  su_json_str(&d.j, "null", NULL);
  su_json_begin_array(&d.j, "a");
  su_json_int(&d.j, NULL, 1);
  su_json_begin_object(&d.j, NULL);
  su_json_end_object(&d.j);
  su_json_begin_array(&d.j, NULL);
  su_json_end_array(&d.j);
  su_json_end_array(&d.j);
  su_json_raw(&d.j, "raw", "{\"k\": 1}\n");
  su_json_end_object(&d.j);
  CHECK_EQ_INT(doc_finish(&d), SU_OK);
  CHECK_EQ_STR(d.buf, "{\n"
                      "  \"s\": \"q\\\"b\\\\n\\nt\\t\\u0001<\",\n"
                      "  \"nan\": null,\n"
                      "  \"inf\": null,\n"
                      "  \"x\": 0.5,\n"
                      "  \"big\": 18446744073709551615,\n"
                      "  \"neg\": -3,\n"
                      "  \"t\": true,\n"
                      "  \"f\": false,\n"
                      "  \"null\": null,\n"
                      "  \"a\": [\n"
                      "    1,\n"
                      "    {},\n"
                      "    []\n"
                      "  ],\n"
                      "  \"raw\": {\"k\": 1}\n"
                      "}\n");
  free(d.buf);
}

/* Escaping through the writer and through su_json_escape must agree. */
static void check_escape(const char *in, const char *want)
{
  char out[128];
  doc_t d;

  su_json_escape(in, out, sizeof(out));
  CHECK_EQ_STR(out, want);
  doc_open(&d);
  su_json_str(&d.j, NULL, in);
  CHECK_EQ_INT(doc_finish(&d), SU_OK);
  d.buf[d.len ? d.len - 1 : 0] = '\0'; /* the final newline */
  CHECK_EQ_STR(d.buf, want);
  free(d.buf);
}

static void test_escaping(void)
{
  check_escape("", "\"\"");
  check_escape("a\"b\\c/d", "\"a\\\"b\\\\c/d\"");
  check_escape("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
  check_escape("\x01\x1f\x7f ~", "\"\\u0001\\u001f\\u007f ~\"");
  /* Well-formed UTF-8 passes through: 2, 3 and 4-byte sequences. */
  check_escape("\xc2\xb5s \xe2\x86\x92 \xf0\x9f\x98\x80", "\"\xc2\xb5s \xe2\x86\x92 \xf0\x9f\x98\x80\"");
  /* Ill-formed bytes become U+FFFD, one per byte: a stray continuation, an
   * invalid lead, an overlong '/', a surrogate, a code point above
   * U+10FFFF, a sequence cut short by the end of the string. */
  check_escape("a\x80z", "\"a\\ufffdz\"");
  check_escape("\xff", "\"\\ufffd\"");
  check_escape("\xc0\xaf", "\"\\ufffd\\ufffd\"");
  check_escape("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
  check_escape("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
  check_escape("x\xe2\x82", "\"x\\ufffd\\ufffd\"");
  check_escape("\xe2\x82" "a", "\"\\ufffd\\ufffda\"");
}

static void test_escape_truncation(void)
{
  char out[8];

  /* Room for 5 bytes of content: whole units only, always a literal. */
  su_json_escape("abcdefgh", out, sizeof(out));
  CHECK_EQ_STR(out, "\"abcde\"");
  su_json_escape("ab\"cd", out, sizeof(out));
  CHECK_EQ_STR(out, "\"ab\\\"c\"");
  su_json_escape("abcd\"", out, sizeof(out));
  CHECK_EQ_STR(out, "\"abcd\""); /* the 2-byte escape does not fit */
  su_json_escape("abc\xe2\x86\x92", out, sizeof(out));
  CHECK_EQ_STR(out, "\"abc\""); /* nor does the 3-byte arrow after abc */
  su_json_escape("\x01", out, sizeof(out));
  CHECK_EQ_STR(out, "\"\""); /* \u0001 is 6 bytes */
  su_json_escape("x", out, 3);
  CHECK_EQ_STR(out, "\"\"");
  su_json_escape("x", out, 2);
  CHECK_EQ_STR(out, "");
  su_json_escape(NULL, out, sizeof(out));
  CHECK_EQ_STR(out, "\"\"");
}

/* Fewest digits that read back exactly: 15, 16 and 17 digits are needed. */
static void test_numbers(void)
{
  doc_t d;

  doc_open(&d);
  su_json_begin_array(&d.j, NULL);
  su_json_double(&d.j, NULL, 0.1);
  su_json_double(&d.j, NULL, 1.0 / 3.0);
  su_json_double(&d.j, NULL, 0.1 + 0.2);
  su_json_double(&d.j, NULL, 1e300);
  su_json_double(&d.j, NULL, -2.5e-10);
  su_json_double(&d.j, NULL, 100);
  su_json_int(&d.j, NULL, -9223372036854775807ll - 1);
  su_json_end_array(&d.j);
  CHECK_EQ_INT(doc_finish(&d), SU_OK);
  CHECK_EQ_STR(d.buf, "[\n  0.1,\n  0.3333333333333333,\n  0.30000000000000004,\n  1e+300,\n  -2.5e-10,\n  100,\n"
                      "  -9223372036854775808\n]\n");
  free(d.buf);
}

static void test_raw(void)
{
  doc_t d;

  doc_open(&d);
  su_json_begin_object(&d.j, NULL);
  su_json_begin_object(&d.j, "outer");
  su_json_raw(&d.j, "dev", "\n {\n  \"name\": \"x\"\n}\r\n\t");
  su_json_raw(&d.j, "none", NULL);
  su_json_end_object(&d.j);
  su_json_end_object(&d.j);
  CHECK_EQ_INT(doc_finish(&d), SU_OK);
  CHECK_EQ_STR(d.buf, "{\n"
                      "  \"outer\": {\n"
                      "    \"dev\": {\n"
                      "      \"name\": \"x\"\n"
                      "    },\n"
                      "    \"none\": null\n"
                      "  }\n"
                      "}\n");
  free(d.buf);
}

/* Each misuse must make su_json_finish fail with this code and context. */
static void check_misuse(int which, int want, const char *why)
{
  doc_t d;
  int err;

  doc_open(&d);
  switch (which) {
  case 0: /* unclosed */
    su_json_begin_object(&d.j, NULL);
    su_json_begin_array(&d.j, "a");
    su_json_end_array(&d.j);
    break;
  case 1: /* close without open */
    su_json_end_object(&d.j);
    break;
  case 2: /* mismatched close */
    su_json_begin_object(&d.j, NULL);
    su_json_end_array(&d.j);
    break;
  case 3: /* member without key */
    su_json_begin_object(&d.j, NULL);
    su_json_int(&d.j, NULL, 1);
    su_json_end_object(&d.j);
    break;
  case 4: /* key inside an array */
    su_json_begin_array(&d.j, NULL);
    su_json_int(&d.j, "k", 1);
    su_json_end_array(&d.j);
    break;
  case 5: /* key at the top level */
    su_json_int(&d.j, "k", 1);
    break;
  case 6: /* two top-level values */
    su_json_begin_object(&d.j, NULL);
    su_json_end_object(&d.j);
    su_json_begin_object(&d.j, NULL);
    su_json_end_object(&d.j);
    break;
  case 7: /* nothing written */
    break;
  case 8: /* too deep: SU_JSON_MAX_DEPTH nested arrays */
    for (int i = 0; i < SU_JSON_MAX_DEPTH; i++)
      su_json_begin_array(&d.j, NULL);
    for (int i = 0; i < SU_JSON_MAX_DEPTH; i++)
      su_json_end_array(&d.j);
    break;
  case 9: /* the first error wins over later ones */
    su_json_begin_array(&d.j, NULL);
    su_json_int(&d.j, "k", 1);
    su_json_end_object(&d.j);
    break;
  }
  err = doc_finish(&d);
  CHECK_EQ_INT(err, want);
  if (!strstr(su_errmsg(), why))
    SU_TEST_FAIL_("case %d: context \"%s\" lacks \"%s\"", which, su_errmsg(), why);
  free(d.buf);
}

static void test_misuse(void)
{
  check_misuse(0, SU_EINVAL, "unbalanced");
  check_misuse(1, SU_EINVAL, "close without an open");
  check_misuse(2, SU_EINVAL, "object closed as an array");
  check_misuse(3, SU_EINVAL, "without a key");
  check_misuse(4, SU_EINVAL, "key inside a JSON array");
  check_misuse(5, SU_EINVAL, "key at the top level");
  check_misuse(6, SU_EINVAL, "more than one top-level");
  check_misuse(7, SU_EINVAL, "empty");
  check_misuse(8, SU_EINVAL, "too deeply");
  check_misuse(9, SU_EINVAL, "key inside a JSON array");
}

static void test_depth_limit(void)
{
  doc_t d;

  /* SU_JSON_MAX_DEPTH - 1 levels are allowed. */
  doc_open(&d);
  for (int i = 0; i < SU_JSON_MAX_DEPTH - 1; i++)
    su_json_begin_array(&d.j, NULL);
  for (int i = 0; i < SU_JSON_MAX_DEPTH - 1; i++)
    su_json_end_array(&d.j);
  CHECK_EQ_INT(doc_finish(&d), SU_OK);
  free(d.buf);
}

static void test_write_error(void)
{
  FILE *fp = fopen("/dev/full", "w");
  su_json_t j;

  if (!fp) {
    printf("note: no /dev/full, write error not tested\n");
    return;
  }
  /* Fully buffered: the error surfaces at the flush in su_json_finish. */
  su_json_init(&j, fp);
  su_json_begin_object(&j, NULL);
  su_json_str(&j, "k", "v");
  su_json_end_object(&j);
  CHECK_EQ_INT(su_json_finish(&j), SU_EIO);
  CHECK(strstr(su_errmsg(), "cannot write JSON") != NULL);
  fclose(fp);
}

int main(void)
{
  SU_TEST_RUN(test_document);
  SU_TEST_RUN(test_escaping);
  SU_TEST_RUN(test_escape_truncation);
  SU_TEST_RUN(test_numbers);
  SU_TEST_RUN(test_raw);
  SU_TEST_RUN(test_misuse);
  SU_TEST_RUN(test_depth_limit);
  SU_TEST_RUN(test_write_error);
  return SU_TEST_REPORT();
}
