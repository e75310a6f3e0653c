/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * stream.c: the CPU STREAM kernels (copy, scale, add, triad after McCalpin's
 * STREAM, plus dot and read after BabelStream and likwid-bench), in FP64 and
 * FP32, in two variants:
 *
 *   - "omp": plain loops that the compiler vectorises (`#pragma omp simd`);
 *     stores go through the caches, so large working sets pay the
 *     write-allocate traffic that STREAM's byte count leaves out.
 *   - "nt":  non-temporal (streaming) stores written with intrinsics, for
 *     copy/scale/add/triad only; the widest ISA this CPU has is picked at
 *     run time (AVX-512F, else AVX, else SSE2).  "nt_avx512", "nt_avx" and
 *     "nt_sse2" force one ISA (SU_ENOTSUP if the CPU lacks it), so each
 *     code path can be tested on a machine that has them all.
 *
 * Each kernel's body is written once, as a macro, and instantiated per
 * element type (and per ISA for "nt").  Every array is split into one
 * contiguous chunk per thread, a whole number of 64-byte lines, so that
 * streaming stores are always aligned; setup() first-touches each chunk from
 * the thread that run() later sweeps it with.
 *
 * Verification follows BabelStream's check_solution: the arrays start at
 * known constants and each kernel runs alone, so its result is a closed form
 * of those constants, checked on every element.
 */
#include <float.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "sizeup/error.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SU_STREAM_X86 1
#else
#define SU_STREAM_X86 0
#endif

/* Threads' chunks are whole cache lines: aligned streaming stores need it,
 * and no two threads ever write the same line (no false sharing). */
#define SU_STREAM_LINE_BYTES 64
/* Each thread owns at least this many elements, else setup says SU_EINVAL. */
#define SU_STREAM_MIN_ELEMS_PER_THREAD 64

/*
 * Reductions (dot, read) accumulate in the element type within blocks of
 * SU_STREAM_BLOCK elements and fold each block's partial sums into a double.
 * Why: a float has a 24-bit significand, so a plain float sum of 1e8 terms
 * of 0.1 stops growing once the sum reaches about 2^21 (each 0.1 is then
 * below half an ulp), and even long before that every addition rounds away
 * a relative 2^-24 of the sum; the result would be off by tens of percent.
 * A block of 2048 terms keeps the float error near 2048 * 2^-24 ~ 1e-4 of
 * the block at worst (in practice ~1e-7, the terms being alike), and the
 * double fold adds only ~n/2048 * 2^-53.  The inner loop still runs in the
 * element type, so FP32 keeps its twice-wider vectors.
 *
 * The block is summed into SU_STREAM_ACC_BYTES worth of independent
 * accumulators (4 AVX-512 or 8 AVX registers), because one vector
 * accumulator would make the loop wait on the add latency (4 cycles on
 * Zen 4 and Skylake-X) instead of the loads, and the read kernel must reach
 * the L1 bandwidth at the small end of the cache sweep.
 */
#define SU_STREAM_BLOCK 2048
#define SU_STREAM_ACC_BYTES 256

/*
 * Initial values (BabelStream uses a = 0.1, b = 0.2, c = 0.0).  c starts at
 * 0.7 instead of 0.0 so that scale's result is not trivially zero, and each
 * kernel's output array starts at a value different from its expected
 * result, so a kernel that skips elements (or does nothing) fails verify.
 */
#define SU_STREAM_A0 0.1
#define SU_STREAM_B0 0.2
#define SU_STREAM_C0 0.7
#define SU_STREAM_SCALAR 0.4

/* The operations; also the index into the per-type function tables. */
typedef enum su_stream_op_e {
  SU_STREAM_COPY,  /* out = x         (c = a)         */
  SU_STREAM_SCALE, /* out = s * x     (b = s * c)     */
  SU_STREAM_ADD,   /* out = x + y     (c = a + b)     */
  SU_STREAM_TRIAD, /* out = x + s * y (a = b + s * c) */
  SU_STREAM_DOT,   /* sum += x * y    (a . b)         */
  SU_STREAM_READ,  /* sum += x        (sum of a)      */
  SU_STREAM_NOPS
} su_stream_op_t;

#define SU_STREAM_NELEM 4 /* element-wise ops come first */

