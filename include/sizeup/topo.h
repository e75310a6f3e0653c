/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * topo.h: the machine's topology through hwloc, and thread placement.
 *
 * Everything that reads the topology works on this machine, on an hwloc XML
 * file or on an hwloc synthetic description, so that planning for a
 * 192-core, 24-NUMA machine is testable on a 2-core one.  Only binding needs
 * the topology to be this system (su_topo_is_this_system()).
 *
 * Placement policies (one mini-language, parsed in one place, like likwid's
 * -c expressions):
 *   compact      fill package 0's cores first, then package 1's, ...; one PU
 *                per core, SMT siblings only once every core has a thread
 *   scatter      round-robin over NUMA nodes in package-interleaved order
 *                (P0N0, P1N0, P0N1, P1N1, ...), next free core in each
 *   numa:N       only NUMA node N (logical index), compact inside it
 *   kind:N       only the cores of CPU kind N (hybrid CPUs; 0 = the fastest
 *                kind, see su_topo_cpu_kinds), compact inside it
 *   pu:LIST      an explicit list of PU OS indexes, e.g. pu:0,2,4-7
 *
 * On a hybrid CPU, compact and scatter take the fastest cores first (hwloc's
 * most efficient kind), so a 1-thread point runs on a big core.
 */
#ifndef SIZEUP_TOPO_H
#define SIZEUP_TOPO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct su_topo su_topo_t; /* wraps hwloc_topology_t */

typedef struct su_cache_level {
  unsigned depth;          /* 1 = L1, 2 = L2, ... */
  char type[8];            /* "data", "unified", "instr" */
  uint64_t size_bytes;     /* per instance */
  unsigned count;          /* instances in the machine */
  unsigned pus_per_instance; /* PUs sharing one instance */
  unsigned line_bytes;
} su_cache_level_t;

#define SU_TOPO_MAX_CACHES 8

typedef struct su_topo_summary {
  char cpu_model[128];
  char cpu_vendor[64];
  char arch[32];           /* "x86_64", ... */
  unsigned packages, numa_nodes, cores, pus;
  uint64_t memory_bytes;   /* total over NUMA nodes */
  unsigned ncaches;
  su_cache_level_t caches[SU_TOPO_MAX_CACHES]; /* data/unified, by depth */
  uint64_t llc_bytes;      /* total last-level cache over the machine */
  uint64_t llc_instance_bytes;
  int this_system;         /* 1 when loaded from the running machine */
  /* "this system", "xml:FILE" or "synthetic:DESC": the topology's own
   * string, valid while the topology is loaded */
  const char *source;
} su_topo_summary_t;

/*
 * Loads a topology.  `spec` NULL or "" means this machine (hwloc itself
 * honours HWLOC_XMLFILE); an existing file path is read as hwloc XML; any
 * other string is an hwloc synthetic description ("pack:2 numa:2 core:16
 * pu:2").  Returns SU_OK, SU_EINVAL (with context naming the cause: a file
 * that is not hwloc XML, an XML format this hwloc cannot read, a bad
 * synthetic string, one that would build more than 65536 objects), SU_EIO,
 * SU_ENOMEM.
 */
int su_topo_load(const char *spec, su_topo_t **out);
void su_topo_destroy(su_topo_t *t); /* NULL-safe */
/* The version of hwloc sizeup runs with ("2.9.0"). */
const char *su_topo_hwloc_version(void);

/* The underlying hwloc_topology_t, as void * to keep hwloc out of this header. */
void *su_topo_hwloc(const su_topo_t *t);
int su_topo_summarize(const su_topo_t *t, su_topo_summary_t *out);
int su_topo_is_this_system(const su_topo_t *t);

/* Writes a summary's machine facts (cpu_model, cpu_vendor, arch, packages,
 * numa_nodes, cores, pus, memory_bytes) as members of the open JSON object
 * (system.json, `topo --json`, the per-node fingerprints of an MPI run). */
struct su_json;
void su_topo_json_facts(struct su_json *j, const su_topo_summary_t *s);

/*
 * NUMA nodes as memory targets (numa.c).  A CPU node holds cores; a
 * CPU-less node (HBM, MCDRAM, GPU memory, CXL) holds only memory, and hwloc
 * names its kind in `subtype`.
 */
typedef struct su_numa_node {
  unsigned index;          /* logical index: numa:N, mem:N */
  unsigned os_index;
  int has_cpus;            /* 1: a CPU node, a source of the NUMA matrix */
  unsigned cores, pus;     /* of a CPU node; 0 for a CPU-less one */
  uint64_t memory_bytes;
  uint64_t llc_bytes;      /* the last-level caches serving its cores */
  uint64_t llc_instance_bytes; /* the one serving its first core */
  char subtype[32];        /* hwloc's: "", "DRAM", "HBM", "MCDRAM", "GPUMemory", ... */
} su_numa_node_t;

/* Lists the NUMA nodes in logical order into *out (malloc'ed, free()); SU_OK
 * or SU_ENOMEM. */
int su_topo_numa_nodes(const su_topo_t *t, su_numa_node_t **out, unsigned *n);
/* The CPU NUMA node (logical index) holding every PU of pus[0..n-1] (OS
 * indexes), or -1 when they span several nodes. */
int su_topo_numa_of_pus(const su_topo_t *t, const unsigned *pus, unsigned n);
/* The last-level cache that a team on pus[0..n-1] (OS indexes) can use: the
 * sum of the deepest CPU cache level's instances serving any of its PUs
 * (memory-side caches are not CPU caches and never count); 0 when the
 * topology has no caches. */
