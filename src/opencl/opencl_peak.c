/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * opencl_peak.c: the FMA peak on an OpenCL device (kernels/peak.cl), FP32
 * and FP64, and FP16 where the device has cl_khr_fp16.  The variant is the
 * vector width of each chain ("v1" ... "v16").
 *
 * Work per repetition: one launch of global work-items, each running NCHAIN
 * chains of VEC lanes for `iters` FMAs: 2 * NCHAIN * VEC * iters * global
 * flops (the final per-item sum is a few dozen adds against thousands of
 * FMAs and is not counted).  global = 2048 work-items per compute unit, so
 * that a GPU has enough resident warps to hide latency and a CPU device
 * has many work-groups to spread over its threads.
 *
 * Verification: every work-item's output against the closed form
 * acc_k = 1 + (acc_0 - 1) x^k computed in long double, where acc_0 differs
 * per work-item, chain and lane (kernels/peak.cl).  A chain that
 * contracts towards its fixed point keeps its rounding error below
 * eps / (1 - x) relative; the tolerance is twice that plus the rounding of
 * the final sum, so a chain that ran a different number of iterations
 * (x^k changes by more than that) fails.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opencl/opencl.h"
#include "sizeup/error.h"

#define SU_PEAK_NCHAIN 8
#define SU_PEAK_WI_PER_CU 2048

typedef struct peak_state {
  su_cl_device_t *d;
  su_precision_t prec;
  unsigned vec, shift;
  int iters;
  size_t global;
  size_t lsz;                  /* min(256, the kernel's limit); 0 on a CPU device */
  cl_kernel k;
  cl_mem out;
  uint64_t last_rep_ns;
  int corrupt;
} peak_state_t;

static void peak_teardown(void *state)
{
  peak_state_t *st = state;

  if (!st)
    return;
  su__cl_release(st->d, st->k, &st->out, 1);
  free(st);
}

static int peak_setup(const su_params_t *p, void **state, su_work_t *work)
{
  su_cl_ctx_t *ctx = p->backend_ctx;
  peak_state_t *st;
  char extra[64];
  size_t osz;
  cl_int cst;
  int err;

  st = calloc(1, sizeof(*st));
  if (!st)
    return su_errorf(SU_ENOMEM, "cannot allocate 'fma_peak' state");
  st->prec = p->prec;
  err = su__cl_device(ctx, p->device, &st->d);
  if (!err)
    err = su__cl_check_prec(st->d, p->prec);
  if (!err)
    err = su__cl_parse_vec(p->variant ? p->variant : "v8", &st->vec);
  if (err)
    goto out;
  /* x = 1 - 2^-shift: x^iters stays well above the type's epsilon (e^-4
   * for fp32/fp64, e^-4 for fp16), so the iteration count is checked. */
  st->shift = p->prec == SU_PREC_FP16 ? 4 : 8;
  st->iters = p->prec == SU_PREC_FP16 ? 64 : 1024;
  st->global = (size_t)st->d->compute_units * SU_PEAK_WI_PER_CU;
  osz = p->prec == SU_PREC_FP64 ? sizeof(double) : sizeof(float);
  SU_CL((st->out = clCreateBuffer(st->d->context, CL_MEM_WRITE_ONLY, st->global * osz, NULL,
                                  &cst), cst));
  snprintf(extra, sizeof(extra), "-DVEC=%u -DNCHAIN=%u", st->vec, SU_PEAK_NCHAIN);
  err = su__cl_kernel(ctx, p->device, "peak", p->prec, extra, "su_peak_fma", &st->k);
  if (err)
    goto out;
  /* clpeak's local size: fp64 v8 needs ~130 registers per work-item on
   * NVIDIA, so the driver's own choice of 1024 can fail to launch */
  st->lsz = su__cl_local_size(st->d, st->k, 256, st->global);
  {
    double x64 = 1.0 - ldexp(1.0, -(int)st->shift), y64 = ldexp(1.0, -(int)st->shift);
    float x32 = (float)x64, y32 = (float)y64;
    int is64 = p->prec == SU_PREC_FP64;

    SU_CL(clSetKernelArg(st->k, 0, sizeof(cl_mem), &st->out));
    SU_CL(clSetKernelArg(st->k, 1, is64 ? sizeof(x64) : sizeof(x32),
                         is64 ? (void *)&x64 : (void *)&x32));
    SU_CL(clSetKernelArg(st->k, 2, is64 ? sizeof(y64) : sizeof(y32),
                         is64 ? (void *)&y64 : (void *)&y32));
    SU_CL(clSetKernelArg(st->k, 3, sizeof(st->iters), &st->iters));
  }
  memset(work, 0, sizeof(*work));
  work->flops = 2.0 * SU_PEAK_NCHAIN * st->vec * (double)st->iters * (double)st->global;
  work->items = (double)st->global;
  work->size_bytes = 0;
  snprintf(work->variant, sizeof(work->variant), "v%u", st->vec);
  *state = st;
  st = NULL;
out:
  peak_teardown(st);
  return err;
}

