/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * gemm.c: the CPU DGEMM kernel, C = A * B + C for square n x n row-major
 * FP64 matrices, in two variants:
 *
 *   - "blocked": a cache-blocked GEMM in the layered scheme of Goto & van de
 *     Geijn ("Anatomy of high-performance matrix multiplication", ACM TOMS
 *     34(3), 2008) and BLIS (Van Zee & van de Geijn, ACM TOMS 41(3), 2015):
 *     a KC x NC panel of B is packed once per k-block into contiguous
 *     KC x NR slivers (shared by all threads; it lives in L3), each thread
 *     packs its MC x KC block of A into MR x KC slivers (it lives in L2), and
 *     a register-blocked MR x NR micro-kernel streams one A sliver against
 *     one B sliver (which stays in L1) with all MR x NR sums of C in
 *     registers.  The micro-kernel is written with intrinsics behind
 *     __attribute__((target)) and picked at run time: "blocked" resolves to
 *     the widest ISA this CPU has; "blocked_avx512", "blocked_avx2" and
 *     "blocked_generic" force one (SU_ENOTSUP if the CPU lacks it), so each
 *     path can be tested on a machine that has them all.  Threads split the
 *     rows of C into blocks with a static schedule, the same schedule setup()
 *     first-touches A, B and C with.
 *   - "cblas": cblas_dgemm from the CBLAS sizeup was built with (OpenBLAS on
 *     most systems), as the yardstick the blocked kernel is compared with.
 *
 * Work per repetition: 2 n^3 flops and 3 n^2 words of compulsory traffic
 * (the shared work model, su_desc_gemm); the working set is 3 n^2 doubles.
 * n is the largest multiple of SU_GEMM_NMULT whose working set fits in
 * p->size_bytes.
 *
 * Verification is Freivalds' check (R. Freivalds, "Probabilistic machines
 * can use less running time", IFIP 1977) plus a few entries recomputed by
 * dot products; A, B and the initial C are hash functions of (i, j), so the
 * reference is computed from those formulas, never from the kernel's arrays.
 * Each run() adds A * B to C once more, so after k repetitions the expected
 * C is C0 + k A B.
 */
#include <float.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "sizeup/config.h"
#include "sizeup/error.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define SU_GEMM_X86 1
#else
#define SU_GEMM_X86 0
#endif

#if SU_HAVE_CBLAS
#include <cblas.h>
/*
 * OpenBLAS's own thread count (its cblas.h declares the same prototype;
 * other CBLAS libraries lack it).  Weak, so that a CBLAS without it still
 * links and the call is skipped.  OpenBLAS's threads are its own pthreads:
 * sizeup binds its OpenMP threads but NOT these, so "cblas" results at more
 * than one thread depend on where the OS puts OpenBLAS's workers.
 */
extern void openblas_set_num_threads(int num_threads) __attribute__((weak));
#endif

/*
 * n is a multiple of SU_GEMM_NMULT: every ISA's NR (16, 8, 4) divides it,
 * so the micro-kernel never needs an edge case in the columns, and row
 * blocks are multiples of 8, which every MR (8, 4, 4) divides.
 */
#define SU_GEMM_NMULT 16
#define SU_GEMM_ROWMULT 8
/*
 * Cache blocking.  A KC x NR = 256 x 16 double sliver of B is 32 KiB and
 * stays in L1 (48 KiB on Zen 5) while the A slivers (16 KiB each) stream
 * past it from L2; an MC x KC = 128 x 256 block of A is 256 KiB, a quarter
 * of a 1 MiB L2; a KC x NC = 256 x 2048 panel of B is 4 MiB, shared in L3.
 * Measured on a Zen 5 VM (family 1Ah model 02h, ~4.35 GHz, FP64 peak ~140
 * GFLOP/s per core), best of 7 at n = 1024 on one core: KC in {128, 192,
 * 256, 384, 512} x MC in {64 .. 256} all reach 105-130 GFLOP/s with run to
 * run noise of +-10%; 256 x 128 was among the best at n = 512, 1024 and
 * 2048 (129, 122, 108 GFLOP/s; two cores: 224 GFLOP/s at n = 1024, where
 * the system's OpenBLAS 0.3.21 reaches 67 and 126).
 */
