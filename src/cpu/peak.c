/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * peak.c: fma_peak on the CPU backend: the peak floating-point rate of the
 * cores, from independent chains of acc = acc * x + y held in registers.
 *
 * Each thread runs NACC independent accumulator chains per vector register
 * width, enough to cover the FMA latency times the number of FMA pipes
 * (4-5 cycles x 2 pipes on the cores of the table below), so the pipes
 * never wait for a result.  One inner repetition is SU_PEAK_K iterations of
 * every chain (~10-50 us), all inside one OpenMP parallel region per run()
 * call.  x and y are read through volatile pointers so the compiler cannot
 * fold the chains; x = 0.9 and y = 0.1 pull every accumulator towards the
 * fixed point y / (1 - x) = 1, so values stay finite and far from the
 * denormal range however many repetitions run.
 *
 * Variants are the instruction sets: "avx512" (zmm FMA), "avx2" (ymm FMA,
 * needs FMA3), "sse2" (no FMA: a multiply then an add, still 2 flops per
 * step), "generic" (compiler vector extensions, for any architecture) and
 * "best", which resolves at setup to the widest one this CPU has.  Every
 * ISA x precision is one instantiation of SU_PEAK_DEFINE, compiled with
 * __attribute__((target)) so the file builds without -march=native.
 *
 * Verification is against the closed form of the recurrence, computed in
 * long double: acc_k = x^k acc_0 + y (1 - x^k) / (1 - x).  Why x = 0.9 and
 * not closer to 1: once an accumulator has converged it rests on a floating
 * point fixed point of fl(acc * x + y), which can sit up to
 * ulp / (2 (1 - x)) away from the exact one; with x = 0.9 that is <= 5 ulp
 * (10 for the unfused sse2 step), inside the 100-epsilon tolerance, whereas
 * x = 0.999 would allow 500.
 *
 * derive() adds the theoretical peak (threads x measured sustained clock x
 * flop/cycle per core from the table below), the efficiency against it, the
 * clock and the table's flop/cycle.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

#include "cpu/clock.h"
#include "cpu/cpu.h"
#include "sizeup/error.h"
#include "sizeup/timer.h"

/* Iterations of every chain per inner repetition: 8192 x 16 zmm FMAs at two
 * per cycle is 65536 cycles, ~16 us at 4 GHz (~50 us for sse2 on a core
 * with one multiplier). */
#define SU_PEAK_K 8192u
/* Accumulators per ISA: FMA latency x FMA pipes, with margin, within the
 * register file (x and y take two more registers). */
#define SU_PEAK_NACC_AVX512 16 /* of 32 zmm; 4-cycle latency x 2 pipes = 8 */
#define SU_PEAK_NACC_AVX2 12   /* of 16 ymm; Haswell 5 x 2 = 10 */
#define SU_PEAK_NACC_SSE2 12   /* of 16 xmm; (mul 3 + add 2-3) x 2 = 10-12 */
#define SU_PEAK_NACC_GENERIC 12
#define SU_PEAK_BLOCK_MAX 1024 /* bytes: the largest set, 16 x 64-byte zmm */
#define SU_PEAK_WARMUP_NS 2000000u /* FMA warm-up before the clock: 2 ms */

_Static_assert(SU_PEAK_NACC_AVX512 * 64 <= SU_PEAK_BLOCK_MAX &&
               SU_PEAK_NACC_GENERIC * 32 <= SU_PEAK_BLOCK_MAX,
               "the warm-up scratch block holds every accumulator set");

static const double su_peak_x = 0.9, su_peak_y = 0.1;

/* Runs `iters` iterations of every chain; acc (NACC vectors, 64-byte
 * aligned: the generic variant uses aligned moves) is loaded before and
 * stored after; xy points at {x, y}. */
typedef void (*peak_fn)(void *acc, const volatile void *xy, uint64_t iters);

/*
 * One kernel: NAME(acc, xy, iters) for element type ELEM in vectors VEC.
 * The NACC accumulators are an array that GCC fully unrolls and keeps in
 * registers (check with objdump: the inner loop has no memory operands).
 */