static int peak_run(void *state, uint64_t inner, su_timing_t *t)
{
  peak_state_t *st = state;

  /* one launch at a time: each is milliseconds long, so waiting between
   * launches costs nothing against the event-timed kernel itself */
  return su__cl_run_kernel(st->d, st->k, 1, &st->global, st->lsz ? &st->lsz : NULL, inner, 1,
                           SU_CL_EACH, &st->last_rep_ns,
                           t);
}

static int peak_verify(void *state, su_verify_t *v)
{
  peak_state_t *st = state;
  int is64 = st->prec == SU_PREC_FP64;
  double eps = is64 ? DBL_EPSILON : st->prec == SU_PREC_FP16 ? 0x1p-10 : FLT_EPSILON;
  long double x = 1.0L - ldexpl(1.0L, -(int)st->shift), xk = powl(x, st->iters);
  long double expect[64];
  double tol = (2.0 * ldexp(1.0, (int)st->shift) + 2.0 * SU_PEAK_NCHAIN * st->vec) * eps;
  double max_err = 0;
  void *host;
  int err = SU_OK;

  for (unsigned g = 0; g < 64; g++) {
    expect[g] = 0;
    for (unsigned k = 0; k < SU_PEAK_NCHAIN; k++)
      for (unsigned l = 0; l < st->vec; l++) {
        long double a0 = (long double)g / 128.0L + (long double)k / 256.0L + l / 1024.0L;

        expect[g] += 1.0L + (a0 - 1.0L) * xk;
      }
  }
  host = malloc(st->global * (is64 ? sizeof(double) : sizeof(float)));
  if (!host)
    return su_errorf(SU_ENOMEM, "cannot allocate the read-back of 'fma_peak'");
  SU_CL(clEnqueueReadBuffer(st->d->queue, st->out, CL_TRUE, 0,
                            st->global * (is64 ? sizeof(double) : sizeof(float)), host, 0, NULL,
                            NULL));
  if (st->corrupt) {
    if (is64)
      ((double *)host)[st->global / 2] *= 1.5;
    else
      ((float *)host)[st->global / 2] *= 1.5f;
  }
  for (size_t g = 0; g < st->global; g++) {
    double got = is64 ? ((double *)host)[g] : (double)((float *)host)[g];
    double e = fabs(got - (double)expect[g & 63]) / (double)expect[g & 63];

    if (!(e <= max_err))
      max_err = isnan(e) ? INFINITY : e;
    if (!(e <= tol)) {
      err = su_errorf(SU_EVERIFY, "fma_peak: work-item %zu = %.9g, expected %.9g", g, got,
                      (double)expect[g & 63]);
      break;
    }
  }
  v->max_rel_err = max_err;
  v->tol = tol;
out:
  st->corrupt = 0;
  free(host);
  return err;
}

static void peak_corrupt(void *state)
{
  ((peak_state_t *)state)->corrupt = 1;
}

const su_kernel_ops_t su_opencl_fma_peak_ops = {
  .desc = &su_desc_fma_peak,
  .precisions = SU_PREC_FP16 | SU_PREC_FP32 | SU_PREC_FP64,
  .variants = "v4,v8",
  .size_rule = SU_SIZE_NONE,
  .setup = peak_setup,
  .run = peak_run,
  .verify = peak_verify,
  .teardown = peak_teardown,
  .corrupt = peak_corrupt,
};
