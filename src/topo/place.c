/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * place.c: the placement mini-language, placement plans, and binding.
 *
 * A placement names which PUs a team of threads runs on (see topo.h for the
 * policies).  Parsing happens here and only here (likwid keeps its -c
 * expressions in one parser too), and planning reads nothing but the hwloc
 * topology, so a plan for a 24-NUMA machine can be computed, and tested, from
 * its XML export.  Binding is the one step that needs the topology to be this
 * machine.
 *
 * Rules shared by every policy, because they decide what a bandwidth or
 * flops curve means:
 *  - SMT siblings are used only once every core in scope has a thread, so
 *    "N threads" means N cores for as long as there are cores;
 *  - thread i of the team is pus_os[i], so the order is part of the plan.
 */
#include <errno.h>
#include <hwloc.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/suggest.h"
#include "sizeup/topo.h"
#include "topo/topo_int.h"

/* PU OS indexes above this are refused by the parser: no machine hwloc
 * knows of comes close, and it bounds the duplicate-check bitmap. */
#define PU_OS_MAX (1u << 20)

/* ---- parsing -------------------------------------------------------------- */

/* Parses a decimal unsigned at *s, advancing it; -1 when there is none. */
static long parse_uint(const char **s)
{
  long v = 0;

  if (**s < '0' || **s > '9')
    return -1;
  while (**s >= '0' && **s <= '9') {
    v = v * 10 + (**s - '0');
    if (v > (long)PU_OS_MAX)
      return -2;
    (*s)++;
  }
  return v;
}

/* Writes list as "a-b,c" collapsing ascending consecutive runs, keeping the
 * given order (it is the thread order).  Returns the length it needed, as
 * snprintf does, so a truncated result is detectable.  len > 0. */
static size_t list_canon(const unsigned *list, unsigned n, char *buf, size_t len)
{
  size_t pos = 0;

  buf[0] = '\0';
  for (unsigned i = 0; i < n;) {
    unsigned j = i;
    int w;
    while (j + 1 < n && list[j + 1] == list[j] + 1)
      j++;
    if (j == i)
      w = snprintf(buf + (pos < len ? pos : len), pos < len ? len - pos : 0, "%s%u",
                   i ? "," : "", list[i]);
    else
      w = snprintf(buf + (pos < len ? pos : len), pos < len ? len - pos : 0, "%s%u-%u",
                   i ? "," : "", list[i], list[j]);
    pos += (size_t)w;
    i = j + 1;
  }
  return pos;
}

static int parse_pu_list(const char *spec, const char *s, su_place_t *p)
{
  unsigned *list = NULL;
  unsigned n = 0;
  hwloc_bitmap_t seen = hwloc_bitmap_alloc();
  char canon[sizeof(p->spec) - 3];
  int err = SU_OK;

  list = malloc(SU_PLACE_MAX_LIST * sizeof(*list));
  if (!list || !seen) {
    err = su_errorf(SU_ENOMEM, "cannot parse placement '%s': out of memory", spec);
    goto out;
  }
  for (;;) {
    long a = parse_uint(&s), b;
    if (a == -2) {
      err = su_errorf(SU_EINVAL, "invalid placement '%s': PU numbers go up to %u", spec,
                      PU_OS_MAX);
      goto out;
    }
    if (a < 0) {
      err = su_errorf(SU_EINVAL, "invalid placement '%s': expected a PU list like pu:0,2,4-7",
                      spec);
      goto out;
    }
    b = a;
    if (*s == '-') {
      s++;
      b = parse_uint(&s);
      if (b == -2) {
        err = su_errorf(SU_EINVAL, "invalid placement '%s': PU numbers go up to %u", spec,
                        PU_OS_MAX);
        goto out;
      }
      if (b < a) {
        err = su_errorf(SU_EINVAL, "invalid placement '%s': a range needs low-high, as in 4-7",
                        spec);
        goto out;
      }
    }
    for (long v = a; v <= b; v++) {
      if (n == SU_PLACE_MAX_LIST) {
        err = su_errorf(SU_EINVAL, "invalid placement '%s': more than %d PUs", spec,
                        SU_PLACE_MAX_LIST);
        goto out;
      }
      if (hwloc_bitmap_isset(seen, (unsigned)v)) {
        err = su_errorf(SU_EINVAL, "invalid placement '%s': PU %ld is listed twice", spec, v);
        goto out;
      }
      hwloc_bitmap_set(seen, (unsigned)v);
      list[n++] = (unsigned)v;
    }
    if (*s == '\0')
      break;
    if (*s != ',') {
      err = su_errorf(SU_EINVAL, "invalid placement '%s': expected a PU list like pu:0,2,4-7",
                      spec);
      goto out;
    }
    s++;
  }
  /* The canonical text is the placement's key in every CSV row: it must be
   * whole, so a list too long to spell in it is refused, not truncated. */
  if (list_canon(list, n, canon, sizeof(canon)) + 3 >= sizeof(p->spec)) {
    err = su_errorf(SU_EINVAL,
                    "placement '%s' is too long: its PU list must fit in %zu characters "
                    "written with ranges (use numa:N for a whole node)",
                    spec, sizeof(p->spec) - 4);
    goto out;
  }
  p->kind = SU_PLACE_LIST;
  p->nlist = n;
  p->list = list;
  list = NULL;
  snprintf(p->spec, sizeof(p->spec), "pu:%s", canon);
out:
  free(list);
  if (seen)
    hwloc_bitmap_free(seen);
  return err;
}

