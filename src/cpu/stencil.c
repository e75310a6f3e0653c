/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * stencil.c: the CPU 3-D 7-point Jacobi stencil, one sweep
 *
 *   out[z][y][x] = c0 * in[z][y][x]
 *                + c1 * (in[z][y][x-1] + in[z][y][x+1] + in[z][y-1][x]
 *                        + in[z][y+1][x] + in[z-1][y][x] + in[z+1][y][x])
 *
 * over the interior of an n^3 grid, in FP64 and FP32 (one body, written as a
 * macro and instantiated per element type).  The boundary of `out` is set
 * equal to that of `in` at setup and never written: a fixed (Dirichlet)
 * boundary.  Each repetition sweeps in -> out, without swapping, so the
 * result is always one step from the initial field and can be checked
 * against a one-step reference whatever the number of repetitions.
 *
 * Work model (su_desc_stencil_7pt): per interior point 8 flops (2 multiplies
 * and 6 adds, as written: no FMA contraction in ISO C mode) and 2 words (one
 * read of `in`, one write of `out`), the minimum traffic a sweep can have,
 * reached when the three planes around z stay in cache between rows (the
 * "layer condition", Stengel et al., ICS 2015; 3 n^2 words per thread, e.g.
 * 960 KiB at n = 200 in FP64).  Both counts use the (n-2)^3 interior points
 * the sweep updates; the working set is 2 n^3 words.
 *
 * Threads split the (z, y) rows of the interior with a static schedule
 * (collapse(2), so that many threads still get work on a small grid); setup
 * first-touches every row with the same schedule.  The grid's initial field
 * is a smooth function of (x, y, z) plus a hashed perturbation, so that each
 * point differs from its neighbours and a wrong neighbour index shows up in
 * verify, which recomputes one sweep serially with naive loops from an
 * independently rebuilt copy of the input.
 */
#include <float.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "sizeup/error.h"

/* Coefficients: a diffusion step (c0 + 6 c1 = 1), not powers of two, so the
 * products round as in real use. */
#define SU_STENCIL_C0 0.4
#define SU_STENCIL_C1 0.1
/* Smallest grid: 4^3 points, 2^3 of them interior. */
#define SU_STENCIL_MIN_N 4

/*
 * The initial field at (x, y, z) of an n^3 grid, in [0.875, 1.5): smooth
 * with a different shape along each axis, plus up to 1/16 of hashed noise
 * so that every point differs from each of its neighbours.  Cheap (no libm)
 * because setup evaluates it n^3 times in parallel and verify once more.
 */
static double stencil_field(size_t x, size_t y, size_t z, size_t n)
{
  double sx = (double)x / (double)(n - 1), sy = (double)y / (double)(n - 1);
  double sz = (double)z / (double)(n - 1);
  /* splitmix64's finaliser over the linear index: unrelated neighbours. */
  uint64_t h = ((uint64_t)z * n + y) * n + x + 0x9e3779b97f4a7c15ull;

  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  h ^= h >> 31;
  return 1.0 + 0.5 * sx * (1.0 - sx) + 0.25 * sy * sy - 0.125 * sz +
         0.0625 * ((double)(h >> 11) * 0x1p-53);
}

/* ------------------------------------------------------------------------ */
/* Per-type code.                                                            */

/*
 * SWEEP: one sweep in -> out, as an orphaned `omp for` (the caller is inside
 * the parallel region); its implicit barrier ends the sweep.
 * FILL: the first touch, with the sweep's schedule: interior rows (z, y)
 * with all their x; then the boundary rows, by whichever thread.  `out`
 * gets the boundary of `in` and 0 inside, a value no sweep produces.
 * BUILD: the reference copy of `in`, serial, from stencil_field() alone.
 * GET/SET: element i as a double.
 */