#define SU_PEAK_DEFINE(NAME, ATTR, ELEM, VEC, NACC, LOADU, STOREU, SET1, STEP) \
  ATTR static void NAME(void *mem, const volatile void *xy, uint64_t iters)  \
  {                                                                          \
    ELEM *m = mem;                                                           \
    const volatile ELEM *c = xy;                                             \
    const size_t lanes = sizeof(VEC) / sizeof(ELEM);                         \
    const VEC vx = SET1(c[0]), vy = SET1(c[1]);                              \
    VEC acc[NACC];                                                           \
    _Pragma("GCC unroll 32")                                                 \
    for (int j = 0; j < NACC; j++)                                           \
      acc[j] = LOADU(m + j * lanes);                                         \
    for (uint64_t i = 0; i < iters; i++) {                                   \
      _Pragma("GCC unroll 32")                                               \
      for (int j = 0; j < NACC; j++)                                         \
        acc[j] = STEP(acc[j], vx, vy);                                       \
    }                                                                        \
    _Pragma("GCC unroll 32")                                                 \
    for (int j = 0; j < NACC; j++)                                           \
      STOREU(m + j * lanes, acc[j]);                                         \
  }

/* Portable variant: GCC/Clang vector extensions, 32-byte vectors.  Whether
 * a * x + y is fused is the compiler's choice; either way it is 2 flops. */
typedef double su_peak_v4d __attribute__((vector_size(32)));
typedef float su_peak_v8f __attribute__((vector_size(32)));
#define SU_GEN_LOAD(VEC, p) (*(const VEC *)(const void *)(p))
#define SU_GEN_STORE(VEC, p, v) (*(VEC *)(void *)(p) = (v))
#define SU_GEN_LOADD(p) SU_GEN_LOAD(su_peak_v4d, p)
#define SU_GEN_LOADF(p) SU_GEN_LOAD(su_peak_v8f, p)
#define SU_GEN_STORED(p, v) SU_GEN_STORE(su_peak_v4d, p, v)
#define SU_GEN_STOREF(p, v) SU_GEN_STORE(su_peak_v8f, p, v)
#define SU_GEN_SET1D(v) ((su_peak_v4d){0} + (double)(v))
#define SU_GEN_SET1F(v) ((su_peak_v8f){0} + (float)(v))
#define SU_GEN_STEP(a, x, y) ((a) * (x) + (y))

SU_PEAK_DEFINE(peak_generic_fp64, , double, su_peak_v4d, SU_PEAK_NACC_GENERIC,
               SU_GEN_LOADD, SU_GEN_STORED, SU_GEN_SET1D, SU_GEN_STEP)
SU_PEAK_DEFINE(peak_generic_fp32, , float, su_peak_v8f, SU_PEAK_NACC_GENERIC,
               SU_GEN_LOADF, SU_GEN_STOREF, SU_GEN_SET1F, SU_GEN_STEP)

#if defined(__x86_64__)
#define SU_ATTR_AVX512 __attribute__((target("avx512f")))
#define SU_ATTR_AVX2 __attribute__((target("avx2,fma")))
#define SU_ATTR_SSE2 __attribute__((target("sse2")))
/* The sse2 step stays a multiply then an add, as on a CPU without FMA, even
 * when the file is built with -march=native and -ffp-contract=fast: the
 * empty asm makes the product opaque, so the compiler cannot fuse the two
 * (it emits no instruction). */
#define SU_SSE2_STEP_DEFINE(NAME, VEC, MUL, ADD)                              \
  SU_ATTR_SSE2 static inline VEC NAME(VEC a, VEC x, VEC y)                   \
  {                                                                          \
    VEC prod = MUL(a, x);                                                    \
    __asm__("" : "+x"(prod));                                                \
    return ADD(prod, y);                                                     \
  }
SU_SSE2_STEP_DEFINE(su_sse2_stepd, __m128d, _mm_mul_pd, _mm_add_pd)
SU_SSE2_STEP_DEFINE(su_sse2_stepf, __m128, _mm_mul_ps, _mm_add_ps)

