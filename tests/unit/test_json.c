/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_json.c: the JSON writer: escaping, non-finite numbers, nesting and
 * unbalanced documents; and the timer.
 */
#include <stdlib.h>

#include "sizeup/error.h"
#include "sizeup/json.h"
#include "sizeup/timer.h"
#include "test.h"

static void test_document(void)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  su_json_t j;

  su_json_init(&j, fp);
  su_json_begin_object(&j, NULL);
  su_json_str(&j, "s", "q\"b\\n\nt\t\x01<");
  su_json_double(&j, "nan", NAN);
  su_json_double(&j, "x", 0.5);
  su_json_u64(&j, "big", 18446744073709551615ull);
  su_json_int(&j, "neg", -3);
  su_json_bool(&j, "t", 1);
  su_json_str(&j, "null", NULL);
  su_json_begin_array(&j, "a");
  su_json_int(&j, NULL, 1);
  su_json_begin_object(&j, NULL);
  su_json_end_object(&j);
  su_json_end_array(&j);
  su_json_raw(&j, "raw", "{\"k\": 1}\n");
  su_json_end_object(&j);
  CHECK_EQ_INT(su_json_finish(&j), SU_OK);
  fclose(fp);
  CHECK_EQ_STR(buf, "{\n"
                    "  \"s\": \"q\\\"b\\\\n\\nt\\t\\u0001<\",\n"
                    "  \"nan\": null,\n"
                    "  \"x\": 0.5,\n"
                    "  \"big\": 18446744073709551615,\n"
                    "  \"neg\": -3,\n"
                    "  \"t\": true,\n"
                    "  \"null\": null,\n"
                    "  \"a\": [\n"
                    "    1,\n"
                    "    {}\n"
                    "  ],\n"
                    "  \"raw\": {\"k\": 1}\n"
                    "}\n");
  free(buf);
}

static void test_unbalanced(void)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  su_json_t j;

  su_json_init(&j, fp);
  su_json_begin_object(&j, NULL);
  su_json_begin_array(&j, "a");
  su_json_end_array(&j);
  CHECK_EQ_INT(su_json_finish(&j), SU_EINVAL);
  su_json_init(&j, fp);
  su_json_end_object(&j);
  CHECK_EQ_INT(su_json_finish(&j), SU_EINVAL);
  fclose(fp);
  free(buf);
}

static void test_escape(void)
{
  char out[32];

  su_json_escape("a\"b", out, sizeof(out));
  CHECK_EQ_STR(out, "\"a\\\"b\"");
}

static void test_timer(void)
{
  su_timer_info_t ti;
  uint64_t a = su_time_ns(), b;

  CHECK_EQ_INT(su_timer_calibrate(&ti), SU_OK);
  b = su_time_ns();
  CHECK(b >= a);
  CHECK(ti.resolution_ns > 0);
  CHECK(ti.overhead_ns > 0 && ti.overhead_ns < 10000);
  CHECK(ti.min_tick_ns > 0);
}

int main(void)
{
  SU_TEST_RUN(test_document);
  SU_TEST_RUN(test_unbalanced);
  SU_TEST_RUN(test_escape);
  SU_TEST_RUN(test_timer);
  return SU_TEST_REPORT();
}