#define SU_GEMM_KC 256
#define SU_GEMM_MC 128
#define SU_GEMM_NC 2048

/* Seeds of the hashes that define A, B, the initial C and Freivalds' x. */
#define SU_GEMM_SEED_A 0x243f6a8885a308d3ull
#define SU_GEMM_SEED_B 0x13198a2e03707344ull
#define SU_GEMM_SEED_C 0xa4093822299f31d0ull
#define SU_GEMM_SEED_X 0x082efa98ec4e6c89ull
/* Entries checked by dot products besides the four corners. */
#define SU_GEMM_NSPOT 12

/* ------------------------------------------------------------------------ */
/* The matrices' values.                                                     */

/* splitmix64's finaliser (Steele, Lea & Flood, OOPSLA 2014): a bijective
 * mix, so distinct (i, j) give unrelated values. */
static uint64_t gemm_mix(uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/*
 * Entry (i, j) of a matrix: uniform in [-1, 1) with all 53 bits used, so
 * the product is neither trivial (all ones) nor exact in floating point
 * (small integers would be), and rounding is exercised as in real use.
 */
static double gemm_val(uint64_t seed, size_t i, size_t j)
{
  uint64_t h = gemm_mix(seed + (uint64_t)i * 0x9e3779b97f4a7c15ull + gemm_mix(j));

  return (double)(h >> 11) * 0x1p-52 - 1.0;
}

/* ------------------------------------------------------------------------ */
/* Micro-kernels.                                                            */

/*
 * c[0..MR)[0..NR) += sum over k < kc of a[k][0..MR) (x) b[k][0..NR), where
 * a is one packed A sliver (MR values per k), b one packed B sliver (NR
 * values per k, aligned to the vector), c a block of C with row stride ldc.
 */
typedef void (*su_gemm_ukernel_fn)(size_t kc, const double *restrict a,
                                   const double *restrict b, double *restrict c,
                                   size_t ldc);

/*
 * One micro-kernel: MR rows x 2 vectors of W doubles (NR = 2 W), MR x 2
 * accumulators in registers.  AVX-512: 8 x 16, 16 of 32 zmm registers for
 * sums, 2 for B, 1 for the broadcast A value: 16 FMAs per 2 loads and 8
 * broadcasts, and 16 independent sums cover the FMA latency (4 cycles) x 2
 * pipes.  AVX2: 4 x 8, 8 of 16 ymm.  The fully unrolled loops over i leave
 * every acc[i][v] in a register (checked in the assembly: no spills).
 * FMADD is an explicit fused multiply-add: in ISO C mode GCC does not
 * contract a * b + c by itself.
 */
#define SU_GEMM_UKERNEL(NAME, ATTR, VEC, W, MR, ZERO, SET1, LOAD, LOADU,     \
                        STOREU, ADD, FMADD)                                  \
  ATTR static void NAME(size_t kc, const double *restrict a,                 \
                        const double *restrict b, double *restrict c,        \
                        size_t ldc)                                          \
  {                                                                          \
    VEC acc[MR][2];                                                          \
    _Pragma("GCC unroll 16")                                                 \
    for (int i = 0; i < MR; i++) {                                           \
      acc[i][0] = ZERO();                                                    \
      acc[i][1] = ZERO();                                                    \
    }                                                                        \
    for (size_t k = 0; k < kc; k++) {                                        \
      VEC b0 = LOAD(b), b1 = LOAD(b + W);                                    \
      _Pragma("GCC unroll 16")                                               \
      for (int i = 0; i < MR; i++) {                                         \
        VEC ai = SET1(a[i]);                                                 \
        acc[i][0] = FMADD(ai, b0, acc[i][0]);                                \
        acc[i][1] = FMADD(ai, b1, acc[i][1]);                                \
      }                                                                      \
      a += MR;                                                               \
      b += 2 * W;                                                            \
    }                                                                        \
    _Pragma("GCC unroll 16")                                                 \
    for (int i = 0; i < MR; i++) {                                           \
      double *ci = c + (size_t)i * ldc;                                      \
      STOREU(ci, ADD(LOADU(ci), acc[i][0]));                                 \
      STOREU(ci + W, ADD(LOADU(ci + W), acc[i][1]));                         \
    }                                                                        \
  }

