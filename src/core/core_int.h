/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * core_int.h: internal to src/core: the multi-device adapter the runner
 * uses for points with several devices (multidev.c), and the core-to-core
 * latency probe of a thread team (c2c.c), and the placement pairs of the
 * planner (memplan.c).
 */
#ifndef SIZEUP_CORE_INT_H
#define SIZEUP_CORE_INT_H

#include "sizeup/kernel.h"
#include "sizeup/topo.h"

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

/* Where one point's threads run and its memory lives (memplan.c). */
typedef struct su__place_pair {
  char place[64];          /* a placement su_place_parse accepts */
  int mem;                 /* memory bound to this NUMA node; -1: first touch */
  uint64_t mem_bytes;      /* the bound node's memory; 0 with first touch */
  unsigned threads;        /* > 0: the NUMA matrix's thread count, not the group's */
  uint64_t size_bytes;     /* > 0: the NUMA matrix's size (sizes = auto) */
  unsigned limit;          /* > 0 (kind:N): the kind's PUs, the most threads it places */
  unsigned kind_cores;     /* > 0 (kind:N): the kind's cores, a rung of its ladder */
} su__place_pair_t;

/*
 * Crosses placement tokens ltok[0..nl-1] (`kinds` expands to kind:0..K-1
 * on a hybrid CPU, to nothing elsewhere) with the memory placements of
 * `memory` ("local", "mem:J", "each", a comma list; NULL or "" = local) for
 * kernel ops; auto_size says the group's sizes are "auto".  *out is
 * malloc'ed.  SU_EINVAL naming a bad memory placement or a node that does
 * not exist, SU_ENOMEM.
 */
int su__place_pairs(su_topo_t *t, const char *memory, char **ltok, unsigned nl,
                    const su_kernel_ops_t *ops, int auto_size, su__place_pair_t **out,
                    unsigned *n);

#endif /* SIZEUP_CORE_INT_H */