SU_PEAK_DEFINE(peak_avx512_fp64, SU_ATTR_AVX512, double, __m512d, SU_PEAK_NACC_AVX512,
               _mm512_loadu_pd, _mm512_storeu_pd, _mm512_set1_pd, _mm512_fmadd_pd)
SU_PEAK_DEFINE(peak_avx512_fp32, SU_ATTR_AVX512, float, __m512, SU_PEAK_NACC_AVX512,
               _mm512_loadu_ps, _mm512_storeu_ps, _mm512_set1_ps, _mm512_fmadd_ps)
SU_PEAK_DEFINE(peak_avx2_fp64, SU_ATTR_AVX2, double, __m256d, SU_PEAK_NACC_AVX2,
               _mm256_loadu_pd, _mm256_storeu_pd, _mm256_set1_pd, _mm256_fmadd_pd)
SU_PEAK_DEFINE(peak_avx2_fp32, SU_ATTR_AVX2, float, __m256, SU_PEAK_NACC_AVX2,
               _mm256_loadu_ps, _mm256_storeu_ps, _mm256_set1_ps, _mm256_fmadd_ps)
SU_PEAK_DEFINE(peak_sse2_fp64, SU_ATTR_SSE2, double, __m128d, SU_PEAK_NACC_SSE2,
               _mm_loadu_pd, _mm_storeu_pd, _mm_set1_pd, su_sse2_stepd)
SU_PEAK_DEFINE(peak_sse2_fp32, SU_ATTR_SSE2, float, __m128, SU_PEAK_NACC_SSE2,
               _mm_loadu_ps, _mm_storeu_ps, _mm_set1_ps, su_sse2_stepf)
#endif

typedef struct peak_isa {
  const char *name;        /* the variant name, in the CSV */
  unsigned nacc;           /* accumulator vectors per thread */
  size_t vec_bytes;
  peak_fn fp64, fp32;
} peak_isa_t;

/* Widest first: "best" takes the first one available. */
static const peak_isa_t peak_isas[] = {
#if defined(__x86_64__)
  {"avx512", SU_PEAK_NACC_AVX512, 64, peak_avx512_fp64, peak_avx512_fp32},
  {"avx2", SU_PEAK_NACC_AVX2, 32, peak_avx2_fp64, peak_avx2_fp32},
  {"sse2", SU_PEAK_NACC_SSE2, 16, peak_sse2_fp64, peak_sse2_fp32},
#endif
  {"generic", SU_PEAK_NACC_GENERIC, 32, peak_generic_fp64, peak_generic_fp32},
};
#define SU_PEAK_NISAS (sizeof(peak_isas) / sizeof(peak_isas[0]))

static int isa_available(const peak_isa_t *isa)
{
  su_cpu_isa_t has;

  su__cpu_isa(&has);
  if (strcmp(isa->name, "avx512") == 0)
    return has.avx512f;
  if (strcmp(isa->name, "avx2") == 0)
    return has.avx2 && has.fma;
  if (strcmp(isa->name, "sse2") == 0)
    return has.sse2;
  return 1; /* generic */
}

/* ---- flop/cycle per core: the table -------------------------------------- */

enum { SU_VENDOR_OTHER, SU_VENDOR_AMD, SU_VENDOR_INTEL };

typedef struct peak_cpu_id {
  int vendor;
  unsigned family, model;  /* display family and model (CPUID leaf 1) */
} peak_cpu_id_t;