/* Portable: GCC/Clang vector extensions, 2 doubles (SSE2, NEON), 4 x 4.
 * Whether a * b + c is fused is the compiler's choice. */
typedef double su_gemm_v2d __attribute__((vector_size(16)));
static inline su_gemm_v2d gemm_gen_zero(void) { return (su_gemm_v2d){0, 0}; }
static inline su_gemm_v2d gemm_gen_set1(double x) { return (su_gemm_v2d){x, x}; }
static inline su_gemm_v2d gemm_gen_loadu(const double *p)
{
  su_gemm_v2d v;

  memcpy(&v, p, sizeof(v));
  return v;
}
static inline void gemm_gen_storeu(double *p, su_gemm_v2d v) { memcpy(p, &v, sizeof(v)); }
static inline su_gemm_v2d gemm_gen_add(su_gemm_v2d x, su_gemm_v2d y) { return x + y; }
static inline su_gemm_v2d gemm_gen_fmadd(su_gemm_v2d x, su_gemm_v2d y, su_gemm_v2d z)
{
  return x * y + z;
}

SU_GEMM_UKERNEL(gemm_ukernel_generic, , su_gemm_v2d, 2, 4, gemm_gen_zero,
                gemm_gen_set1, gemm_gen_loadu, gemm_gen_loadu, gemm_gen_storeu,
                gemm_gen_add, gemm_gen_fmadd)

#if SU_GEMM_X86
#define SU_ATTR_AVX512 __attribute__((target("avx512f")))
#define SU_ATTR_AVX2 __attribute__((target("avx2,fma")))
SU_GEMM_UKERNEL(gemm_ukernel_avx512, SU_ATTR_AVX512, __m512d, 8, 8, _mm512_setzero_pd,
                _mm512_set1_pd, _mm512_load_pd, _mm512_loadu_pd, _mm512_storeu_pd,
                _mm512_add_pd, _mm512_fmadd_pd)
SU_GEMM_UKERNEL(gemm_ukernel_avx2, SU_ATTR_AVX2, __m256d, 4, 4, _mm256_setzero_pd,
                _mm256_set1_pd, _mm256_load_pd, _mm256_loadu_pd, _mm256_storeu_pd,
                _mm256_add_pd, _mm256_fmadd_pd)
#endif

/* One implementation of the blocked variant. */
typedef struct su_gemm_isa {
  const char *variant;     /* "blocked_<isa>" */
  unsigned mr, nr;         /* register block */
  su_gemm_ukernel_fn ukernel;
} su_gemm_isa_t;

enum { SU_GEMM_GENERIC, SU_GEMM_AVX2, SU_GEMM_AVX512, SU_GEMM_NISA };

static const su_gemm_isa_t su_gemm_isas[SU_GEMM_NISA] = {
  {"blocked_generic", 4, 4, gemm_ukernel_generic},
#if SU_GEMM_X86
  {"blocked_avx2", 4, 8, gemm_ukernel_avx2},
  {"blocked_avx512", 8, 16, gemm_ukernel_avx512},
#else
  {"blocked_avx2", 4, 8, NULL},
  {"blocked_avx512", 8, 16, NULL},
#endif
};

/* Whether this CPU runs that ISA's micro-kernel. */
static int gemm_isa_ok(int isa)
{
  su_cpu_isa_t have;

  if (!su_gemm_isas[isa].ukernel)
    return 0;
  su__cpu_isa(&have);
  switch (isa) {
  case SU_GEMM_AVX512: return have.avx512f;
  case SU_GEMM_AVX2: return have.avx2 && have.fma;
  default: return 1;
  }
}

