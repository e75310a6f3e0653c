/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * latency.c: latency_chase on the CPU backend: the load-to-use latency of
 * each level of the memory hierarchy, from dependent loads `p = *p` over a
 * random cyclic permutation of 64-byte lines (the method of lmbench's
 * lat_mem_rd and of every pointer-chasing benchmark since).
 *
 * The working set (p->size_bytes, per thread) is split into 64-byte lines;
 * line i holds a pointer to line perm[i], where perm is one random cycle
 * through all lines (Sattolo's algorithm, so the chase visits every line
 * before it comes back; seeded with a fixed splitmix64 seed, so every run
 * and every machine chases the same order).  Random order defeats the
 * hardware prefetchers, and each load's address depends on the previous
 * load, so loads cannot overlap: time / loads is the latency.  With more
 * than one thread each thread chases its own chain in its own memory, first
 * touched by itself, so the working set per thread is size_bytes (loaded
 * latency).  One inner repetition is one full lap of n_lines loads, so the
 * driver's time / work.items is nanoseconds per load.
 *
 * Verification: the permutation is also kept as an index array that is
 * never chased.  setup() checks once that it is a single cycle through all
 * n_lines lines; verify() checks that every thread's chain in memory still
 * matches it line by line and that every thread ended where k full laps
 * must end: where it started.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include <omp.h>

#include "cpu/cpu.h"
#include "sizeup/error.h"

#define SU_LAT_LINE_BYTES 64
/* From this size su__cpu_alloc aligns to 2 MiB, and the working set is
 * bigger than what a 4 KiB-page L2 TLB maps on current cores (~8-12 MiB
 * with 2-3K entries, less with one thread's share). */
#define SU_LAT_HUGEPAGE_BYTES ((size_t)4 << 20)
#define SU_LAT_SEED UINT64_C(0x73697a6575702121)

typedef struct lat_line {
  struct lat_line *next;
  unsigned char pad[SU_LAT_LINE_BYTES - sizeof(struct lat_line *)];
} lat_line_t;

_Static_assert(sizeof(lat_line_t) == SU_LAT_LINE_BYTES, "a chain link is one cache line");

typedef struct lat_state {
  unsigned nthreads;
  size_t n_lines;
  uint32_t *perm;          /* perm[i]: the line after line i; the reference */
  int perm_ok;             /* perm is one cycle through all lines (setup) */
  lat_line_t **chain;      /* nthreads chains of n_lines lines */
  lat_line_t *volatile *pos; /* each thread's pointer after the last lap */
  uint64_t laps;           /* full laps every thread has run */
} lat_state_t;

/* splitmix64 (Steele, Lea and Flood, OOPSLA 2014; Vigna's reference
 * constants): a fixed seed gives the same permutation everywhere. */