#define SU_STENCIL_TYPE_FNS(T, SFX)                                           \
  static void sweep_##SFX(const void *in_, void *out_, size_t n)             \
  {                                                                          \
    const T *restrict in = in_;                                              \
    T *restrict out = out_;                                                  \
    const T c0 = (T)SU_STENCIL_C0, c1 = (T)SU_STENCIL_C1;                    \
    const size_t sy = n, sz = n * n;                                         \
    _Pragma("omp for collapse(2) schedule(static)")                          \
    for (size_t z = 1; z < n - 1; z++)                                       \
      for (size_t y = 1; y < n - 1; y++) {                                   \
        const T *restrict i0 = in + z * sz + y * sy;                         \
        T *restrict o0 = out + z * sz + y * sy;                              \
        _Pragma("omp simd")                                                  \
        for (size_t x = 1; x < n - 1; x++)                                   \
          o0[x] = c0 * i0[x] + c1 * (i0[x - 1] + i0[x + 1] + i0[x - sy] +     \
                                     i0[x + sy] + i0[x - sz] + i0[x + sz]);   \
      }                                                                      \
  }                                                                          \
  static void fill_row_##SFX(T *in, T *out, size_t n, size_t z, size_t y,    \
                             int interior)                                   \
  {                                                                          \
    size_t row = (z * n + y) * n;                                            \
    for (size_t x = 0; x < n; x++) {                                         \
      T v = (T)stencil_field(x, y, z, n);                                    \
      in[row + x] = v;                                                       \
      out[row + x] = interior && x > 0 && x < n - 1 ? (T)0 : v;              \
    }                                                                        \
  }                                                                          \
  static void fill_##SFX(void *in_, void *out_, size_t n)                    \
  {                                                                          \
    T *in = in_, *out = out_;                                                \
    _Pragma("omp for collapse(2) schedule(static)")                          \
    for (size_t z = 1; z < n - 1; z++)                                       \
      for (size_t y = 1; y < n - 1; y++)                                     \
        fill_row_##SFX(in, out, n, z, y, 1);                                 \
    _Pragma("omp for schedule(static)")                                      \
    for (size_t z = 0; z < n; z++)                                           \
      for (size_t y = 0; y < n; y++)                                         \
        if (z == 0 || z == n - 1 || y == 0 || y == n - 1)                    \
          fill_row_##SFX(in, out, n, z, y, 0);                               \
  }                                                                          \
  static void build_##SFX(void *ref_, size_t n)                              \
  {                                                                          \
    T *ref = ref_;                                                           \
    for (size_t z = 0; z < n; z++)                                           \
      for (size_t y = 0; y < n; y++)                                         \
        for (size_t x = 0; x < n; x++)                                       \
          ref[(z * n + y) * n + x] = (T)stencil_field(x, y, z, n);           \
  }                                                                          \
  static double get_##SFX(const void *p, size_t i)                           \
  {                                                                          \
    return (double)((const T *)p)[i];                                        \
  }                                                                          \
  static void set_##SFX(void *p, size_t i, double v)                         \
  {                                                                          \
    ((T *)p)[i] = (T)v;                                                      \
  }

SU_STENCIL_TYPE_FNS(double, f64)
SU_STENCIL_TYPE_FNS(float, f32)

typedef struct su_stencil_type {
  su_precision_t prec;
  size_t elem_bytes;
  double eps;
  void (*sweep)(const void *in, void *out, size_t n); /* inside a parallel region */
  void (*fill)(void *in, void *out, size_t n);        /* inside a parallel region */
  void (*build)(void *ref, size_t n);
  double (*get)(const void *p, size_t i);
  void (*set)(void *p, size_t i, double v);
} su_stencil_type_t;

static const su_stencil_type_t su_stencil_types[] = {
  {SU_PREC_FP64, sizeof(double), DBL_EPSILON, sweep_f64, fill_f64, build_f64, get_f64, set_f64},
  {SU_PREC_FP32, sizeof(float), FLT_EPSILON, sweep_f32, fill_f32, build_f32, get_f32, set_f32},
};

/* ------------------------------------------------------------------------ */
/* State, setup, run, verify, teardown.                                      */

typedef struct su_stencil_state {
  const su_stencil_type_t *type;
  unsigned nthreads;
  size_t n;          /* grid points per dimension */
  void *in, *out;    /* n^3 elements each */
} su_stencil_state_t;

static void stencil_teardown(void *state)
{
  su_stencil_state_t *st = state;

  if (!st)
    return;
  su__cpu_free(st->in);
  su__cpu_free(st->out);
  free(st);
}