int su_place_parse(const char *spec, su_place_t *out)
{
  su_place_t p;
  int err;

  if (!out)
    return su_errorf(SU_EINVAL, "cannot parse a placement: no output given");
  if (!spec || !spec[0])
    return su_errorf(SU_EINVAL,
                     "empty placement (expected compact, scatter, numa:N, kind:N or pu:LIST)");
  memset(&p, 0, sizeof(p));
  if (strcmp(spec, "compact") == 0 || strcmp(spec, "scatter") == 0) {
    p.kind = spec[0] == 'c' ? SU_PLACE_COMPACT : SU_PLACE_SCATTER;
    snprintf(p.spec, sizeof(p.spec), "%s", spec);
  } else if (strncmp(spec, "numa:", 5) == 0 || strncmp(spec, "kind:", 5) == 0) {
    /* numa:N (a NUMA node) and kind:N (a CPU kind, 0 = the fastest) */
    const int numa = spec[0] == 'n';
    const char *s = spec + 5;
    long n = parse_uint(&s);
    if (n < 0 || *s != '\0')
      return su_errorf(SU_EINVAL, "invalid placement '%s': expected %s", spec,
                       numa ? "numa:N with N a NUMA node number"
                            : "kind:N with N a CPU kind number (0 = the fastest)");
    p.kind = numa ? SU_PLACE_NUMA : SU_PLACE_KIND;
    *(numa ? &p.numa : &p.cpukind) = (unsigned)n;
    snprintf(p.spec, sizeof(p.spec), "%.4s:%ld", spec, n);
  } else if (strncmp(spec, "pu:", 3) == 0) {
    if ((err = parse_pu_list(spec, spec + 3, &p)))
      return err;
  } else {
    static const char *const names[] = {"compact", "scatter", "kinds", "numa:0", "kind:0"};
    char hint[64];
    su_suggest_hint(spec, NULL, names, sizeof(names) / sizeof(names[0]), hint, sizeof(hint));
    return su_errorf(SU_EINVAL,
                     "unknown placement '%s' (%sexpected compact, scatter, numa:N, kind:N or "
                     "pu:LIST)",
                     spec, hint);
  }
  *out = p;
  return SU_OK;
}

void su_place_fini(su_place_t *p)
{
  if (!p)
    return;
  free(p->list);
  p->list = NULL;
  p->nlist = 0;
}

/* ---- planning --------------------------------------------------------------- */

/*
 * The machine as planning sees it: cores in logical order (package by
 * package), each with its PUs in logical order, its package and the first
 * NUMA node holding it.  A PU without a Core ancestor is its own core;
 * a machine without packages is one package.
 */