/* ------------------------------------------------------------------------ */
/* State.                                                                    */

typedef struct su_gemm_state {
  const su_gemm_isa_t *isa;  /* NULL for "cblas" */
  unsigned nthreads;
  size_t n;                  /* matrix order, a multiple of SU_GEMM_NMULT */
  size_t mc;                 /* rows per block of C, a multiple of 8 */
  size_t nblocks;            /* ceil(n / mc) */
  double *a, *b, *c;         /* n x n, row-major */
  double *bpack;             /* KC x min(n, NC), shared */
  double *apack;             /* nthreads slices of MC x KC */
  size_t apack_stride;       /* doubles per slice (whole pages) */
  uint64_t reps;             /* repetitions run since setup: C = C0 + reps A B */
} su_gemm_state_t;

static void gemm_teardown(void *state)
{
  su_gemm_state_t *st = state;

  if (!st)
    return;
  su__cpu_free(st->a);
  su__cpu_free(st->b);
  su__cpu_free(st->c);
  su__cpu_free(st->bpack);
  su__cpu_free(st->apack);
  free(st);
}

/* Resolves p->variant; st->isa stays NULL for "cblas". */
static int gemm_pick(const char *variant, su_gemm_state_t *st)
{
  if (!variant || strcmp(variant, "blocked") == 0) {
    for (int i = SU_GEMM_NISA - 1; i >= 0; i--)
      if (gemm_isa_ok(i)) {
        st->isa = &su_gemm_isas[i];
        return SU_OK;
      }
    return su_errorf(SU_ENOTSUP, "gemm: no micro-kernel for this cpu");
  }
  if (strcmp(variant, "cblas") == 0) {
#if SU_HAVE_CBLAS
    return SU_OK;
#else
    return su_errorf(SU_ENOTSUP, "gemm: variant 'cblas': built without CBLAS");
#endif
  }
  for (int i = 0; i < SU_GEMM_NISA; i++)
    if (strcmp(variant, su_gemm_isas[i].variant) == 0) {
      if (!gemm_isa_ok(i))
        return su_errorf(SU_ENOTSUP, "gemm: variant '%s' needs an instruction "
                         "set this cpu lacks", variant);
      st->isa = &su_gemm_isas[i];
      return SU_OK;
    }
  return su_errorf(SU_ENOTSUP, "gemm: unknown variant '%s'", variant);
}

/* The largest n with 3 n^2 doubles <= size_bytes, rounded down to mult. */
static size_t gemm_order(uint64_t size_bytes)
{
  uint64_t q = size_bytes / (3 * sizeof(double));
  uint64_t n = (uint64_t)sqrt((double)q);

  while (n > 0 && n * n > q)
    n--;
  while ((n + 1) * (n + 1) <= q)
    n++;
  return (size_t)(n / SU_GEMM_NMULT * SU_GEMM_NMULT);
}

/* Rows [lo, hi) of C's block blk. */
static void gemm_block_rows(const su_gemm_state_t *st, size_t blk, size_t *lo, size_t *hi)
{
  *lo = blk * st->mc;
  *hi = *lo + st->mc < st->n ? *lo + st->mc : st->n;
}

/* Fills rows [lo, hi) of A, B and C: the first touch. */
static void gemm_fill_rows(su_gemm_state_t *st, size_t lo, size_t hi)
{
  size_t n = st->n;

  for (size_t i = lo; i < hi; i++)
    for (size_t j = 0; j < n; j++) {
      st->a[i * n + j] = gemm_val(SU_GEMM_SEED_A, i, j);
      st->b[i * n + j] = gemm_val(SU_GEMM_SEED_B, i, j);
      st->c[i * n + j] = gemm_val(SU_GEMM_SEED_C, i, j);
    }
}

