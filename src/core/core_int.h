/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * core_int.h: internal to src/core: the multi-device adapter the runner
 * uses for points with several devices (multidev.c), and the core-to-core
 * latency probe of a thread team (c2c.c).
 */
#ifndef SIZEUP_CORE_INT_H
#define SIZEUP_CORE_INT_H

#include "sizeup/kernel.h"

/* What the adapter's setup finds in su_params_t.backend_ctx. */
typedef struct su__multidev {
  const su_kernel_ops_t *ops;   /* the per-device kernel */
  void *backend_ctx;            /* the backend's own context */
  unsigned n;                   /* devices */
  const unsigned *devices;      /* device indices within the backend */
} su__multidev_t;

/* Fills *out with an ops table that runs `per_device` on several devices at
 * once; its setup expects a su__multidev_t as params->backend_ctx. */
void su__multidev_ops(const su_kernel_ops_t *per_device, su_kernel_ops_t *out);

/* The one-way core-to-core latency of the current OpenMP team of `threads`
 * (bound by the caller), ns: the largest over thread 0's partners (all of a
 * team of up to 9, else 8 spread over it).  NaN for one thread, or when a
 * partner did not answer within 20 ms (an oversubscribed machine).  Takes
 * well under a millisecond per partner. */
double su__team_c2c_ns(unsigned threads);

#endif /* SIZEUP_CORE_INT_H */