static void peak_cpu_ident(peak_cpu_id_t *id)
{
  memset(id, 0, sizeof(*id));
#if defined(__x86_64__)
  unsigned a, b, c, d, base_family;
  char vendor[13];

  if (!__get_cpuid(0, &a, &b, &c, &d))
    return;
  memcpy(vendor, &b, 4);
  memcpy(vendor + 4, &d, 4);
  memcpy(vendor + 8, &c, 4);
  vendor[12] = '\0';
  if (strcmp(vendor, "AuthenticAMD") == 0)
    id->vendor = SU_VENDOR_AMD;
  else if (strcmp(vendor, "GenuineIntel") == 0)
    id->vendor = SU_VENDOR_INTEL;
  if (!__get_cpuid(1, &a, &b, &c, &d))
    return;
  /* Intel SDM vol. 2A, CPUID leaf 1 EAX; AMD uses the same rule. */
  base_family = (a >> 8) & 0xf;
  id->family = base_family == 0xf ? base_family + ((a >> 20) & 0xff) : base_family;
  id->model = (a >> 4) & 0xf;
  if (base_family == 0x6 || base_family == 0xf)
    id->model |= ((a >> 16) & 0xf) << 4;
#endif
}

typedef struct peak_fpc_row {
  int vendor;
  unsigned family, model_lo, model_hi;
  const char *isa;
  unsigned fp64;           /* FP64 flop/cycle/core; 0 = not known: no row */
} peak_fpc_row_t;

/*
 * FP64 flop per cycle per core for this kernel's instruction mix; FP32 is
 * twice that.  First matching row wins, so exceptions come first.  Sources:
 * Agner Fog, "The microarchitecture of Intel, AMD and VIA CPUs"; AMD
 * Software Optimization Guides for families 17h, 19h and 1Ah; uops.info.
 * A CPU or ISA not listed gets no theoretical peak rather than a guess.
 */