static int gemm_setup(const su_params_t *p, void **state, su_work_t *work)
{
  su_gemm_state_t *st = NULL;
  size_t n, bytes, nc_max, nblocks_want;
  int err = SU_OK;

  if (p->prec != SU_PREC_FP64)
    return su_errorf(SU_ENOTSUP, "gemm: precision '%s' is not implemented (fp64 only)",
                     su_precision_name(p->prec));
  if (p->nthreads == 0)
    return su_errorf(SU_EINVAL, "gemm: zero threads");
  n = gemm_order(p->size_bytes);
  if (n == 0)
    return su_errorf(SU_EINVAL, "gemm: working set of %llu bytes is too small "
                     "(at least %zu bytes: 3 matrices of %d x %d doubles)",
                     (unsigned long long)p->size_bytes,
                     3 * sizeof(double) * SU_GEMM_NMULT * SU_GEMM_NMULT,
                     SU_GEMM_NMULT, SU_GEMM_NMULT);

  st = calloc(1, sizeof(*st));
  if (!st)
    return su_errorf(SU_ENOMEM, "gemm: cannot allocate its state");
  st->n = n;
  st->nthreads = p->nthreads;
  err = gemm_pick(p->variant, st);
  if (err)
    goto out;

  /*
   * Row blocks: a whole number of blocks per thread (so the static schedule
   * is balanced), each at most MC rows, a multiple of 8 rows.  With more
   * threads than n / 8, some threads have no block.
   */
  nblocks_want = (size_t)p->nthreads *
                 ((n + (size_t)p->nthreads * SU_GEMM_MC - 1) / ((size_t)p->nthreads * SU_GEMM_MC));
  st->mc = (n + nblocks_want - 1) / nblocks_want;
  st->mc = (st->mc + SU_GEMM_ROWMULT - 1) / SU_GEMM_ROWMULT * SU_GEMM_ROWMULT;
  st->nblocks = (n + st->mc - 1) / st->mc;

  bytes = n * n * sizeof(double);
  nc_max = n < SU_GEMM_NC ? n : SU_GEMM_NC;
  st->apack_stride = ((size_t)SU_GEMM_MC * SU_GEMM_KC * sizeof(double) + 4095) / 4096 * 4096 /
                     sizeof(double);
  if (!(st->a = su__cpu_alloc(bytes)) || !(st->b = su__cpu_alloc(bytes)) ||
      !(st->c = su__cpu_alloc(bytes))) {
    err = su_errorf(SU_ENOMEM, "gemm: cannot allocate 3 matrices of %zu bytes", bytes);
    goto out;
  }
  if (st->isa &&
      (!(st->bpack = su__cpu_alloc((size_t)SU_GEMM_KC * nc_max * sizeof(double))) ||
       !(st->apack = su__cpu_alloc(st->apack_stride * p->nthreads * sizeof(double))))) {
    err = su_errorf(SU_ENOMEM, "gemm: cannot allocate the packing buffers");
    goto out;
  }

  /* First touch with run()'s schedule: block blk's rows of A, B and C by
   * the thread that computes block blk of C; each thread's A buffer by
   * that thread.  (B rows are read by every thread when packed.) */
#pragma omp parallel num_threads(st->nthreads)
  {
    size_t me = (size_t)omp_get_thread_num();

#pragma omp for schedule(static)
    for (size_t blk = 0; blk < st->nblocks; blk++) {
      size_t lo, hi;

      gemm_block_rows(st, blk, &lo, &hi);
      gemm_fill_rows(st, lo, hi);
    }
    if (st->apack)
      memset(st->apack + me * st->apack_stride, 0, st->apack_stride * sizeof(double));
  }
  if (st->bpack)
    memset(st->bpack, 0, (size_t)SU_GEMM_KC * nc_max * sizeof(double));
#if SU_HAVE_CBLAS
  /* Start OpenBLAS's workers now rather than inside the first timed rep. */
  if (!st->isa && openblas_set_num_threads)
    openblas_set_num_threads((int)st->nthreads);
#endif

  memset(work, 0, sizeof(*work));
  work->flops = 2.0 * (double)n * (double)n * (double)n;
  work->bytes = 3.0 * (double)n * (double)n * sizeof(double);
  work->items = (double)n * (double)n;
  work->size_bytes = 3 * (uint64_t)n * n * sizeof(double);
  snprintf(work->variant, sizeof(work->variant), "%s", p->variant ? p->variant : "blocked");
  *state = st;
  st = NULL;
out:
  gemm_teardown(st);
  return err;
}

