/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * null.c: the `null` backend: every CPU kernel, modelled instead of run.
 *
 * It exists so that whole plans (a 384-PU or 24-NUMA machine, several
 * rounds, a resume) run through the real engine, runner, statistics and
 * sink in CI, in seconds, on a 2-core machine (house rule 8).  Nothing is
 * computed and nothing sleeps: run() advances a virtual clock (clock_ns,
 * which the runner uses for this backend's samples, warm-up and budgets) by
 * the time a simple model gives, so every number is deterministic and none
 * of them is a measurement.  Rows say backend `null`; they must never be
 * read as a machine's performance.
 *
 * The model, from the point's PUs on the topology planned for (hwloc XML or
 * synthetic: nothing is bound, so any topology works):
 *   - compute: SU_NULL_CORE_GFLOPS per distinct core (fp32 twice that);
 *     SMT siblings of a core add nothing;
 *   - memory: per NUMA node, SU_NULL_CORE_GBS per core used there, capped at
 *     SU_NULL_NUMA_GBS; a working set that fits in the last-level caches of
 *     the machine streams at SU_NULL_CACHE_GBS per core instead;
 *   - latency: SU_NULL_LAT_CACHE_NS per load when each thread's set fits in
 *     one last-level cache, SU_NULL_LAT_DRAM_NS otherwise;
 *   - memory bound to another NUMA node (`--memory`, the NUMA matrix):
 *     DRAM bandwidth divided and DRAM latency multiplied by the ratio of
 *     hwloc's NUMA latency distances d(i, j) / d(i, i) when the topology
 *     has them, by SU_NULL_REMOTE otherwise;
 *   - a repetition lasts the longer of its bytes and its flops at those
 *     rates, times a deterministic jitter of +-0.4% (so that statistics see
 *     a spread), seeded by the point.
 *
 * Failures on demand, by variant (`--variants fail_verify`) or for every
 * point by the environment (SIZEUP_NULL_FAIL=fail_verify): fail_verify
 * (verify() fails: failed_verify), fail_setup (setup error: error),
 * fail_run (the first timed repetition fails: error), unsupported
 * (SU_ENOTSUP: unsupported), nomem (SU_ENOMEM: skipped).  "KIND@N" fails
 * only the points of N threads.  Any other variant runs.
 */
#include <hwloc.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/backend.h"
#include "sizeup/error.h"
#include "sizeup/run.h"
#include "sizeup/topo.h"

#define SU_NULL_CORE_GFLOPS 32.0   /* fp64: 2 FMA pipes x 4 lanes x 2 flops x 2 GHz */
#define SU_NULL_CORE_GBS 12.0
#define SU_NULL_NUMA_GBS 60.0
#define SU_NULL_CACHE_GBS 48.0
#define SU_NULL_LAT_CACHE_NS 12.0
#define SU_NULL_LAT_DRAM_NS 90.0
#define SU_NULL_JITTER 0.004
#define SU_NULL_REMOTE 2.0         /* remote / local, without hwloc distances */

/* The virtual clock, ns; only ever advanced by run(). */
static _Atomic uint64_t su_null_now_ns = 1;

static uint64_t null_clock_ns(void)
{
  return atomic_load(&su_null_now_ns);
}

typedef enum null_fail_e {
  NULL_FAIL_NONE, NULL_FAIL_VERIFY, NULL_FAIL_SETUP, NULL_FAIL_RUN, NULL_FAIL_UNSUPPORTED,
  NULL_FAIL_NOMEM
} null_fail_t;

typedef struct null_state {
  const su_kernel_desc_t *desc;
  double rep_ns;             /* modelled time of one repetition */
  uint64_t rng;              /* jitter */
  null_fail_t fail;
  int corrupted;
} null_state_t;

/* "KIND" or "KIND@N" (N threads only); NULL_FAIL_NONE for anything else. */
static null_fail_t parse_fail(const char *spec, unsigned nthreads)
{
  static const struct { const char *name; null_fail_t kind; } kinds[] = {
    {"fail_verify", NULL_FAIL_VERIFY}, {"fail_setup", NULL_FAIL_SETUP},
    {"fail_run", NULL_FAIL_RUN},       {"unsupported", NULL_FAIL_UNSUPPORTED},
    {"nomem", NULL_FAIL_NOMEM},
  };

  if (!spec)
    return NULL_FAIL_NONE;
  for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
    size_t n = strlen(kinds[i].name);
    if (strncmp(spec, kinds[i].name, n) != 0)
      continue;
    if (spec[n] == '\0')
      return kinds[i].kind;
    if (spec[n] == '@')
      return strtoul(spec + n + 1, NULL, 10) == nthreads ? kinds[i].kind : NULL_FAIL_NONE;
  }
  return NULL_FAIL_NONE;
}

