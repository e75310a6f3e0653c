/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * opencl_launch.c: kernel launch latency (launch_latency) with an empty
 * one-work-item kernel (kernels/launch.cl).  One launch per repetition
 * (work.items = 1), each waited for before the next, so that no launch
 * queues behind another.
 *
 * Variants:
 *   dispatch   device time from the profiling event, QUEUED -> START: from
 *              the moment the runtime accepted the command to the moment
 *              the device started it, the queue flushed right after the
 *              enqueue (clpeak's kernel-latency test reads the same
 *              interval).  The empty kernel's run and the host's return
 *              from the wait are not included.
 *   roundtrip  host clock around enqueue + clFinish, as an application that
 *              launches and waits sees it; device_ns stays 0 so the driver
 *              uses its own clock around run().  clFinish has no timeout,
 *              so this variant has no watchdog; the empty kernel cannot
 *              hang unless the device itself is lost.
 */
#include <stdlib.h>
#include <string.h>

#include "opencl/opencl.h"
#include "sizeup/error.h"

typedef struct launch_state {
  su_cl_device_t *d;
  int dispatch;
  cl_kernel k;
  cl_mem out;
  uint64_t last_rep_ns;
  int corrupt;
} launch_state_t;

static void launch_teardown(void *state)
{
  launch_state_t *st = state;

  if (!st)
    return;
  su__cl_release(st->d, st->k, &st->out, 1);
  free(st);
}

static int launch_setup(const su_params_t *p, void **state, su_work_t *work)
{
  su_cl_ctx_t *ctx = p->backend_ctx;
  const char *variant = p->variant ? p->variant : "dispatch";
  launch_state_t *st;
  int zero = 0;
  cl_int cst;
  int err;

  st = calloc(1, sizeof(*st));
  if (!st)
    return su_errorf(SU_ENOMEM, "cannot allocate 'launch_latency' state");
  if (strcmp(variant, "dispatch") == 0)
    st->dispatch = 1;
  else if (strcmp(variant, "roundtrip") != 0) {
    err = su_errorf(SU_ENOTSUP, "unknown variant '%s' (expected dispatch or roundtrip)", variant);
    goto out;
  }
  err = su__cl_device(ctx, p->device, &st->d);
  if (err)
    goto out;
  SU_CL((st->out = clCreateBuffer(st->d->context, CL_MEM_READ_WRITE, sizeof(int), NULL, &cst),
         cst));
  /* fp32 only selects the build options; the kernel has no floating point */
  err = su__cl_kernel(ctx, p->device, "launch", SU_PREC_FP32, "", "su_launch_empty", &st->k);
  if (err)
    goto out;
  SU_CL(clSetKernelArg(st->k, 0, sizeof(cl_mem), &st->out));
  SU_CL(clSetKernelArg(st->k, 1, sizeof(int), &zero));
  memset(work, 0, sizeof(*work));
  work->items = 1;
  snprintf(work->variant, sizeof(work->variant), "%s", variant);
  *state = st;
  st = NULL;
out:
  launch_teardown(st);
  return err;
}

static int launch_run(void *state, uint64_t inner, su_timing_t *t)
{
  launch_state_t *st = state;
  size_t one = 1;
  int err = SU_OK;

  if (st->dispatch)
    return su__cl_run_kernel(st->d, st->k, 1, &one, &one, inner, 1, SU_CL_DISPATCH,
                             &st->last_rep_ns, t);
  for (uint64_t r = 0; r < inner; r++) {
    SU_CL(clEnqueueNDRangeKernel(st->d->queue, st->k, 1, NULL, &one, &one, 0, NULL, NULL));
    SU_CL(clFinish(st->d->queue));
  }
  if (t)
    t->device_ns = 0;
out:
  return err;
}

/* Launches once with a flag and checks that the kernel wrote it. */
static int launch_verify(void *state, su_verify_t *v)
{
  launch_state_t *st = state;
  size_t one = 1;
  int flag = 7, zero = 0, got = -1;
  int err = SU_OK;

  v->tol = 0;
  v->max_rel_err = 0;
  SU_CL(clEnqueueWriteBuffer(st->d->queue, st->out, CL_TRUE, 0, sizeof(int), &zero, 0, NULL,
                             NULL));
  SU_CL(clSetKernelArg(st->k, 1, sizeof(int), &flag));
  SU_CL(clEnqueueNDRangeKernel(st->d->queue, st->k, 1, NULL, &one, &one, 0, NULL, NULL));
  if (st->corrupt) {
    SU_CL(clEnqueueWriteBuffer(st->d->queue, st->out, CL_TRUE, 0, sizeof(int), &zero, 0, NULL,
                               NULL));
    st->corrupt = 0;
  }
  SU_CL(clEnqueueReadBuffer(st->d->queue, st->out, CL_TRUE, 0, sizeof(int), &got, 0, NULL, NULL));
  if (got != flag) {
    v->max_rel_err = 1;
    err = su_errorf(SU_EVERIFY, "launch_latency: the kernel wrote %d, expected %d", got, flag);
  }
out:
  clSetKernelArg(st->k, 1, sizeof(int), &zero);
  return err;
}

static void launch_corrupt(void *state)
{
  ((launch_state_t *)state)->corrupt = 1;
}

const su_kernel_ops_t su_opencl_launch_latency_ops = {
  .desc = &su_desc_launch_latency,
  .precisions = SU_PREC_NONE,
  .variants = "dispatch,roundtrip",
  .size_rule = SU_SIZE_NONE,
  .setup = launch_setup,
  .run = launch_run,
  .verify = launch_verify,
  .teardown = launch_teardown,
  .corrupt = launch_corrupt,
};