/* ------------------------------------------------------------------------ */
/* Run.                                                                      */

/* Packs B[pc .. pc+kc)[jc + s nr .. + nr) into sliver s of bp (kc x nr). */
static void gemm_pack_b(const su_gemm_state_t *st, size_t pc, size_t kc, size_t jc,
                        size_t s, double *restrict bp)
{
  size_t n = st->n, nr = st->isa->nr;
  const double *restrict src = st->b + pc * n + jc + s * nr;
  double *restrict dst = bp + s * kc * nr;

  for (size_t k = 0; k < kc; k++)
    for (size_t j = 0; j < nr; j++)
      dst[k * nr + j] = src[k * n + j];
}

/* Packs A[ic .. ic+m)[pc .. pc+kc) into m / mr slivers of ap (kc x mr each). */
static void gemm_pack_a(const su_gemm_state_t *st, size_t ic, size_t m, size_t pc,
                        size_t kc, double *restrict ap)
{
  size_t n = st->n, mr = st->isa->mr;

  for (size_t r = 0; r < m; r += mr) {
    double *restrict dst = ap + r * kc;

    for (size_t i = 0; i < mr; i++) {
      const double *restrict src = st->a + (ic + r + i) * n + pc;

      for (size_t k = 0; k < kc; k++)
        dst[k * mr + i] = src[k];
    }
  }
}

/*
 * One C += A B.  Called by every thread of the team.  For each NC column
 * panel and KC k-block: the team packs the B panel (omp for, then the
 * barrier so nobody reads a half-packed panel), then each thread takes its
 * row blocks of C (the static schedule of setup's first touch), packs that
 * block of A and runs the micro-kernel over it; the barrier at the end of
 * that loop keeps the B panel until everybody is done with it.
 */
static void gemm_blocked_rep(su_gemm_state_t *st, double *restrict ap)
{
  size_t n = st->n, mr = st->isa->mr, nr = st->isa->nr;
  su_gemm_ukernel_fn uk = st->isa->ukernel;

  for (size_t jc = 0; jc < n; jc += SU_GEMM_NC) {
    size_t nc = n - jc < SU_GEMM_NC ? n - jc : SU_GEMM_NC;

    for (size_t pc = 0; pc < n; pc += SU_GEMM_KC) {
      size_t kc = n - pc < SU_GEMM_KC ? n - pc : SU_GEMM_KC;

#pragma omp for schedule(static)
      for (size_t s = 0; s < nc / nr; s++)
        gemm_pack_b(st, pc, kc, jc, s, st->bpack);

#pragma omp for schedule(static)
      for (size_t blk = 0; blk < st->nblocks; blk++) {
        size_t lo, hi;

        gemm_block_rows(st, blk, &lo, &hi);
        gemm_pack_a(st, lo, hi - lo, pc, kc, ap);
        for (size_t jr = 0; jr < nc; jr += nr)
          for (size_t ir = 0; ir < hi - lo; ir += mr)
            uk(kc, ap + ir * kc, st->bpack + jr * kc, st->c + (lo + ir) * n + jc + jr, n);
      }
    }
  }
}

