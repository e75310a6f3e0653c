/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * plan.c: expands suite groups into the points of a sweep plan.
 *
 * Everything a run could trip over is checked here, before the first
 * measurement and before the results directory exists: unknown kernels,
 * precisions, variants, placements, devices, thread counts the placement
 * cannot satisfy, sizes larger than memory.  A point the backend cannot run
 * at all (no OpenCL platform) is kept, flagged `unsupported`, so the run
 * still produces one row per configuration.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_int.h"
#include "sizeup/app.h"
#include "sizeup/energy.h"
#include "sizeup/error.h"
#include "sizeup/parse.h"
#include "sizeup/run.h"
#include "sizeup/suggest.h"

#define SU_MAX_LIST 256

void su_measure_opts_default(su_measure_opts_t *o)
{
  o->budget_s = 0.3;
  o->min_reps = 10;
  o->max_reps = 1000;
  o->ci_target = 0.02;
  o->min_sample_s = 1e-4;
  o->noise_cv = 0.05;
  o->rounds = 1;
  o->coll = NULL;
}

int su_parse_size(const char *s, uint64_t *out)
{
  char *end;
  double v, mult = 1;

  errno = 0;
  v = strtod(s, &end);
  if (end == s || errno || !(v >= 0))
    return su_errorf(SU_EINVAL, "invalid size '%s'", s);
  switch (toupper((unsigned char)*end)) {
  case '\0': break;
  case 'K': mult = 1024.0; end++; break;
  case 'M': mult = 1024.0 * 1024; end++; break;
  case 'G': mult = 1024.0 * 1024 * 1024; end++; break;
  case 'T': mult = 1024.0 * 1024 * 1024 * 1024; end++; break;
  default: return su_errorf(SU_EINVAL, "invalid size '%s' (use e.g. 64K, 32M, 2G)", s);
  }
  if (*end == 'i' && end[1] == 'B')
    end += 2;
  else if (*end == 'B')
    end++;
  if (*end != '\0' || v * mult >= 18e18)
    return su_errorf(SU_EINVAL, "invalid size '%s' (use e.g. 64K, 32M, 2G)", s);
  *out = (uint64_t)llround(v * mult);
  return SU_OK;
}

void su_format_size(uint64_t bytes, char *out, size_t len)
{
  static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = (double)bytes;
  unsigned u = 0;

  while (v >= 1024 && u < 4) {
    v /= 1024;
    u++;
  }
  if (u == 0)
    snprintf(out, len, "%llu B", (unsigned long long)bytes);
  else if (v == floor(v))
    snprintf(out, len, "%.0f %s", v, units[u]);
  else
    snprintf(out, len, "%.3g %s", v, units[u]);
}

static int cmp_unsigned(const void *a, const void *b)
{
  unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
  return (x > y) - (x < y);
}

/* Sorts and removes duplicates in place. */
static unsigned sort_unique(unsigned *v, unsigned n)
{
  unsigned m = 0;

  qsort(v, n, sizeof(*v), cmp_unsigned);
  for (unsigned i = 0; i < n; i++)
    if (m == 0 || v[m - 1] != v[i])
      v[m++] = v[i];
  return m;
}

static int parse_count(const char *s, unsigned max, unsigned *out)
{
  if (strcmp(s, "max") == 0) {
    *out = max;
    return SU_OK;
  }
  if (su_parse_uint(s, 1, 1u << 20, out))
    return su_errorf(SU_EINVAL, "invalid thread count '%s'", s);
  return SU_OK;
}

/* Makes room for one more element in a growable array of *n elements. */
static int grow(void **v, size_t *cap, size_t n, size_t elem)
{
  void *p;
  size_t c;

  if (n < *cap)
    return SU_OK;
  c = *cap ? *cap * 2 : 16;
  if (!(p = realloc(*v, c * elem)))
    return su_errorf(SU_ENOMEM, "out of memory while planning");
  *v = p;
  *cap = c;
  return SU_OK;
}

/* Appends x to a growable array {v, n, cap}; SU_OK or SU_ENOMEM (with context). */
#define VEC_PUSH(u, x)                                                          \
  (grow((void **)&(u)->v, &(u)->cap, (u)->n, sizeof(*(u)->v)) ? SU_ENOMEM       \
                                                                : ((u)->v[(u)->n++] = (x), SU_OK))

typedef struct uvec {
  unsigned *v;
  size_t n, cap;
} uvec_t;

typedef struct u64vec {
  uint64_t *v;
  size_t n, cap;
} u64vec_t;

/*
 * The thread ladder of a scope: 1, 2, 4, ... below its cores, every boundary
 * of the machine inside it (the cores of one last-level cache, of one NUMA
 * node, of one package), all its cores, and all its PUs (SMT siblings) as a
 * rung of their own.  A 2 x 96-core node gets a dozen rungs, not 192.
 */
static int push_ladder(uvec_t *u, const su_place_scope_t *sc, int with_pus)
{
  const unsigned marks[] = {sc->llc_cores, sc->numa_cores, sc->package_cores, sc->cores,
                            with_pus ? sc->pus : 0};
  int err = SU_OK;

  for (unsigned v = 1; v < sc->cores && !err; v *= 2)
    err = VEC_PUSH(u, v);
  for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]) && !err; i++)
    if (marks[i] >= 1 && marks[i] <= (with_pus ? sc->pus : sc->cores))
      err = VEC_PUSH(u, marks[i]);
  if (!err && sc->cores == 0)
    err = VEC_PUSH(u, 1u);
  return err;
}

