/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * opencl_gemm.c: SGEMM/DGEMM, C = A * B + C, with the local-memory tiled
 * kernel of kernels/gemm.cl (variant "tiled"), in FP32 and FP64.
 *
 * Size: the working set 3 n^2 words gives n, rounded down to a multiple of
 * the tile (32).  Work per repetition: 2 n^3 flops and 3 n^2 words (the
 * shared work model).  A and B hold pseudo-random values in [0, 1) made on
 * the host; C starts at zero.
 *
 * Verification (Freivalds): after R repetitions in total, C = R * A * B.
 * For a random vector x with entries in [0.5, 1.5), the host computes
 * y = C x and z = A (B x) in long double, O(n^2), and checks each
 * |y_i - R z_i| / (R z_i).  Everything is positive, so nothing cancels: a
 * wrong or missing tile moves y_i by a fraction of order TS / n, far above
 * rounding, whose worst case is n epsilons.  The tolerance is the work
 * model's 1e4 epsilons plus R epsilons, because C accumulates R rounded
 * products.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opencl/opencl.h"
#include "sizeup/error.h"

#define SU_GEMM_TS 32
#define SU_GEMM_WPT 8

typedef struct gemm_state {
  su_cl_device_t *d;
  su_precision_t prec;
  size_t esize;
  int n;
  cl_kernel k;
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
  tmp = malloc(nn * sizeof(float));
  if (!tmp)
    return su_errorf(SU_ENOMEM, "cannot allocate a %d x %d staging matrix", st->n, st->n);
  for (size_t i = 0; i < nn; i++)
    ((float *)tmp)[i] = (float)m[i];
  SU_CL(clEnqueueWriteBuffer(st->d->queue, buf, CL_TRUE, 0, nn * sizeof(float), tmp, 0, NULL,
                             NULL));
out:
  free(tmp);
  return err;
}

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
  err = su__cl_device(ctx, p->device, &st->d);
  if (!err)
    err = su__cl_check_prec(st->d, p->prec);
  if (!err && p->prec == SU_PREC_FP16)
    err = su_errorf(SU_ENOTSUP, "'gemm' is offered in fp32 and fp64");
  if (!err && p->variant && strcmp(p->variant, "tiled") != 0)
    err = su_errorf(SU_ENOTSUP, "unknown variant '%s' (expected tiled)", p->variant);
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
  nn = (size_t)st->n * (size_t)st->n;
  st->ha = malloc(nn * sizeof(double));
  st->hb = malloc(nn * sizeof(double));
  if (!st->ha || !st->hb) {
    err = su_errorf(SU_ENOMEM, "cannot allocate host copies of %d x %d matrices", st->n, st->n);
    goto out;
  }
  for (size_t i = 0; i < nn; i++)
    st->ha[i] = next_unit(&seed);
  for (size_t i = 0; i < nn; i++)
    st->hb[i] = next_unit(&seed);
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
  snprintf(extra, sizeof(extra), "-DTS=%d -DWPT=%d", SU_GEMM_TS, SU_GEMM_WPT);
  err = su__cl_kernel(ctx, p->device, "gemm", p->prec, extra, "su_gemm_tiled", &st->k);
  if (err)
    goto out;
  SU_CL(clSetKernelArg(st->k, 0, sizeof(int), &st->n));
  SU_CL(clSetKernelArg(st->k, 1, sizeof(cl_mem), &st->a));
  SU_CL(clSetKernelArg(st->k, 2, sizeof(cl_mem), &st->b));
  SU_CL(clSetKernelArg(st->k, 3, sizeof(cl_mem), &st->c));
  memset(work, 0, sizeof(*work));
  work->flops = 2.0 * (double)st->n * (double)st->n * (double)st->n;
  work->bytes = 3.0 * (double)nn * (double)st->esize;
  work->size_bytes = 3 * nn * st->esize;
  snprintf(work->variant, sizeof(work->variant), "tiled");
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

  return su__cl_run_timed(st->d, gemm_enqueue, st, inner, 1, SU_CL_EACH, &st->last_rep_ns, t);
}

static int gemm_verify(void *state, su_verify_t *v)
{
  gemm_state_t *st = state;
  size_t n = (size_t)st->n, nn = n * n;
  double eps = st->prec == SU_PREC_FP64 ? DBL_EPSILON : FLT_EPSILON;
  double tol = (su_desc_gemm.verify_rel_tol + (double)st->reps) * eps;
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
    else
      ((float *)hc)[nn / 2 + n / 3] += (float)((double)r * (double)nn / 8);
    st->corrupt = 0;
  }
  for (size_t j = 0; j < n; j++)
    x[j] = 0.5L + next_unit(&seed);
  /* A and B are rounded to the kernel's precision, as the device saw them */
  for (size_t k = 0; k < n; k++) {
    long double s = 0;

    for (size_t j = 0; j < n; j++)
      s += (st->prec == SU_PREC_FP64 ? st->hb[k * n + j] : (float)st->hb[k * n + j]) * x[j];
    bx[k] = s;
  }
  for (size_t i = 0; i < n; i++) {
    long double y = 0, z = 0, e;

    for (size_t j = 0; j < n; j++)
      y += (st->prec == SU_PREC_FP64 ? ((double *)hc)[i * n + j] : ((float *)hc)[i * n + j]) *
           x[j];
    for (size_t k = 0; k < n; k++) {
      z += (st->prec == SU_PREC_FP64 ? st->ha[i * n + k] : (float)st->ha[i * n + k]) * bx[k];
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
  .precisions = SU_PREC_FP32 | SU_PREC_FP64,
  .variants = "tiled",
  .size_rule = SU_SIZE_FIXED,
  .default_size_bytes = 24ull << 20,
  .accel_size_bytes = 3ull * 4096 * 4096 * 8, /* n = 4096 in fp64: many waves on a GPU */
  .setup = gemm_setup,
  .run = gemm_run,
  .verify = gemm_verify,
  .teardown = gemm_teardown,
  .corrupt = gemm_corrupt,
};