static int gemm_run(void *state, uint64_t inner, su_timing_t *t)
{
  su_gemm_state_t *st = state;

  if (!st || inner == 0)
    return su_errorf(SU_EINVAL, "gemm run: no state or zero repetitions");
  if (st->isa) {
#pragma omp parallel num_threads(st->nthreads)
    {
      double *ap = st->apack + (size_t)omp_get_thread_num() * st->apack_stride;

      for (uint64_t r = 0; r < inner; r++)
        gemm_blocked_rep(st, ap);
    }
  } else {
#if SU_HAVE_CBLAS
    int n = (int)st->n;

    /* Cheap when unchanged; another configuration may have changed it. */
    if (openblas_set_num_threads)
      openblas_set_num_threads((int)st->nthreads);
    for (uint64_t r = 0; r < inner; r++)
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, st->a, n,
                  st->b, n, 1.0, st->c, n);
#else
    return su_errorf(SU_ENOTSUP, "gemm: variant 'cblas': built without CBLAS");
#endif
  }
  st->reps += inner;
  if (t)
    t->device_ns = 0;
  return SU_OK;
}

/* ------------------------------------------------------------------------ */
/* Verify.                                                                   */

/*
 * The tolerance, relative to the sum of the magnitudes of the terms.
 *
 * Each entry of C after k repetitions is C0_ij plus k dot products of
 * length n, each accumulated (in whatever order the blocking chose) into C
 * through at most n + k roundings along any one term's path.  The standard
 * bound (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed.,
 * sec. 3.1 and 3.5) is then |computed - exact| <= gamma_{n+k} (|C0| +
 * k |A| |B|), gamma_m = m eps / (1 - m eps).  Freivalds' products and the
 * dot products below are computed in long double from the exact inputs,
 * so their own error is far smaller.  The bound, not the typical error
 * (~sqrt(n) eps), is what the check may use without false alarms, hence
 * tol = eps x max(desc->verify_rel_tol, n + k): the shared 1e4 covers every
 * matrix up to n ~ 1e4 for a modest number of repetitions and the n + k
 * term takes over beyond.  Relative to |C0| |x| + k |A| (|B| |x|), a wrong
 * entry of C stands out by its error over the row sum of magnitudes, ~n
 * entries' worth: a corrupted element off by 1e-9 of its row is caught at
 * n = 1024.
 */
static double gemm_tol(const su_gemm_state_t *st)
{
  double m = (double)st->n + (double)st->reps;
  double f = su_desc_gemm.verify_rel_tol;

  return DBL_EPSILON * (m > f ? m : f);
}