static const peak_fpc_row_t peak_fpc_table[] = {
  /* AMD Zen/Zen+ (17h models 00-2F): two 128-bit FMA pipes, a 256-bit FMA
   * takes both: 2 x 2 lanes x 2. */
  {SU_VENDOR_AMD, 0x17, 0x00, 0x2f, "avx2", 8},
  /* Zen 2, 3, 4 and 5: two 256-bit (Zen 5: 512-bit) FMA pipes. */
  {SU_VENDOR_AMD, 0x17, 0x30, 0xff, "avx2", 16},
  {SU_VENDOR_AMD, 0x19, 0x00, 0xff, "avx2", 16},
  {SU_VENDOR_AMD, 0x1a, 0x00, 0xff, "avx2", 16},
  /* Zen 4 runs a 512-bit FMA as two halves on its 256-bit pipes: no gain. */
  {SU_VENDOR_AMD, 0x19, 0x00, 0xff, "avx512", 16},
  /* Zen 5 server (Turin, Turin dense: models 00-1F) and desktop (Granite
   * Ridge: 40-4F) have full 512-bit FMA pipes: 2 x 8 x 2.  Measured on a
   * family 1Ah model 02h VM (nominal 2.6 GHz, measured 4.35 GHz): one core
   * runs 140 GFLOP/s here and 138 GFLOP/s in likwid-bench
   * peakflops_avx512_fma, 99-100% of 32 x 4.35; avx2 reaches 16.0. */
  {SU_VENDOR_AMD, 0x1a, 0x00, 0x1f, "avx512", 32},
  {SU_VENDOR_AMD, 0x1a, 0x40, 0x4f, "avx512", 32},
  /* Zen 5 mobile (Strix Point 20-2F, Krackan 60-6F) keeps 256-bit pipes. */
  {SU_VENDOR_AMD, 0x1a, 0x20, 0x2f, "avx512", 16},
  {SU_VENDOR_AMD, 0x1a, 0x60, 0x6f, "avx512", 16},
  /* Zen 1-5: two multiply (FMA) pipes and two separate add pipes, so an
   * unfused multiply and add each issue twice per cycle: 2 x 2 lanes x 2,
   * not the 4 of a core with one multiplier and one adder.  Measured on
   * Zen 5 (1Ah/02h): 15-16 FP32 and 7.1-7.8 FP64 flop/cycle; likwid-bench
   * peakflops_avx (ymm multiply + add) reaches 13.3 FP64, above 8. */
  {SU_VENDOR_AMD, 0x17, 0x00, 0xff, "sse2", 8},
  {SU_VENDOR_AMD, 0x19, 0x00, 0xff, "sse2", 8},
  {SU_VENDOR_AMD, 0x1a, 0x00, 0xff, "sse2", 8},
  /* Intel server cores with AVX-512 (Skylake-SP/Cascade Lake 55, Ice Lake-SP
   * 6A/6C, Sapphire/Emerald/Granite Rapids 8F/CF/AD/AE): two 512-bit FMA
   * units, 2 x 8 x 2.  Some Skylake/Cascade Lake Xeon Bronze, Silver and
   * Gold 5xxx parts have only one; their efficiency then reads ~50%. */
  {SU_VENDOR_INTEL, 6, 0x55, 0x55, "avx512", 32},
  {SU_VENDOR_INTEL, 6, 0x6a, 0x6a, "avx512", 32},
  {SU_VENDOR_INTEL, 6, 0x6c, 0x6c, "avx512", 32},
  {SU_VENDOR_INTEL, 6, 0x8f, 0x8f, "avx512", 32},
  {SU_VENDOR_INTEL, 6, 0xad, 0xae, "avx512", 32},
  {SU_VENDOR_INTEL, 6, 0xcf, 0xcf, "avx512", 32},
  /* Intel client cores with AVX-512 (Ice Lake 7D/7E, Tiger Lake 8C/8D,
   * Rocket Lake A7): one 512-bit FMA (ports 0+1 fused): 8 x 2. */
  {SU_VENDOR_INTEL, 6, 0x7d, 0x7e, "avx512", 16},
  {SU_VENDOR_INTEL, 6, 0x8c, 0x8d, "avx512", 16},
  {SU_VENDOR_INTEL, 6, 0xa7, 0xa7, "avx512", 16},
  /* Intel Atom-class cores (Alder Lake-N BE, Sierra Forest AF, Grand Ridge
   * B6): two 128-bit FMA pipes, so a 256-bit FMA per cycle: 4 x 2. */
  {SU_VENDOR_INTEL, 6, 0xaf, 0xaf, "avx2", 8},
  {SU_VENDOR_INTEL, 6, 0xb6, 0xb6, "avx2", 8},
  {SU_VENDOR_INTEL, 6, 0xbe, 0xbe, "avx2", 8},
  /* Haswell and later big cores: two 256-bit FMA units, 2 x 4 x 2. */
  {SU_VENDOR_INTEL, 6, 0x3c, 0xff, "avx2", 16},
  /* Haswell to Ice Lake: multiplies and adds share ports 0 and 1 (Haswell:
   * adds on port 1 only), so one multiply and one add per cycle: 2 x 2.
   * Golden Cove and later (Alder/Raptor Lake 97/9A/B7/BA/BF, Sapphire and
   * Emerald Rapids 8F/CF, Granite Rapids AD/AE) add separate fast adders and
   * get no row rather than a wrong one. */
  {SU_VENDOR_INTEL, 6, 0x97, 0x97, "sse2", 0},
  {SU_VENDOR_INTEL, 6, 0x9a, 0x9a, "sse2", 0},
  {SU_VENDOR_INTEL, 6, 0xb7, 0xb7, "sse2", 0},
  {SU_VENDOR_INTEL, 6, 0xba, 0xba, "sse2", 0},
  {SU_VENDOR_INTEL, 6, 0xbf, 0xbf, "sse2", 0},
  {SU_VENDOR_INTEL, 6, 0x8f, 0x8f, "sse2", 0},
  {SU_VENDOR_INTEL, 6, 0xcf, 0xcf, "sse2", 0},
  {SU_VENDOR_INTEL, 6, 0xad, 0xae, "sse2", 0},
  {SU_VENDOR_INTEL, 6, 0x3c, 0xff, "sse2", 4},
};

/* Flop/cycle per core for `isa` at `prec` on this CPU; 0 when not known. */
static double peak_flops_per_cycle(const char *isa, su_precision_t prec)
{
  peak_cpu_id_t id;

  peak_cpu_ident(&id);
  for (size_t i = 0; i < sizeof(peak_fpc_table) / sizeof(peak_fpc_table[0]); i++) {
    const peak_fpc_row_t *r = &peak_fpc_table[i];

    if (r->vendor == id.vendor && r->family == id.family && id.model >= r->model_lo &&
        id.model <= r->model_hi && strcmp(r->isa, isa) == 0)
      return (double)r->fp64 * (prec == SU_PREC_FP32 ? 2.0 : 1.0);
  }
  return 0.0;
}

