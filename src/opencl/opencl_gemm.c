/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * opencl_gemm.c: GEMM on an OpenCL device, square row-major n x n matrices,
 * in two variants:
 *
 *   clblast  CLBlast's xGEMM (the tuned OpenCL BLAS, where sizeup was built
 *            with it: SU_HAVE_CLBLAST), C = A * B, in fp64, fp32 and fp16.
 *            CLBlast may launch helper kernels (padding, transposes) before
 *            the GEMM and returns the last one's event, so a repetition is
 *            host-timed: `inner` calls back to back, one watchdog wait on
 *            the last, device_ns = 0 (the runner's clock).
 *   tiled    the local-memory tiled kernel of kernels/gemm.cl, C = A * B + C,
 *            in fp32 and fp64; event-timed.  The fallback where CLBlast is
 *            missing, and a portable reference beside it.
 *
 * Size: the working set 3 n^2 words gives n, rounded down to a multiple of
 * the tile (32).  Work per repetition: 2 n^3 flops and 3 n^2 words (the
 * shared work model).  In fp32 and fp64, A and B hold pseudo-random values
 * in [0, 1) made on the host; C starts at zero.
 *
 * Verification (Freivalds): after R accumulating repetitions (tiled; R = 1
 * for clblast, which overwrites C), C = R * A * B.  For a random vector x
 * with entries in [0.5, 1.5), the host computes y = C x and z = A (B x) in
 * long double, O(n^2), and checks each |y_i - R z_i| / (R z_i).  Everything
 * is positive, so nothing cancels: a wrong or missing tile moves y_i by a
 * fraction of order TS / n, far above rounding, whose worst case is n
 * epsilons.  The tolerance is the work model's 1e4 epsilons plus R epsilons,
 * because C accumulates R rounded products.
 *
 * fp16 has 11 significant bits, so a sum of n rounded products has no
 * useful error bound at GEMM sizes.  Its A and B hold 0 and 1 in a pattern
 * (A_ik = 1 where (i + k) % 4 == 0, B_kj = 1 where (k + 2j) % 3 == 0) that
 * makes every element of C and every partial sum an integer of at most
 * n / 12 + 1 <= 2048, exact in fp16 in any summation order; n is capped at
 * 24576 for it, and the check's tolerance is 1e-9.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opencl/opencl.h"
#include "sizeup/config.h"
#include "sizeup/error.h"
#include "sizeup/timer.h"

#if SU_HAVE_CLBLAST
#include <clblast_c.h>
#endif

#define SU_GEMM_TS 32
#define SU_GEMM_WPT 8
#define SU_GEMM_FP16_MAX_N 24576 /* keeps every sum an integer <= 2048 */

typedef struct gemm_state {
  su_cl_device_t *d;
  su_precision_t prec;
  size_t esize;
  int n;
  int blas;                    /* the clblast variant */
  cl_kernel k;                 /* tiled */
  cl_mem a, b, c;
  double *ha, *hb;             /* host copies of A and B, for Freivalds */
  uint64_t reps;               /* repetitions run since setup */
  uint64_t last_rep_ns;
  int corrupt;
} gemm_state_t;

static void gemm_teardown(void *state)
{
  gemm_state_t *st = state;

  if (!st)
    return;
  su__cl_release(st->d, st->k, (cl_mem[]){st->a, st->b, st->c}, 3);
  free(st->ha);
  free(st->hb);
  free(st);
}

/* A 64-bit LCG (Knuth's MMIX constants); the top 24 bits give [0, 1),
 * exact in both precisions. */
static double next_unit(uint64_t *s)
{
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return (double)(*s >> 40) / 16777216.0;
}

/* An fp16 bit pattern for the small integers fp16 GEMM uses (exact). */
static uint16_t half_bits(double v)
{
  int e;
  double m;

  if (v == 0)
    return 0;
  m = frexp(v, &e); /* v = m 2^e, m in [0.5, 1) */
  return (uint16_t)(((unsigned)(e - 1 + 15) << 10) | ((unsigned)ldexp(m * 2 - 1, 10) & 0x3ff));
}

/* A normal fp16 value (or zero) as a double. */
static double half_value(uint16_t h)
{
  unsigned e = (h >> 10) & 0x1f, m = h & 0x3ff;
  double v = e == 0 ? ldexp((double)m, -24) : ldexp(1.0 + m / 1024.0, (int)e - 15);

  return h & 0x8000 ? -v : v;
}

/* Element i of a device-precision matrix read back to the host. */
static double elem(const gemm_state_t *st, const void *m, size_t i)
{
  return st->prec == SU_PREC_FP64   ? ((const double *)m)[i]
         : st->prec == SU_PREC_FP32 ? (double)((const float *)m)[i]
                                    : half_value(((const uint16_t *)m)[i]);
}

/* Writes host matrix m (as doubles) to buffer buf in the kernel's precision. */
static int upload(gemm_state_t *st, cl_mem buf, const double *m)
{
  size_t nn = (size_t)st->n * (size_t)st->n;
  void *tmp = NULL;
  int err = SU_OK;

  if (st->prec == SU_PREC_FP64) {
    SU_CL(clEnqueueWriteBuffer(st->d->queue, buf, CL_TRUE, 0, nn * 8, m, 0, NULL, NULL));
    return SU_OK;
  }
  tmp = malloc(nn * st->esize);
  if (!tmp)
    return su_errorf(SU_ENOMEM, "cannot allocate a %d x %d staging matrix", st->n, st->n);
  for (size_t i = 0; i < nn; i++)
    if (st->prec == SU_PREC_FP32)
      ((float *)tmp)[i] = (float)m[i];
    else
      ((uint16_t *)tmp)[i] = half_bits(m[i]);
  SU_CL(clEnqueueWriteBuffer(st->d->queue, buf, CL_TRUE, 0, nn * st->esize, tmp, 0, NULL,
                             NULL));
out:
  free(tmp);
  return err;
}

#if SU_HAVE_CLBLAST
/* One CLBlast GEMM, C = A * B, with its last event in *ev. */
static int blas_enqueue(void *state, cl_event *ev)
{
  gemm_state_t *st = state;
  size_t n = (size_t)st->n;
  CLBlastStatusCode cs;

  *ev = NULL;
  if (st->prec == SU_PREC_FP64)
    cs = CLBlastDgemm(CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeNo, n, n, n,
                      1.0, st->a, 0, n, st->b, 0, n, 0.0, st->c, 0, n, &st->d->queue, ev);
  else if (st->prec == SU_PREC_FP32)
    cs = CLBlastSgemm(CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeNo, n, n, n,
                      1.0f, st->a, 0, n, st->b, 0, n, 0.0f, st->c, 0, n, &st->d->queue, ev);
  else
    cs = CLBlastHgemm(CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeNo, n, n, n,
                      half_bits(1.0), st->a, 0, n, st->b, 0, n, 0, st->c, 0, n, &st->d->queue,
                      ev);
  if (cs == CLBlastNoHalfPrecision || cs == CLBlastNoDoublePrecision)
    return su_errorf(SU_ENOTSUP, "CLBlast: device '%s' has no %s", st->d->name,
                     su_precision_name(st->prec));
  if (cs != CLBlastSuccess)
    return su_errorf(cs == CL_MEM_OBJECT_ALLOCATION_FAILURE ? SU_ESKIP : SU_EBACKEND,
                     "CLBlast %cgemm failed with status %d", st->prec == SU_PREC_FP64 ? 'D'
                     : st->prec == SU_PREC_FP32 ? 'S' : 'H', (int)cs);
  if (!*ev)
    return su_errorf(SU_EBACKEND, "CLBlast returned no event");
  st->reps = 1; /* C = A * B, whatever ran before */
  return SU_OK;
}
#endif

static int gemm_setup(const su_params_t *p, void **state, su_work_t *work)
{
  su_cl_ctx_t *ctx = p->backend_ctx;
  gemm_state_t *st;
  uint64_t req, per;
  size_t nn;
  char extra[64];
  uint64_t seed = 12345;
  cl_int cst;
  int err;

  st = calloc(1, sizeof(*st));
  if (!st)
    return su_errorf(SU_ENOMEM, "cannot allocate 'gemm' state");
  st->prec = p->prec;
  st->blas = p->variant && strcmp(p->variant, "clblast") == 0;
  err = su__cl_device(ctx, p->device, &st->d);
  if (!err && p->variant && !st->blas && strcmp(p->variant, "tiled") != 0)
    err = su_errorf(SU_ENOTSUP, "unknown variant '%s' (expected clblast or tiled)", p->variant);
  if (!err && st->blas && !SU_HAVE_CLBLAST)
    err = su_errorf(SU_ENOTSUP, "gemm: variant 'clblast': built without CLBlast "
                    "(install libclblast-dev and rebuild)");
  if (!err)
    err = su__cl_check_prec(st->d, p->prec);
  if (!err && p->prec == SU_PREC_FP16 && !st->blas)
    err = su_errorf(SU_ENOTSUP, "gemm variant 'tiled' is offered in fp32 and fp64");
  if (err)
    goto out;
  st->esize = su_precision_size(p->prec);
  req = p->size_bytes ? p->size_bytes : 24ull << 20;
  per = su__cl_array_bytes(st->d, req, 3);
  st->n = (int)sqrt((double)(per / st->esize)) / SU_GEMM_TS * SU_GEMM_TS;
  if (st->n < SU_GEMM_TS) {
    err = su_errorf(SU_EINVAL, "'gemm' needs n >= %d, size %llu is too small", SU_GEMM_TS,
                    (unsigned long long)req);
    goto out;
  }
  if (p->prec == SU_PREC_FP16 && st->n > SU_GEMM_FP16_MAX_N)
    st->n = SU_GEMM_FP16_MAX_N;
  nn = (size_t)st->n * (size_t)st->n;
  st->ha = malloc(nn * sizeof(double));
  st->hb = malloc(nn * sizeof(double));
  if (!st->ha || !st->hb) {
    err = su_errorf(SU_ENOMEM, "cannot allocate host copies of %d x %d matrices", st->n, st->n);
    goto out;
  }
  for (size_t i = 0; i < nn; i++)
    st->ha[i] = p->prec == SU_PREC_FP16 ? (double)((i / (size_t)st->n + i % (size_t)st->n) % 4 == 0)
                                        : next_unit(&seed);
  for (size_t i = 0; i < nn; i++)
    st->hb[i] = p->prec == SU_PREC_FP16
                    ? (double)((i / (size_t)st->n + 2 * (i % (size_t)st->n)) % 3 == 0)
                    : next_unit(&seed);
  SU_CL((st->a = clCreateBuffer(st->d->context, CL_MEM_READ_ONLY, nn * st->esize, NULL, &cst),
         cst));
  SU_CL((st->b = clCreateBuffer(st->d->context, CL_MEM_READ_ONLY, nn * st->esize, NULL, &cst),
         cst));
  SU_CL((st->c = clCreateBuffer(st->d->context, CL_MEM_READ_WRITE, nn * st->esize, NULL, &cst),
         cst));
  if ((err = upload(st, st->a, st->ha)) || (err = upload(st, st->b, st->hb)))
    goto out;
  {
    double zero = 0;

    SU_CL(clEnqueueFillBuffer(st->d->queue, st->c, &zero, st->esize, 0, nn * st->esize, 0, NULL,
                              NULL));
    SU_CL(clFinish(st->d->queue));
  }
  if (st->blas) {
#if SU_HAVE_CLBLAST
    /* one call now: CLBlast compiles its kernels for the device on first
     * use (seconds), which must not land in a timed sample or the watchdog */
    cl_event ev = NULL;

    if (!(err = blas_enqueue(st, &ev)))
      err = su__cl_wait(ev, su__cl_deadline_ns(0));
    if (ev)
      clReleaseEvent(ev);
    st->reps = 0;
    if (err)
      goto out;
#endif
  } else {
    snprintf(extra, sizeof(extra), "-DTS=%d -DWPT=%d", SU_GEMM_TS, SU_GEMM_WPT);
    err = su__cl_kernel(ctx, p->device, "gemm", p->prec, extra, "su_gemm_tiled", &st->k);
    if (err)
      goto out;
    SU_CL(clSetKernelArg(st->k, 0, sizeof(int), &st->n));
    SU_CL(clSetKernelArg(st->k, 1, sizeof(cl_mem), &st->a));
    SU_CL(clSetKernelArg(st->k, 2, sizeof(cl_mem), &st->b));
    SU_CL(clSetKernelArg(st->k, 3, sizeof(cl_mem), &st->c));
  }
  memset(work, 0, sizeof(*work));
  work->flops = 2.0 * (double)st->n * (double)st->n * (double)st->n;
  work->bytes = 3.0 * (double)nn * (double)st->esize;
  work->size_bytes = 3 * nn * st->esize;
  snprintf(work->variant, sizeof(work->variant), "%s", st->blas ? "clblast" : "tiled");
  *state = st;
  st = NULL;
out:
  gemm_teardown(st);
  return err;
}

static int gemm_enqueue(void *state, cl_event *ev)
{
  gemm_state_t *st = state;
  size_t gsz[2] = {(size_t)st->n, (size_t)st->n / SU_GEMM_WPT};
  size_t lsz[2] = {SU_GEMM_TS, SU_GEMM_TS / SU_GEMM_WPT};
  int err = SU_OK;

  SU_CL(clEnqueueNDRangeKernel(st->d->queue, st->k, 2, NULL, gsz, lsz, 0, NULL, ev));
  st->reps++;
out:
  return err;
}

/* one launch at a time, as each is long against the wait */
static int gemm_run(void *state, uint64_t inner, su_timing_t *t)
{
  gemm_state_t *st = state;
#if SU_HAVE_CLBLAST
  cl_event ev = NULL;
  int err = SU_OK;

  if (st->blas) {
    /* host-timed: back to back, one watchdog wait on the last call */
    for (uint64_t r = 0; r < inner && !err; r++) {
      if (ev)
        clReleaseEvent(ev);
      ev = NULL;
      err = blas_enqueue(st, &ev);
    }
    if (!err) {
      uint64_t t0 = su_time_ns();

      err = su__cl_wait(ev, su__cl_deadline_ns(st->last_rep_ns * inner));
      if (err == SU_ETIMEOUT)
        su__cl_mark_lost(st->d, ev);
      st->last_rep_ns = (su_time_ns() - t0) / inner;
    }
    if (ev)
      clReleaseEvent(ev);
    if (!err && t)
      t->device_ns = 0;
    return err;
  }
#endif
  return su__cl_run_timed(st->d, gemm_enqueue, st, inner, 1, SU_CL_EACH, &st->last_rep_ns, t);
}

static int gemm_verify(void *state, su_verify_t *v)
{
  gemm_state_t *st = state;
  size_t n = (size_t)st->n, nn = n * n;
  double eps = st->prec == SU_PREC_FP64 ? DBL_EPSILON : FLT_EPSILON;
  double tol = st->prec == SU_PREC_FP16 ? 1e-9
                                        : (su_desc_gemm.verify_rel_tol + (double)st->reps) * eps;
  long double *x = NULL, *bx = NULL;
  void *hc = NULL;
  uint64_t seed = 777;
  double max_err = 0;
  long double r = (long double)st->reps;
  int err = SU_OK;

  x = malloc(n * sizeof(*x));
  bx = malloc(n * sizeof(*bx));
  hc = malloc(nn * st->esize);
  if (!x || !bx || !hc) {
    err = su_errorf(SU_ENOMEM, "cannot allocate the 'gemm' verification buffers");
    goto out;
  }
  SU_CL(clEnqueueReadBuffer(st->d->queue, st->c, CL_TRUE, 0, nn * st->esize, hc, 0, NULL, NULL));
  if (st->corrupt) {
    if (st->prec == SU_PREC_FP64)
      ((double *)hc)[nn / 2 + n / 3] += (double)r * (double)nn / 8;
    else if (st->prec == SU_PREC_FP32)
      ((float *)hc)[nn / 2 + n / 3] += (float)((double)r * (double)nn / 8);
    else
      ((uint16_t *)hc)[nn / 2 + n / 3] ^= 0x0400; /* the lowest exponent bit */
    st->corrupt = 0;
  }
  for (size_t j = 0; j < n; j++)
    x[j] = 0.5L + next_unit(&seed);
  /* A and B are rounded to the kernel's precision, as the device saw them */
  for (size_t k = 0; k < n; k++) {
    long double s = 0;

    for (size_t j = 0; j < n; j++)
      s += (st->prec == SU_PREC_FP32 ? (float)st->hb[k * n + j] : st->hb[k * n + j]) * x[j];
    bx[k] = s;
  }
  for (size_t i = 0; i < n; i++) {
    long double y = 0, z = 0, e;

    for (size_t j = 0; j < n; j++)
      y += elem(st, hc, i * n + j) * x[j];
    for (size_t k = 0; k < n; k++) {
      z += (st->prec == SU_PREC_FP32 ? (float)st->ha[i * n + k] : st->ha[i * n + k]) * bx[k];
    }
    e = fabsl(y - r * z) / (r * z);
    if (!(e <= max_err))
      max_err = isnan((double)e) ? INFINITY : (double)e;
  }
  v->max_rel_err = max_err;
  v->tol = tol;
  if (st->reps == 0)
    err = su_errorf(SU_EVERIFY, "gemm: verify called before any repetition");
  else if (!(max_err <= tol))
    err = su_errorf(SU_EVERIFY, "gemm: Freivalds check failed for n = %zu after %llu reps "
                    "(relative error %.3g, tolerance %.3g)", n, (unsigned long long)st->reps,
                    max_err, tol);
out:
  free(x);
  free(bx);
  free(hc);
  return err;
}

static void gemm_corrupt(void *state)
{
  ((gemm_state_t *)state)->corrupt = 1;
}

const su_kernel_ops_t su_opencl_gemm_ops = {
  .desc = &su_desc_gemm,
#if SU_HAVE_CLBLAST
  .precisions = SU_PREC_FP16 | SU_PREC_FP32 | SU_PREC_FP64,
  .variants = "clblast,tiled",
#else
  .precisions = SU_PREC_FP32 | SU_PREC_FP64,
  .variants = "tiled",
#endif
  .size_rule = SU_SIZE_FIXED,
  .default_size_bytes = 24ull << 20,
  .accel_size_bytes = 3ull * 4096 * 4096 * 8, /* n = 4096 in fp64: many waves on a GPU */
  .setup = gemm_setup,
  .run = gemm_run,
  .verify = gemm_verify,
  .teardown = gemm_teardown,
  .corrupt = gemm_corrupt,
};