/* The largest n with 2 n^3 elements <= size_bytes. */
static size_t stencil_order(uint64_t size_bytes, size_t elem_bytes)
{
  uint64_t q = size_bytes / (2 * elem_bytes);
  uint64_t n = (uint64_t)cbrt((double)q);

  while (n > 0 && n * n * n > q)
    n--;
  while ((n + 1) * (n + 1) * (n + 1) <= q)
    n++;
  return (size_t)n;
}

static int stencil_setup(const su_params_t *p, void **state, su_work_t *work)
{
  const su_kernel_desc_t *d = &su_desc_stencil_7pt;
  const su_stencil_type_t *ty = NULL;
  su_stencil_state_t *st = NULL;
  size_t n, bytes;
  double interior;
  int err = SU_OK;

  for (size_t i = 0; i < sizeof(su_stencil_types) / sizeof(su_stencil_types[0]); i++)
    if (su_stencil_types[i].prec == p->prec)
      ty = &su_stencil_types[i];
  if (!ty)
    return su_errorf(SU_ENOTSUP, "stencil_7pt: precision '%s' is not implemented",
                     su_precision_name(p->prec));
  if (p->variant && strcmp(p->variant, "omp") != 0)
    return su_errorf(SU_ENOTSUP, "stencil_7pt: unknown variant '%s'", p->variant);
  if (p->nthreads == 0)
    return su_errorf(SU_EINVAL, "stencil_7pt: zero threads");
  n = stencil_order(p->size_bytes, ty->elem_bytes);
  if (n < SU_STENCIL_MIN_N)
    return su_errorf(SU_EINVAL, "stencil_7pt: working set of %llu bytes is too small "
                     "(at least %zu bytes: two %d^3 grids)",
                     (unsigned long long)p->size_bytes,
                     2 * ty->elem_bytes * SU_STENCIL_MIN_N * SU_STENCIL_MIN_N * SU_STENCIL_MIN_N,
                     SU_STENCIL_MIN_N);

  st = calloc(1, sizeof(*st));
  if (!st)
    return su_errorf(SU_ENOMEM, "stencil_7pt: cannot allocate its state");
  st->type = ty;
  st->nthreads = p->nthreads;
  st->n = n;
  bytes = n * n * n * ty->elem_bytes;
  if (!(st->in = su__cpu_alloc(bytes)) || !(st->out = su__cpu_alloc(bytes))) {
    err = su_errorf(SU_ENOMEM, "stencil_7pt: cannot allocate 2 grids of %zu bytes", bytes);
    goto out;
  }
#pragma omp parallel num_threads(st->nthreads)
  ty->fill(st->in, st->out, n);

  interior = (double)(n - 2) * (double)(n - 2) * (double)(n - 2);
  memset(work, 0, sizeof(*work));
  work->flops = interior * d->flops_per_elem;
  work->bytes = interior * (d->bytes_read_per_elem + d->bytes_written_per_elem) *
                (double)ty->elem_bytes;
  work->items = interior;
  work->size_bytes = 2 * (uint64_t)bytes;
  snprintf(work->variant, sizeof(work->variant), "omp");
  *state = st;
  st = NULL;
out:
  stencil_teardown(st);
  return err;
}

/*
 * `inner` sweeps inside one parallel region.  Every sweep reads the same
 * `in`, so nothing forces a barrier between sweeps; the one at the end of
 * each `omp for` is kept anyway, because an iterative solver needs it and
 * its cost belongs to the measured figure.  The sweep is called through a
 * function pointer, so the compiler cannot merge or drop repeated sweeps.
 */
static int stencil_run(void *state, uint64_t inner, su_timing_t *t)
{
  su_stencil_state_t *st = state;

  if (!st || inner == 0)
    return su_errorf(SU_EINVAL, "stencil_7pt run: no state or zero repetitions");
#pragma omp parallel num_threads(st->nthreads)
  for (uint64_t r = 0; r < inner; r++)
    st->type->sweep(st->in, st->out, st->n);
  if (t)
    t->device_ns = 0;
  return SU_OK;
}