/* su_parse_threads inside a placement's scope: `max` is its cores. */
static int parse_threads_in(const char *spec, const su_place_scope_t *sc, unsigned **out,
                            unsigned *n)
{
  const unsigned max = sc->cores ? sc->cores : 1;
  char *buf, *save = NULL, *tok;
  uvec_t u = {0};
  int err = SU_OK;

  if (!spec || !spec[0])
    return su_errorf(SU_EINVAL, "invalid thread list '%s'", spec ? spec : "");
  if (!(buf = strdup(spec)))
    return su_errorf(SU_ENOMEM, "out of memory while planning");
  for (tok = strtok_r(buf, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
    char *dots = strstr(tok, "..");
    while (isspace((unsigned char)*tok))
      tok++;
    if (strcmp(tok, "ladder") == 0) {
      err = push_ladder(&u, sc, 1);
    } else if (strcmp(tok, "pow2") == 0) {
      su_place_scope_t flat = {max, max, 0, 0, 0};
      err = push_ladder(&u, &flat, 0);
    } else if (dots) {
      unsigned lo = 0, hi = 0;
      *dots = '\0';
      if ((err = parse_count(tok, max, &lo)) || (err = parse_count(dots + 2, max, &hi))) {
        err = su_errorf(err, "invalid thread range '%s' in '%s'", tok, spec);
        break;
      }
      if (lo > hi) {
        err = su_errorf(SU_EINVAL, "invalid thread range in '%s': %u > %u", spec, lo, hi);
        break;
      }
      for (unsigned v = lo; v <= hi && !err; v++)
        err = VEC_PUSH(&u, v);
    } else {
      unsigned v;
      if ((err = parse_count(tok, max, &v)))
        err = su_errorf(err, "invalid thread count '%s' in '%s' (expected N, A..B, max, "
                        "pow2 or ladder)", tok, spec);
      else
        err = VEC_PUSH(&u, v);
    }
  }
  free(buf);
  if (!err && u.n == 0)
    err = su_errorf(SU_EINVAL, "invalid thread list '%s'", spec);
  if (err) {
    free(u.v);
    return err;
  }
  *n = sort_unique(u.v, (unsigned)u.n);
  *out = u.v;
  return SU_OK;
}

int su_parse_threads(const char *spec, unsigned max, unsigned **out, unsigned *n)
{
  su_place_scope_t sc = {max, max, 0, 0, 0};

  return parse_threads_in(spec, &sc, out, n);
}

/* Splits a comma list into trimmed tokens (in place); returns the count. */
static unsigned split_list(char *s, char **tok, unsigned cap)
{
  unsigned n = 0;
  char *save = NULL;

  for (char *t = strtok_r(s, ",", &save); t && n < cap; t = strtok_r(NULL, ",", &save)) {
    while (isspace((unsigned char)*t))
      t++;
    for (char *e = t + strlen(t); e > t && isspace((unsigned char)e[-1]);)
      *--e = '\0';
    if (*t)
      tok[n++] = t;
  }
  return n;
}

/* Appends geometric sizes from lo to hi, `per_doubling` points per factor
 * of two, in whole pages. */
static int size_range(uint64_t lo, uint64_t hi, unsigned per_doubling, u64vec_t *out)
{
  double f = pow(2.0, 1.0 / per_doubling);
  size_t first = out->n;
  int err = SU_OK;

  for (double v = (double)lo; v <= (double)hi * 1.0001 && !err; v *= f) {
    uint64_t s = (uint64_t)(v / 4096 + 0.5) * 4096; /* whole pages */
    if (s == 0)
      s = (uint64_t)v;
    if (out->n == first || out->v[out->n - 1] != s)
      err = VEC_PUSH(out, s);
  }
  return err;
}

typedef struct plan_env {
  su_topo_summary_t sum;
  uint64_t mem_bytes;     /* the memory a run may use */
} plan_env_t;

static uint64_t llc_or_default(const plan_env_t *e)
{
  /* A synthetic topology without caches still needs sizes: assume 32 MiB. */
  return e->sum.llc_bytes ? e->sum.llc_bytes : 32ull << 20;
}

/* The default sizes of a kernel on this topology (its size rule). */
static int default_sizes(const plan_env_t *e, const su_kernel_ops_t *ops, int sweep,
                         u64vec_t *out)
{
  uint64_t llc = llc_or_default(e);
  su_size_rule_t rule = ops->size_rule;

  if (sweep && (rule == SU_SIZE_4X_LLC || rule == SU_SIZE_FIXED))
    rule = SU_SIZE_SWEEP_CACHE;
  switch (rule) {
  case SU_SIZE_NONE:
    return VEC_PUSH(out, 0);
  case SU_SIZE_FIXED:
    return VEC_PUSH(out, ops->default_size_bytes);
  case SU_SIZE_4X_LLC: {
    /* STREAM's rule: each array at least 4x the last-level cache. */
    unsigned ns = ops->desc->nstreams ? ops->desc->nstreams : 1;
    return VEC_PUSH(out, 4 * llc * ns);
  }
  case SU_SIZE_SWEEP_CACHE:
    return size_range(16ull << 10, 8 * llc, 1, out);
  case SU_SIZE_SWEEP_LAT:
    return size_range(4ull << 10, 8 * llc, 1, out);
  case SU_SIZE_SWEEP_XFER:
    return size_range(64ull << 10, 256ull << 20, 1, out);
  }
  return SU_OK;
}

static int parse_sizes(const plan_env_t *e, const su_kernel_ops_t *ops, const char *spec,
                       u64vec_t *out)
{
  char *buf, *tok, *save = NULL;
  int err = SU_OK;

  if (!spec || !spec[0] || strcmp(spec, "auto") == 0 || ops->size_rule == SU_SIZE_NONE)
    return default_sizes(e, ops, 0, out);
  if (strcmp(spec, "sweep") == 0)
    return default_sizes(e, ops, 1, out);
  if (!(buf = strdup(spec)))
    return su_errorf(SU_ENOMEM, "out of memory while planning");
  for (tok = strtok_r(buf, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
    char *dots;
    while (isspace((unsigned char)*tok))
      tok++;
    for (char *end = tok + strlen(tok); end > tok && isspace((unsigned char)end[-1]);)
      *--end = '\0';
    if (!*tok)
      continue;
    if ((dots = strstr(tok, ".."))) {
      uint64_t lo = 0, hi = 0;
      unsigned per = 1;
      char *colon = strchr(dots, ':');
      if (colon) {
        per = (unsigned)atoi(colon + 1);
        *colon = '\0';
        if (per < 1 || per > 16) {
          err = su_errorf(SU_EINVAL, "invalid points per doubling in '%s'", spec);
          break;
        }
      }
      *dots = '\0';
      if ((err = su_parse_size(tok, &lo)) || (err = su_parse_size(dots + 2, &hi)))
        break;
      if (lo == 0 || lo > hi) {
        err = su_errorf(SU_EINVAL, "invalid size range in '%s'", spec);
        break;
      }
      err = size_range(lo, hi, per, out);
    } else {
      uint64_t v;
      if ((err = su_parse_size(tok, &v)))
        break;
      if (v == 0) {
        err = su_errorf(SU_EINVAL, "invalid size '%s': must be positive", tok);
        break;
      }
      err = VEC_PUSH(out, v);
    }
  }
  free(buf);
  if (!err && out->n == 0)
    err = su_errorf(SU_EINVAL, "invalid size list '%s'", spec);
  return err;
}

static int has_token(const char *list, const char *name)
{
  size_t len = strlen(name);

  for (const char *p = list; p && *p;) {
    while (*p == ',' || *p == ' ')
      p++;
    if (strncmp(p, name, len) == 0 && (p[len] == ',' || p[len] == '\0' || p[len] == ' '))
      return 1;
    p = strchr(p, ',');
  }
  return 0;
}

static int same_point(const su_point_t *a, const su_point_t *b)
{
  return a->backend == b->backend && a->device == b->device && a->ops == b->ops &&
         a->has_peer == b->has_peer && a->peer == b->peer &&
         a->mem_bound == b->mem_bound && a->mem_numa == b->mem_numa &&
         a->ndevices == b->ndevices && a->ranks == b->ranks &&
         a->prec == b->prec && a->threads == b->threads && a->size_bytes == b->size_bytes &&
         strcmp(a->variant, b->variant) == 0 && strcmp(a->placement, b->placement) == 0;
}

/* The same measurement under another placement's name: same kernel and
 * settings on the same PUs (compact and scatter on one NUMA node). */
static int same_team(const su_point_t *a, const su_point_t *b)
{
  return a->backend == b->backend && a->device == b->device && a->ops == b->ops &&
         a->mem_bound == b->mem_bound && a->mem_numa == b->mem_numa &&
         a->ndevices == b->ndevices && a->ranks == b->ranks && a->prec == b->prec &&
         a->has_peer == b->has_peer && a->peer == b->peer &&
         a->threads == b->threads && a->size_bytes == b->size_bytes &&
         strcmp(a->variant, b->variant) == 0 && !a->skipped[0] && !b->skipped[0] &&
         !a->unsupported[0] && !b->unsupported[0] && !a->same_as && a->cpuset && b->cpuset &&
         a->cpuset[0] && strcmp(a->cpuset, b->cpuset) == 0;
}

/* Appends a point; one that is already planned (two groups naming the same
 * kernel with the same axes) is dropped: *added says which.  One that
 * measures what a planned point measures is kept, with same_as. */
static int plan_push(su_plan_t *plan, const su_point_t *pt, int *added)
{
  unsigned same_as = 0;

  *added = 0;
  for (size_t i = 0; i < plan->n; i++) {
    if (same_point(&plan->points[i], pt))
      return SU_OK;
    if (!same_as && same_team(&plan->points[i], pt))
      same_as = (unsigned)i + 1;
  }
  plan->ndup += same_as != 0;
  *added = 1;
  plan->nskipped += pt->skipped[0] != 0;
  if (plan->n == plan->cap) {
    size_t cap = plan->cap ? plan->cap * 2 : 64;
    su_point_t *p = realloc(plan->points, cap * sizeof(*p));
    if (!p)
      return su_errorf(SU_ENOMEM, "cannot grow the sweep plan to %zu points", cap);
    plan->points = p;
    plan->cap = cap;
  }
  plan->points[plan->n] = *pt;
  plan->points[plan->n].index = (unsigned)plan->n;
  plan->points[plan->n].same_as = same_as;
  plan->n++;
  return SU_OK;
}

/* Pushes a planned point unless err (its planning failed); its pus are
 * freed when it is not kept.  Returns err or plan_push's error. */
static int plan_keep(su_plan_t *plan, su_point_t *pt, int err)
{
  int added = 0;

  if (!err)
    err = plan_push(plan, pt, &added);
  if (err || !added) {
    free(pt->pus);
    free(pt->cpuset);
  }
  return err;
}

/* Pushes a point that will be a `skipped` row: it has no PUs. */
static int plan_skip(su_plan_t *plan, su_point_t *pt)
{
  free(pt->pus);
  pt->pus = NULL;
  if (!(pt->cpuset = strdup("")))
    return su_errorf(SU_ENOMEM, "out of memory while planning");
  return plan_keep(plan, pt, SU_OK);
}

static int backend_slot(const su_backend_t *b)
{
  int i = 0;

  for (const su_backend_t *const *p = su_backends(); *p; p++, i++)
    if (*p == b)
      return i;
  return -1;
}

/* Initialises a backend once per plan; remembers why it could not be. */
static int plan_backend(su_plan_t *plan, const su_backend_t *b, void **ctx)
{
  int slot = backend_slot(b);

  SU_ASSERT(slot >= 0 && slot < 8);
  if (!plan->backend_err[slot] && !plan->backend_ctx[slot]) {
    int err = b->init(&plan->backend_ctx[slot]);
    if (err) {
      plan->backend_err[slot] = err;
      snprintf(plan->backend_why[slot], sizeof(plan->backend_why[slot]), "%s", su_errmsg());
      plan->backend_ctx[slot] = NULL;
    } else {
      plan->backend_err[slot] = 1; /* initialised, ok */
    }
  }
  *ctx = plan->backend_ctx[slot];
  return plan->backend_err[slot] == 1 ? SU_OK : plan->backend_err[slot];
}

static const char *plan_backend_why(const su_plan_t *plan, const su_backend_t *b)
{
  return plan->backend_why[backend_slot(b)];
}

static int is_accel(const su_device_info_t *info)
{
  return strcmp(info->type, "gpu") == 0 || strcmp(info->type, "accelerator") == 0;
}

/*
 * Devices of a backend matching `sel` ("P:D" id, index, or name substring;
 * "all" is every device).  Without a selector, the GPUs and accelerators;
 * where there are none, the CPU devices (PoCL) when `want_cpu` (the user
 * asked for this backend), else none.  A GPU node that also has PoCL thus
 * measures its GPUs, and a CPU node measures its CPU through OpenCL only
 * when asked.
 */
static int select_devices(const su_backend_t *b, void *ctx, const char *sel, int want_cpu,
                          unsigned *devs, char names[][128], char cpusets[][256], int *accel,
                          unsigned cap, unsigned *n)
{
  unsigned count = 0, m = 0, naccel = 0;
  const int named = sel && sel[0] && strcmp(sel, "all") != 0;
  int err;

  if ((err = b->device_count(ctx, &count)))
    return err;
  for (int pass = 0; pass < 2; pass++)
  for (unsigned d = 0; d < count && m < cap; d++) {
    su_device_info_t info;
    memset(&info, 0, sizeof(info));
    if ((err = b->device_info(ctx, d, &info)))
      return err;
    if (pass == 0) {
      naccel += is_accel(&info);
      continue;
    }
    if (named && strcmp(info.id, sel) != 0 && !strstr(info.name, sel))
      continue;
    if (!(sel && sel[0]) && (naccel ? !is_accel(&info) : !want_cpu))
      continue;
    devs[m] = d;
    /* The selector keeps identical devices (four of one GPU model) apart. */
    snprintf(names[m], 128, "%.100s [%.20s]", info.name, info.id);
    snprintf(cpusets[m], 256, "%s", info.local_cpuset);
    accel[m] = is_accel(&info);
    m++;
  }
  if (m == 0 && named)
    return su_errorf(SU_EINVAL, "no %s device matches '%s'", b->name, sel);
  *n = m;
  return SU_OK;
}

/* Length of a device label without its " [P:D]" selector. */
static size_t base_len(const char *name)
{
  const char *br = strrchr(name, '[');
  return br && br > name ? (size_t)(br - name - 1) : strlen(name);
}

/* "2 x NAME [0:0,0:1]" when the k devices share a model, else
 * "NAME1 [0:0] + NAME2 [1:0]". */
static void multi_device_name(char names[][128], unsigned k, char *out, size_t len)
{
  size_t n0 = base_len(names[0]);
  unsigned same = 1;

  for (unsigned i = 1; i < k; i++)
    same &= base_len(names[i]) == n0 && strncmp(names[i], names[0], n0) == 0;
  out[0] = '\0';
  if (same) {
    snprintf(out, len, "%u x %.*s [", k, (int)(n0 < 90 ? n0 : 90), names[0]);
    for (unsigned i = 0; i < k && strlen(out) + 12 < len; i++) {
      const char *id = strrchr(names[i], '[');
      snprintf(out + strlen(out), len - strlen(out), "%s%.*s", i ? "," : "",
               id ? (int)strcspn(id + 1, "]") : 0, id ? id + 1 : "");
    }
    if (strlen(out) + 1 < len)
      strcat(out, "]");
    return;
  }
  for (unsigned i = 0; i < k && strlen(out) + 4 < len; i++)
    snprintf(out + strlen(out), len - strlen(out), "%s%.60s", i ? " + " : "", names[i]);
}

/* The first PU of cpuset list `list` ("0-15,32-47") that is not in
 * taken[0..ntaken-1]; the first PU of the list when all are taken; -1 for an
 * empty or unreadable list. */
static int pick_pu(const char *list, const int *taken, unsigned ntaken)
{
  int first = -1;

  for (const char *p = list; *p >= '0' && *p <= '9';) {
    char *end;
    long lo = strtol(p, &end, 10), hi = lo;
    if (*end == '-')
      hi = strtol(end + 1, &end, 10);
    for (long v = lo; v <= hi && v < 1 << 20; v++) {
      unsigned i = 0;
      while (i < ntaken && taken[i] != (int)v)
        i++;
      if (first < 0)
        first = (int)v;
      if (i == ntaken)
        return (int)v;
    }
    p = *end == ',' ? end + 1 : end;
  }
  return first;
}

/*
 * The host threads that drive devices run next to them (hwloc I/O
 * locality): thread i on a PU of device i's local cpuset, a different PU for
 * each device where the cpuset allows (four GPUs on one socket get four
 * PUs, not one).  Without a locality for every device the planned
 * (compact) PUs stay.
 */
static int place_near_devices(su_point_t *pt, char cpusets[][256], unsigned k)
{
  int near[16];
  char *cs;
  int err;

  for (unsigned i = 0; i < k && i < 16; i++)
    if ((near[i] = pick_pu(cpusets[i], near, i)) < 0)
      return SU_OK;
  for (unsigned i = 0; i < k; i++)
    pt->pus[i] = (unsigned)near[i];
  if ((err = su_place_cpuset_string(pt->pus, k, &cs)))
    return err;
  free(pt->cpuset);
  pt->cpuset = cs;
  snprintf(pt->placement, sizeof(pt->placement), "near_device");
  return SU_OK;
}

/* mem_bytes: the memory of the NUMA node the point is bound to; 0 for the
 * machine's (first touch). */
static int check_memory(const plan_env_t *e, const su_kernel_ops_t *ops, uint64_t size,
                        unsigned threads, uint64_t mem_bytes)
{
  /* The latency kernel gives every thread its own working set. */
  uint64_t need = ops->desc->metric == SU_METRIC_LATENCY ? size * threads : size;
  uint64_t have = mem_bytes ? mem_bytes : e->mem_bytes;
  char a[32], b[32];

  if (have && need > have * 0.9) {
    su_format_size(need, a, sizeof(a));
    su_format_size(have, b, sizeof(b));
    return su_errorf(SU_EINVAL, "size '%s' for '%s' is larger than %smemory (%s)", a,
                     ops->desc->name, mem_bytes ? "its NUMA node's " : "", b);
  }
  return SU_OK;
}

/* Notes why a group measured nothing (no GPU, no OpenCL runtime), once;
 * system.json carries them. */
static void plan_note(su_plan_t *plan, const char *fmt, const char *a, const char *b)
{
  char line[sizeof(plan->notes[0])];

  snprintf(line, sizeof(line), fmt, a, b);
  for (unsigned i = 0; i < plan->nnotes; i++)
    if (strcmp(plan->notes[i], line) == 0)
      return;
  if (plan->nnotes < sizeof(plan->notes) / sizeof(plan->notes[0]))
    snprintf(plan->notes[plan->nnotes++], sizeof(plan->notes[0]), "%s", line);
}

/* A command-line axis overrides the group's, unless the group fixes it and
 * the command line did not name kernels: `-t 1..max` scales the scaling
 * groups and leaves a one-thread cache sweep alone, while `-k stream_read
 * -t 4` means what it says. */
#define AXIS(f, g, axis)                                                        \
  ((f)->axis && (!has_token((g)->fixed, #axis) || (f)->kernels) ? (f)->axis : (g)->axis)

/* One placement's thread counts, with what --time-limit may drop. */
typedef struct pair_list {
  unsigned *v;            /* sorted */
  unsigned char *keep;    /* per count: 1 = always kept, 2.. = fit level + 1 */
  size_t n, cap;
  unsigned pus;           /* the PUs the placement may use */
} pair_list_t;

/* How long an entry of a thinned axis survives --time-limit: the first and
 * last never drop (0); of the others every second one goes first (level 1),
 * then every fourth (2), and so on. */
static unsigned fine_level(unsigned i, unsigned n)
{
  unsigned lvl = 1;

  if (i == 0 || i + 1 >= n)
    return 0;
  while (!(i & 1) && lvl < 250) {
    i >>= 1;
    lvl++;
  }
  return lvl;
}

/* 0 when count is not in the list, else 1 + its fit level. */
static int list_keep(const pair_list_t *l, unsigned count)
{
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i] == count)
      return 1 + l->keep[i];
  return 0;
}

/*
 * The thread counts of one placement: spec inside the placement's scope
 * (`max` is its cores, `ladder` its boundaries), or the NUMA matrix's own
 * count, or one host thread for a device kernel (spec NULL).  A CPU kind's
 * cores and PUs are rungs of its ladder whatever the spec.  Rungs that are
 * boundaries of the machine (1, one cache, node or package, all cores and
 * PUs) always survive --time-limit; the others get fit levels.  Every count
 * is also appended to *all.
 */
static int pair_threads(su_topo_t *t, const char *spec, const su__place_pair_t *pp,
                        pair_list_t *l, uvec_t *all)
{
  su_place_scope_t sc;
  su_place_t place;
  unsigned *v = NULL, n = 0, nfine = 0;
  int err;

  if ((err = su_place_parse(pp->place, &place)))
    return err;
  err = su_place_scope(t, &place, &sc);
  su_place_fini(&place);
  if (err)
    return err;
  l->pus = sc.pus;
  if (pp->threads || !spec) {
    unsigned one = pp->threads ? pp->threads : 1;
    v = malloc(sizeof(*v));
    if (!v)
      return su_errorf(SU_ENOMEM, "out of memory while planning");
    v[0] = one;
    n = 1;
  } else {
    uvec_t u = {0};
    if ((err = parse_threads_in(spec[0] ? spec : "ladder", &sc, &u.v, &n)))
      return err;
    u.n = u.cap = n;
    if (pp->limit) {
      /* kind:N: its ladder stops at the kind's PUs and has its cores and PUs. */
      size_t m = 0;
      for (size_t i = 0; i < u.n; i++)
        if (u.v[i] <= pp->limit)
          u.v[m++] = u.v[i];
      u.n = m;
      if ((err = VEC_PUSH(&u, pp->kind_cores ? pp->kind_cores : 1)) ||
          (err = VEC_PUSH(&u, pp->limit))) {
        free(u.v);
        return err;
      }
      n = sort_unique(u.v, (unsigned)u.n);
    }
    v = u.v;
  }
  l->v = v;
  l->n = n;
  if (!(l->keep = calloc(n ? n : 1, 1)))
    return su_errorf(SU_ENOMEM, "out of memory while planning");
  for (unsigned i = 0; i < n; i++) {
    int mark = v[i] == 1 || v[i] == sc.llc_cores || v[i] == sc.numa_cores ||
               v[i] == sc.package_cores || v[i] == sc.cores || v[i] == sc.pus || i + 1 == n;
    l->keep[i] = mark ? 0 : (unsigned char)fine_level(++nfine, 1u << 30);
    if ((err = VEC_PUSH(all, v[i])))
      return err;
  }
  return SU_OK;
}

/*
 * The points of one (backend, kernel) pair in one group.  `asked`: the user
 * named this backend (--backend, --device, or -k of a kernel only it has);
 * otherwise a device backend measures only GPUs and accelerators, and where
 * there are none (or no runtime) the pair plans nothing and says why in
 * plan->notes.
 */
static int plan_kernel(su_plan_t *plan, su_topo_t *t, const plan_env_t *e, const su_group_t *g,
                       const su_plan_filter_t *f, const su_backend_t *b,
                       const su_kernel_ops_t *ops, double budget, int asked)
{
  char pbuf[64], vbuf[128], lbuf[256], *ptok[8], *vtok[16], *ltok[16];
  unsigned np, nv, nl, nthreads = 0, nsizes = 0, ndev = 1, devs[16] = {0};
  unsigned *threads = NULL;
  u64vec_t sv = {0};
  const uint64_t *sizes;
  char devnames[16][128], cpusets[16][256], aggnames[16][128], aggsets[16][256];
  int accel[16] = {0};
  unsigned agg[16], nagg = 0;
  const char *prec = f->precision ? f->precision : g->precision;
  const char *var = f->variants ? f->variants : g->variants;
  const char *thr = AXIS(f, g, threads), *plc = AXIS(f, g, placement);
  const char *siz = AXIS(f, g, sizes);
  const int auto_sizes = !siz || !siz[0] || strcmp(siz, "auto") == 0;
  const int llc_team = ops->size_rule == SU_SIZE_4X_LLC && auto_sizes;
  const int sweep = (siz && strcmp(siz, "sweep") == 0) ||
                    (auto_sizes && (ops->size_rule == SU_SIZE_SWEEP_CACHE ||
                                    ops->size_rule == SU_SIZE_SWEEP_LAT));
  const char *mem = f->memory ? f->memory : g->memory;
  const int host = (b->flags & SU_BACKEND_HOST_THREADS) != 0;
  char why[160] = "";
  void *ctx = NULL;
  su__place_pair_t *pairs = NULL;
  unsigned npairs = 0;
  pair_list_t *lists = NULL;
  uvec_t all = {0};
  int err = SU_OK;

  /* Precisions: "auto" = every one the implementation has, widest first. */
  if (!prec[0] || strcmp(prec, "auto") == 0)
    prec = ops->precisions == 0 ? "none" : "fp64,fp32,fp16";
  snprintf(pbuf, sizeof(pbuf), "%s", prec);
  np = split_list(pbuf, ptok, 8);
  if (!var[0] || strcmp(var, "auto") == 0)
    var = ops->variants;
  snprintf(vbuf, sizeof(vbuf), "%s", var);
  nv = split_list(vbuf, vtok, 16);
  snprintf(lbuf, sizeof(lbuf), "%s", host && plc[0] ? plc : "compact");
  nl = split_list(lbuf, ltok, 16);
  if ((err = parse_sizes(e, ops, siz, &sv)))
    goto out;
  sizes = sv.v;
  nsizes = (unsigned)sv.n;
  if (host) {
    snprintf(devnames[0], 128, "%s", e->sum.cpu_model[0] ? e->sum.cpu_model : "cpu");
  } else {
    /* a device kernel is driven by one bound host thread */
    nthreads = 1;
    if (plan_backend(plan, b, &ctx) != SU_OK) {
      if (!asked) {
        plan_note(plan, "%s: no accelerator measured: %s", b->name, plan_backend_why(plan, b));
        goto out;
      }
      snprintf(why, sizeof(why), "%s", plan_backend_why(plan, b));
      snprintf(devnames[0], 128, "none");
    } else if ((err = select_devices(b, ctx, f->device, asked, devs, devnames, cpusets, accel, 16,
                                     &ndev))) {
      goto out;
    } else if (ndev == 0 && !asked) {
      plan_note(plan, "%s: no GPU or accelerator found, nothing measured (CPU devices: "
                "--backend %s or --device)", b->name, b->name);
      goto out;
    } else if (ndev == 0) {
      snprintf(why, sizeof(why), "no %s device found", b->name);
      snprintf(devnames[0], 128, "none");
      ndev = 1;
    }
  }

  /* Devices are a scaling axis: each device alone, then the first k of them
   * at once for k = 2..n (aggregate bandwidth and FLOP/s; latencies do not
   * add up, so latency kernels stay per device).  Only devices of the first
   * one's model are aggregated: a GPU and a CPU device at once is no figure
   * of the node. */
  for (unsigned i = 0; i < ndev && !why[0]; i++)
    if (base_len(devnames[i]) == base_len(devnames[0]) &&
        strncmp(devnames[i], devnames[0], base_len(devnames[0])) == 0) {
      agg[nagg] = devs[i];
      memcpy(aggnames[nagg], devnames[i], sizeof(aggnames[0]));
      memcpy(aggsets[nagg], cpusets[i], sizeof(aggsets[0]));
      nagg++;
    }
  const int devpairs = !host && !why[0] && (ops->flags & SU_KERNEL_PAIRS);
  unsigned nmulti = !devpairs && !host && nagg > 1 && ops->desc->metric != SU_METRIC_LATENCY
                        ? nagg - 1 : 0;

  /* Placements crossed with memory placements (memplan.c); a device
   * kernel's memory is the device's. */
  /* -t or -P on the command line say where the threads go: a group's NUMA
   * matrix (which has its own) gives way, unless --memory asks for it. */
  if ((err = su__place_pairs(t, host ? mem : NULL, !f->memory && (f->threads || f->placement),
                             ltok, nl, ops,
                             !siz[0] || strcmp(siz, "auto") == 0 || strcmp(siz, "sweep") == 0,
                             &pairs, &npairs)))
    goto out;
  if (host && npairs == 0 && f->placement) {
    /* Only `kinds` expands to nothing: on a machine of one CPU kind. */
    err = su_errorf(SU_EINVAL, "placement '%s' plans nothing here: the machine has one CPU "
                    "kind ('kinds' is for hybrid CPUs; use compact or scatter)", f->placement);
    goto out;
  }
  if (!(lists = calloc(npairs ? npairs : 1, sizeof(*lists)))) {
    err = su_errorf(SU_ENOMEM, "out of memory while planning");
    goto out;
  }
  /* Each placement has its own thread list (numa:N's ladder stops at its
   * node); the points go thread count by thread count, placement by
   * placement, as they always did. */
  for (unsigned il = 0; il < npairs && !err; il++)
    err = pair_threads(t, host ? thr : NULL, &pairs[il], &lists[il], &all);
  if (err)
    goto out;
  threads = all.v;
  nthreads = (unsigned)all.n;
  if (nthreads)
    nthreads = sort_unique(threads, nthreads);

  for (unsigned d = 0; d < ndev + nmulti; d++)
  for (unsigned q = 0; q < (devpairs ? ndev : 1); q++) /* pair kernels: to device q */
  for (unsigned ip = 0; ip < np; ip++) {
    const unsigned k = d < ndev ? 1 : d - ndev + 2; /* devices in this point */
    su_precision_t pr;
    if ((err = su_precision_parse(ptok[ip], &pr)))
      goto out;
    if (ops->precisions == 0 ? pr != SU_PREC_NONE : !(ops->precisions & pr)) {
      if (strcmp(prec, "fp64,fp32,fp16") == 0 || (f->precision && ops->precisions == 0))
        continue; /* "auto" or a global override: skip what the kernel lacks */
      err = su_errorf(SU_EINVAL, "kernel '%s' has no precision '%s'", ops->desc->name,
                      ptok[ip]);
      goto out;
    }
    for (unsigned iv = 0; iv < nv; iv++)
    for (unsigned it = 0; it < nthreads; it++)
    for (unsigned il = 0; il < npairs; il++)
    for (unsigned is = 0; is < nsizes; is++) {
      const su__place_pair_t *pp = &pairs[il];
      const unsigned nthr = threads[it];
      uint64_t size = pp->size_bytes ? pp->size_bytes : sizes[is];
      int keep;
      su_point_t pt;
      su_place_t place;
      /* The NUMA matrix has its own size. */
      if ((pp->size_bytes && is > 0) || !(keep = list_keep(&lists[il], nthr)))
        continue;
      memset(&pt, 0, sizeof(pt));
      pt.rung_keep = (unsigned char)(keep - 1);
      pt.size_keep = pp->size_bytes ? 0 : (unsigned char)fine_level(is, nsizes);
      pt.backend = b;
      pt.device = k > 1 ? agg[0] : devs[d];
      snprintf(pt.device_name, sizeof(pt.device_name), "%.127s", k > 1 ? aggnames[0] : devnames[d]);
      if (k > 1) {
        multi_device_name(aggnames, k, pt.device_name, sizeof(pt.device_name));
        pt.ndevices = k;
        memcpy(pt.devices, agg, k * sizeof(agg[0]));
      }
      if (devpairs) {
        const char *to = strrchr(devnames[q], '[');
        pt.has_peer = 1;
        pt.peer = devs[q];
        snprintf(pt.device_name, sizeof(pt.device_name), "%.100s -> %.20s", devnames[d],
                 to ? to : devnames[q]);
      }
      pt.ops = ops;
      pt.prec = pr;
      snprintf(pt.variant, sizeof(pt.variant), "%s", vtok[iv]);
      pt.threads = k > 1 ? k : nthr; /* one host thread per device */
      pt.size_bytes = size;
      /* A GPU's default working set is its own (the plateau is far above a
       * CPU device's); the kernel clamps it to the device's memory. */
      int dev_default = !host && ops->accel_size_bytes && ops->size_rule == SU_SIZE_FIXED &&
                        (!siz || !siz[0] || strcmp(siz, "auto") == 0) && accel[k > 1 ? 0 : d];
      if (dev_default)
        pt.size_bytes = ops->accel_size_bytes;
      pt.budget_s = budget;
      snprintf(pt.unsupported, sizeof(pt.unsupported), "%s", why[0] ? why : pp->why);
      if ((err = su_place_parse(pp->place, &place)))
        goto out;
      snprintf(pt.placement, sizeof(pt.placement), "%s", place.spec);
      /* Bound memory is part of the placement's text, the key of every row. */
      if (pp->mem >= 0 &&
          snprintf(pt.placement, sizeof(pt.placement), "%s+mem:%d", place.spec, pp->mem) >=
              (int)sizeof(pt.placement)) {
        err = su_errorf(SU_EINVAL, "placement '%s' with memory on node %d is too long",
                        place.spec, pp->mem);
        su_place_fini(&place);
        goto out;
      }
      pt.mem_bound = pp->mem >= 0;
      pt.mem_numa = pp->mem >= 0 ? (unsigned)pp->mem : 0;
      pt.pus = calloc(pt.threads, sizeof(unsigned));
      if (!pt.pus) {
        su_place_fini(&place);
        err = su_errorf(SU_ENOMEM, "cannot allocate the plan");
        goto out;
      }
      if (host && pt.threads > lists[il].pus) {
        /* A team the placement cannot hold is a row that says so. */
        snprintf(pt.skipped, sizeof(pt.skipped), "cannot place %u threads with '%s': %s %u PUs",
                 pt.threads, place.spec, place.kind == SU_PLACE_COMPACT ||
                 place.kind == SU_PLACE_SCATTER ? "the topology has" : "it has", lists[il].pus);
        su_place_fini(&place);
        err = plan_skip(plan, &pt);
        if (err)
          goto out;
        continue;
      }
      err = su_place_plan(t, &place, pt.threads, pt.pus, &pt.cpuset);
      su_place_fini(&place);
      if (err && k > 1) {
        /* More devices than PUs to drive them: no aggregate point. */
        free(pt.pus);
        su_errclear();
        err = SU_OK;
        continue;
      }
      if (!err && !host)
        err = place_near_devices(&pt, k > 1 ? aggsets : &cpusets[d], k);
      if (!err)
        pt.cpu_numa = su_topo_numa_of_pus(t, pt.pus, pt.threads);
      if (!err && host && sweep && pp->mem < 0 && is > 0) {
        /* A sweep goes past the caches the team uses (to 8x them) and
         * stops: past that every size measures the same main memory, and
         * a one-thread latency chase over 8x all the L3s of a 2 x 96-core
         * node is seconds per lap. */
        uint64_t llc = su_topo_llc_of_pus(t, pt.pus, pt.threads);
        if (llc && sizes[is - 1] >= 8 * llc) {
          free(pt.pus);
          free(pt.cpuset);
          continue;
        }
      }
      if (!err && host && llc_team && pp->mem < 0) {
        /* STREAM's rule counts the last-level caches used in the run (the
         * comment in McCalpin's stream.c): a team reaches only the caches
         * serving its own PUs, so one core of a 2 x 96-core machine needs
         * arrays of 4x its one L3, not of 4x all 24 of them. */
        uint64_t llc = su_topo_llc_of_pus(t, pt.pus, pt.threads);
        if (llc)
          pt.size_bytes = 4 * llc * (ops->desc->nstreams ? ops->desc->nstreams : 1);
      }
      if (!err && !dev_default &&
          check_memory(e, ops, pt.size_bytes, pt.threads, pp->mem_bytes) != SU_OK) {
        /* Arrays larger than memory: skipped, with the sizes in the reason. */
        snprintf(pt.skipped, sizeof(pt.skipped), "%s", su_errmsg());
        su_errclear();
      }
      if ((err = plan_keep(plan, &pt, err)))
        goto out;
    }
  }
out:
  for (unsigned il = 0; lists && il < npairs; il++) {
    free(lists[il].v);
    free(lists[il].keep);
  }
  free(lists);
  free(threads);
  free(sv.v);
  free(pairs);
  return err;
}

/*
 * An application group: its command registered with the app backend, then
 * one point per ranks x threads x placement, planned on threads x ranks PUs
 * exactly as a kernel's threads are (the child is bound to all of them).
 */
static int plan_app(su_plan_t *plan, su_topo_t *t, const plan_env_t *e, const su_group_t *g,
                    const su_plan_filter_t *f, double budget)
{
  const su_backend_t *b = su_backend_find("app");
  const su_kernel_ops_t *ops;
  const char *thr = f->threads ? f->threads : g->threads;
  const char *plc = f->placement ? f->placement : g->placement;
  unsigned *threads = NULL, *ranks = NULL, zero = 0, nthreads, nranks = 1, nl;
  unsigned maxt = e->sum.cores ? e->sum.cores : e->sum.pus;
  char lbuf[256], *ltok[16];
  void *ctx;
  int err;

  if ((err = plan_backend(plan, b, &ctx)))
    return su_errorf(err, "%s", plan_backend_why(plan, b));
  if ((err = su_app_register(ctx, &g->app, &ops)))
    return err;
  if ((err = su_parse_threads(thr[0] ? thr : "1..max", maxt, &threads, &nthreads)))
    return err;
  if (g->app.ranks[0] && (err = su_parse_threads(g->app.ranks, e->sum.pus, &ranks, &nranks)))
    goto out;
  if (!ranks)
    ranks = &zero;
  snprintf(lbuf, sizeof(lbuf), "%s", plc[0] ? plc : "compact");
  nl = split_list(lbuf, ltok, 16);
  for (unsigned ir = 0; ir < nranks; ir++)
  for (unsigned it = 0; it < nthreads; it++)
  for (unsigned il = 0; il < nl; il++) {
    su_point_t pt;
    su_place_t place;
    unsigned npus = threads[it] * (ranks[ir] ? ranks[ir] : 1);

    memset(&pt, 0, sizeof(pt));
    pt.backend = b;
    pt.ops = ops;
    pt.prec = SU_PREC_NONE;
    pt.threads = threads[it];
    pt.ranks = ranks[ir];
    pt.budget_s = budget;
    snprintf(pt.device_name, sizeof(pt.device_name), "%s",
             e->sum.cpu_model[0] ? e->sum.cpu_model : "cpu");
    if ((err = su_place_parse(ltok[il], &place)))
      goto out;
    snprintf(pt.placement, sizeof(pt.placement), "%s", place.spec);
    if (!(pt.pus = calloc(npus, sizeof(unsigned)))) {
      su_place_fini(&place);
      err = su_errorf(SU_ENOMEM, "cannot allocate the plan");
      goto out;
    }
    /* More threads than PUs: an application may oversubscribe them (its
     * threads share the machine's PUs, listed once in the cpuset). */
    unsigned have = npus > e->sum.pus && e->sum.pus ? e->sum.pus : npus;
    err = su_place_plan(t, &place, have, pt.pus, &pt.cpuset);
    su_place_fini(&place);
    for (unsigned i = have; i < npus && !err; i++)
      pt.pus[i] = pt.pus[i % have];
    if ((err = plan_keep(plan, &pt, err)))
      goto out;
  }
out:
  free(threads);
  if (ranks != &zero)
    free(ranks);
  return err;
}

/* A group runs on its own backends ("cpu" when it names none), narrowed by
 * --backend. */
static int group_has_backend(const su_group_t *g, const su_plan_filter_t *f,
                             const su_backend_t *b)
{
  const char *own = g->backend[0] ? g->backend : "cpu";

  /* A modelled backend (null) is planned only when --backend names it, and
   * then stands in for the CPU. */
  if (b->flags & SU_BACKEND_VIRTUAL)
    return f->backend && has_token(f->backend, b->name) &&
           (strcmp(own, "all") == 0 || has_token(own, "cpu") || has_token(own, b->name));
  if (strcmp(own, "all") != 0 && !has_token(own, b->name))
    return 0;
  if (f->backend && f->backend[0] && strcmp(f->backend, "all") != 0 &&
      !has_token(f->backend, b->name))
    return 0;
  return 1;
}

/* "unknown kernel 'x' (did you mean 'y'? see 'sizeup list')": what is
 * "kernel" (every backend's kernels) or "backend". */
static int unknown_name(const char *what, const char *name)
{
  const char *names[256];
  size_t n = 0;
  char hint[96];

  for (const su_backend_t *const *b = su_backends(); *b; b++) {
    if (strcmp(what, "backend") == 0 && n < 256)
      names[n++] = (*b)->name;
    for (const su_kernel_ops_t *const *k = (*b)->kernels; strcmp(what, "kernel") == 0 && *k;
         k++)
      if (n < 256)
        names[n++] = (*k)->desc->name;
  }
  return su_errorf(SU_EINVAL, "unknown %s '%s' (%ssee 'sizeup list')", what, name,
                   su_suggest_hint(name, NULL, names, n, hint, sizeof(hint)));
}

int su_plan_build(su_plan_t *plan, su_topo_t *t, const su_group_t *groups, size_t ngroups,
                  const su_plan_filter_t *f, const su_measure_opts_t *mo)
{
  plan_env_t e;
  int err;

  if ((err = su_topo_summarize(t, &e.sum)))
    return err;
  e.mem_bytes = e.sum.memory_bytes;
  if (su_topo_is_this_system(t)) {
    /* hwloc may report less than the OS sees (hot-plugged memory on VMs). */
    long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
    if (pages > 0 && psz > 0 && (uint64_t)pages * (uint64_t)psz > e.mem_bytes)
      e.mem_bytes = (uint64_t)pages * (uint64_t)psz;
  }
  if (f->backend && f->backend[0] && strcmp(f->backend, "all") != 0) {
    char buf[64], *tok[8];
    unsigned n;
    snprintf(buf, sizeof(buf), "%s", f->backend);
    n = split_list(buf, tok, 8);
    for (unsigned i = 0; i < n; i++)
      if (!su_backend_find(tok[i]))
        return unknown_name("backend", tok[i]);
  }
  /* --kernels filters the suite's groups; a kernel no group has is planned
   * with the default axes. */
  char fbuf[512], *ftok[SU_MAX_LIST];
  unsigned nf = 0;
  unsigned used[SU_MAX_LIST] = {0}; /* per --kernels entry: bit per backend planned */
  su_group_t dflt;

  if (f->kernels) {
    snprintf(fbuf, sizeof(fbuf), "%s", f->kernels);
    nf = split_list(fbuf, ftok, SU_MAX_LIST);
    if (nf == 0)
      return su_errorf(SU_EINVAL, "empty kernel list '%s'", f->kernels);
  }
  for (size_t gi = 0; gi <= ngroups; gi++) {
    const su_group_t *g = gi < ngroups ? &groups[gi] : &dflt;
    char kbuf[512], *ktok[SU_MAX_LIST];
    unsigned nk;

    if (gi == ngroups) {
      /* The default group: whatever --kernels named that no group planned. */
      memset(&dflt, 0, sizeof(dflt));
      snprintf(dflt.name, sizeof(dflt.name), "default");
      snprintf(dflt.placement, sizeof(dflt.placement), "compact");
      snprintf(dflt.backend, sizeof(dflt.backend), "%s",
               f->backend && f->backend[0] ? f->backend : "all");
      /* Without --backend, a kernel the CPU has runs on the CPU only. */
      for (unsigned i = 0; i < nf; i++)
        if (!(used[i] & (1u << backend_slot(su_backend_find("app")))) &&
            strlen(dflt.kernels) + strlen(ftok[i]) + 2 < sizeof(dflt.kernels)) {
          strcat(dflt.kernels, dflt.kernels[0] ? "," : "");
          strcat(dflt.kernels, ftok[i]);
        }
    }
    if (gi < ngroups && g->app.command[0]) {
      /* An application: --kernels may name it; --backend must allow app. */
      int wanted = !f->kernels;
      for (unsigned i = 0; i < nf; i++)
        if (strcmp(ftok[i], g->app.name) == 0)
          wanted = 1, used[i] |= 1u << backend_slot(su_backend_find("app"));
      if (wanted && (!f->backend || !f->backend[0] || strcmp(f->backend, "all") == 0 ||
                     has_token(f->backend, "app")) &&
          (err = plan_app(plan, t, &e, g, f, g->budget_s > 0 ? g->budget_s : mo->budget_s)))
        return err;
      continue;
    }
    snprintf(kbuf, sizeof(kbuf), "%s", g->kernels);
    nk = split_list(kbuf, ktok, SU_MAX_LIST);
    for (unsigned k = 0; k < nk; k++) {
      int known = 0, wanted = !f->kernels, match = -1;
      for (unsigned i = 0; i < nf; i++)
        if (strcmp(ftok[i], ktok[k]) == 0)
          wanted = 1, match = (int)i;
      if (!wanted)
        continue;
      for (const su_backend_t *const *b = su_backends(); *b; b++) {
        const su_kernel_ops_t *ops = su_backend_kernel(*b, ktok[k]);
        unsigned bit = 1u << backend_slot(*b);
        if (!ops)
          continue;
        known = 1;
        /* The default group plans only what no group planned. */
        if (!group_has_backend(g, f, *b) || (gi == ngroups && match >= 0 && (used[match] & bit)))
          continue;
        if (gi == ngroups && !(f->backend && f->backend[0]) && strcmp((*b)->name, "cpu") != 0 &&
            su_backend_kernel(su_backend_find("cpu"), ktok[k]))
          continue;
        int asked = gi == ngroups || (f->device && f->device[0]) ||
                    (f->backend && has_token(f->backend, (*b)->name));
        size_t before = plan->n;
        if ((err = plan_kernel(plan, t, &e, g, f, *b, ops,
                               g->budget_s > 0 ? g->budget_s : mo->budget_s, asked)))
          return err;
        if (match >= 0 && plan->n > before)
          used[match] |= bit;
      }
      if (!known)
        return unknown_name("kernel", ktok[k]);
    }
  }
  if (plan->n == 0 && plan->nnotes)
    return su_errorf(SU_EINVAL, "the plan is empty: %s", plan->notes[0]);
  if (plan->n == 0)
    return su_errorf(SU_EINVAL, "the plan is empty: no kernel matches the selected backend");
  su__plan_estimate(plan, t, mo);
  return su__plan_fit(plan, t, mo, f->time_limit_s);
}

void su_plan_fini(su_plan_t *plan)
{
  int slot = 0;

  for (size_t i = 0; i < plan->n; i++) {
    free(plan->points[i].pus);
    free(plan->points[i].cpuset);
  }
  free(plan->points);
  for (const su_backend_t *const *b = su_backends(); *b && slot < 8; b++, slot++)
    if (plan->backend_ctx[slot])
      (*b)->fini(plan->backend_ctx[slot]);
  su_energy_close(plan->energy);
  memset(plan, 0, sizeof(*plan));
}
