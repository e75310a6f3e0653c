/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * timer.c: CLOCK_MONOTONIC in uint64_t nanoseconds, and a measurement of
 * its resolution and cost, recorded in system.json so a reader can judge
 * the shortest samples (redis monotonic.h; Hoefler & Belli, SC15, Sec. 4).
 */
#include <stdlib.h>
#include <time.h>

#include "sizeup/error.h"
#include "sizeup/timer.h"

uint64_t su_time_ns(void)
{
  struct timespec ts = {0, 0};

  /* Cannot fail for CLOCK_MONOTONIC on a valid pointer (POSIX); the
   * calibration checks the clock once per run all the same. */
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

int su_timer_calibrate(su_timer_info_t *out)
{
  /* ~10^5 calls in batches: the median batch is robust to an interrupt or
   * a migration landing in a few of them, and the whole takes ~2 ms. */
  enum { BATCHES = 101, CALLS = 1000 };
  uint64_t cost[BATCHES], tick = 0;
  struct timespec res, now_ts;
  su_timer_info_t r;

  if (clock_getres(CLOCK_MONOTONIC, &res) != 0 || clock_gettime(CLOCK_MONOTONIC, &now_ts) != 0)
    return su_errorf(SU_EIO, "clock 'CLOCK_MONOTONIC' is not available");
  r.name = "clock_gettime(CLOCK_MONOTONIC)";
  r.resolution_ns = (uint64_t)res.tv_sec * 1000000000ull + (uint64_t)res.tv_nsec;
  for (int b = 0; b < BATCHES; b++) {
    uint64_t t0 = su_time_ns(), prev = t0, now = t0;
    for (int i = 0; i < CALLS; i++) {
      now = su_time_ns();
      if (now < prev)
        return su_errorf(SU_EIO, "clock 'CLOCK_MONOTONIC' went backwards by %llu ns",
                         (unsigned long long)(prev - now));
      if (now > prev && (tick == 0 || now - prev < tick))
        tick = now - prev;
      prev = now;
    }
    cost[b] = now - t0;
  }
  /* 10^5 readings without a change: the clock does not run (or ticks
   * slower than the whole calibration), so no timing can be trusted. */
  if (tick == 0)
    return su_errorf(SU_EIO, "clock 'CLOCK_MONOTONIC' did not advance in %d readings",
                     BATCHES * CALLS);
  qsort(cost, BATCHES, sizeof(cost[0]), cmp_u64);
  r.overhead_ns = (double)cost[BATCHES / 2] / CALLS;
  r.min_tick_ns = tick;
  *out = r;
  return SU_OK;
}