/* What the point's PUs are on the topology: distinct cores, and the cores
 * used per NUMA node. */
typedef struct null_shape {
  unsigned cores;
  double mem_gbs;            /* DRAM bandwidth of those cores */
  uint64_t llc_bytes, llc_instance_bytes;
} null_shape_t;

static void shape_of(const su_params_t *p, null_shape_t *s)
{
  hwloc_topology_t h = p->topo ? su_topo_hwloc(p->topo) : NULL;
  const unsigned *pus = p->point ? p->point->pus : NULL;
  su_topo_summary_t sum;
  unsigned nnuma, *per_numa;
  hwloc_bitmap_t seen;

  memset(s, 0, sizeof(*s));
  s->cores = p->nthreads ? p->nthreads : 1;
  s->mem_gbs = fmin(s->cores * SU_NULL_CORE_GBS, SU_NULL_NUMA_GBS);
  if (!h || !pus || su_topo_summarize(p->topo, &sum) != SU_OK)
    return;
  s->llc_bytes = sum.llc_bytes;
  s->llc_instance_bytes = sum.llc_instance_bytes;
  nnuma = (unsigned)hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_NUMANODE);
  if (nnuma == 0 || !(per_numa = calloc(nnuma, sizeof(*per_numa))))
    return;
  if (!(seen = hwloc_bitmap_alloc())) {
    free(per_numa);
    return;
  }
  s->cores = 0;
  for (unsigned i = 0; i < p->nthreads; i++) {
    hwloc_obj_t pu = hwloc_get_pu_obj_by_os_index(h, pus[i]);
    hwloc_obj_t core = pu ? hwloc_get_ancestor_obj_by_type(h, HWLOC_OBJ_CORE, pu) : NULL;
    hwloc_obj_t numa;
    unsigned id = core ? core->logical_index : pu ? pu->logical_index + 1000000u : i;
    if (hwloc_bitmap_isset(seen, id))
      continue;                       /* an SMT sibling: no more compute or bandwidth */
    hwloc_bitmap_set(seen, id);
    s->cores++;
    numa = pu && !hwloc_bitmap_iszero(pu->nodeset)
               ? hwloc_get_numanode_obj_by_os_index(h, (unsigned)hwloc_bitmap_first(pu->nodeset))
               : NULL;
    per_numa[numa && numa->logical_index < nnuma ? numa->logical_index : 0]++;
  }
  s->mem_gbs = 0;
  for (unsigned n = 0; n < nnuma; n++)
    s->mem_gbs += fmin(per_numa[n] * SU_NULL_CORE_GBS, SU_NULL_NUMA_GBS);
  hwloc_bitmap_free(seen);
  free(per_numa);
}

/* How much farther the point's bound memory is than its threads' own: 1
 * for first touch or the threads' own node. */
static double remote_factor(const su_params_t *p)
{
  hwloc_topology_t h = p->topo ? su_topo_hwloc(p->topo) : NULL;
  const su_point_t *pt = p->point;
  struct hwloc_distances_s *dist = NULL;
  unsigned nr = 1;
  hwloc_obj_t from, to;
  double f = SU_NULL_REMOTE;

  if (!h || !pt || !pt->mem_bound || pt->cpu_numa < 0 || (unsigned)pt->cpu_numa == pt->mem_numa)
    return 1;
  from = hwloc_get_obj_by_type(h, HWLOC_OBJ_NUMANODE, (unsigned)pt->cpu_numa);
  to = hwloc_get_obj_by_type(h, HWLOC_OBJ_NUMANODE, pt->mem_numa);
  if (from && to &&
      hwloc_distances_get_by_type(h, HWLOC_OBJ_NUMANODE, &nr, &dist,
                                  HWLOC_DISTANCES_KIND_MEANS_LATENCY, 0) == 0 && nr == 1) {
    hwloc_uint64_t ii = 0, ij = 0, ji = 0;
    if (hwloc_distances_obj_pair_values(dist, from, from, &ii, &ji) == 0 &&
        hwloc_distances_obj_pair_values(dist, from, to, &ij, &ji) == 0 && ii > 0 && ij > 0)
      f = (double)ij / (double)ii;
    hwloc_distances_release(h, dist);
  }
  return f;
}

