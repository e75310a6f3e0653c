/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_timer.c: the host clock: nanoseconds of CLOCK_MONOTONIC (checked
 * against a direct clock_gettime and a known sleep), never decreasing, and
 * a calibration with a plausible resolution, overhead and tick.
 */
#include <stdint.h>
#include <time.h>

#include "sizeup/error.h"
#include "sizeup/timer.h"
#include "test.h"

static uint64_t direct_ns(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void test_same_clock(void)
{
  /* Same clock, same unit: a direct reading lies between two of ours. */
  uint64_t a = su_time_ns(), d = direct_ns(), b = su_time_ns();

  CHECK(a <= d);
  CHECK(d <= b);
  CHECK(b - a < 1000000000ull); /* not seconds apart */
}

static void test_monotonic(void)
{
  uint64_t prev = su_time_ns(), now;
  int backwards = 0;

  for (int i = 0; i < 100000; i++) {
    now = su_time_ns();
    backwards += now < prev;
    prev = now;
  }
  CHECK_EQ_INT(backwards, 0);
}

static void test_sleep(void)
{
  /* 5 ms asleep reads as at least 5 ms, and (generously, on a shared
   * machine) less than 2 s: catches a wrong unit in either direction. */
  struct timespec req = {0, 5000000};
  uint64_t t0 = su_time_ns(), dt;

  nanosleep(&req, NULL);
  dt = su_time_ns() - t0;
  CHECK(dt >= 5000000ull);
  CHECK(dt < 2000000000ull);
}

static void test_calibrate(void)
{
  su_timer_info_t ti = {0};

  CHECK_EQ_INT(su_timer_calibrate(&ti), SU_OK);
  CHECK_EQ_STR(ti.name, "clock_gettime(CLOCK_MONOTONIC)");
  CHECK(ti.resolution_ns > 0);
  CHECK(ti.resolution_ns <= 10000000ull); /* at worst a 100 Hz tick */
  CHECK(ti.overhead_ns > 0);
  CHECK(ti.overhead_ns < 10000); /* < 10 us per call */
  CHECK(ti.min_tick_ns > 0);
  CHECK(ti.min_tick_ns >= ti.resolution_ns);
  printf("resolution %llu ns, overhead %.1f ns, smallest tick %llu ns\n",
         (unsigned long long)ti.resolution_ns, ti.overhead_ns,
         (unsigned long long)ti.min_tick_ns);
}

int main(void)
{
  SU_TEST_RUN(test_same_clock);
  SU_TEST_RUN(test_monotonic);
  SU_TEST_RUN(test_sleep);
  SU_TEST_RUN(test_calibrate);
  return SU_TEST_REPORT();
}