/* ---- the kernel ------------------------------------------------------------ */

typedef struct peak_state {
  const peak_isa_t *isa;
  peak_fn fn;
  su_precision_t prec;
  unsigned nthreads;
  size_t lanes;            /* elements per vector */
  size_t nelem;            /* accumulator elements per thread: nacc x lanes */
  size_t block_bytes;      /* per-thread block, a multiple of 64 bytes */
  unsigned char *acc;      /* nthreads x block_bytes, first touched by its thread */
  uint64_t iters;          /* iterations every chain has run so far */
  volatile double xy64[2];
  volatile float xy32[2];
} peak_state_t;

static const volatile void *peak_xy(const peak_state_t *s)
{
  return s->prec == SU_PREC_FP64 ? (const volatile void *)s->xy64
                                 : (const volatile void *)s->xy32;
}

/* acc_0 of element i of thread t: 1 + k/64, exact in both precisions, and
 * different across neighbouring lanes so a lane mix-up is visible early. */
static double peak_acc0(unsigned t, size_t i)
{
  return 1.0 + (double)((t * 131u + i) % 64u) / 64.0;
}

static double peak_get(const peak_state_t *s, unsigned t, size_t i)
{
  const unsigned char *blk = s->acc + (size_t)t * s->block_bytes;

  return s->prec == SU_PREC_FP64 ? ((const double *)(const void *)blk)[i]
                                 : (double)((const float *)(const void *)blk)[i];
}

static void peak_put(peak_state_t *s, unsigned t, size_t i, double v)
{
  unsigned char *blk = s->acc + (size_t)t * s->block_bytes;

  if (s->prec == SU_PREC_FP64)
    ((double *)(void *)blk)[i] = v;
  else
    ((float *)(void *)blk)[i] = (float)v;
}

static int peak_resolve(const char *variant, const peak_isa_t **out)
{
  if (!variant || !*variant || strcmp(variant, "best") == 0) {
    for (size_t i = 0; i < SU_PEAK_NISAS; i++) {
      if (isa_available(&peak_isas[i])) {
        *out = &peak_isas[i];
        return SU_OK;
      }
    }
    return su_errorf(SU_ENOTSUP, "no fma_peak variant runs on this cpu");
  }
  for (size_t i = 0; i < SU_PEAK_NISAS; i++) {
    if (strcmp(variant, peak_isas[i].name) != 0)
      continue;
    if (!isa_available(&peak_isas[i]))
      return su_errorf(SU_ENOTSUP, "this cpu lacks the '%s' instruction set", variant);
    *out = &peak_isas[i];
    return SU_OK;
  }
#if defined(__x86_64__)
  return su_errorf(SU_EINVAL, "unknown fma_peak variant '%s' (expected best, avx512, "
                   "avx2, sse2 or generic)", variant);
#else
  return su_errorf(SU_EINVAL, "unknown fma_peak variant '%s' (expected best or generic "
                   "on this architecture)", variant);
#endif
}

