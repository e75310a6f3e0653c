/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * opencl_transfer.c: host<->device copies of one buffer (transfer_h2d,
 * transfer_d2h), swept over sizes by the driver (SU_SIZE_SWEEP_XFER).
 *
 * Variants (host memory x synchronisation):
 *   pageable_blocking  page-aligned malloc'd host memory; blocking clEnqueueWrite/Read-
 *                      Buffer; host clock (what an application sees)
 *   pinned_blocking    host memory of a CL_MEM_ALLOC_HOST_PTR buffer, mapped
 *                      once in setup (the pinned-memory recipe of NVIDIA's
 *                      and AMD's OpenCL guides); blocking copies; host clock
 *   pinned_async       the same pinned memory; non-blocking copies back to
 *                      back, one wait per 64; device time from the
 *                      profiling events, first START to last END (the sum
 *                      of each copy's END - START left the gaps out and, at
 *                      a 1 us device timer, quantized small copies: PoCL
 *                      read 89 GB/s at 64 KiB against 1.6 GB/s host-timed)
 * Host-clocked variants leave device_ns at 0 so the driver uses its own
 * clock around run().  The driver is expected to bind the host thread next
 * to the device (device_info's "local_cpuset").
 *
 * transfer_d2d copies one buffer from a device to a device, for every
 * ordered pair of the selected devices (SU_KERNEL_PAIRS: the plan's
 * points form a matrix, as NVIDIA's nvbandwidth prints it):
 *   on_device   the diagonal: clEnqueueCopyBuffer within the device, 64
 *               copies back to back, first START to last END
 *   peer        two devices of one platform: one context over both (OpenCL
 *               copies only between buffers of one context), and
 *               clEnqueueCopyBuffer between them, the runtime's own path
 *               (direct where the driver has peer access, its own staging
 *               otherwise); copies alternate direction, each reading what
 *               the other device wrote last; host clock
 *   via_host    two devices of different platforms (or variant via_host):
 *               a blocking read into pinned host memory on the source's
 *               side, then a blocking write to the destination; host clock
 * Variant `copy` (the default) takes the first that applies; `peer` and
 * `via_host` ask for one path (`unsupported` where it cannot be had).
 *
 * Verification: the source holds a position-dependent byte pattern and the
 * destination starts zeroed; after timing, the destination is compared byte
 * for byte (for h2d and d2d, read back from the device).
 */
#include <stdlib.h>
#include <string.h>

#include "opencl/opencl.h"
#include "sizeup/error.h"
#include "sizeup/run.h"
#include "sizeup/timer.h"

#define SU_XFER_BATCH 64

typedef enum xfer_mode_e { PAGEABLE_BLOCKING, PINNED_BLOCKING, PINNED_ASYNC } xfer_mode_t;

typedef struct xfer_state {
  int h2d;
  xfer_mode_t mode;
  su_cl_device_t *d;
  size_t bytes;
  cl_mem dev;                 /* the device buffer */
  cl_mem pinned;              /* CL_MEM_ALLOC_HOST_PTR backing for the pinned variants */
  unsigned char *host;        /* the host side of the copy */
  unsigned char *malloced;    /* host when pageable */
  uint64_t last_rep_ns;
  int corrupt;
} xfer_state_t;

static unsigned char pattern(size_t i)
{
  return (unsigned char)((i * 2654435761u) >> 13 ^ i);
}

static void xfer_teardown(void *state)
{
  xfer_state_t *st = state;

  if (!st)
    return;
  if (st->d && st->d->queue && st->pinned && st->host)
    clEnqueueUnmapMemObject(st->d->queue, st->pinned, st->host, 0, NULL, NULL);
  su__cl_release(st->d, NULL, (cl_mem[]){st->pinned, st->dev}, 2);
  free(st->malloced);
  free(st);
}

static int xfer_setup(int h2d, const su_params_t *p, void **state, su_work_t *work)
{
  su_cl_ctx_t *ctx = p->backend_ctx;
  const char *name = h2d ? "transfer_h2d" : "transfer_d2h";
  const char *variant = p->variant ? p->variant : "pinned_blocking";
  xfer_state_t *st;
  cl_int cst;
  int err;

  st = calloc(1, sizeof(*st));
  if (!st)
    return su_errorf(SU_ENOMEM, "cannot allocate '%s' state", name);
  st->h2d = h2d;
  if (strcmp(variant, "pageable_blocking") == 0)
    st->mode = PAGEABLE_BLOCKING;
  else if (strcmp(variant, "pinned_blocking") == 0)
    st->mode = PINNED_BLOCKING;
  else if (strcmp(variant, "pinned_async") == 0)
    st->mode = PINNED_ASYNC;
  else {
    err = su_errorf(SU_ENOTSUP, "unknown variant '%s' (expected pageable_blocking, "
                    "pinned_blocking or pinned_async)", variant);
    goto out;
  }
  err = su__cl_device(ctx, p->device, &st->d);
  if (err)
    goto out;
  st->bytes = (size_t)(p->size_bytes ? p->size_bytes : 64ull << 20);
  if (st->bytes > st->d->max_alloc_bytes)
    st->bytes = (size_t)st->d->max_alloc_bytes;
  SU_CL((st->dev = clCreateBuffer(st->d->context, CL_MEM_READ_WRITE, st->bytes, NULL, &cst), cst));
  if (st->mode == PAGEABLE_BLOCKING) {
    /* page-aligned, as an application's large buffers are: a 16-byte
     * aligned pointer can take a driver's slow staging path */
    st->host = st->malloced = aligned_alloc(4096, (st->bytes + 4095) / 4096 * 4096);
    if (!st->host) {
      err = su_errorf(SU_ENOMEM, "cannot allocate %zu bytes of host memory", st->bytes);
      goto out;
    }
  } else {
    SU_CL((st->pinned = clCreateBuffer(st->d->context, CL_MEM_READ_WRITE | CL_MEM_ALLOC_HOST_PTR,
                                       st->bytes, NULL, &cst), cst));
    SU_CL((st->host = clEnqueueMapBuffer(st->d->queue, st->pinned, CL_TRUE,
                                         CL_MAP_READ | CL_MAP_WRITE, 0, st->bytes, 0, NULL, NULL,
                                         &cst), cst));
  }
  /* source: the pattern; destination: zeros (so a copy that did nothing fails) */
  if (h2d) {
    for (size_t i = 0; i < st->bytes; i++)
      st->host[i] = pattern(i);
    {
      unsigned char zero = 0;

      SU_CL(clEnqueueFillBuffer(st->d->queue, st->dev, &zero, 1, 0, st->bytes, 0, NULL, NULL));
    }
  } else {
    for (size_t i = 0; i < st->bytes; i++)
      st->host[i] = pattern(i);
    SU_CL(clEnqueueWriteBuffer(st->d->queue, st->dev, CL_TRUE, 0, st->bytes, st->host, 0, NULL,
                               NULL));
    memset(st->host, 0, st->bytes);
  }
  SU_CL(clFinish(st->d->queue));
  memset(work, 0, sizeof(*work));
  work->bytes = (double)st->bytes;
  work->size_bytes = st->bytes;
  snprintf(work->variant, sizeof(work->variant), "%s", variant);
  *state = st;
  st = NULL;
out:
  xfer_teardown(st);
  return err;
}

static int xfer_enqueue(void *state, cl_event *ev)
{
  xfer_state_t *st = state;
  int err = SU_OK;

  if (st->h2d)
    SU_CL(clEnqueueWriteBuffer(st->d->queue, st->dev, CL_FALSE, 0, st->bytes, st->host, 0, NULL,
                               ev));
  else
    SU_CL(clEnqueueReadBuffer(st->d->queue, st->dev, CL_FALSE, 0, st->bytes, st->host, 0, NULL,
                              ev));
out:
  return err;
}

static int xfer_run(void *state, uint64_t inner, su_timing_t *t)
{
  xfer_state_t *st = state;
  int err = SU_OK;

  if (st->mode == PINNED_ASYNC)
    return su__cl_run_timed(st->d, xfer_enqueue, st, inner, SU_XFER_BATCH, SU_CL_SPAN,
                            &st->last_rep_ns, t);
  for (uint64_t r = 0; r < inner; r++) {
    if (st->h2d)
      SU_CL(clEnqueueWriteBuffer(st->d->queue, st->dev, CL_TRUE, 0, st->bytes, st->host, 0, NULL,
                                 NULL));
    else
      SU_CL(clEnqueueReadBuffer(st->d->queue, st->dev, CL_TRUE, 0, st->bytes, st->host, 0, NULL,
                                NULL));
  }
  if (t)
    t->device_ns = 0;
out:
  return err;
}

static int xfer_verify(void *state, su_verify_t *v)
{
  xfer_state_t *st = state;
  const unsigned char *got = st->host;
  unsigned char *back = NULL;
  int err = SU_OK;

  v->tol = 0;
  v->max_rel_err = 0;
  if (st->h2d) {
    back = malloc(st->bytes);
    if (!back)
      return su_errorf(SU_ENOMEM, "cannot allocate %zu bytes for the read-back", st->bytes);
    SU_CL(clEnqueueReadBuffer(st->d->queue, st->dev, CL_TRUE, 0, st->bytes, back, 0, NULL, NULL));
    got = back;
  }
  if (st->corrupt) {
    unsigned char *w = back ? back : st->host;

    w[st->bytes / 2] ^= 0x5a;
    st->corrupt = 0;
  }
  for (size_t i = 0; i < st->bytes; i++)
    if (got[i] != pattern(i)) {
      v->max_rel_err = 1;
      err = su_errorf(SU_EVERIFY, "%s: byte %zu = 0x%02x, expected 0x%02x",
                      st->h2d ? "transfer_h2d" : "transfer_d2h", i, got[i], pattern(i));
      break;
    }
out:
  free(back);
  return err;
}

static void xfer_corrupt(void *state)
{
  ((xfer_state_t *)state)->corrupt = 1;
}

static int h2d_setup(const su_params_t *p, void **state, su_work_t *work)
{
  return xfer_setup(1, p, state, work);
}

static int d2h_setup(const su_params_t *p, void **state, su_work_t *work)
{
  return xfer_setup(0, p, state, work);
}

const su_kernel_ops_t su_opencl_transfer_h2d_ops = {
  .desc = &su_desc_transfer_h2d,
  .precisions = SU_PREC_NONE,
  .variants = "pageable_blocking,pinned_blocking,pinned_async",
  .size_rule = SU_SIZE_SWEEP_XFER,
  .setup = h2d_setup,
  .run = xfer_run,
  .verify = xfer_verify,
  .teardown = xfer_teardown,
  .corrupt = xfer_corrupt,
};

const su_kernel_ops_t su_opencl_transfer_d2h_ops = {
  .desc = &su_desc_transfer_d2h,
  .precisions = SU_PREC_NONE,
  .variants = "pageable_blocking,pinned_blocking,pinned_async",
  .size_rule = SU_SIZE_SWEEP_XFER,
  .setup = d2h_setup,
  .run = xfer_run,
  .verify = xfer_verify,
  .teardown = xfer_teardown,
  .corrupt = xfer_corrupt,
};

/* ---- device to device ------------------------------------------------------- */

typedef enum d2d_path_e { D2D_ON_DEVICE, D2D_PEER, D2D_VIA_HOST } d2d_path_t;

typedef struct d2d_state {
  su_cl_device_t *src, *dst;
  d2d_path_t path;
  size_t bytes;
  cl_mem a, b;                /* the source's buffer, the destination's */
  cl_command_queue qa, qb;    /* the queues a and b are written through */
  cl_context shared;          /* peer: one context over both devices */
  cl_mem pinned;              /* via_host: pinned staging memory on the source's side */
  unsigned char *host;
  uint64_t last_rep_ns;
  int corrupt;
} d2d_state_t;

static void d2d_teardown(void *state)
{
  d2d_state_t *st = state;

  if (!st)
    return;
  if (st->src && st->src->queue && st->pinned && st->host)
    clEnqueueUnmapMemObject(st->src->queue, st->pinned, st->host, 0, NULL, NULL);
  if (st->shared) {
    /* the peer path's queues and buffers are its own, not the devices' */
    if (!su__cl_still_lost(st->src)) {
      for (int i = 0; i < 2; i++) {
        cl_command_queue q = i ? st->qb : st->qa;

        if (q) {
          clFinish(q);
          clReleaseCommandQueue(q);
        }
      }
      if (st->a)
        clReleaseMemObject(st->a);
      if (st->b)
        clReleaseMemObject(st->b);
      clReleaseContext(st->shared);
    }
  } else {
    su__cl_release(st->src, NULL, (cl_mem[]){st->pinned, st->a}, 2);
    su__cl_release(st->dst, NULL, &st->b, 1);
  }
  free(st);
}

static int d2d_queue(cl_context ctx, const su_cl_device_t *d, cl_command_queue *q)
{
  int err = SU_OK;
  cl_int cst;

  if (d->cl1x) {
    SU_CL((*q = clCreateCommandQueue(ctx, d->id, 0, &cst), cst));
  } else {
    SU_CL((*q = clCreateCommandQueueWithProperties(ctx, d->id, NULL, &cst), cst));
  }
out:
  return err;
}

/*
 * The peer path: one context over both devices (OpenCL can copy between
 * buffers of one context only, and a context holds devices of one
 * platform).  SU_ENOTSUP where the platform does not make one.
 */
static int d2d_open_peer(d2d_state_t *st)
{
  cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)st->src->platform,
                                   0};
  cl_device_id ids[2] = {st->src->id, st->dst->id};
  cl_int cst;

  if (st->src->platform != st->dst->platform)
    return SU_ENOTSUP;
  st->shared = clCreateContext(props, 2, ids, NULL, NULL, &cst);
  if (cst != CL_SUCCESS) {
    st->shared = NULL;
    return SU_ENOTSUP;
  }
  if (d2d_queue(st->shared, st->src, &st->qa) || d2d_queue(st->shared, st->dst, &st->qb))
    return su_errorf(SU_EBACKEND, "transfer_d2d: cannot make the queues of a context over '%s' "
                     "and '%s'", st->src->name, st->dst->name);
  return SU_OK;
}

static int d2d_setup(const su_params_t *p, void **state, su_work_t *work)
{
  static const char *const names[] = {"on_device", "peer", "via_host"};
  su_cl_ctx_t *ctx = p->backend_ctx;
  unsigned peer = p->point && p->point->has_peer ? p->point->peer : p->device;
  const char *want = p->variant ? p->variant : "copy";
  unsigned char *pat = NULL, zero = 0;
  d2d_state_t *st;
  cl_int cst;
  int err;

  if (strcmp(want, "copy") != 0 && strcmp(want, "peer") != 0 && strcmp(want, "via_host") != 0)
    return su_errorf(SU_ENOTSUP, "unknown variant '%s' (expected copy, peer or via_host)", want);
  st = calloc(1, sizeof(*st));
  if (!st)
    return su_errorf(SU_ENOMEM, "cannot allocate 'transfer_d2d' state");
  if ((err = su__cl_device(ctx, p->device, &st->src)) ||
      (err = su__cl_device(ctx, peer, &st->dst)))
    goto out;
  st->bytes = (size_t)(p->size_bytes ? p->size_bytes : 64ull << 20);
  if (st->bytes > st->src->max_alloc_bytes)
    st->bytes = (size_t)st->src->max_alloc_bytes;
  if (st->bytes > st->dst->max_alloc_bytes)
    st->bytes = (size_t)st->dst->max_alloc_bytes;
  /* copy: the diagonal on the device; across devices the peer path where
   * one context holds both, through the host otherwise */
  st->path = st->src == st->dst ? D2D_ON_DEVICE : D2D_VIA_HOST;
  if (st->path == D2D_ON_DEVICE && strcmp(want, "copy") != 0) {
    err = su_errorf(SU_ENOTSUP, "variant '%s' copies between two devices; the diagonal is "
                    "variant copy (on_device)", want);
    goto out;
  }
  if (st->path != D2D_ON_DEVICE && strcmp(want, "via_host") != 0) {
    err = d2d_open_peer(st);
    if (err == SU_OK)
      st->path = D2D_PEER;
    else if (err != SU_ENOTSUP)
      goto out;
    else if (strcmp(want, "peer") == 0) {
      err = su_errorf(SU_ENOTSUP, "no peer copies from '%s' to '%s': OpenCL makes no context "
                      "over both (different platforms, or the platform refuses)",
                      st->src->name, st->dst->name);
      goto out;
    }
    err = SU_OK;
  }
  if (!(pat = malloc(st->bytes))) {
    err = su_errorf(SU_ENOMEM, "cannot allocate %zu bytes of host memory", st->bytes);
    goto out;
  }
  for (size_t i = 0; i < st->bytes; i++)
    pat[i] = pattern(i);
  if (!st->shared) {
    st->qa = st->src->queue;
    st->qb = st->dst->queue;
  }
  SU_CL((st->a = clCreateBuffer(st->shared ? st->shared : st->src->context, CL_MEM_READ_WRITE,
                                st->bytes, NULL, &cst), cst));
  SU_CL((st->b = clCreateBuffer(st->shared ? st->shared : st->dst->context, CL_MEM_READ_WRITE,
                                st->bytes, NULL, &cst), cst));
  SU_CL(clEnqueueWriteBuffer(st->qa, st->a, CL_TRUE, 0, st->bytes, pat, 0, NULL, NULL));
  SU_CL(clEnqueueFillBuffer(st->qb, st->b, &zero, 1, 0, st->bytes, 0, NULL, NULL));
  SU_CL(clFinish(st->qb));
  if (st->path == D2D_VIA_HOST) {
    SU_CL((st->pinned = clCreateBuffer(st->src->context, CL_MEM_READ_WRITE | CL_MEM_ALLOC_HOST_PTR,
                                       st->bytes, NULL, &cst), cst));
    SU_CL((st->host = clEnqueueMapBuffer(st->src->queue, st->pinned, CL_TRUE,
                                         CL_MAP_READ | CL_MAP_WRITE, 0, st->bytes, 0, NULL, NULL,
                                         &cst), cst));
  }
  memset(work, 0, sizeof(*work));
  work->bytes = (double)st->bytes;
  work->size_bytes = st->bytes;
  snprintf(work->variant, sizeof(work->variant), "%s", names[st->path]);
  *state = st;
  st = NULL;
out:
  free(pat);
  d2d_teardown(st);
  return err;
}

static int d2d_enqueue(void *state, cl_event *ev)
{
  d2d_state_t *st = state;
  int err = SU_OK;

  SU_CL(clEnqueueCopyBuffer(st->src->queue, st->a, st->b, 0, 0, st->bytes, 0, NULL, ev));
out:
  return err;
}

/*
 * The peer path, on the host clock: copies alternate a -> b on the
 * destination's queue and b -> a on the source's, each waiting for the one
 * before, so that every copy reads what the other device wrote last and the
 * runtime has to move it (a buffer only ever read could stay cached on both
 * devices after the first copy).  The figure is the mean of both directions.
 */
static int d2d_run_peer(d2d_state_t *st, uint64_t inner)
{
  cl_event prev = NULL, ev = NULL;
  uint64_t done = 0;
  int err = SU_OK;

  while (done < inner) {
    /* one copy first: the watchdog's deadline then follows its time */
    uint64_t cap = st->last_rep_ns ? SU_XFER_BATCH : 1;
    uint64_t n = inner - done < cap ? inner - done : cap;
    uint64_t t0 = su_time_ns();

    for (uint64_t i = 0; i < n; i++) {
      int back = (int)((done + i) & 1);

      SU_CL(clEnqueueCopyBuffer(back ? st->qa : st->qb, back ? st->b : st->a,
                                back ? st->a : st->b, 0, 0, st->bytes, prev ? 1 : 0,
                                prev ? &prev : NULL, &ev));
      if (prev)
        clReleaseEvent(prev);
      prev = ev;
      ev = NULL;
    }
    clFlush(st->qa);
    clFlush(st->qb);
    err = su__cl_wait(prev, su__cl_deadline_ns(st->last_rep_ns * n));
    if (err == SU_ETIMEOUT)
      su__cl_mark_lost(st->src, prev);
    if (err)
      goto out;
    st->last_rep_ns = (su_time_ns() - t0) / n;
    done += n;
  }
out:
  if (prev)
    clReleaseEvent(prev);
  return err;
}

static int d2d_run(void *state, uint64_t inner, su_timing_t *t)
{
  d2d_state_t *st = state;
  int err = SU_OK;

  if (st->path == D2D_ON_DEVICE)
    return su__cl_run_timed(st->src, d2d_enqueue, st, inner, SU_XFER_BATCH, SU_CL_SPAN,
                            &st->last_rep_ns, t);
  if (st->path == D2D_PEER)
    err = d2d_run_peer(st, inner);
  for (uint64_t r = 0; st->path == D2D_VIA_HOST && r < inner; r++) {
    SU_CL(clEnqueueReadBuffer(st->src->queue, st->a, CL_TRUE, 0, st->bytes, st->host, 0, NULL,
                              NULL));
    SU_CL(clEnqueueWriteBuffer(st->dst->queue, st->b, CL_TRUE, 0, st->bytes, st->host, 0, NULL,
                               NULL));
  }
  if (t)
    t->device_ns = 0;
out:
  return err;
}

static int d2d_verify(void *state, su_verify_t *v)
{
  d2d_state_t *st = state;
  unsigned char *back = malloc(st->bytes);
  int err = SU_OK;

  v->tol = 0;
  v->max_rel_err = 0;
  if (!back)
    return su_errorf(SU_ENOMEM, "cannot allocate %zu bytes for the read-back", st->bytes);
  SU_CL(clFinish(st->qa));
  SU_CL(clEnqueueReadBuffer(st->qb, st->b, CL_TRUE, 0, st->bytes, back, 0, NULL, NULL));
  if (st->corrupt) {
    back[st->bytes / 2] ^= 0x5a;
    st->corrupt = 0;
  }
  for (size_t i = 0; i < st->bytes; i++)
    if (back[i] != pattern(i)) {
      v->max_rel_err = 1;
      err = su_errorf(SU_EVERIFY, "transfer_d2d: byte %zu = 0x%02x, expected 0x%02x", i,
                      back[i], pattern(i));
      break;
    }
out:
  free(back);
  return err;
}

static void d2d_corrupt(void *state)
{
  ((d2d_state_t *)state)->corrupt = 1;
}

const su_kernel_ops_t su_opencl_transfer_d2d_ops = {
  .desc = &su_desc_transfer_d2d,
  .precisions = SU_PREC_NONE,
  .variants = "copy",
  .size_rule = SU_SIZE_FIXED,
  .default_size_bytes = 64ull << 20,
  .accel_size_bytes = 1ull << 30,
  .setup = d2d_setup,
  .run = d2d_run,
  .verify = d2d_verify,
  .teardown = d2d_teardown,
  .corrupt = d2d_corrupt,
  .flags = SU_KERNEL_PAIRS,
};