/* FNV-1a of the point, to seed its jitter. */
static uint64_t seed_of(const su_kernel_desc_t *d, const su_params_t *p)
{
  uint64_t h = 1469598103934665603ull, v[3] = {p->size_bytes, p->nthreads, (uint64_t)p->prec};

  for (const char *c = d->name; *c; c++)
    h = (h ^ (unsigned char)*c) * 1099511628211ull;
  for (const char *c = p->variant ? p->variant : ""; *c; c++)
    h = (h ^ (unsigned char)*c) * 1099511628211ull;
  for (int k = 0; k < 3; k++)
    h = (h ^ v[k]) * 1099511628211ull;
  return h ? h : 1;
}

static int null_setup(const su_kernel_desc_t *d, const su_params_t *p, void **state,
                      su_work_t *work)
{
  null_fail_t fail = parse_fail(p->variant, p->nthreads);
  size_t esize = su_precision_size(p->prec) ? su_precision_size(p->prec) : 8;
  null_shape_t s;
  null_state_t *st;
  double n, bw, flops_rate, t_bytes, t_flops, far;

  if (fail == NULL_FAIL_NONE)
    fail = parse_fail(getenv("SIZEUP_NULL_FAIL"), p->nthreads);
  if (fail == NULL_FAIL_SETUP)
    return su_errorf(SU_EBACKEND, "null: setup failed (failure on demand)");
  if (fail == NULL_FAIL_UNSUPPORTED)
    return su_errorf(SU_ENOTSUP, "null: not supported (failure on demand)");
  if (fail == NULL_FAIL_NOMEM)
    return su_errorf(SU_ENOMEM, "null: out of memory (failure on demand)");
  if (!(st = calloc(1, sizeof(*st))))
    return su_errorf(SU_ENOMEM, "null: out of memory");
  shape_of(p, &s);

  /* The work of one repetition, from the shared work model. */
  memset(work, 0, sizeof(*work));
  n = d->nstreams && p->size_bytes ? (double)p->size_bytes / (double)(esize * d->nstreams)
                                   : 1e6 * p->nthreads;
  work->bytes = n * (double)esize * (d->bytes_read_per_elem + d->bytes_written_per_elem);
  work->flops = n * d->flops_per_elem;
  if (strcmp(d->family, "gemm") == 0) {
    /* not per element: three n x n matrices, 2 n^3 flops (workmodel.c) */
    double dim = floor(sqrt((double)(p->size_bytes ? p->size_bytes : 3ull << 23) /
                            (3.0 * (double)esize)));
    work->bytes = 3 * dim * dim * (double)esize;
    work->flops = 2 * dim * dim * dim;
  }
  work->items = d->metric == SU_METRIC_LATENCY ? fmax(1, (double)p->size_bytes / 64) : 0;
  work->size_bytes = p->size_bytes;

  /* Its modelled time. */
  far = remote_factor(p);
  bw = s.llc_bytes && p->size_bytes <= s.llc_bytes ? s.cores * SU_NULL_CACHE_GBS
                                                   : s.mem_gbs / far;
  flops_rate = s.cores * SU_NULL_CORE_GFLOPS * (p->prec == SU_PREC_FP32 ? 2 : 1);
  t_bytes = work->bytes / fmax(bw, 1e-3);
  t_flops = work->flops / fmax(flops_rate, 1e-3);
  if (d->metric == SU_METRIC_LATENCY) {
    uint64_t per_thread = p->size_bytes;   /* each thread chases its own set */
    st->rep_ns = work->items * (s.llc_instance_bytes && per_thread <= s.llc_instance_bytes
                                    ? SU_NULL_LAT_CACHE_NS : SU_NULL_LAT_DRAM_NS * far);
  } else {
    st->rep_ns = fmax(t_bytes, t_flops);
  }
  st->desc = d;
  st->rng = seed_of(d, p);
  st->fail = fail;
  *state = st;
  return SU_OK;
}

static int null_run(void *state, uint64_t inner, su_timing_t *t)
{
  null_state_t *st = state;
  double u, ns;

  (void)t;
  if (st->fail == NULL_FAIL_RUN)
    return su_errorf(SU_EBACKEND, "null: a repetition failed (failure on demand)");
  st->rng = st->rng * 6364136223846793005ull + 1442695040888963407ull;
  u = (double)(st->rng >> 11) / (double)(1ull << 53) * 2 - 1;  /* [-1, 1) */
  ns = st->rep_ns * (double)inner * (1 + SU_NULL_JITTER * u);
  atomic_fetch_add(&su_null_now_ns, ns < 1 ? 1 : (uint64_t)(ns + 0.5));
  return SU_OK;
}