typedef struct core_map {
  unsigned ncores, npus;
  unsigned *start;   /* ncores + 1 offsets into pus */
  unsigned *pus;     /* PU OS indexes */
  unsigned *pkg;     /* package logical index, per core */
  unsigned *numa;    /* NUMA logical index, per core; UINT_MAX when none */
} core_map_t;

static void core_map_fini(core_map_t *m)
{
  free(m->start);
  free(m->pus);
  free(m->pkg);
  free(m->numa);
}

/*
 * On a hybrid CPU, reorders the cores of each package fastest kind first
 * (hwloc's kind index, higher = more efficient), keeping the logical order
 * within a kind, so that compact and scatter start on the big cores.  Does
 * nothing on a machine with fewer than two CPU kinds.
 */
static int order_by_kind(hwloc_topology_t topo, core_map_t *m)
{
  unsigned *perm, *rank, *start, *pus, *pkg, *numa, n = 0;
  int err = SU_OK;

  if (hwloc_cpukinds_get_nr(topo, 0) < 2 || m->ncores < 2)
    return SU_OK;
  perm = calloc(m->ncores, sizeof(unsigned));
  rank = calloc(m->ncores, sizeof(unsigned));
  start = calloc((size_t)m->ncores + 1, sizeof(unsigned));
  pus = calloc((size_t)m->npus + 1, sizeof(unsigned));
  pkg = calloc(m->ncores, sizeof(unsigned));
  numa = calloc(m->ncores, sizeof(unsigned));
  if (!perm || !rank || !start || !pus || !pkg || !numa) {
    err = su_errorf(SU_ENOMEM, "cannot allocate a placement plan");
    goto out;
  }
  for (unsigned c = 0; c < m->ncores; c++) {
    hwloc_obj_t pu = hwloc_get_pu_obj_by_os_index(topo, m->pus[m->start[c]]);
    int r = pu ? su__kind_rank(topo, pu->cpuset) : -1;
    rank[c] = r < 0 ? 0 : (unsigned)r;
    perm[c] = c;
  }
  /* A stable insertion sort by (package, kind descending): a few hundred
   * cores at most per call, and only on hybrid machines. */
  for (unsigned i = 1; i < m->ncores; i++) {
    unsigned c = perm[i], j = i;
    while (j > 0 && (m->pkg[perm[j - 1]] > m->pkg[c] ||
                     (m->pkg[perm[j - 1]] == m->pkg[c] && rank[perm[j - 1]] < rank[c]))) {
      perm[j] = perm[j - 1];
      j--;
    }
    perm[j] = c;
  }
  for (unsigned i = 0; i < m->ncores; i++) {
    unsigned c = perm[i];
    start[i] = n;
    for (unsigned k = m->start[c]; k < m->start[c + 1]; k++)
      pus[n++] = m->pus[k];
    pkg[i] = m->pkg[c];
    numa[i] = m->numa[c];
  }
  start[m->ncores] = n;
  memcpy(m->start, start, ((size_t)m->ncores + 1) * sizeof(unsigned));
  memcpy(m->pus, pus, (size_t)n * sizeof(unsigned));
  memcpy(m->pkg, pkg, m->ncores * sizeof(unsigned));
  memcpy(m->numa, numa, m->ncores * sizeof(unsigned));
out:
  free(perm);
  free(rank);
  free(start);
  free(pus);
  free(pkg);
  free(numa);
  return err;
}

