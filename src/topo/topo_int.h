/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * topo_int.h: internal to src/topo: what placement (place.c) needs to know
 * about NUMA nodes (numa.c) and CPU kinds (kinds.c), in hwloc's types.
 */
#ifndef SIZEUP_TOPO_INT_H
#define SIZEUP_TOPO_INT_H

#include <hwloc.h>
#include <stdio.h>

#include "sizeup/topo.h"

/* 1 when NUMA node `node` holds cores (see numa.c), 0 for a CPU-less one. */
int su__numa_is_cpu_node(hwloc_topology_t topo, hwloc_obj_t node);

/* Groups hwloc's CPU kinds into sizeup kinds: cls[k] is the sizeup kind of
 * hwloc kind k (0 = the fastest).  Returns the number of sizeup kinds, 0
 * when hwloc knows no kinds.  cls has room for 64 entries. */
int su__kind_classes(hwloc_topology_t topo, unsigned *cls);
/* Sets out to the PUs of sizeup kind cls (empty when there is no such
 * kind); returns the number of sizeup kinds, or SU_ENOMEM. */
int su__kind_class_cpuset(hwloc_topology_t topo, unsigned cls, hwloc_bitmap_t out);
/* hwloc's kind index of the PUs of `set` (higher = more efficient); 0 on a
 * machine with fewer than two kinds, -1 when set spans several kinds. */
int su__kind_rank(hwloc_topology_t topo, hwloc_const_cpuset_t set);

/* `sizeup topo`'s lines on CPU kinds (none on a machine of one kind). */
void su_topo_print_cpu_kinds(const su_topo_t *t, FILE *fp);

#endif /* SIZEUP_TOPO_INT_H */