static int null_verify(void *state, su_verify_t *v)
{
  null_state_t *st = state;

  v->max_rel_err = 0;
  v->tol = st->desc->verify_rel_tol;
  if (st->fail == NULL_FAIL_VERIFY || st->corrupted)
    return su_errorf(SU_EVERIFY, "null: output differs from the reference (failure on demand)");
  return SU_OK;
}

static void null_teardown(void *state)
{
  free(state);
}

static void null_corrupt(void *state)
{
  ((null_state_t *)state)->corrupted = 1;
}

/* One kernel: the shared work model, with the CPU backend's precisions,
 * default variants and size rule, so that plans match the CPU's. */
#define SU_NULL_OPS(NAME, PRECS, VARIANTS, RULE, SIZE)                          \
  static int null_##NAME##_setup(const su_params_t *p, void **state, su_work_t *w) \
  {                                                                           \
    return null_setup(&su_desc_##NAME, p, state, w);                          \
  }                                                                           \
  static const su_kernel_ops_t su_null_##NAME##_ops = {                       \
    .desc = &su_desc_##NAME, .precisions = PRECS, .variants = VARIANTS,       \
    .size_rule = RULE, .default_size_bytes = SIZE, .setup = null_##NAME##_setup, \
    .run = null_run, .verify = null_verify, .teardown = null_teardown,        \
    .corrupt = null_corrupt,                                                  \
  };

#define SU_NULL_F64_F32 (SU_PREC_FP64 | SU_PREC_FP32)
SU_NULL_OPS(stream_copy, SU_NULL_F64_F32, "omp,nt", SU_SIZE_4X_LLC, 0)
SU_NULL_OPS(stream_scale, SU_NULL_F64_F32, "omp,nt", SU_SIZE_4X_LLC, 0)
SU_NULL_OPS(stream_add, SU_NULL_F64_F32, "omp,nt", SU_SIZE_4X_LLC, 0)
SU_NULL_OPS(stream_triad, SU_NULL_F64_F32, "omp,nt", SU_SIZE_4X_LLC, 0)
SU_NULL_OPS(stream_dot, SU_NULL_F64_F32, "omp", SU_SIZE_4X_LLC, 0)
SU_NULL_OPS(stream_read, SU_NULL_F64_F32, "omp", SU_SIZE_4X_LLC, 0)
SU_NULL_OPS(fma_peak, SU_NULL_F64_F32, "best", SU_SIZE_NONE, 0)
SU_NULL_OPS(latency_chase, 0, "random", SU_SIZE_SWEEP_LAT, 0)
SU_NULL_OPS(gemm, SU_PREC_FP64, "blocked", SU_SIZE_FIXED, 3ull * 1024 * 1024 * 8)
SU_NULL_OPS(stencil_7pt, SU_NULL_F64_F32, "omp", SU_SIZE_4X_LLC, 0)

static const su_kernel_ops_t *const su_null_kernels[] = {
  &su_null_stream_copy_ops, &su_null_stream_scale_ops, &su_null_stream_add_ops,
  &su_null_stream_triad_ops, &su_null_stream_dot_ops, &su_null_stream_read_ops,
  &su_null_fma_peak_ops, &su_null_latency_chase_ops, &su_null_gemm_ops,
  &su_null_stencil_7pt_ops, NULL
};

static int null_init(void **ctx)
{
  *ctx = NULL;
  return SU_OK;
}

static void null_fini(void *ctx)
{
  (void)ctx;
}

static int null_device_count(void *ctx, unsigned *n)
{
  (void)ctx;
  *n = 1;
  return SU_OK;
}

static int null_device_info(void *ctx, unsigned dev, su_device_info_t *out)
{
  (void)ctx;
  if (dev != 0)
    return su_errorf(SU_EINVAL, "null backend has one device, not %u", dev);
  memset(out, 0, sizeof(*out));
  snprintf(out->id, sizeof(out->id), "0");
  snprintf(out->name, sizeof(out->name), "null (modelled, not measured)");
  snprintf(out->vendor, sizeof(out->vendor), "sizeup");
  snprintf(out->json, sizeof(out->json), "{\"modelled\": true}");
  return SU_OK;
}

const su_backend_t su_backend_null = {
  .abi = SU_BACKEND_ABI,
  .name = "null",
  .priority = 95,
  .init = null_init,
  .fini = null_fini,
  .device_count = null_device_count,
  .device_info = null_device_info,
  .kernels = su_null_kernels,
  .timer = SU_TIMER_HOST_MONOTONIC,
  .flags = SU_BACKEND_HOST_THREADS | SU_BACKEND_VIRTUAL,
  .clock_ns = null_clock_ns,
};