static int gemm_verify(void *state, su_verify_t *v)
{
  const su_gemm_state_t *st = state;
  size_t n = st->n;
  long double k = (long double)st->reps;
  long double *x = NULL, *bx = NULL, *babs = NULL;
  double tol = gemm_tol(st), worst = 0.0;
  size_t bad_row = SIZE_MAX;
  int err = SU_OK;

  x = malloc(n * sizeof(*x));
  bx = malloc(n * sizeof(*bx));
  babs = malloc(n * sizeof(*babs));
  if (!x || !bx || !babs) {
    err = su_errorf(SU_ENOMEM, "gemm verify: cannot allocate 3 vectors of %zu", n);
    goto out;
  }
  v->tol = tol;

  /* x in [0.5, 1.5): positive, so no entry of C can hide behind a zero or
   * a cancelling weight; new values for every verify call. */
  for (size_t j = 0; j < n; j++)
    x[j] = 1.0L + 0.5L * gemm_val(SU_GEMM_SEED_X ^ st->reps, 0, j);

  /* B x and |B| x from B's formula; B in memory must still equal it. */
  for (size_t l = 0; l < n; l++) {
    long double s = 0, sa = 0;

    for (size_t j = 0; j < n; j++) {
      double b = gemm_val(SU_GEMM_SEED_B, l, j);

      if (st->b[l * n + j] != b) {
        err = su_errorf(SU_EVERIFY, "gemm: input B[%zu][%zu] was modified", l, j);
        goto out;
      }
      s += b * x[j];
      sa += fabs(b) * x[j];
    }
    bx[l] = s;
    babs[l] = sa;
  }

  /* Freivalds: C x against C0 x + k A (B x), row by row. */
  for (size_t i = 0; i < n; i++) {
    long double cx = 0, c0x = 0, c0abs = 0, abx = 0, aabs = 0, diff, mag;
    double rel;

    for (size_t j = 0; j < n; j++) {
      double a = gemm_val(SU_GEMM_SEED_A, i, j);
      double c0 = gemm_val(SU_GEMM_SEED_C, i, j);

      if (st->a[i * n + j] != a) {
        err = su_errorf(SU_EVERIFY, "gemm: input A[%zu][%zu] was modified", i, j);
        goto out;
      }
      cx += st->c[i * n + j] * x[j];
      c0x += c0 * x[j];
      c0abs += fabs(c0) * x[j];
      abx += a * bx[j];
      aabs += fabs(a) * babs[j];
    }
    diff = fabsl(cx - (c0x + k * abx));
    mag = c0abs + k * aabs;
    rel = (double)(diff / mag);
    if (!(rel <= worst))
      worst = isnan(rel) ? INFINITY : rel;
    if (!(rel <= tol) && bad_row == SIZE_MAX)
      bad_row = i;
  }
  v->max_rel_err = worst;
  if (bad_row != SIZE_MAX) {
    err = su_errorf(SU_EVERIFY, "gemm: row %zu of C x is off by %.3g relative "
                    "(tolerance %.3g) after %llu repetitions", bad_row, worst, tol,
                    (unsigned long long)st->reps);
    goto out;
  }

  /* A few entries by dot products: the corners (edges of the blocking)
   * and hashed positions. */
  for (unsigned s = 0; s < 4 + SU_GEMM_NSPOT; s++) {
    size_t i, j;
    long double dot = 0, dabs = 0, ref, mag;
    double c0, rel;

    if (s < 4) {
      i = (s & 1) ? n - 1 : 0;
      j = (s & 2) ? n - 1 : 0;
    } else {
      uint64_t h = gemm_mix(SU_GEMM_SEED_X + s);

      i = (size_t)(h % n);
      j = (size_t)((h >> 32) % n);
    }
    for (size_t l = 0; l < n; l++) {
      long double t = (long double)gemm_val(SU_GEMM_SEED_A, i, l) *
                      gemm_val(SU_GEMM_SEED_B, l, j);

      dot += t;
      dabs += fabsl(t);
    }
    c0 = gemm_val(SU_GEMM_SEED_C, i, j);
    ref = c0 + k * dot;
    mag = fabs(c0) + k * dabs;
    rel = (double)(fabsl(st->c[i * n + j] - ref) / mag);
    if (!(rel <= worst))
      worst = isnan(rel) ? INFINITY : rel;
    v->max_rel_err = worst;
    if (!(rel <= tol)) {
      err = su_errorf(SU_EVERIFY, "gemm: C[%zu][%zu] = %.17g, expected %.17Lg "
                      "(relative error %.3g, tolerance %.3g)", i, j, st->c[i * n + j],
                      ref, rel, tol);
      goto out;
    }
  }
out:
  free(x);
  free(bx);
  free(babs);
  return err;
}

/* For tests: damages one element of C, off the blocks' edges. */
static void gemm_corrupt(void *state)
{
  su_gemm_state_t *st = state;
  size_t i = st->n / 2 + 1, j = st->n / 3 + 1;
  double *c = &st->c[i * st->n + j];

  *c += 1.0 + fabs(*c) * 1e-3;
}

const su_kernel_ops_t su_cpu_gemm_ops = {
  .desc = &su_desc_gemm,
  .precisions = SU_PREC_FP64,
#if SU_HAVE_CBLAS
  .variants = "blocked,cblas",
#else
  .variants = "blocked",
#endif
  .size_rule = SU_SIZE_FIXED,
  .default_size_bytes = 3ull * 1024 * 1024 * 8,
  .setup = gemm_setup,
  .run = gemm_run,
  .verify = gemm_verify,
  .teardown = gemm_teardown,
  .corrupt = gemm_corrupt,
};