static uint64_t lat_splitmix64(uint64_t *state)
{
  uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Sattolo's algorithm (1986): a uniformly random cyclic permutation, i.e.
 * one cycle of length n.  The modulo bias is below n / 2^64: negligible. */
static void lat_sattolo(uint32_t *perm, size_t n)
{
  uint64_t seed = SU_LAT_SEED;

  for (size_t i = 0; i < n; i++)
    perm[i] = (uint32_t)i;
  for (size_t i = n - 1; i > 0; i--) {
    size_t j = (size_t)(lat_splitmix64(&seed) % i); /* 0 <= j < i */
    uint32_t tmp = perm[i];

    perm[i] = perm[j];
    perm[j] = tmp;
  }
}

/* 1 if perm is a permutation forming a single cycle through all n lines:
 * starting from line 0, the first return to 0 takes exactly n steps (and
 * then n distinct lines were visited, so none was missed). */
static int lat_is_one_cycle(const uint32_t *perm, size_t n)
{
  size_t i = 0, steps = 0;

  do {
    if (perm[i] >= n)
      return 0;
    i = perm[i];
    steps++;
  } while (i != 0 && steps <= n);
  return i == 0 && steps == n;
}

/* One full lap: n dependent loads. */
static lat_line_t *lat_lap(lat_line_t *p, size_t n)
{
#pragma GCC unroll 8
  for (size_t i = 0; i < n; i++)
    p = p->next;
  return p;
}

static void lat_teardown(void *state)
{
  lat_state_t *s = state;

  if (!s)
    return;
  if (s->chain)
    for (unsigned t = 0; t < s->nthreads; t++)
      su__cpu_free(s->chain[t]);
  free(s->chain);
  free((void *)s->pos);
  free(s->perm);
  free(s);
}

static int lat_setup(const su_params_t *p, void **state, su_work_t *work)
{
  lat_state_t *s = NULL;
  size_t n_lines, bytes;
  int err = SU_OK;

  if (p->prec != SU_PREC_NONE)
    return su_errorf(SU_ENOTSUP, "latency_chase has no '%s' precision",
                     su_precision_name(p->prec));
  if (p->variant && *p->variant && strcmp(p->variant, "random") != 0)
    return su_errorf(SU_EINVAL, "unknown latency_chase variant '%s' (expected random)",
                     p->variant);
  if (p->nthreads == 0)
    return su_errorf(SU_EINVAL, "latency_chase needs at least one thread");
  n_lines = (size_t)(p->size_bytes / SU_LAT_LINE_BYTES);
  if (n_lines < 2)
    return su_errorf(SU_EINVAL, "latency_chase size '%llu' is below two 64-byte lines",
                     (unsigned long long)p->size_bytes);
  if ((uint64_t)n_lines > UINT32_MAX)
    return su_errorf(SU_EINVAL, "latency_chase size '%llu' exceeds 2^32 lines",
                     (unsigned long long)p->size_bytes);
  bytes = n_lines * SU_LAT_LINE_BYTES;

  s = calloc(1, sizeof(*s));
  if (!s)
    return su_errorf(SU_ENOMEM, "cannot allocate the latency_chase state");
  s->nthreads = p->nthreads;
  s->n_lines = n_lines;
  s->perm = malloc(n_lines * sizeof(*s->perm));
  s->chain = calloc(p->nthreads, sizeof(*s->chain));
  s->pos = calloc(p->nthreads, sizeof(*s->pos));
  if (!s->perm || !s->chain || !s->pos) {
    err = su_errorf(SU_ENOMEM, "cannot allocate a %zu-line permutation", n_lines);
    goto out;
  }
  for (unsigned t = 0; t < s->nthreads; t++) {
    s->chain[t] = su__cpu_alloc(bytes);
    if (!s->chain[t]) {
      err = su_errorf(SU_ENOMEM, "cannot allocate %zu bytes for thread %u's chain", bytes,
                      t);
      goto out;
    }
#ifdef MADV_HUGEPAGE
    /* Transparent huge pages for large working sets, before the first
     * touch: with 4 KiB pages most loads past the TLB reach also pay a page
     * walk, and the figure would mix DRAM and page-walk latency (on the
     * development VM: ~140-165 ns with 2 MiB pages, ~160-240 ns with 4 KiB
     * pages).  Advice only: if the kernel declines, the chase still runs. */
    if (bytes >= SU_LAT_HUGEPAGE_BYTES)
      (void)madvise(s->chain[t], bytes, MADV_HUGEPAGE);
#endif
  }
  lat_sattolo(s->perm, n_lines);
  s->perm_ok = lat_is_one_cycle(s->perm, n_lines);

#pragma omp parallel num_threads(s->nthreads)
  {
    /* Each thread links (first touches) its own chain; the stride covers
     * every chain even if OpenMP gives a smaller team (run() rejects one). */
    unsigned tid = (unsigned)omp_get_thread_num();
    unsigned team = (unsigned)omp_get_num_threads();

    for (unsigned t = tid; t < s->nthreads; t += team) {
      lat_line_t *c = s->chain[t];

      for (size_t i = 0; i < n_lines; i++)
        c[i].next = &c[s->perm[i]];
      s->pos[t] = &c[0];
    }
  }

  memset(work, 0, sizeof(*work));
  work->items = (double)n_lines;
  /* STREAM convention: the bytes the kernel asks for, one pointer per load. */
  work->bytes = (double)s->nthreads * (double)n_lines * sizeof(lat_line_t *);
  work->size_bytes = bytes;
  snprintf(work->variant, sizeof(work->variant), "random");
  *state = s;
  s = NULL;
out:
  lat_teardown(s);
  return err;
}

/* One run(): `inner` laps on every thread. */
typedef struct lat_run_arg {
  lat_state_t *s;
  uint64_t inner;
} lat_run_arg_t;

static void lat_run_thread(void *arg, unsigned tid)
{
  const lat_run_arg_t *a = arg;
  const uint64_t inner = a->inner;
  const size_t n_lines = a->s->n_lines;
  lat_line_t *p = a->s->pos[tid];

  for (uint64_t r = 0; r < inner; r++)
    p = lat_lap(p, n_lines);
  a->s->pos[tid] = p; /* volatile: the loads cannot be dropped */
}

static int lat_run(void *state, uint64_t inner, su_timing_t *t)
{
  lat_state_t *s = state;
  lat_run_arg_t a = {s, inner};
  int err;

  (void)t;
  err = su__cpu_each_thread(s->nthreads, lat_run_thread, &a, "latency_chase");
  if (err)
    return err;
  s->laps += inner;
  return SU_OK;
}

static int lat_verify(void *state, su_verify_t *v)
{
  lat_state_t *s = state;

  v->max_rel_err = 1.0;
  v->tol = 0.0;
  if (!s->perm_ok)
    return su_errorf(SU_EVERIFY, "latency_chase permutation is not one cycle of %zu lines",
                     s->n_lines);
  for (unsigned t = 0; t < s->nthreads; t++) {
    const lat_line_t *c = s->chain[t];
    const lat_line_t *end = s->pos[t];

    if (end != &c[0])
      return su_errorf(SU_EVERIFY, "latency_chase thread %u ended at line %td, not at "
                       "line 0 where %llu full laps of %zu lines end", t, end - c,
                       (unsigned long long)s->laps, s->n_lines);
    for (size_t i = 0; i < s->n_lines; i++)
      if (c[i].next != &c[s->perm[i]])
        return su_errorf(SU_EVERIFY, "latency_chase thread %u line %zu points to line %td, "
                         "not %u", t, i, c[i].next - c, (unsigned)s->perm[i]);
  }
  v->max_rel_err = 0.0;
  return SU_OK;
}

/* Moves thread 0's saved position one line on, as if a load were lost. */
static void lat_corrupt(void *state)
{
  lat_state_t *s = state;

  s->pos[0] = s->pos[0]->next;
}

/*
 * precisions = 0 means "no floating-point type": SU_PREC_NONE is 0 and
 * cannot be a bit of the mask, so the driver runs a kernel whose mask is 0
 * once, with SU_PREC_NONE.
 */
const su_kernel_ops_t su_cpu_latency_chase_ops = {
  .desc = &su_desc_latency_chase,
  .precisions = 0,
  .variants = "random",
  .size_rule = SU_SIZE_SWEEP_LAT,
  .setup = lat_setup,
  .run = lat_run,
  .verify = lat_verify,
  .teardown = lat_teardown,
  .derive = NULL,
  .corrupt = lat_corrupt,
};
