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
  struct timespec ts;

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
  enum { BATCHES = 101, CALLS = 1000 };
  uint64_t cost[BATCHES], tick = 0;
  struct timespec res;

  if (clock_getres(CLOCK_MONOTONIC, &res) != 0)
    return su_errorf(SU_EIO, "CLOCK_MONOTONIC is not available");
  out->name = "clock_gettime(CLOCK_MONOTONIC)";
  out->resolution_ns = (uint64_t)res.tv_sec * 1000000000ull + (uint64_t)res.tv_nsec;
  /* Median over batches of the cost per call: robust to an interrupt. */
  for (int b = 0; b < BATCHES; b++) {
    uint64_t t0 = su_time_ns(), prev = t0, now = t0;
    for (int i = 0; i < CALLS; i++) {
      now = su_time_ns();
      if (now > prev && (tick == 0 || now - prev < tick))
        tick = now - prev;
      prev = now;
    }
    cost[b] = now - t0;
  }
  qsort(cost, BATCHES, sizeof(cost[0]), cmp_u64);
  out->overhead_ns = (double)cost[BATCHES / 2] / CALLS;
  out->min_tick_ns = tick;
  return SU_OK;
}