uint64_t su_topo_llc_of_pus(const su_topo_t *t, const unsigned *pus, unsigned n);

/*
 * Hybrid CPUs (kinds.c).  Returns the number of sizeup kinds: hwloc's CPU
 * kinds grouped by core type (or maximum frequency), numbered fastest first,
 * as `kind:N` names them; 0 when hwloc knows no kinds.
 */
int su_topo_cpu_kinds(const su_topo_t *t);
/* The cores and PUs of sizeup kind `kind`; SU_EINVAL when there is none. */
int su_topo_cpu_kind_size(const su_topo_t *t, unsigned kind, unsigned *cores, unsigned *pus);
/* Writes hwloc's CPU kinds as the member "cpu_kinds" of the open JSON object:
 * per kind its hwloc index, sizeup kind, cpuset, PUs, cores, efficiency and
 * hwloc infos (FrequencyMaxMHz, CoreType, ...); an empty array without kinds. */
void su_topo_json_cpu_kinds(struct su_json *j, const su_topo_t *t);

/* Human-readable report (like lstopo --no-io, condensed) / one JSON object. */
int su_topo_print_text(const su_topo_t *t, FILE *fp);
int su_topo_print_json(const su_topo_t *t, FILE *fp);

typedef enum su_place_kind_e {
  SU_PLACE_COMPACT,
  SU_PLACE_SCATTER,
  SU_PLACE_NUMA,
  SU_PLACE_LIST,
  SU_PLACE_KIND
} su_place_kind_t;

#define SU_PLACE_MAX_LIST 4096

typedef struct su_place {
  su_place_kind_t kind;
  unsigned numa;           /* for SU_PLACE_NUMA: logical NUMA index */
  unsigned cpukind;        /* for SU_PLACE_KIND: sizeup CPU kind, 0 = fastest */
  unsigned nlist;          /* for SU_PLACE_LIST */
  unsigned *list;          /* PU OS indexes, owned; freed by su_place_fini */
  char spec[64];           /* canonical text, e.g. "scatter", "numa:1", "pu:0-3" */
} su_place_t;

/* Parses a placement; SU_EINVAL with context ("unknown placement 'x'"). */
int su_place_parse(const char *spec, su_place_t *out);
void su_place_fini(su_place_t *p);

/*
 * Chooses the PUs (OS indexes) for `nthreads` threads under policy `p`:
 * pus_os[i] is the PU of OpenMP thread i.  *cpuset becomes the cpuset as a
 * sorted list string ("0-3,8"), malloc'ed (the caller frees it), of any
 * length.  Returns SU_EINVAL with context when the policy cannot place that
 * many threads ("cannot place 49 threads with 'numa:0': it has 48 PUs"), or
 * names a PU/NUMA node that does not exist; SU_ENOMEM.  Outputs are left
 * untouched on failure.
 */
int su_place_plan(const su_topo_t *t, const su_place_t *p, unsigned nthreads,
                  unsigned *pus_os, char **cpuset);

/*
 * What a placement may use, and the machine's structure inside it: the
 * boundaries of thread ladders.  *_cores are the cores (inside the scope)
 * of the first last-level cache instance (hwloc's deepest CPU cache; a
 * memory-side cache never counts), NUMA node and package that the scope
 * touches, 0 when the topology has none.  SU_EINVAL naming a NUMA node, CPU
 * kind or PU that does not exist.
 */
typedef struct su_place_scope {
  unsigned cores, pus;     /* the cores and PUs the placement may use */
  unsigned llc_cores, numa_cores, package_cores;
} su_place_scope_t;
int su_place_scope(const su_topo_t *t, const su_place_t *p, su_place_scope_t *out);

/* The set of n PU OS indexes as a sorted, range-collapsed list string
 * ("0-3,8"; duplicates once), malloc'ed into *out.  SU_OK or SU_ENOMEM. */
int su_place_cpuset_string(const unsigned *pus, unsigned n, char **out);

/*
 * Binds the calling thread to one PU (OS index) with hwloc_set_cpubind
 * (HWLOC_CPUBIND_THREAD) and sets its memory binding policy to first touch
 * local.  SU_ENOTSUP when the topology is not this system.
 */
int su_place_bind_self(const su_topo_t *t, unsigned pu_os);
/*
 * Binds the calling thread's future allocations to NUMA node `numa`
 * (logical index): hwloc_set_membind with HWLOC_MEMBIND_BIND and STRICT,
 * called after su_place_bind_self and before the first touch.  SU_ENOTSUP
 * when the topology is not this system or the OS cannot bind memory,
 * SU_EINVAL for a node that does not exist.  su_place_unbind_self resets it.
 */
int su_place_membind_self(const su_topo_t *t, unsigned numa);
/*
 * Binds every thread of process `pid` (a child not yet running its program:
 * its later threads inherit the binding) to the PUs pus_os[0..n-1] with
 * hwloc_set_proc_cpubind.  SU_ENOTSUP when the topology is not this system,
 * SU_EINVAL for a PU that does not exist or a failed binding.
 */
int su_place_bind_pid(const su_topo_t *t, int pid, const unsigned *pus_os, unsigned n);
/* Undoes su_place_bind_self: the calling thread may run on every PU again. */
int su_place_unbind_self(const su_topo_t *t);
/* The calling thread's current binding as a list string, malloc'ed into
 * *cpuset (the caller frees it). */
int su_place_get_self(const su_topo_t *t, char **cpuset);

#endif /* SIZEUP_TOPO_H */