static int peak_setup(const su_params_t *p, void **state, su_work_t *work)
{
  const peak_isa_t *isa = NULL;
  peak_state_t *s = NULL;
  size_t elem;
  int err;

  if (p->prec != SU_PREC_FP64 && p->prec != SU_PREC_FP32)
    return su_errorf(SU_ENOTSUP, "fma_peak has no '%s' precision on the cpu",
                     su_precision_name(p->prec));
  if (p->nthreads == 0)
    return su_errorf(SU_EINVAL, "fma_peak needs at least one thread");
  err = peak_resolve(p->variant, &isa);
  if (err)
    return err;

  s = calloc(1, sizeof(*s));
  if (!s)
    return su_errorf(SU_ENOMEM, "cannot allocate the fma_peak state");
  elem = p->prec == SU_PREC_FP64 ? sizeof(double) : sizeof(float);
  s->isa = isa;
  s->fn = p->prec == SU_PREC_FP64 ? isa->fp64 : isa->fp32;
  s->prec = p->prec;
  s->nthreads = p->nthreads;
  s->lanes = isa->vec_bytes / elem;
  s->nelem = isa->nacc * s->lanes;
  /* Each thread's block on its own cache lines: no false sharing. */
  s->block_bytes = (isa->nacc * isa->vec_bytes + 63) / 64 * 64;
  s->xy64[0] = su_peak_x;
  s->xy64[1] = su_peak_y;
  s->xy32[0] = (float)su_peak_x;
  s->xy32[1] = (float)su_peak_y;
  s->acc = su__cpu_alloc((size_t)p->nthreads * s->block_bytes);
  if (!s->acc) {
    err = su_errorf(SU_ENOMEM, "cannot allocate %u fma_peak accumulator blocks",
                    p->nthreads);
    goto out;
  }
#pragma omp parallel num_threads(s->nthreads)
  {
    /* First touch by the thread that runs the chains; the stride covers
     * every block even if OpenMP gives a smaller team (run() rejects one). */
    unsigned tid = (unsigned)omp_get_thread_num();
    unsigned team = (unsigned)omp_get_num_threads();

    for (unsigned t = tid; t < s->nthreads; t += team)
      for (size_t i = 0; i < s->nelem; i++)
        peak_put(s, t, i, peak_acc0(t, i));
  }

  memset(work, 0, sizeof(*work));
  work->flops = (double)s->nthreads * SU_PEAK_K * (double)s->nelem * 2.0;
  work->bytes = 0;
  work->items = 0;
  work->size_bytes = 0;
  snprintf(work->variant, sizeof(work->variant), "%s", isa->name);
  *state = s;
  s = NULL;
out:
  if (s) {
    su__cpu_free(s->acc);
    free(s);
  }
  return err;
}

/* One run(): `iters` FMA iterations on every thread's accumulator block. */
typedef struct peak_run_arg {
  peak_state_t *s;
  const volatile void *xy;
  uint64_t iters;
} peak_run_arg_t;

static void peak_run_thread(void *arg, unsigned tid)
{
  const peak_run_arg_t *a = arg;

  a->s->fn(a->s->acc + (size_t)tid * a->s->block_bytes, a->xy, a->iters);
}

static int peak_run(void *state, uint64_t inner, su_timing_t *t)
{
  peak_state_t *s = state;
  peak_run_arg_t a = {s, peak_xy(s), inner * SU_PEAK_K};
  int err;

  (void)t;
  err = su__cpu_each_thread(s->nthreads, peak_run_thread, &a, "fma_peak");
  if (err)
    return err;
  s->iters += a.iters;
  return SU_OK;
}

static int peak_verify(void *state, su_verify_t *v)
{
  peak_state_t *s = state;
  const double eps = s->prec == SU_PREC_FP64 ? DBL_EPSILON : FLT_EPSILON;
  const double tol = su_desc_fma_peak.verify_rel_tol * eps;
  /* x and y as the kernel saw them, rounded to its precision. */
  const long double x = s->prec == SU_PREC_FP64 ? (long double)s->xy64[0]
                                                : (long double)s->xy32[0];
  const long double y = s->prec == SU_PREC_FP64 ? (long double)s->xy64[1]
                                                : (long double)s->xy32[1];
  const long double xk = powl(x, (long double)s->iters);
  double worst = 0.0, worst_got = 0.0;
  long double worst_ref = 0.0L;
  unsigned worst_t = 0;
  size_t worst_i = 0;

  for (unsigned t = 0; t < s->nthreads; t++) {
    for (size_t i = 0; i < s->nelem; i++) {
      long double a0 = s->prec == SU_PREC_FP64 ? (long double)peak_acc0(t, i)
                                               : (long double)(float)peak_acc0(t, i);
      long double ref = xk * a0 + y * (1.0L - xk) / (1.0L - x);
      double got = peak_get(s, t, i);
      double rel = (double)(fabsl((long double)got - ref) / fabsl(ref));

      if (!(rel == rel)) /* NaN */
        rel = INFINITY;
      if (rel > worst) {
        worst = rel;
        worst_got = got;
        worst_ref = ref;
        worst_t = t;
        worst_i = i;
      }
    }
  }
  v->max_rel_err = worst;
  v->tol = tol;
  if (!(worst <= tol))
    return su_errorf(SU_EVERIFY, "fma_peak accumulator %zu of thread %u is %.17g, "
                     "expected %.17Lg (relative error %.3g > %.3g)",
                     worst_i, worst_t, worst_got, worst_ref, worst, tol);
  return SU_OK;
}

