/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * multidev.c: one kernel on several devices at once, for the devices axis
 * of a sweep ("each device alone, then all of them": aggregate bandwidth
 * and FLOP/s of a node's accelerators).
 *
 * It is an adapter: a kernel ops table whose state holds one state of the
 * per-device kernel for each device.  setup builds them at once, each on
 * the bound host thread that drives its device, so that host buffers land
 * on that device's NUMA node (program builds and allocations are not
 * timed; the backend's program cache takes a lock); run launches the
 * `inner` repetitions on every device at once, one bound host thread per
 * device, and returns when all are done.  The figure is host-timed (the
 * runner's clock around run, samples of at least 10 ms): the slowest
 * device's event time would hide devices that ran one after another.  Work
 * is the sum over the devices.  verify checks every device.
 */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "sizeup/error.h"

typedef struct md_state {
  const su_kernel_ops_t *ops;
  unsigned n;
  const unsigned *devices;
  void **st;                 /* one per device */
  su_timing_t *tm;
  int *err;
  char (*why)[256];          /* a worker thread's error context, kept for the caller */
} md_state_t;

static void md_teardown(void *state)
{
  md_state_t *s = state;

  if (!s)
    return;
  for (unsigned i = 0; s->st && i < s->n; i++)
    s->ops->teardown(s->st[i]);
  free(s->st);
  free(s->tm);
  free(s->err);
  free(s->why);
  free(s);
}

static int md_setup(const su_params_t *p, void **state, su_work_t *work)
{
  const su__multidev_t *md = p->backend_ctx;
  md_state_t *s = calloc(1, sizeof(*s));
  int err = SU_OK;

  if (!s || !(s->st = calloc(md->n, sizeof(*s->st))) || !(s->tm = calloc(md->n, sizeof(*s->tm))) ||
      !(s->err = calloc(md->n, sizeof(*s->err))) || !(s->why = calloc(md->n, sizeof(*s->why)))) {
    md_teardown(s);
    return su_errorf(SU_ENOMEM, "out of memory for %u devices", md->n);
  }
  s->ops = md->ops;
  s->n = md->n;
  s->devices = md->devices;
  memset(work, 0, sizeof(*work));
  su_work_t *w = calloc(md->n, sizeof(*w));
  if (!w) {
    md_teardown(s);
    return su_errorf(SU_ENOMEM, "out of memory for %u devices", md->n);
  }
  /* Thread i sets device i up; the runner bound thread i next to it. */
#pragma omp parallel for num_threads(md->n) schedule(static, 1)
  for (unsigned i = 0; i < md->n; i++) {
    su_params_t q = *p;
    q.device = md->devices[i];
    q.nthreads = 1;
    q.backend_ctx = md->backend_ctx;
    s->err[i] = md->ops->setup(&q, &s->st[i], &w[i]);
    if (s->err[i]) {
      snprintf(s->why[i], sizeof(s->why[i]), "%s", su_errmsg());
      s->st[i] = NULL;
    }
  }
  for (unsigned i = 0; i < md->n && !err; i++)
    if (s->err[i])
      err = su_errorf(s->err[i], "device %u: %s", md->devices[i], s->why[i]);
  for (unsigned i = 0; i < md->n && !err; i++) {
    work->flops += w[i].flops;
    work->bytes += w[i].bytes;
    work->items += w[i].items;
    work->size_bytes += w[i].size_bytes;
    snprintf(work->variant, sizeof(work->variant), "%s", w[i].variant);
  }
  free(w);
  if (err) {
    md_teardown(s);
    return err;
  }
  *state = s;
  return SU_OK;
}

static int md_run(void *state, uint64_t inner, su_timing_t *t)
{
  md_state_t *s = state;

  /* Thread i drives device i; the runner bound thread i next to it. */
#pragma omp parallel for num_threads(s->n) schedule(static, 1)
  for (unsigned i = 0; i < s->n; i++) {
    s->tm[i].device_ns = 0;
    s->err[i] = s->ops->run(s->st[i], inner, &s->tm[i]);
    if (s->err[i])
      snprintf(s->why[i], sizeof(s->why[i]), "%s", su_errmsg());
  }
  for (unsigned i = 0; i < s->n; i++)
    if (s->err[i])
      return su_errorf(s->err[i], "device %u: %s", s->devices[i], s->why[i]);
  if (t)
    t->device_ns = 0; /* the runner's host clock */
  return SU_OK;
}

static int md_verify(void *state, su_verify_t *v)
{
  md_state_t *s = state;
  su_verify_t worst = {0, 0};

  for (unsigned i = 0; i < s->n; i++) {
    su_verify_t one = {0, 0};
    int err = s->ops->verify(s->st[i], &one);
    if (one.max_rel_err >= worst.max_rel_err)
      worst = one;
    if (err) {
      char why[256];
      snprintf(why, sizeof(why), "%s", su_errmsg());
      *v = worst;
      return su_errorf(err, "device %u: %s", s->devices[i], why);
    }
  }
  *v = worst;
  return SU_OK;
}

static void md_corrupt(void *state)
{
  md_state_t *s = state;

  if (s->ops->corrupt)
    s->ops->corrupt(s->st[s->n - 1]);
}

void su__multidev_ops(const su_kernel_ops_t *per_device, su_kernel_ops_t *out)
{
  memset(out, 0, sizeof(*out));
  out->desc = per_device->desc;
  out->precisions = per_device->precisions;
  out->variants = per_device->variants;
  out->size_rule = per_device->size_rule;
  out->default_size_bytes = per_device->default_size_bytes;
  out->setup = md_setup;
  out->run = md_run;
  out->verify = md_verify;
  out->teardown = md_teardown;
  out->corrupt = per_device->corrupt ? md_corrupt : NULL;
}