/*
 * Rebuilds the input from stencil_field() into a separate buffer, checks
 * that `in` still equals it, then recomputes every point of one sweep
 * serially in long double and compares `out` with it: the interior within
 * desc->verify_rel_tol epsilons of the type, relative to the sum of the
 * magnitudes of the 7 terms (|c0 in| + |c1| sum |neighbour|; the kernel
 * rounds 8 times, so 100 eps is a wide margin that a wrong value still
 * exceeds by orders of magnitude), the boundary exactly.
 */
static int stencil_verify(void *state, su_verify_t *v)
{
  const su_stencil_state_t *st = state;
  const su_stencil_type_t *ty = st->type;
  size_t n = st->n, sy = n, sz = n * n, npts = n * n * n;
  double tol = su_desc_stencil_7pt.verify_rel_tol * ty->eps, worst = 0.0;
  long double c0, c1;
  void *ref;
  int err = SU_OK;

  ref = malloc(npts * ty->elem_bytes);
  if (!ref)
    return su_errorf(SU_ENOMEM, "stencil_7pt verify: cannot allocate %zu bytes",
                     npts * ty->elem_bytes);
  /* The coefficients as the kernel's type holds them. */
  ty->set(ref, 0, SU_STENCIL_C0);
  c0 = ty->get(ref, 0);
  ty->set(ref, 0, SU_STENCIL_C1);
  c1 = ty->get(ref, 0);
  ty->build(ref, n);
  v->tol = tol;
  v->max_rel_err = 0.0;

  for (size_t z = 0; z < n; z++)
    for (size_t y = 0; y < n; y++)
      for (size_t x = 0; x < n; x++) {
        size_t c = z * sz + y * sy + x;
        double got = ty->get(st->out, c), rel;
        long double nb = 0, nbabs = 0, expect, mag;

        if (ty->get(st->in, c) != ty->get(ref, c)) {
          v->max_rel_err = INFINITY;
          err = su_errorf(SU_EVERIFY, "stencil_7pt: input (%zu, %zu, %zu) was modified",
                          x, y, z);
          goto out;
        }
        if (x == 0 || y == 0 || z == 0 || x == n - 1 || y == n - 1 || z == n - 1) {
          if (got != ty->get(ref, c)) {
            v->max_rel_err = INFINITY;
            err = su_errorf(SU_EVERIFY, "stencil_7pt: boundary point (%zu, %zu, %zu) "
                            "= %.9g, expected the fixed %.9g", x, y, z, got,
                            ty->get(ref, c));
            goto out;
          }
          continue;
        }
        {
          const size_t off[6] = {c - 1, c + 1, c - sy, c + sy, c - sz, c + sz};

          for (int k = 0; k < 6; k++) {
            long double w = ty->get(ref, off[k]);

            nb += w;
            nbabs += fabsl(w);
          }
        }
        expect = c0 * ty->get(ref, c) + c1 * nb;
        mag = fabsl(c0 * ty->get(ref, c)) + fabsl(c1) * nbabs;
        rel = (double)(fabsl(got - expect) / mag);
        if (!(rel <= worst))
          worst = isnan(rel) ? INFINITY : rel;
        v->max_rel_err = worst;
        if (!(rel <= tol)) {
          err = su_errorf(SU_EVERIFY, "stencil_7pt: point (%zu, %zu, %zu) = %.9g, "
                          "expected %.9Lg (relative error %.3g, tolerance %.3g)",
                          x, y, z, got, expect, rel, tol);
          goto out;
        }
      }
out:
  free(ref);
  return err;
}

/* For tests: damages one interior point. */
static void stencil_corrupt(void *state)
{
  su_stencil_state_t *st = state;
  size_t n = st->n, c = ((n / 2) * n + n / 3) * n + n / 2 + 1;

  if (c % n == n - 1)
    c--;
  st->type->set(st->out, c, st->type->get(st->out, c) * 1.5 + 1.0);
}

const su_kernel_ops_t su_cpu_stencil_7pt_ops = {
  .desc = &su_desc_stencil_7pt,
  .precisions = SU_PREC_FP64 | SU_PREC_FP32,
  .variants = "omp",
  .size_rule = SU_SIZE_4X_LLC,
  .setup = stencil_setup,
  .run = stencil_run,
  .verify = stencil_verify,
  .teardown = stencil_teardown,
  .corrupt = stencil_corrupt,
};
