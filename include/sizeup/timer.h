/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * timer.h: the host clock.  CLOCK_MONOTONIC in uint64_t nanoseconds (redis
 * monotonic.h); its resolution and per-call overhead are measured once per
 * run and recorded in system.json, so a reader can judge the shortest
 * timings.
 */
#ifndef SIZEUP_TIMER_H
#define SIZEUP_TIMER_H

#include <stdint.h>

typedef struct su_timer_info {
  const char *name;          /* "clock_gettime(CLOCK_MONOTONIC)" */
  uint64_t resolution_ns;    /* clock_getres() */
  double overhead_ns;        /* median cost of one su_time_ns() call */
  uint64_t min_tick_ns;      /* smallest non-zero difference observed */
} su_timer_info_t;

/* Monotonic time in ns since an arbitrary origin. */
uint64_t su_time_ns(void);
/*
 * Measures the clock with ~10^5 calls (a few ms): overhead_ns is the median
 * over 101 batches of 1000 calls of the cost per call.  SU_EIO if the clock
 * is unusable (not available, going backwards, or not advancing at all
 * during the calibration); *out is left untouched on failure.
 */
int su_timer_calibrate(su_timer_info_t *out);

#endif /* SIZEUP_TIMER_H */