/* What distinguishes one STREAM kernel from another, besides its code. */
typedef struct su_stream_kind {
  const su_kernel_desc_t *desc;
  su_stream_op_t op;
  char out_name;           /* the STREAM name of the output array, or 0 */
  double out0, x0, y0;     /* initial values; y0 == 0 when there is no y */
} su_stream_kind_t;

static const su_stream_kind_t su_stream_kinds[SU_STREAM_NOPS] = {
  {&su_desc_stream_copy, SU_STREAM_COPY, 'c', SU_STREAM_C0, SU_STREAM_A0, 0},
  {&su_desc_stream_scale, SU_STREAM_SCALE, 'b', SU_STREAM_B0, SU_STREAM_C0, 0},
  {&su_desc_stream_add, SU_STREAM_ADD, 'c', SU_STREAM_C0, SU_STREAM_A0, SU_STREAM_B0},
  {&su_desc_stream_triad, SU_STREAM_TRIAD, 'a', SU_STREAM_A0, SU_STREAM_B0, SU_STREAM_C0},
  {&su_desc_stream_dot, SU_STREAM_DOT, 0, 0, SU_STREAM_A0, SU_STREAM_B0},
  {&su_desc_stream_read, SU_STREAM_READ, 0, 0, SU_STREAM_A0, 0},
};

/* One thread's chunk [lo, hi) of an element-wise kernel. */
typedef void (*su_stream_elem_fn)(void *out, const void *x, const void *y,
                                  double s, size_t lo, size_t hi);
/* One thread's chunk [lo, hi) of a reduction; returns its partial sum. */
typedef double (*su_stream_reduce_fn)(const void *x, const void *y, size_t lo,
                                      size_t hi);

/* ------------------------------------------------------------------------ */
/* "omp" kernels, written once and instantiated for double and float.       */

#define SU_STREAM_ELEM_FN(T, NAME, EXPR)                                      \
  static void NAME(void *out_, const void *x_, const void *y_, double s_,    \
                   size_t lo, size_t hi)                                     \
  {                                                                          \
    T *restrict out = out_;                                                  \
    const T *restrict x = x_;                                                \
    const T *restrict y = y_;                                                \
    const T s = (T)s_;                                                       \
    (void)y;                                                                 \
    (void)s;                                                                 \
    _Pragma("omp simd")                                                      \
    for (size_t i = lo; i < hi; i++)                                         \
      out[i] = EXPR;                                                         \
  }

/* TERM(i) is the i-th term of the sum; see SU_STREAM_BLOCK for the why. */
#define SU_STREAM_REDUCE_FN(T, NAME, TERM)                                    \
  static double NAME(const void *x_, const void *y_, size_t lo, size_t hi)   \
  {                                                                          \
    enum { NACC = SU_STREAM_ACC_BYTES / sizeof(T) };                         \
    const T *restrict x = x_;                                                \
    const T *restrict y = y_;                                                \
    double total = 0.0;                                                      \
    (void)y;                                                                 \
    for (size_t blk = lo; blk < hi; blk += SU_STREAM_BLOCK) {                \
      size_t end = hi - blk > SU_STREAM_BLOCK ? blk + SU_STREAM_BLOCK : hi;  \
      size_t i = blk;                                                        \
      T acc[NACC] = {0};                                                     \
      for (; i + NACC <= end; i += NACC) {                                   \
        _Pragma("omp simd")                                                  \
        for (size_t k = 0; k < NACC; k++)                                    \
          acc[k] += TERM(i + k);                                             \
      }                                                                      \
      for (; i < end; i++)                                                   \
        acc[0] += TERM(i);                                                   \
      for (size_t k = 0; k < NACC; k++)                                      \
        total += (double)acc[k];                                             \
    }                                                                        \
    return total;                                                            \
  }

#define SU_STREAM_DOT_TERM(i) (x[i] * y[i])
#define SU_STREAM_READ_TERM(i) (x[i])

/* Fills [lo, hi) with v: the first touch. */
#define SU_STREAM_FILL_FN(T, NAME)                                            \
  static void NAME(void *p_, double v, size_t lo, size_t hi)                 \
  {                                                                          \
    T *restrict p = p_;                                                      \
    for (size_t i = lo; i < hi; i++)                                         \
      p[i] = (T)v;                                                           \
  }

/*
 * Checks all n elements against `expect`; returns the index of the first
 * one whose relative error exceeds tol (SIZE_MAX if none) and the largest
 * relative error in *max_err (INFINITY for a NaN).
 */