/* Builds the map of the PUs inside `within` (NULL: every PU). */
static int core_map_build(hwloc_topology_t topo, hwloc_const_cpuset_t within, core_map_t *m)
{
  unsigned total = (unsigned)hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
  hwloc_obj_t pu = NULL, prev_core = NULL;
  int have_core = 0;

  memset(m, 0, sizeof(*m));
  m->start = calloc((size_t)total + 1, sizeof(unsigned));
  m->pus = calloc((size_t)total + 1, sizeof(unsigned));
  m->pkg = calloc((size_t)total + 1, sizeof(unsigned));
  m->numa = calloc((size_t)total + 1, sizeof(unsigned));
  if (!m->start || !m->pus || !m->pkg || !m->numa) {
    core_map_fini(m);
    return su_errorf(SU_ENOMEM, "cannot allocate a placement plan");
  }
  while ((pu = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_PU, pu)) != NULL) {
    hwloc_obj_t core, pk, nn = NULL;
    if (within && !hwloc_bitmap_isset(within, pu->os_index))
      continue;
    core = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_CORE, pu);
    /* PUs of one core are consecutive in logical order (depth-first). */
    if (!core || !have_core || core != prev_core) {
      unsigned c = m->ncores++;
      m->start[c] = m->npus;
      pk = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_PACKAGE, pu);
      m->pkg[c] = pk ? pk->logical_index : 0;
      m->numa[c] = UINT_MAX;
      while ((nn = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, nn)) != NULL)
        if (nn->cpuset && hwloc_bitmap_isset(nn->cpuset, pu->os_index)) {
          m->numa[c] = nn->logical_index;
          break;
        }
    }
    have_core = 1;
    prev_core = core;
    m->pus[m->npus++] = pu->os_index;
  }
  m->start[m->ncores] = m->npus;
  return order_by_kind(topo, m);
}

static unsigned core_npus(const core_map_t *m, unsigned c)
{
  return m->start[c + 1] - m->start[c];
}

static unsigned max_smt(const core_map_t *m)
{
  unsigned k = 0;

  for (unsigned c = 0; c < m->ncores; c++)
    if (core_npus(m, c) > k)
      k = core_npus(m, c);
  return k;
}

/* Compact order: the first PU of every core in logical order, then the second
 * PU of every core, and so on. */
static unsigned order_compact(const core_map_t *m, unsigned *order, unsigned n)
{
  unsigned got = 0, smt = max_smt(m);

  for (unsigned k = 0; k < smt && got < n; k++)
    for (unsigned c = 0; c < m->ncores && got < n; c++)
      if (k < core_npus(m, c))
        order[got++] = m->pus[m->start[c] + k];
  return got;
}

typedef struct piece {
  unsigned pkg, numa, rank;
} piece_t;

static int piece_by_pkg_numa(const void *a, const void *b)
{
  const piece_t *x = a, *y = b;

  if (x->pkg != y->pkg)
    return x->pkg < y->pkg ? -1 : 1;
  if (x->numa != y->numa)
    return x->numa < y->numa ? -1 : 1;
  return 0;
}

static int piece_by_rank_pkg(const void *a, const void *b)
{
  const piece_t *x = a, *y = b;

  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  if (x->pkg != y->pkg)
    return x->pkg < y->pkg ? -1 : 1;
  return 0;
}

/*
 * Scatter order.  The machine is cut into pieces, one per (package, NUMA
 * node) pair, so that a NUMA node spanning two packages still spreads over
 * both and a machine without NUMA information spreads over its packages.
 * Pieces are visited package-interleaved (P0N0, P1N0, P0N1, P1N1, ...), each
 * giving its next free core; SMT siblings come only after every core of
 * every piece has a thread.
 */