static void peak_teardown(void *state)
{
  peak_state_t *s = state;

  if (!s)
    return;
  su__cpu_free(s->acc);
  free(s);
}

static void peak_corrupt(void *state)
{
  peak_state_t *s = state;
  unsigned t = s->nthreads - 1;
  size_t i = s->nelem / 2;

  peak_put(s, t, i, peak_get(s, t, i) + 0.25);
}

/* The clock warm-up: ~2 ms of this state's own FMA chains on scratch
 * registers, so the clock is measured in the state the kernel runs in. */
static void peak_warmup(void *arg, unsigned tid)
{
  const peak_state_t *s = arg;
  _Alignas(64) unsigned char scratch[SU_PEAK_BLOCK_MAX];
  uint64_t t0 = su_time_ns();

  (void)tid;
  memset(scratch, 0, sizeof(scratch)); /* 0 is a fine start: 0 * x + y = y */
  do {
    s->fn(scratch, peak_xy(s), SU_PEAK_K);
  } while (su_time_ns() - t0 < SU_PEAK_WARMUP_NS);
}

static void peak_push(su_derived_t *out, unsigned max, unsigned *n, const char *metric,
                      const char *unit, double value, double primary_scale)
{
  if (*n >= max)
    return;
  out[*n].metric = metric;
  out[*n].unit = unit;
  out[*n].value = value;
  out[*n].primary_scale = primary_scale;
  (*n)++;
}

/*
 * peak_theoretical = threads x clock x flop/cycle/core: one thread per core
 * is assumed (the placements fill cores before SMT siblings); with two
 * threads on one core the figure doubles while the core's pipes do not.
 * Rows that need a figure sizeup cannot get (no clock on this architecture,
 * no table row for this CPU) are left out.
 */
static int peak_derive(void *state, su_derived_t *out, unsigned max, unsigned *n)
{
  peak_state_t *s = state;
  double ghz = 0.0, fpc = peak_flops_per_cycle(s->isa->name, s->prec);
  int err = su__cpu_measure_clock_ghz(s->nthreads, peak_warmup, s, &ghz);

  *n = 0;
  if (err == SU_ENOTSUP) {
    su_errclear();
  } else if (err) {
    return err;
  }
  if (!err && fpc > 0.0 && ghz > 0.0) {
    double theo_gflops = (double)s->nthreads * ghz * fpc;

    peak_push(out, max, n, "peak_theoretical", "GFLOP/s", theo_gflops, 0.0);
    peak_push(out, max, n, "efficiency", "%", 0.0, 100.0 / theo_gflops);
  }
  if (!err)
    peak_push(out, max, n, "clock", "GHz", ghz, 0.0);
  if (fpc > 0.0)
    peak_push(out, max, n, "flops_per_cycle", "flop/cycle", fpc, 0.0);
  return SU_OK;
}

const su_kernel_ops_t su_cpu_fma_peak_ops = {
  .desc = &su_desc_fma_peak,
  .precisions = SU_PREC_FP64 | SU_PREC_FP32,
  .variants = "best",
  .size_rule = SU_SIZE_NONE,
  .setup = peak_setup,
  .run = peak_run,
  .verify = peak_verify,
  .teardown = peak_teardown,
  .derive = peak_derive,
  .corrupt = peak_corrupt,
};