#define SU_STREAM_CHECK_FN(T, NAME)                                           \
  static size_t NAME(const void *p_, size_t n, double expect, double tol,   \
                     double *max_err)                                        \
  {                                                                          \
    const T *p = p_;                                                         \
    size_t bad = SIZE_MAX;                                                   \
    double worst = 0.0;                                                      \
    for (size_t i = 0; i < n; i++) {                                         \
      double err = fabs((double)p[i] - expect) / fabs(expect);               \
      if (!(err <= tol)) {                                                   \
        if (isnan(err))                                                      \
          err = INFINITY;                                                    \
        if (bad == SIZE_MAX)                                                 \
          bad = i;                                                           \
      }                                                                      \
      if (err > worst)                                                       \
        worst = err;                                                         \
    }                                                                        \
    *max_err = worst;                                                        \
    return bad;                                                              \
  }

#define SU_STREAM_GET_FN(T, NAME)                                             \
  static double NAME(const void *p, size_t i) { return ((const T *)p)[i]; }

#define SU_STREAM_SET_FN(T, NAME)                                             \
  static void NAME(void *p, size_t i, double v) { ((T *)p)[i] = (T)v; }

#define SU_STREAM_TYPE(T, SFX)                                                \
  SU_STREAM_ELEM_FN(T, omp_copy_##SFX, x[i])                                 \
  SU_STREAM_ELEM_FN(T, omp_scale_##SFX, s * x[i])                            \
  SU_STREAM_ELEM_FN(T, omp_add_##SFX, x[i] + y[i])                           \
  SU_STREAM_ELEM_FN(T, omp_triad_##SFX, x[i] + s * y[i])                     \
  SU_STREAM_REDUCE_FN(T, omp_dot_##SFX, SU_STREAM_DOT_TERM)                  \
  SU_STREAM_REDUCE_FN(T, omp_read_##SFX, SU_STREAM_READ_TERM)                \
  SU_STREAM_FILL_FN(T, fill_##SFX)                                           \
  SU_STREAM_CHECK_FN(T, check_##SFX)                                         \
  SU_STREAM_GET_FN(T, get_##SFX)                                             \
  SU_STREAM_SET_FN(T, set_##SFX)

SU_STREAM_TYPE(double, f64)
SU_STREAM_TYPE(float, f32)

/* ------------------------------------------------------------------------ */
/* "nt" kernels: streaming stores, one instance per type and ISA.            */

/* The ISA levels of the "nt" variant, narrowest first. */
enum { SU_NT_SSE2, SU_NT_AVX, SU_NT_AVX512, SU_NT_NLEVELS };
static const char *const su_nt_variants[SU_NT_NLEVELS] = {
  "nt_sse2", "nt_avx", "nt_avx512"
};

#if SU_STREAM_X86
/*
 * One element-wise kernel with streaming stores.  The chunk [lo, hi) starts
 * on a 64-byte line and is a whole number of lines, so every vector is
 * aligned and there is no remainder.  The sfence orders the weakly-ordered
 * streaming stores before whatever the thread does next (the end of the
 * parallel region, or verify()): Intel SDM vol. 1, 10.4.6.2.
 */
#define SU_NT_FN(TGT, NAME, T, V, SET1, STREAM, EXPR)                         \
  __attribute__((target(TGT))) static void NAME(                             \
      void *out_, const void *x_, const void *y_, double s_, size_t lo,      \
      size_t hi)                                                             \
  {                                                                          \
    T *out = out_;                                                           \
    const T *x = x_;                                                         \
    const T *y = y_;                                                         \
    const V vs = SET1((T)s_);                                                \
    (void)y;                                                                 \
    (void)vs;                                                                \
    for (size_t i = lo; i < hi; i += sizeof(V) / sizeof(T))                  \
      STREAM(&out[i], EXPR);                                                 \
    _mm_sfence();                                                            \
  }

/* P is the intrinsic prefix (_mm_, _mm256_, _mm512_), S the suffix (pd, ps). */
#define SU_NT_ISA(TGT, ISA, SFX, T, V, P, S)                                  \
  SU_NT_FN(TGT, nt_copy_##ISA##_##SFX, T, V, P##set1_##S, P##stream_##S,     \
           P##load_##S(&x[i]))                                               \
  SU_NT_FN(TGT, nt_scale_##ISA##_##SFX, T, V, P##set1_##S, P##stream_##S,    \
           P##mul_##S(vs, P##load_##S(&x[i])))                               \
  SU_NT_FN(TGT, nt_add_##ISA##_##SFX, T, V, P##set1_##S, P##stream_##S,      \
           P##add_##S(P##load_##S(&x[i]), P##load_##S(&y[i])))               \
  SU_NT_FN(TGT, nt_triad_##ISA##_##SFX, T, V, P##set1_##S, P##stream_##S,    \
           P##add_##S(P##load_##S(&x[i]),                                    \
                      P##mul_##S(vs, P##load_##S(&y[i]))))

SU_NT_ISA("sse2", sse2, f64, double, __m128d, _mm_, pd)
SU_NT_ISA("sse2", sse2, f32, float, __m128, _mm_, ps)
SU_NT_ISA("avx", avx, f64, double, __m256d, _mm256_, pd)
SU_NT_ISA("avx", avx, f32, float, __m256, _mm256_, ps)
SU_NT_ISA("avx512f", avx512, f64, double, __m512d, _mm512_, pd)
SU_NT_ISA("avx512f", avx512, f32, float, __m512, _mm512_, ps)

#define SU_NT_TABLE(ISA, SFX)                                                 \
  {nt_copy_##ISA##_##SFX, nt_scale_##ISA##_##SFX, nt_add_##ISA##_##SFX,      \
   nt_triad_##ISA##_##SFX}

static const su_stream_elem_fn su_nt_f64[SU_NT_NLEVELS][SU_STREAM_NELEM] = {
  SU_NT_TABLE(sse2, f64), SU_NT_TABLE(avx, f64), SU_NT_TABLE(avx512, f64)
};
static const su_stream_elem_fn su_nt_f32[SU_NT_NLEVELS][SU_STREAM_NELEM] = {
  SU_NT_TABLE(sse2, f32), SU_NT_TABLE(avx, f32), SU_NT_TABLE(avx512, f32)
};
#endif /* SU_STREAM_X86 */

/* ------------------------------------------------------------------------ */
/* Per-type tables.                                                          */

typedef struct su_stream_type {
  su_precision_t prec;
  size_t elem_bytes;
  double eps;
  su_stream_elem_fn omp[SU_STREAM_NELEM];
  su_stream_reduce_fn reduce[SU_STREAM_NOPS - SU_STREAM_NELEM];
  const su_stream_elem_fn (*nt)[SU_STREAM_NELEM]; /* [level][op]; NULL off x86 */
  void (*fill)(void *p, double v, size_t lo, size_t hi);
  size_t (*check)(const void *p, size_t n, double expect, double tol, double *max_err);
  double (*get)(const void *p, size_t i);
  void (*set)(void *p, size_t i, double v);
} su_stream_type_t;

#if SU_STREAM_X86
#define SU_NT_OF(SFX) su_nt_##SFX
#else
#define SU_NT_OF(SFX) NULL
#endif

#define SU_STREAM_TYPE_ENTRY(PREC, T, EPS, SFX)                               \
  {PREC, sizeof(T), EPS,                                                     \
   {omp_copy_##SFX, omp_scale_##SFX, omp_add_##SFX, omp_triad_##SFX},        \
   {omp_dot_##SFX, omp_read_##SFX}, SU_NT_OF(SFX), fill_##SFX, check_##SFX,  \
   get_##SFX, set_##SFX}

static const su_stream_type_t su_stream_types[] = {
  SU_STREAM_TYPE_ENTRY(SU_PREC_FP64, double, DBL_EPSILON, f64),
  SU_STREAM_TYPE_ENTRY(SU_PREC_FP32, float, FLT_EPSILON, f32),
};

/* The value v as stored in the element type. */
static double su_stream_round(const su_stream_type_t *ty, double v)
{
  return ty->prec == SU_PREC_FP32 ? (double)(float)v : v;
}

/* ------------------------------------------------------------------------ */
/* State, setup, run, verify, teardown.                                      */

/* A per-thread partial sum on its own cache line, so threads never share one. */
typedef struct su_stream_partial {
  double sum;
  char pad[SU_STREAM_LINE_BYTES - sizeof(double)];
} su_stream_partial_t;

typedef struct su_stream_state {
  const su_stream_kind_t *kind;
  const su_stream_type_t *type;
  su_stream_elem_fn elem;       /* element-wise ops, else NULL */
  su_stream_reduce_fn reduce;   /* dot and read, else NULL */
  unsigned nthreads;
  size_t n;                     /* elements per array */
  size_t *bound;                /* thread t owns [bound[t], bound[t+1]) */
  void *out, *x, *y;            /* out and y may be NULL */
  double scalar;
  su_stream_partial_t *partial; /* [nthreads], reductions only */
  double sum;                   /* reductions: the result of the last rep */
} su_stream_state_t;

static void stream_teardown(void *state)
{
  su_stream_state_t *st = state;

  if (!st)
    return;
  su__cpu_free(st->out);
  su__cpu_free(st->x);
  su__cpu_free(st->y);
  free(st->partial);
  free(st->bound);
  free(st);
}

/*
 * Resolves p->variant to a kernel function.  NULL or "omp" is the compiled
 * loop; "nt" the widest streaming-store ISA this CPU has; "nt_<isa>" that
 * ISA.  Anything else, or "nt" on a reduction, is SU_ENOTSUP.
 */
static int stream_pick(const su_stream_kind_t *k, const su_stream_type_t *ty,
                       const char *variant, su_stream_state_t *st)
{
  const char *name = k->desc->name;
  int level = -1;

  if (!variant || strcmp(variant, "omp") == 0) {
    if (k->op < SU_STREAM_NELEM)
      st->elem = ty->omp[k->op];
    else
      st->reduce = ty->reduce[k->op - SU_STREAM_NELEM];
    return SU_OK;
  }
  if (strcmp(variant, "nt") != 0) {
    for (int l = 0; l < SU_NT_NLEVELS; l++)
      if (strcmp(variant, su_nt_variants[l]) == 0)
        level = l;
    if (level < 0)
      return su_errorf(SU_ENOTSUP, "%s: unknown variant '%s'", name, variant);
  }
  if (k->op >= SU_STREAM_NELEM)
    return su_errorf(SU_ENOTSUP, "%s: variant '%s' is not implemented "
                     "(a reduction has no stores)", name, variant);
  if (!ty->nt)
    return su_errorf(SU_ENOTSUP, "%s: variant '%s' needs an x86 cpu", name, variant);
#if SU_STREAM_X86
  {
    su_cpu_isa_t isa;
    int have[SU_NT_NLEVELS];

    su__cpu_isa(&isa);
    have[SU_NT_SSE2] = isa.sse2;
    have[SU_NT_AVX] = isa.avx;
    have[SU_NT_AVX512] = isa.avx512f;
    if (level < 0) {
      for (int l = SU_NT_NLEVELS - 1; l >= 0 && level < 0; l--)
        if (have[l])
          level = l;
      if (level < 0)
        return su_errorf(SU_ENOTSUP, "%s: variant 'nt' needs at least sse2", name);
    } else if (!have[level]) {
      return su_errorf(SU_ENOTSUP, "%s: this cpu lacks the isa of variant '%s'",
                       name, variant);
    }
    st->elem = ty->nt[level][k->op];
  }
#endif
  return SU_OK;
}

/*
 * Sizes, allocates and first-touches one kernel.  n is size_bytes split
 * over the kernel's arrays, rounded down to whole 64-byte lines; thread t
 * owns lines [t * lines / T, (t + 1) * lines / T), in setup and in run().
 */
static int stream_setup(const su_stream_kind_t *k, const su_params_t *p,
                        void **state, su_work_t *work)
{
  const su_kernel_desc_t *d = k->desc;
  const su_stream_type_t *ty = NULL;
  su_stream_state_t *st = NULL;
  size_t elem_bytes, line_elems, lines, n, array_bytes;
  int err = SU_OK;

  for (size_t i = 0; i < sizeof(su_stream_types) / sizeof(su_stream_types[0]); i++)
    if (su_stream_types[i].prec == p->prec)
      ty = &su_stream_types[i];
  if (!ty)
    return su_errorf(SU_ENOTSUP, "%s: precision '%s' is not implemented",
                     d->name, su_precision_name(p->prec));
  if (p->nthreads == 0)
    return su_errorf(SU_EINVAL, "%s: thread count is 0", d->name);

  elem_bytes = ty->elem_bytes;
  line_elems = SU_STREAM_LINE_BYTES / elem_bytes;
  lines = (size_t)(p->size_bytes / (d->nstreams * elem_bytes)) / line_elems;
  n = lines * line_elems;
  if (n < (size_t)SU_STREAM_MIN_ELEMS_PER_THREAD * p->nthreads)
    return su_errorf(SU_EINVAL, "%s: working set of %llu bytes is too small for "
                     "%u threads (at least %llu bytes)", d->name,
                     (unsigned long long)p->size_bytes, p->nthreads,
                     (unsigned long long)SU_STREAM_MIN_ELEMS_PER_THREAD *
                         p->nthreads * d->nstreams * elem_bytes);

  st = calloc(1, sizeof(*st));
  if (!st)
    return su_errorf(SU_ENOMEM, "%s: cannot allocate its state", d->name);
  st->kind = k;
  st->type = ty;
  st->nthreads = p->nthreads;
  st->n = n;
  st->scalar = SU_STREAM_SCALAR;
  err = stream_pick(k, ty, p->variant, st);
  if (err)
    goto out;

  st->bound = malloc(((size_t)p->nthreads + 1) * sizeof(*st->bound));
  if (k->op >= SU_STREAM_NELEM)
    st->partial = calloc(p->nthreads, sizeof(*st->partial));
  if (!st->bound || (k->op >= SU_STREAM_NELEM && !st->partial)) {
    err = su_errorf(SU_ENOMEM, "%s: cannot allocate %u thread slots", d->name,
                    p->nthreads);
    goto out;
  }
  for (unsigned t = 0; t <= p->nthreads; t++)
    st->bound[t] = (size_t)((uint64_t)t * lines / p->nthreads) * line_elems;

  /* The arrays this kernel touches: out (element-wise only), x, y (if y0). */
  array_bytes = n * elem_bytes;
  SU_ASSERT(d->nstreams == (k->out_name != 0) + 1u + (k->y0 != 0));
  if ((k->out_name && !(st->out = su__cpu_alloc(array_bytes))) ||
      !(st->x = su__cpu_alloc(array_bytes)) ||
      (k->y0 != 0 && !(st->y = su__cpu_alloc(array_bytes)))) {
    err = su_errorf(SU_ENOMEM, "%s: cannot allocate %u arrays of %zu bytes",
                    d->name, d->nstreams, array_bytes);
    goto out;
  }

  /* First touch by the (already bound) thread that owns each chunk.  If the
   * runtime gives fewer threads than asked, a thread takes several chunks. */
#pragma omp parallel num_threads(st->nthreads)
  {
    unsigned team = (unsigned)omp_get_num_threads();

    for (unsigned t = (unsigned)omp_get_thread_num(); t < st->nthreads; t += team) {
      size_t lo = st->bound[t], hi = st->bound[t + 1];

      if (st->out)
        ty->fill(st->out, k->out0, lo, hi);
      ty->fill(st->x, k->x0, lo, hi);
      if (st->y)
        ty->fill(st->y, k->y0, lo, hi);
    }
  }

  memset(work, 0, sizeof(*work));
  work->flops = (double)n * d->flops_per_elem;
  work->bytes = (double)n * (d->bytes_read_per_elem + d->bytes_written_per_elem) *
                (double)elem_bytes;
  work->items = (double)n;
  work->size_bytes = (uint64_t)n * d->nstreams * elem_bytes;
  snprintf(work->variant, sizeof(work->variant), "%s", p->variant ? p->variant : "omp");
  *state = st;
  st = NULL;
out:
  stream_teardown(st);
  return err;
}

/*
 * One parallel region per call, `inner` reps inside it.  The element-wise
 * kernels need no barrier between reps: each thread reads and writes only
 * its own chunk, so rep r+1 of one thread never depends on another thread's
 * rep r.  Leaving the barrier out matters at the small end of the cache
 * sweep, where a rep takes ~100 ns, about what an OpenMP barrier costs.  The
 * empty asm with a memory clobber tells the compiler that memory may have
 * changed between reps, so it can neither merge reps nor drop all but the
 * last one.
 */
static int stream_run(void *state, uint64_t inner, su_timing_t *t)
{
  su_stream_state_t *st = state;

  if (!st || inner == 0)
    return su_errorf(SU_EINVAL, "stream run: no state or zero repetitions");
#pragma omp parallel num_threads(st->nthreads)
  {
    unsigned team = (unsigned)omp_get_num_threads();
    unsigned me = (unsigned)omp_get_thread_num();

    for (uint64_t r = 0; r < inner; r++) {
      for (unsigned k = me; k < st->nthreads; k += team) {
        if (st->elem)
          st->elem(st->out, st->x, st->y, st->scalar, st->bound[k], st->bound[k + 1]);
        else
          st->partial[k].sum = st->reduce(st->x, st->y, st->bound[k], st->bound[k + 1]);
      }
      __asm__ volatile("" ::: "memory");
    }
  }
  if (st->reduce) {
    double sum = 0.0;

    for (unsigned k = 0; k < st->nthreads; k++)
      sum += st->partial[k].sum;
    st->sum = sum;
  }
  if (t)
    t->device_ns = 0;
  return SU_OK;
}

/* The closed-form result: per element (element-wise) or per rep (sums). */
static double stream_expected(const su_stream_state_t *st)
{
  const su_stream_type_t *ty = st->type;
  double x = su_stream_round(ty, st->kind->x0);
  double y = su_stream_round(ty, st->kind->y0);
  double s = su_stream_round(ty, st->scalar);

  switch (st->kind->op) {
  case SU_STREAM_COPY: return x;
  case SU_STREAM_SCALE: return s * x;
  case SU_STREAM_ADD: return x + y;
  case SU_STREAM_TRIAD: return x + s * y;
  case SU_STREAM_DOT: return (double)st->n * x * y;
  default: return (double)st->n * x;
  }
}

/*
 * Checks every output element (or the sum) against the closed form, within
 * desc->verify_rel_tol epsilons of the element type, relative.  *v is filled
 * on SU_EVERIFY as well, so that the failure can be reported with its size.
 */
static int stream_verify(void *state, su_verify_t *v)
{
  const su_stream_state_t *st = state;
  const char *name = st->kind->desc->name;
  double expect = stream_expected(st);
  double tol = st->kind->desc->verify_rel_tol * st->type->eps;
  double max_err;

  if (st->elem) {
    size_t bad = st->type->check(st->out, st->n, expect, tol, &max_err);

    v->max_rel_err = max_err;
    v->tol = tol;
    if (bad != SIZE_MAX)
      return su_errorf(SU_EVERIFY, "%s: %c[%zu] = %.9g, expected %.9g", name,
                       st->kind->out_name, bad, st->type->get(st->out, bad), expect);
    return SU_OK;
  }
  max_err = fabs(st->sum - expect) / fabs(expect);
  v->max_rel_err = isnan(max_err) ? INFINITY : max_err;
  v->tol = tol;
  if (!(max_err <= tol))
    return su_errorf(SU_EVERIFY, "%s: sum = %.17g, expected %.17g (relative "
                     "error %.3g, tolerance %.3g)", name, st->sum, expect,
                     max_err, tol);
  return SU_OK;
}

/* For tests: damages one element in the middle, or the stored sum. */
static void stream_corrupt(void *state)
{
  su_stream_state_t *st = state;
  size_t i = st->n / 2;

  if (st->elem)
    st->type->set(st->out, i, st->type->get(st->out, i) + 1.0);
  else
    st->sum = st->sum * 2.0 + 1.0;
}

#define SU_STREAM_OPS(NAME, OP, VARIANTS)                                     \
  static int stream_##NAME##_setup(const su_params_t *p, void **state,       \
                                   su_work_t *work)                          \
  {                                                                          \
    return stream_setup(&su_stream_kinds[OP], p, state, work);               \
  }                                                                          \
  const su_kernel_ops_t su_cpu_stream_##NAME##_ops = {                       \
    .desc = &su_desc_stream_##NAME,                                          \
    .precisions = SU_PREC_FP64 | SU_PREC_FP32,                               \
    .variants = VARIANTS,                                                    \
    .size_rule = SU_SIZE_4X_LLC,                                             \
    .setup = stream_##NAME##_setup,                                          \
    .run = stream_run,                                                       \
    .verify = stream_verify,                                                 \
    .teardown = stream_teardown,                                             \
    .corrupt = stream_corrupt,                                               \
  };

SU_STREAM_OPS(copy, SU_STREAM_COPY, "omp,nt")
SU_STREAM_OPS(scale, SU_STREAM_SCALE, "omp,nt")
SU_STREAM_OPS(add, SU_STREAM_ADD, "omp,nt")
SU_STREAM_OPS(triad, SU_STREAM_TRIAD, "omp,nt")
SU_STREAM_OPS(dot, SU_STREAM_DOT, "omp")
SU_STREAM_OPS(read, SU_STREAM_READ, "omp")