static int order_scatter(const core_map_t *m, unsigned *order, unsigned n, unsigned *got_out)
{
  piece_t *pc = calloc((size_t)m->ncores + 1, sizeof(*pc));
  unsigned *cursor = calloc((size_t)m->ncores + 1, sizeof(unsigned));
  unsigned np = 0, got = 0, smt = max_smt(m);

  if (!pc || !cursor) {
    free(pc);
    free(cursor);
    return su_errorf(SU_ENOMEM, "cannot allocate a placement plan");
  }
  for (unsigned c = 0; c < m->ncores; c++) {
    unsigned i;
    for (i = 0; i < np; i++)
      if (pc[i].pkg == m->pkg[c] && pc[i].numa == m->numa[c])
        break;
    if (i == np) {
      pc[np].pkg = m->pkg[c];
      pc[np].numa = m->numa[c];
      np++;
    }
  }
  qsort(pc, np, sizeof(*pc), piece_by_pkg_numa);
  for (unsigned i = 0; i < np; i++)
    pc[i].rank = (i > 0 && pc[i - 1].pkg == pc[i].pkg) ? pc[i - 1].rank + 1 : 0;
  qsort(pc, np, sizeof(*pc), piece_by_rank_pkg);

  for (unsigned k = 0; k < smt && got < n; k++) {
    int progress = 1;
    memset(cursor, 0, (size_t)np * sizeof(unsigned));
    while (progress && got < n) {
      progress = 0;
      for (unsigned i = 0; i < np && got < n; i++) {
        /* cursor[i] is the next core (in logical order) to look at in piece i */
        unsigned c = cursor[i];
        while (c < m->ncores &&
               (m->pkg[c] != pc[i].pkg || m->numa[c] != pc[i].numa || k >= core_npus(m, c)))
          c++;
        if (c < m->ncores) {
          order[got++] = m->pus[m->start[c] + k];
          progress = 1;
          c++;
        }
        cursor[i] = c;
      }
    }
  }
  free(pc);
  free(cursor);
  *got_out = got;
  return SU_OK;
}

int su_place_cpuset_string(const unsigned *pus, unsigned n, char **out)
{
  hwloc_bitmap_t set = hwloc_bitmap_alloc();
  char *s = NULL;
  int w;

  if (!set)
    return su_errorf(SU_ENOMEM, "cannot allocate a cpuset");
  for (unsigned i = 0; i < n; i++)
    hwloc_bitmap_set(set, pus[i]);
  w = hwloc_bitmap_list_asprintf(&s, set);
  hwloc_bitmap_free(set);
  if (w < 0 || !s) {
    free(s);
    return su_errorf(SU_ENOMEM, "cannot allocate the cpuset of %u threads", n);
  }
  *out = s;
  return SU_OK;
}

/* The PUs of kind:N into *out (allocated); SU_EINVAL when there is no such kind. */
static int kind_cpuset(hwloc_topology_t topo, const su_place_t *p, hwloc_bitmap_t *out)
{
  hwloc_bitmap_t set = hwloc_bitmap_alloc();
  int n;

  if (!set)
    return su_errorf(SU_ENOMEM, "cannot allocate a cpuset");
  n = su__kind_class_cpuset(topo, p->cpukind, set);
  if (n < 0 || hwloc_bitmap_iszero(set)) {
    hwloc_bitmap_free(set);
    if (n < 0)
      return n;
    if (n == 0)
      return su_errorf(SU_EINVAL, "cannot place threads with '%s': the topology has no CPU "
                       "kinds (not a hybrid CPU)", p->spec);
    return su_errorf(SU_EINVAL, "cannot place threads with '%s': CPU kind %u does not exist "
                     "(the topology has %d, numbered from 0)", p->spec, p->cpukind, n);
  }
  *out = set;
  return SU_OK;
}

/*
 * The PUs placement p may use, as a bitmap into *within (allocated; NULL
 * for the whole machine): a NUMA node's, a CPU kind's, or a PU list's.
 * SU_EINVAL naming a NUMA node, kind or PU that does not exist.
 */
