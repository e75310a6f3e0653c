/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * numa.c: NUMA nodes as memory targets, and binding memory to one of them.
 *
 * The NUMA matrix (Intel MLC's view of a machine) measures from the cores of
 * each NUMA node to the memory of each NUMA node.  Sources are the nodes
 * that hold cores; targets are every node, including the CPU-less ones that
 * hwloc 2 attaches next to the cores they are close to (HBM, MCDRAM, GPU
 * memory, CXL): such a node carries a locality cpuset but no core of its
 * own, and hwloc names its kind in `subtype`.  A node is therefore a CPU
 * node when its cpuset is not empty and it has no subtype other than
 * "DRAM" (hwloc >= 2.10 marks ordinary memory so); a topology where that
 * leaves none (all nodes typed) takes every node with a cpuset.
 *
 * Memory binding is the thread's policy (hwloc_set_membind with
 * HWLOC_MEMBIND_BIND | HWLOC_MEMBIND_STRICT), set by every bound thread
 * before the kernel's setup touches its arrays, so pages land on the target
 * node whichever thread touches them.  Like CPU binding, it needs the
 * topology to be this system.
 */
#include <errno.h>
#include <hwloc.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/topo.h"
#include "topo/topo_int.h"

int su__numa_is_cpu_node(hwloc_topology_t topo, hwloc_obj_t node)
{
  hwloc_obj_t o = NULL;
  int typed_only = 1;

  if (!node->cpuset || hwloc_bitmap_iszero(node->cpuset))
    return 0;
  if (!node->subtype || strcmp(node->subtype, "DRAM") == 0)
    return 1;
  /* A typed node is a CPU node only when no node is untyped. */
  while ((o = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, o)) != NULL)
    if (o->cpuset && !hwloc_bitmap_iszero(o->cpuset) &&
        (!o->subtype || strcmp(o->subtype, "DRAM") == 0))
      typed_only = 0;
  return typed_only;
}

/* The last-level caches (data or unified) that serve the PUs of `set`:
 * the sum over the instances of the deepest cache level that intersect it;
 * *first is the size of the instance serving its first PU. */
static uint64_t llc_of(hwloc_topology_t topo, hwloc_const_cpuset_t set, uint64_t *first)
{
  int pu0 = hwloc_bitmap_first(set);

  static const hwloc_obj_type_t levels[] = {HWLOC_OBJ_L5CACHE, HWLOC_OBJ_L4CACHE,
                                            HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L2CACHE,
                                            HWLOC_OBJ_L1CACHE};
  for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
    uint64_t sum = 0;
    int found = 0;
    for (int d = 0; d < hwloc_topology_get_depth(topo); d++) {
      if (hwloc_get_depth_type(topo, d) != levels[i])
        continue;
      for (hwloc_obj_t o = NULL; (o = hwloc_get_next_obj_by_depth(topo, d, o)) != NULL;) {
        found = 1;
        if (o->cpuset && hwloc_bitmap_intersects(o->cpuset, set))
          sum += o->attr->cache.size;
        if (o->cpuset && pu0 >= 0 && hwloc_bitmap_isset(o->cpuset, (unsigned)pu0))
          *first = o->attr->cache.size;
      }
    }
    if (found)
      return sum;
  }
  return 0;
}

int su_topo_numa_nodes(const su_topo_t *t, su_numa_node_t **out, unsigned *n)
{
  hwloc_topology_t topo;
  su_numa_node_t *v;
  unsigned count, i = 0;
  hwloc_obj_t o = NULL;

  if (!t || !out || !n)
    return su_errorf(SU_EINVAL, "cannot list NUMA nodes: missing argument");
  topo = su_topo_hwloc(t);
  count = (unsigned)hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
  v = calloc(count ? count : 1, sizeof(*v));
  if (!v)
    return su_errorf(SU_ENOMEM, "cannot list %u NUMA nodes", count);
  while ((o = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, o)) != NULL && i < count) {
    su_numa_node_t *nn = &v[i++];
    nn->index = o->logical_index;
    nn->os_index = o->os_index;
    nn->memory_bytes = o->attr->numanode.local_memory;
    nn->has_cpus = su__numa_is_cpu_node(topo, o);
    if (nn->has_cpus) {
      int c = hwloc_get_nbobjs_inside_cpuset_by_type(topo, o->cpuset, HWLOC_OBJ_CORE);
      nn->cores = c > 0 ? (unsigned)c : (unsigned)hwloc_bitmap_weight(o->cpuset);
      nn->pus = (unsigned)hwloc_bitmap_weight(o->cpuset);
      nn->llc_bytes = llc_of(topo, o->cpuset, &nn->llc_instance_bytes);
    }
    snprintf(nn->subtype, sizeof(nn->subtype), "%s", o->subtype ? o->subtype : "");
  }
  *out = v;
  *n = i;
  return SU_OK;
}

int su_topo_numa_of_pus(const su_topo_t *t, const unsigned *pus, unsigned n)
{
  hwloc_topology_t topo;
  hwloc_bitmap_t set;
  hwloc_obj_t o = NULL;
  int found = -1;

  if (!t || !pus || n == 0 || !(set = hwloc_bitmap_alloc()))
    return -1;
  topo = su_topo_hwloc(t);
  for (unsigned i = 0; i < n; i++)
    hwloc_bitmap_set(set, pus[i]);
  while ((o = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, o)) != NULL)
    if (su__numa_is_cpu_node(topo, o) && hwloc_bitmap_isincluded(set, o->cpuset)) {
      found = (int)o->logical_index;
      break;
    }
  hwloc_bitmap_free(set);
  return found;
}

uint64_t su_topo_llc_of_pus(const su_topo_t *t, const unsigned *pus, unsigned n)
{
  hwloc_bitmap_t set;
  uint64_t first = 0, sum;

  if (!t || !pus || n == 0 || !(set = hwloc_bitmap_alloc()))
    return 0;
  for (unsigned i = 0; i < n; i++)
    hwloc_bitmap_set(set, pus[i]);
  sum = llc_of(su_topo_hwloc(t), set, &first);
  hwloc_bitmap_free(set);
  return sum;
}

int su_place_membind_self(const su_topo_t *t, unsigned numa)
{
  hwloc_topology_t topo;
  hwloc_obj_t node;

  if (!t)
    return su_errorf(SU_EINVAL, "cannot bind memory: no topology");
  if (!su_topo_is_this_system(t))
    return su_errorf(SU_ENOTSUP, "cannot bind memory to NUMA node %u: the topology is not "
                     "this system", numa);
  topo = su_topo_hwloc(t);
  node = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, numa);
  if (!node)
    return su_errorf(SU_EINVAL, "cannot bind memory to NUMA node %u: it does not exist", numa);
  /* STRICT: a node that cannot hold the pages is an error, never a silent
   * fall-back to another node (the row would name the wrong memory). */
  if (hwloc_set_membind(topo, node->nodeset, HWLOC_MEMBIND_BIND,
                        HWLOC_MEMBIND_THREAD | HWLOC_MEMBIND_BYNODESET |
                            HWLOC_MEMBIND_STRICT) != 0) {
    int e = errno;
    return su_errorf(e == ENOSYS || e == EXDEV || e == EPERM ? SU_ENOTSUP : SU_EINVAL,
                     "cannot bind memory to NUMA node %u: %s", numa, strerror(e));
  }
  return SU_OK;
}
