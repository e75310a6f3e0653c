/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * opencl_stream.c: STREAM copy, scale, add, triad and dot on an OpenCL
 * device (kernels in kernels/stream.cl), in FP32 and FP64, with the vector
 * width as the variant ("v1" ... "v16": elements per work-item).
 *
 * Sizing: 3 x 256 MiB by default, 3 x 2 GiB on a GPU or accelerator
 * (BabelStream's 2^25 elements read 3% below its 2^28 plateau on an H100).
 * The requested working set is split over the arrays the kernel
 * touches (desc->nstreams), then clamped so that each array fits
 * CL_DEVICE_MAX_MEM_ALLOC_SIZE and all of them fit in 90% of the global
 * memory; work->size_bytes reports what was allocated.  The arrays are
 * initialised on the device (first use), so an allocation the device cannot
 * back fails in setup as SU_ESKIP.
 *
 * Timing: one kernel per repetition, each with a profiling event; device_ns
 * is the sum of END - START (the kernel's own time, as clpeak and
 * BabelStream's event timing do).  Verification after timing reads the
 * output back and checks every element against the closed form of the
 * index-dependent initial values (BabelStream check_solution, per element);
 * dot's partial sums are read back and added on the host, then compared with
 * the exact sum computed in long double.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opencl/opencl.h"
#include "sizeup/error.h"

#define SU_STREAM_SCALAR 0.4   /* BabelStream's startScalar */
#define SU_STREAM_ALIGN 16384  /* elements: any VEC x any work-group size divides it */
#define SU_STREAM_BATCH 64     /* events waited on at once */
/* The largest global size: the kernels loop with a grid stride beyond it,
 * as some drivers have given wrong ids at 2^31 and above. */
#define SU_STREAM_MAX_GLOBAL ((size_t)1 << 30)

typedef enum stream_op_e { OP_COPY, OP_SCALE, OP_ADD, OP_TRIAD, OP_DOT } stream_op_t;

typedef struct stream_state {
  stream_op_t op;
  const su_kernel_desc_t *desc;
  su_cl_device_t *d;
  su_precision_t prec;
  size_t esize, n, nvec;       /* scalars per array, vectors per array */
  unsigned vec;
  cl_kernel k;
  cl_mem a, b, c, partial;
  size_t dot_wg, dot_groups;
  size_t gsz, lsz;             /* the launch: global (capped) and local size, 0 = runtime's */
  uint64_t last_rep_ns;        /* for the watchdog */
  double dot_sum;              /* read back by verify */
  int corrupt;                 /* the next verify's read-back gets one bad value */
} stream_state_t;

/* The initial values, as in stream.cl (exact in binary floating point). */
static long double val_a(size_t i) { return 1.0L + (long double)(i & 1023) / 1024.0L; }
static long double val_b(size_t i) { return 2.0L - (long double)(i & 511) / 2048.0L; }
static long double val_c(size_t i) { return 0.5L + (long double)(i & 255) / 4096.0L; }

static void stream_teardown(void *state)
{
  stream_state_t *st = state;

  if (!st)
    return;
  su__cl_release(st->d, st->k, (cl_mem[]){st->a, st->b, st->c, st->partial}, 4);
  free(st);
}

/* Initialises one array on the device with su_stream_fill_<which>. */
static int fill(su_cl_ctx_t *ctx, unsigned dev, stream_state_t *st, cl_mem m, const char *name)
{
  cl_kernel k = NULL;
  cl_event ev = NULL;
  cl_int st0;
  int err;

  err = su__cl_kernel(ctx, dev, "stream", st->prec, "-DVEC=1", name, &k);
  if (err)
    return err;
  cl_ulong n = st->n;
  size_t gsz = st->n < SU_STREAM_MAX_GLOBAL ? st->n : SU_STREAM_MAX_GLOBAL;

  SU_CL(clSetKernelArg(k, 0, sizeof(m), &m));
  SU_CL(clSetKernelArg(k, 1, sizeof(n), &n));
  /* the first use of the buffer: an allocation the device could not back
   * shows up here as CL_OUT_OF_RESOURCES on some drivers */
  SU_CL((st0 = clEnqueueNDRangeKernel(st->d->queue, k, 1, NULL, &gsz, NULL, 0, NULL, &ev),
         st0 == CL_OUT_OF_RESOURCES ? CL_MEM_OBJECT_ALLOCATION_FAILURE : st0));
  err = su__cl_wait(ev, su__cl_deadline_ns(0));
  if (err == SU_ETIMEOUT)
    su__cl_mark_lost(st->d, ev);
out:
  if (ev)
    clReleaseEvent(ev);
  if (k)
    clReleaseKernel(k);
  return err;
}

static int stream_setup_op(stream_op_t op, const su_kernel_desc_t *desc, const su_params_t *p,
                           void **state, su_work_t *work)
{
  su_cl_ctx_t *ctx = p->backend_ctx;
  stream_state_t *st;
  uint64_t per_array, req;
  unsigned ns = desc->nstreams;
  char extra[64];
  const char *kname;
  cl_int cst;
  int err;

  st = calloc(1, sizeof(*st));
  if (!st)
    return su_errorf(SU_ENOMEM, "cannot allocate '%s' state", desc->name);
  st->op = op;
  st->desc = desc;
  st->prec = p->prec;
  err = su__cl_device(ctx, p->device, &st->d);
  if (err)
    goto out;
  err = su__cl_check_prec(st->d, p->prec);
  if (!err && p->prec == SU_PREC_FP16)
    err = su_errorf(SU_ENOTSUP, "'%s' is offered in fp32 and fp64", desc->name);
  if (!err)
    err = su__cl_parse_vec(p->variant ? p->variant : "v1", &st->vec);
  if (err)
    goto out;
  st->esize = su_precision_size(p->prec);

  req = p->size_bytes ? p->size_bytes : 3ull * 256 * 1024 * 1024;
  per_array = su__cl_array_bytes(st->d, req, ns);
  st->n = (size_t)(per_array / st->esize) / SU_STREAM_ALIGN * SU_STREAM_ALIGN;
  if (st->n == 0) {
    err = su_errorf(SU_EINVAL, "'%s' needs at least %u elements per array, size %llu is too small",
                    desc->name, SU_STREAM_ALIGN, (unsigned long long)req);
    goto out;
  }
  st->nvec = st->n / st->vec;

  /* arrays: copy a->c, scale c->b, add a,b->c, triad b,c->a, dot a,b */
#define ALLOC(m)                                                               \
  SU_CL((st->m = clCreateBuffer(st->d->context, CL_MEM_READ_WRITE, st->n * st->esize, NULL, \
                                &cst), cst))
  if (op != OP_SCALE)
    ALLOC(a);
  if (op == OP_SCALE || op == OP_ADD || op == OP_TRIAD || op == OP_DOT)
    ALLOC(b);
  if (op != OP_DOT)
    ALLOC(c);
#undef ALLOC
  if (st->a && (err = fill(ctx, p->device, st, st->a, "su_stream_fill_a")))
    goto out;
  if (st->b && (err = fill(ctx, p->device, st, st->b, "su_stream_fill_b")))
    goto out;
  if (st->c && (err = fill(ctx, p->device, st, st->c, "su_stream_fill_c")))
    goto out;

  snprintf(extra, sizeof(extra), "-DVEC=%u", st->vec);
  kname = op == OP_COPY ? "su_stream_copy" : op == OP_SCALE ? "su_stream_scale"
          : op == OP_ADD ? "su_stream_add" : op == OP_TRIAD ? "su_stream_triad"
          : st->d->is_cpu ? "su_stream_dot_chunk" : "su_stream_dot";
  err = su__cl_kernel(ctx, p->device, "stream", p->prec, extra, kname, &st->k);
  if (err)
    goto out;
  {
    double s64 = SU_STREAM_SCALAR;
    float s32 = (float)SU_STREAM_SCALAR;
    const void *sp = p->prec == SU_PREC_FP64 ? (const void *)&s64 : (const void *)&s32;
    cl_ulong nvec = st->nvec;

    /* the local size: at most 256 (clpeak), what the kernel allows */
    st->gsz = st->nvec < SU_STREAM_MAX_GLOBAL ? st->nvec : SU_STREAM_MAX_GLOBAL;
    st->lsz = su__cl_local_size(st->d, st->k, 256, st->gsz);
    switch (op) {
    case OP_COPY:
      SU_CL(clSetKernelArg(st->k, 0, sizeof(cl_mem), &st->a));
      SU_CL(clSetKernelArg(st->k, 1, sizeof(cl_mem), &st->c));
      SU_CL(clSetKernelArg(st->k, 2, sizeof(nvec), &nvec));
      break;
    case OP_SCALE:
      SU_CL(clSetKernelArg(st->k, 0, sizeof(cl_mem), &st->b));
      SU_CL(clSetKernelArg(st->k, 1, sizeof(cl_mem), &st->c));
      SU_CL(clSetKernelArg(st->k, 2, st->esize, sp));
      SU_CL(clSetKernelArg(st->k, 3, sizeof(nvec), &nvec));
      break;
    case OP_ADD:
      SU_CL(clSetKernelArg(st->k, 0, sizeof(cl_mem), &st->a));
      SU_CL(clSetKernelArg(st->k, 1, sizeof(cl_mem), &st->b));
      SU_CL(clSetKernelArg(st->k, 2, sizeof(cl_mem), &st->c));
      SU_CL(clSetKernelArg(st->k, 3, sizeof(nvec), &nvec));
      break;
    case OP_TRIAD:
      SU_CL(clSetKernelArg(st->k, 0, sizeof(cl_mem), &st->a));
      SU_CL(clSetKernelArg(st->k, 1, sizeof(cl_mem), &st->b));
      SU_CL(clSetKernelArg(st->k, 2, sizeof(cl_mem), &st->c));
      SU_CL(clSetKernelArg(st->k, 3, st->esize, sp));
      SU_CL(clSetKernelArg(st->k, 4, sizeof(nvec), &nvec));
      break;
    case OP_DOT: {
      size_t kwg = 0;

      /* BabelStream's OpenCL dot: 4 work-groups per compute unit of 256
       * work-items on a CPU device; on a GPU 1024-wide groups (256 x 4 is
       * a quarter of an SM's threads on NVIDIA), or what the device
       * allows, as a power of two. */
      SU_CL(clGetKernelWorkGroupInfo(st->k, st->d->id, CL_KERNEL_WORK_GROUP_SIZE, sizeof(kwg),
                                     &kwg, NULL));
      st->dot_wg = st->d->is_cpu ? 256 : 1024;
      while (st->dot_wg > 1 && (st->dot_wg > kwg || st->dot_wg > st->d->max_wg_size))
        st->dot_wg /= 2;
      st->dot_groups = 4 * (size_t)st->d->compute_units;
      st->gsz = st->dot_wg * st->dot_groups;
      st->lsz = st->dot_wg;
      SU_CL((st->partial = clCreateBuffer(st->d->context, CL_MEM_READ_WRITE,
                                          st->dot_groups * st->esize, NULL, &cst), cst));
      SU_CL(clSetKernelArg(st->k, 0, sizeof(cl_mem), &st->a));
      SU_CL(clSetKernelArg(st->k, 1, sizeof(cl_mem), &st->b));
      SU_CL(clSetKernelArg(st->k, 2, st->dot_wg * st->esize, NULL));
      SU_CL(clSetKernelArg(st->k, 3, sizeof(cl_mem), &st->partial));
      SU_CL(clSetKernelArg(st->k, 4, sizeof(nvec), &nvec));
      break;
    }
    }
  }

  memset(work, 0, sizeof(*work));
  work->bytes = (desc->bytes_read_per_elem + desc->bytes_written_per_elem) * (double)st->n *
                (double)st->esize;
  work->flops = desc->flops_per_elem * (double)st->n;
  work->size_bytes = (uint64_t)ns * st->n * st->esize;
  snprintf(work->variant, sizeof(work->variant), "v%u", st->vec);
  *state = st;
  st = NULL;
out:
  stream_teardown(st);
  return err;
}

static int stream_run(void *state, uint64_t inner, su_timing_t *t)
{
  stream_state_t *st = state;
  return su__cl_run_kernel(st->d, st->k, 1, &st->gsz, st->lsz ? &st->lsz : NULL, inner,
                           SU_STREAM_BATCH, SU_CL_EACH, &st->last_rep_ns, t);
}

static int stream_verify(void *state, su_verify_t *v)
{
  stream_state_t *st = state;
  const char *name = st->desc->name;
  double eps = st->prec == SU_PREC_FP64 ? DBL_EPSILON : FLT_EPSILON;
  double tol = st->desc->verify_rel_tol * eps;
  double s = st->prec == SU_PREC_FP64 ? SU_STREAM_SCALAR : (double)(float)SU_STREAM_SCALAR;
  void *host = NULL;
  cl_mem out_buf;
  char out_name;
  double max_err = 0;
  int err = SU_OK;

  if (st->op == OP_DOT) {
    long double expect = 0, got = 0;

    host = malloc(st->dot_groups * st->esize);
    if (!host)
      return su_errorf(SU_ENOMEM, "cannot allocate the read-back of '%s'", name);
    SU_CL(clEnqueueReadBuffer(st->d->queue, st->partial, CL_TRUE, 0, st->dot_groups * st->esize,
                              host, 0, NULL, NULL));
    for (size_t g = 0; g < st->dot_groups; g++)
      got += st->prec == SU_PREC_FP64 ? ((double *)host)[g] : ((float *)host)[g];
    if (st->corrupt)
      got *= 1.5L;
    /* the exact sum: the values repeat with period 1024 */
    for (size_t i = 0; i < 1024 && i < st->n; i++)
      expect += val_a(i) * val_b(i) * (long double)((st->n - i + 1023) / 1024);
    st->dot_sum = (double)got;
    max_err = (double)fabsl(got - expect) / (double)fabsl(expect);
    v->max_rel_err = isnan(max_err) ? INFINITY : max_err;
    v->tol = tol;
    if (!(max_err <= tol))
      err = su_errorf(SU_EVERIFY, "%s: sum = %.17g, expected %.17g (relative error %.3g, "
                      "tolerance %.3g)", name, (double)got, (double)expect, max_err, tol);
    goto out;
  }

  out_buf = st->op == OP_COPY || st->op == OP_ADD ? st->c : st->op == OP_SCALE ? st->b : st->a;
  out_name = st->op == OP_COPY || st->op == OP_ADD ? 'c' : st->op == OP_SCALE ? 'b' : 'a';
  host = malloc(st->n * st->esize);
  if (!host)
    return su_errorf(SU_ENOMEM, "cannot allocate the read-back of '%s'", name);
  SU_CL(clEnqueueReadBuffer(st->d->queue, out_buf, CL_TRUE, 0, st->n * st->esize, host, 0, NULL,
                            NULL));
  if (st->corrupt) {
    if (st->prec == SU_PREC_FP64)
      ((double *)host)[st->n / 3] += 1.0;
    else
      ((float *)host)[st->n / 3] += 1.0f;
  }
  for (size_t i = 0; i < st->n; i++) {
    double expect, got, e;

    switch (st->op) {
    case OP_COPY: expect = (double)val_a(i); break;
    case OP_SCALE: expect = s * (double)val_c(i); break;
    case OP_ADD: expect = (double)(val_a(i) + val_b(i)); break;
    default: expect = (double)val_b(i) + s * (double)val_c(i); break;
    }
    got = st->prec == SU_PREC_FP64 ? ((double *)host)[i] : (double)((float *)host)[i];
    e = fabs(got - expect) / fabs(expect);
    if (!(e <= max_err))
      max_err = isnan(e) ? INFINITY : e;
    if (!(e <= tol)) {
      v->max_rel_err = max_err;
      v->tol = tol;
      err = su_errorf(SU_EVERIFY, "%s: %c[%zu] = %.9g, expected %.9g", name, out_name, i, got,
                      expect);
      goto out;
    }
  }
  v->max_rel_err = max_err;
  v->tol = tol;
out:
  st->corrupt = 0;
  free(host);
  return err;
}

static void stream_corrupt(void *state)
{
  ((stream_state_t *)state)->corrupt = 1;
}

#define STREAM_OPS(kname, OP)                                                   \
  static int stream_setup_##kname(const su_params_t *p, void **state, su_work_t *work) \
  {                                                                             \
    return stream_setup_op(OP, &su_desc_stream_##kname, p, state, work);       \
  }                                                                             \
  const su_kernel_ops_t su_opencl_stream_##kname##_ops = {                      \
    .desc = &su_desc_stream_##kname,                                            \
    .precisions = SU_PREC_FP32 | SU_PREC_FP64,                                  \
    .variants = "v1,v4",                                                        \
    .size_rule = SU_SIZE_FIXED,                                                 \
    .default_size_bytes = 3ull * 256 * 1024 * 1024,                             \
    .accel_size_bytes = 3ull * 2048 * 1024 * 1024,                              \
    .setup = stream_setup_##kname,                                              \
    .run = stream_run,                                                          \
    .verify = stream_verify,                                                    \
    .teardown = stream_teardown,                                                \
    .corrupt = stream_corrupt,                                                  \
  };

STREAM_OPS(copy, OP_COPY)
STREAM_OPS(scale, OP_SCALE)
STREAM_OPS(add, OP_ADD)
STREAM_OPS(triad, OP_TRIAD)
STREAM_OPS(dot, OP_DOT)