static int scope_set(hwloc_topology_t topo, const su_place_t *p, hwloc_bitmap_t *within)
{
  *within = NULL;
  switch (p->kind) {
  case SU_PLACE_NUMA: {
    hwloc_obj_t node = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, p->numa);
    unsigned nn = (unsigned)hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
    if (!node)
      return su_errorf(SU_EINVAL,
                       "cannot place threads with '%s': NUMA node %u does not exist "
                       "(the topology has %u, numbered from 0)",
                       p->spec, p->numa, nn);
    if (!(*within = hwloc_bitmap_dup(node->cpuset)))
      return su_errorf(SU_ENOMEM, "cannot allocate a cpuset");
    return SU_OK;
  }
  case SU_PLACE_KIND:
    return kind_cpuset(topo, p, within);
  case SU_PLACE_LIST:
    if (!p->list || p->nlist == 0)
      return su_errorf(SU_EINVAL, "cannot place threads with '%s': the PU list is empty",
                       p->spec);
    for (unsigned i = 0; i < p->nlist; i++)
      if (!hwloc_get_pu_obj_by_os_index(topo, p->list[i])) {
        char *all = NULL;
        int err;
        hwloc_bitmap_list_asprintf(&all, hwloc_topology_get_topology_cpuset(topo));
        err = su_errorf(SU_EINVAL,
                        "cannot place threads with '%s': PU %u does not exist (the topology "
                        "has PUs %s)",
                        p->spec, p->list[i], all ? all : "?");
        free(all);
        return err;
      }
    if (!(*within = hwloc_bitmap_alloc()))
      return su_errorf(SU_ENOMEM, "cannot allocate a cpuset");
    for (unsigned i = 0; i < p->nlist; i++)
      hwloc_bitmap_set(*within, p->list[i]);
    return SU_OK;
  default:
    return SU_OK;
  }
}

/* The cores (a PU without a core is one) of `set` inside `within` (NULL:
 * anywhere); 0 when out of memory. */
static unsigned cores_in(hwloc_topology_t topo, hwloc_const_cpuset_t set,
                         hwloc_const_cpuset_t within)
{
  hwloc_bitmap_t both = hwloc_bitmap_dup(set);
  core_map_t m;
  unsigned n = 0;

  if (!both)
    return 0;
  if (within)
    hwloc_bitmap_and(both, both, within);
  if (core_map_build(topo, both, &m) == SU_OK) {
    n = m.ncores;
    core_map_fini(&m);
  }
  hwloc_bitmap_free(both);
  return n;
}

/* The cores inside `within` of the first object of `type` (in logical
 * order) that has any; 0 when there is none. */
static unsigned first_cores(hwloc_topology_t topo, hwloc_obj_type_t type,
                            hwloc_const_cpuset_t within)
{
  for (hwloc_obj_t o = NULL; (o = hwloc_get_next_obj_by_type(topo, type, o)) != NULL;)
    if (o->cpuset && (!within || hwloc_bitmap_intersects(o->cpuset, within)))
      return cores_in(topo, o->cpuset, within);
  return 0;
}

int su_place_scope(const su_topo_t *t, const su_place_t *p, su_place_scope_t *out)
{
  static const hwloc_obj_type_t caches[] = {HWLOC_OBJ_L5CACHE, HWLOC_OBJ_L4CACHE,
                                            HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L2CACHE};
  hwloc_topology_t topo;
  hwloc_bitmap_t within = NULL;
  su_place_scope_t s;
  core_map_t m;
  int err;

  if (!t || !p || !out)
    return su_errorf(SU_EINVAL, "cannot read a placement's scope: missing argument");
  topo = su_topo_hwloc(t);
  if ((err = scope_set(topo, p, &within)))
    return err;
  memset(&s, 0, sizeof(s));
  if ((err = core_map_build(topo, within, &m)))
    goto out;
  s.cores = m.ncores;
  s.pus = m.npus;
  core_map_fini(&m);
  /* The last-level cache is the deepest data or unified CPU cache; hwloc's
   * memory-side caches (MemCache) are another object type, never taken. */
  for (size_t i = 0; i < sizeof(caches) / sizeof(caches[0]); i++)
    if (hwloc_get_type_depth(topo, caches[i]) != HWLOC_TYPE_DEPTH_UNKNOWN) {
      s.llc_cores = first_cores(topo, caches[i], within);
      break;
    }
  s.numa_cores = first_cores(topo, HWLOC_OBJ_NUMANODE, within);
  s.package_cores = first_cores(topo, HWLOC_OBJ_PACKAGE, within);
  *out = s;
out:
  if (within)
    hwloc_bitmap_free(within);
  return err;
}

