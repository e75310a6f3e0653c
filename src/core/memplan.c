/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * memplan.c: where a group's threads run and where their memory lives.
 *
 * A group's placements (compact, scatter, numa:N, kind:N, pu:LIST, and
 * `kinds`, every CPU kind of a hybrid CPU) are crossed with its memory
 * placements (group key `memory`, option --memory):
 *
 *   local   first touch: each page lands next to the thread that touches it
 *           first (the default, and what every kernel did before)
 *   mem:J   every allocation bound to NUMA node J (hwloc_set_membind,
 *           HWLOC_MEMBIND_BIND), CPU-less nodes (HBM, GPU memory, CXL)
 *           included
 *   each    the NUMA matrix, Intel MLC's view of a machine: for every CPU
 *           node i and every node j, the threads on numa:i and the memory on
 *           node j.  The group's placements and thread counts are replaced
 *           by the matrix's own: bandwidth kernels run one thread per core
 *           of node i, latency kernels one thread; with `sizes = auto`, a
 *           bandwidth kernel's arrays are 4x the last-level cache serving
 *           node i (STREAM's rule, per node) and a latency chain 8x the
 *           one cache instance its thread sees, at least 64 MiB, so that
 *           nearly every access reaches memory (`sweep` is taken
 *           as `auto` here: the matrix measures memory, not caches).
 *
 * -t or -P on the command line (without --memory) turn a group's `each`
 * into first touch: they say where the threads go, and an old command line
 * plans what it planned before.
 *
 * The result is a list of pairs that plan.c turns into points, one pair at
 * a time, as it did with the placement list alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "sizeup/error.h"
#include "sizeup/run.h"

/* Appends one pair; the array grows by doubling. */
static int pair_push(su__place_pair_t **v, unsigned *n, unsigned *cap, const su__place_pair_t *p)
{
  if (*n == *cap) {
    unsigned c = *cap ? *cap * 2 : 16;
    su__place_pair_t *q = realloc(*v, c * sizeof(*q));
    if (!q)
      return su_errorf(SU_ENOMEM, "cannot allocate the placement plan");
    *v = q;
    *cap = c;
  }
  (*v)[(*n)++] = *p;
  return SU_OK;
}

/* Parses "mem:J" into *j, checking that node J exists. */
static int parse_mem(const char *tok, unsigned nn, int *j)
{
  char *end;
  unsigned long v;

  if (strncmp(tok, "mem:", 4) != 0 || tok[4] < '0' || tok[4] > '9')
    return su_errorf(SU_EINVAL, "unknown memory placement '%s' (expected local, each or mem:N)",
                     tok);
  v = strtoul(tok + 4, &end, 10);
  if (*end)
    return su_errorf(SU_EINVAL, "unknown memory placement '%s' (expected local, each or mem:N)",
                     tok);
  if (v >= nn)
    return su_errorf(SU_EINVAL,
                     "cannot place memory with '%s': NUMA node %lu does not exist (the "
                     "topology has %u, numbered from 0)", tok, v, nn);
  *j = (int)v;
  return SU_OK;
}

/* The NUMA matrix: one pair per (CPU node i, node j). */
static int matrix_pairs(const su_numa_node_t *nodes, unsigned nn, const su_kernel_ops_t *ops,
                        int auto_size, su__place_pair_t **v, unsigned *n, unsigned *cap)
{
  const int latency = ops->desc->metric == SU_METRIC_LATENCY;
  int err;

  for (unsigned i = 0; i < nn; i++) {
    if (!nodes[i].has_cpus)
      continue;
    for (unsigned j = 0; j < nn; j++) {
      su__place_pair_t p;
      /* A synthetic topology without caches: assume 32 MiB (as plan.c). */
      uint64_t llc = nodes[i].llc_bytes ? nodes[i].llc_bytes : 32ull << 20;
      uint64_t llc1 = nodes[i].llc_instance_bytes ? nodes[i].llc_instance_bytes : llc;
      unsigned ns = ops->desc->nstreams ? ops->desc->nstreams : 1;
      memset(&p, 0, sizeof(p));
      snprintf(p.place, sizeof(p.place), "numa:%u", nodes[i].index);
      p.mem = (int)nodes[j].index;
      p.mem_bytes = nodes[j].memory_bytes;
      p.threads = latency ? 1 : nodes[i].cores;
      if (auto_size && ops->size_rule != SU_SIZE_NONE) {
        /* The working set must be well beyond the caches to measure the
         * memory; a small node (HBM, a die's slice) gets what fits in 80%
         * of it, and one that cannot hold twice the caches is no cell. */
        uint64_t room = nodes[j].memory_bytes / 5 * 4 / 4096 * 4096;
        uint64_t least = latency ? 2 * llc1 : ns * llc;
        p.size_bytes = latency ? 8 * llc1 : 4 * llc * ns;
        if (latency && p.size_bytes < (64ull << 20))
          p.size_bytes = 64ull << 20;
        if (room && p.size_bytes > room)
          p.size_bytes = room > least ? room : least;
        if (room && room <= least) {
          char a[32], b[32];
          su_format_size(nodes[j].memory_bytes, a, sizeof(a));
          su_format_size(least, b, sizeof(b));
          snprintf(p.why, sizeof(p.why), "NUMA node %u's memory (%s) cannot hold a working "
                   "set beyond the caches (%s)", nodes[j].index, a, b);
          p.size_bytes = least;
          p.mem_bytes = 0;  /* not measured: the plan's memory check does not apply */
        }
      }
      if ((err = pair_push(v, n, cap, &p)))
        return err;
    }
  }
  return SU_OK;
}

int su__place_pairs(su_topo_t *t, const char *memory, int no_each, char **ltok, unsigned nl,
                    const su_kernel_ops_t *ops, int auto_size, su__place_pair_t **out,
                    unsigned *nout)
{
  su_numa_node_t *nodes = NULL;
  su__place_pair_t *v = NULL;
  unsigned nn = 0, n = 0, cap = 0, nm = 0;
  int mems[64], err, each = 0;
  char buf[256];
  const int kinds = su_topo_cpu_kinds(t);

  if ((err = su_topo_numa_nodes(t, &nodes, &nn)))
    return err;
  /* The memory placements: a comma list of local, each, mem:J. */
  if (snprintf(buf, sizeof(buf), "%s", memory && memory[0] ? memory : "local") >=
      (int)sizeof(buf)) {
    err = su_errorf(SU_EINVAL, "memory placement list too long '%.40s...'", memory);
    goto out;
  }
  for (char *save = NULL, *tok = strtok_r(buf, ", ", &save); tok;
       tok = strtok_r(NULL, ", ", &save)) {
    int j = -1;
    if (strcmp(tok, "each") == 0) {
      each = !no_each;
      continue;
    }
    if (strcmp(tok, "local") != 0 && (err = parse_mem(tok, nn, &j)))
      goto out;
    if (nm == sizeof(mems) / sizeof(mems[0])) {
      err = su_errorf(SU_EINVAL, "more than %zu memory placements in '%s'",
                      sizeof(mems) / sizeof(mems[0]), memory);
      goto out;
    }
    mems[nm++] = j;
  }
  if (nm == 0 && !each)
    mems[nm++] = -1;   /* `each` given way: first touch */
  for (unsigned il = 0; il < nl; il++)
    for (unsigned im = 0; im < nm; im++) {
      su__place_pair_t p;
      memset(&p, 0, sizeof(p));
      p.mem = mems[im];
      if (p.mem >= 0)
        p.mem_bytes = nodes[p.mem].memory_bytes;
      if (strcmp(ltok[il], "kinds") == 0) {
        /* A thread ladder inside each CPU kind; nothing on a machine
         * without kinds (its compact and scatter ladders say it all). */
        for (int k = 0; kinds >= 2 && k < kinds; k++) {
          snprintf(p.place, sizeof(p.place), "kind:%d", k);
          if ((err = su_topo_cpu_kind_size(t, (unsigned)k, &p.kind_cores, &p.limit)) ||
              (err = pair_push(&v, &n, &cap, &p)))
            goto out;
        }
        continue;
      }
      snprintf(p.place, sizeof(p.place), "%s", ltok[il]);
      if ((err = pair_push(&v, &n, &cap, &p)))
        goto out;
    }
  if (each && (err = matrix_pairs(nodes, nn, ops, auto_size, &v, &n, &cap)))
    goto out;
  *out = v;
  *nout = n;
  v = NULL;
out:
  free(v);
  free(nodes);
  return err;
}