int su_place_plan(const su_topo_t *t, const su_place_t *p, unsigned nthreads,
                  unsigned *pus_os, char **cpuset)
{
  hwloc_topology_t topo;
  core_map_t m;
  hwloc_bitmap_t within = NULL;
  unsigned *order = NULL, got = 0;
  int err;

  if (!t || !p || !pus_os || !cpuset)
    return su_errorf(SU_EINVAL, "cannot plan a placement: missing argument");
  if (nthreads == 0)
    return su_errorf(SU_EINVAL, "cannot place 0 threads with '%s'", p->spec);
  topo = su_topo_hwloc(t);
  if ((err = scope_set(topo, p, &within)))
    return err;
  err = core_map_build(topo, p->kind == SU_PLACE_LIST ? NULL : within, &m);
  if (within)
    hwloc_bitmap_free(within);
  if (err)
    return err;
  order = calloc((size_t)nthreads, sizeof(*order));
  if (!order) {
    err = su_errorf(SU_ENOMEM, "cannot allocate a placement plan");
    goto out;
  }

  switch (p->kind) {
  case SU_PLACE_COMPACT:
  case SU_PLACE_NUMA:
  case SU_PLACE_KIND:
    if (nthreads > m.npus) {
      err = su_errorf(SU_EINVAL, "cannot place %u threads with '%s': %s %u PUs", nthreads,
                      p->spec, p->kind != SU_PLACE_COMPACT ? "it has" : "the topology has",
                      m.npus);
      goto out;
    }
    got = order_compact(&m, order, nthreads);
    break;
  case SU_PLACE_SCATTER:
    if (nthreads > m.npus) {
      err = su_errorf(SU_EINVAL, "cannot place %u threads with '%s': the topology has %u PUs",
                      nthreads, p->spec, m.npus);
      goto out;
    }
    if ((err = order_scatter(&m, order, nthreads, &got)))
      goto out;
    break;
  case SU_PLACE_LIST:
    if (nthreads > p->nlist) {
      err = su_errorf(SU_EINVAL, "cannot place %u threads with '%s': it has %u PUs", nthreads,
                      p->spec, p->nlist);
      goto out;
    }
    /* Threads take the list in its order; a shorter team uses its head. */
    memcpy(order, p->list, (size_t)nthreads * sizeof(*order));
    got = nthreads;
    break;
  default:
    err = su_errorf(SU_EINVAL, "cannot place threads: unknown placement kind %d", (int)p->kind);
    goto out;
  }
  SU_ASSERT(got == nthreads);
  if ((err = su_place_cpuset_string(order, nthreads, cpuset)))
    goto out;
  memcpy(pus_os, order, (size_t)nthreads * sizeof(*order));
out:
  free(order);
  core_map_fini(&m);
  return err;
}

/* ---- binding ------------------------------------------------------------------ */

/* Binding failures the OS gives when it cannot or will not bind at all
 * (containers without the syscall, seccomp): "not supported", a skip. */
static int bind_errno(int e)
{
  return (e == ENOSYS || e == EXDEV || e == EPERM) ? SU_ENOTSUP : SU_EINVAL;
}

int su_place_bind_self(const su_topo_t *t, unsigned pu_os)
{
  hwloc_topology_t topo;
  hwloc_obj_t pu;

  if (!t)
    return su_errorf(SU_EINVAL, "cannot bind: no topology");
  if (!su_topo_is_this_system(t))
    return su_errorf(SU_ENOTSUP, "cannot bind to PU %u: the topology is not this system", pu_os);
  topo = su_topo_hwloc(t);
  pu = hwloc_get_pu_obj_by_os_index(topo, pu_os);
  if (!pu)
    return su_errorf(SU_EINVAL, "cannot bind to PU %u: it does not exist", pu_os);
  if (hwloc_set_cpubind(topo, pu->cpuset, HWLOC_CPUBIND_THREAD) != 0) {
    int e = errno;
    return su_errorf(bind_errno(e), "cannot bind to PU %u: %s", pu_os, strerror(e));
  }
  /* First touch by the bound thread puts its pages on its own node, which
   * is what a per-thread bandwidth kernel measures.  It is the kernel's
   * default policy, so a system that cannot set it loses nothing. */
  if (hwloc_set_membind(topo, pu->nodeset, HWLOC_MEMBIND_FIRSTTOUCH,
                        HWLOC_MEMBIND_THREAD | HWLOC_MEMBIND_BYNODESET) != 0) {
    int e = errno;
    if (e != ENOSYS && e != EXDEV)
      return su_errorf(SU_EINVAL, "cannot set first-touch memory policy on PU %u: %s", pu_os,
                       strerror(e));
  }
  return SU_OK;
}

int su_place_bind_pid(const su_topo_t *t, int pid, const unsigned *pus_os, unsigned n)
{
  hwloc_topology_t topo;
  hwloc_bitmap_t set;
  int err = SU_OK;

  if (!t)
    return su_errorf(SU_EINVAL, "cannot bind: no topology");
  if (!su_topo_is_this_system(t))
    return su_errorf(SU_ENOTSUP, "cannot bind process %d: the topology is not this system", pid);
  topo = su_topo_hwloc(t);
  if (!(set = hwloc_bitmap_alloc()))
    return su_errorf(SU_ENOMEM, "out of memory");
  for (unsigned i = 0; i < n && !err; i++) {
    if (!hwloc_get_pu_obj_by_os_index(topo, pus_os[i]))
      err = su_errorf(SU_EINVAL, "cannot bind to PU %u: it does not exist", pus_os[i]);
    else
      hwloc_bitmap_set(set, pus_os[i]);
  }
  if (!err && hwloc_set_proc_cpubind(topo, (hwloc_pid_t)pid, set, HWLOC_CPUBIND_PROCESS) != 0) {
    int e = errno;
    err = su_errorf(bind_errno(e), "cannot bind process %d: %s", pid, strerror(e));
  }
  hwloc_bitmap_free(set);
  return err;
}

int su_place_unbind_self(const su_topo_t *t)
{
  hwloc_topology_t topo;

  if (!t)
    return su_errorf(SU_EINVAL, "cannot unbind: no topology");
  if (!su_topo_is_this_system(t))
    return su_errorf(SU_ENOTSUP, "cannot unbind: the topology is not this system");
  topo = su_topo_hwloc(t);
  if (hwloc_set_cpubind(topo, hwloc_topology_get_complete_cpuset(topo),
                        HWLOC_CPUBIND_THREAD) != 0) {
    int e = errno;
    return su_errorf(bind_errno(e), "cannot unbind the thread: %s", strerror(e));
  }
  if (hwloc_set_membind(topo, hwloc_topology_get_complete_nodeset(topo), HWLOC_MEMBIND_DEFAULT,
                        HWLOC_MEMBIND_THREAD | HWLOC_MEMBIND_BYNODESET) != 0) {
    int e = errno;
    if (e != ENOSYS && e != EXDEV)
      return su_errorf(SU_EINVAL, "cannot reset the memory policy: %s", strerror(e));
  }
  return SU_OK;
}

int su_place_get_self(const su_topo_t *t, char **cpuset)
{
  hwloc_topology_t topo;
  hwloc_bitmap_t set;
  char *s = NULL;
  int err = SU_OK;

  if (!t || !cpuset)
    return su_errorf(SU_EINVAL, "cannot read the binding: missing argument");
  if (!su_topo_is_this_system(t))
    return su_errorf(SU_ENOTSUP, "cannot read the binding: the topology is not this system");
  topo = su_topo_hwloc(t);
  set = hwloc_bitmap_alloc();
  if (!set)
    return su_errorf(SU_ENOMEM, "cannot allocate a cpuset");
  if (hwloc_get_cpubind(topo, set, HWLOC_CPUBIND_THREAD) != 0) {
    int e = errno;
    err = su_errorf(bind_errno(e), "cannot read the thread's binding: %s", strerror(e));
    goto out;
  }
  if (hwloc_bitmap_list_asprintf(&s, set) < 0 || !s) {
    free(s);
    err = su_errorf(SU_ENOMEM, "cannot allocate the thread's cpuset");
    goto out;
  }
  *cpuset = s;
out:
  hwloc_bitmap_free(set);
  return err;
}
