/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * opencl_common.c: the parts every OpenCL kernel family shares: teardown of
 * a kernel and its buffers, the split of a requested working set over the
 * arrays a kernel touches, and the event-timed repetition loop (enqueue,
 * watchdog wait, sum of the profiling intervals).
 *
 * The loop is written once so that every family times the same way: a
 * repetition's time is its own event's END - START (or END - QUEUED), and the
 * watchdog deadline follows the last repetition's time (su__cl_deadline_ns).
 */
#include "opencl/opencl.h"
#include "sizeup/error.h"

void su__cl_release(su_cl_device_t *d, cl_kernel k, const cl_mem *mems, unsigned nmem)
{
  /* the queue drains first: a buffer must not be released under a command
   * that still uses it; a lost device is not waited for (clFinish has no
   * timeout), its buffers are left to the runtime */
  if (d && su__cl_still_lost(d))
    return;
  if (d && d->queue)
    clFinish(d->queue);
  if (k)
    clReleaseKernel(k);
  for (unsigned i = 0; i < nmem; i++)
    if (mems[i])
      clReleaseMemObject(mems[i]);
}

uint64_t su__cl_array_bytes(const su_cl_device_t *d, uint64_t req_bytes, unsigned narrays)
{
  uint64_t per = req_bytes / narrays;

  if (per > d->max_alloc_bytes)
    per = d->max_alloc_bytes;
  /* 10% of the global memory stays free for the runtime and the program */
  if (per * narrays > d->global_mem_bytes / 10 * 9)
    per = d->global_mem_bytes / 10 * 9 / narrays;
  return per;
}

int su__cl_run_timed(su_cl_device_t *d, su__cl_enqueue_fn enqueue, void *state, uint64_t inner,
                     unsigned batch, su_cl_clock_t clock, uint64_t *last_rep_ns, su_timing_t *t)
{
  cl_event evs[SU_CL_MAX_BATCH];
  unsigned nev = 0;
  uint64_t total_ns = 0, done = 0;
  int err = SU_OK;

  if (batch < 1 || batch > SU_CL_MAX_BATCH)
    return su_errorf(SU_EINVAL, "batch of %u events is outside 1..%d", batch, SU_CL_MAX_BATCH);
  while (done < inner) {
    unsigned n = inner - done < batch ? (unsigned)(inner - done) : batch;

    for (nev = 0; nev < n; nev++) {
      err = enqueue(state, &evs[nev]);
      if (err)
        goto out;
      /* one command at a time: submit it now, so that QUEUED -> START is
       * the dispatch and not the time until the wait flushes */
      if (batch == 1)
        clFlush(d->queue);
    }
    /* the queue is in order: the last event completing means all have */
    err = su__cl_wait(evs[nev - 1], su__cl_deadline_ns(*last_rep_ns * n));
    if (err == SU_ETIMEOUT)
      su__cl_mark_lost(d, evs[nev - 1]);
    if (!err && clock == SU_CL_SPAN) {
      cl_ulong t0 = 0, t1 = 0;

      SU_CL(clGetEventProfilingInfo(evs[0], CL_PROFILING_COMMAND_START, sizeof(t0), &t0, NULL));
      SU_CL(clGetEventProfilingInfo(evs[nev - 1], CL_PROFILING_COMMAND_END, sizeof(t1), &t1,
                                    NULL));
      total_ns += t1 > t0 ? (uint64_t)(t1 - t0) : 0;
      *last_rep_ns = t1 > t0 ? (uint64_t)(t1 - t0) / nev : 0;
    }
    for (unsigned i = 0; !err && clock != SU_CL_SPAN && i < nev; i++) {
      uint64_t ns;

      err = su__cl_event_ns(evs[i], clock == SU_CL_DISPATCH, &ns);
      if (!err) {
        total_ns += ns;
        *last_rep_ns = ns;
      }
    }
    for (unsigned i = 0; i < nev; i++)
      clReleaseEvent(evs[i]);
    nev = 0;
    if (err)
      goto out;
    done += n;
  }
  if (t)
    t->device_ns = total_ns;
out:
  for (unsigned i = 0; i < nev; i++)
    clReleaseEvent(evs[i]);
  return err;
}

void su__cl_mark_lost(su_cl_device_t *d, cl_event ev)
{
  if (d->hung)
    clReleaseEvent(d->hung);
  d->hung = ev && clRetainEvent(ev) == CL_SUCCESS ? ev : NULL;
  d->lost = 1;
}

int su__cl_still_lost(su_cl_device_t *d)
{
  if (!d->lost || d->lost == 2)
    return d->lost != 0;
  /* A slow command (a big GEMM on a CPU device) ends by itself: give it
   * one more grace period, once; one that does not end then is hung, and
   * the device stays lost without any further wait. */
  if (d->hung && su__cl_wait(d->hung, SU_CL_GRACE_NS) == SU_ETIMEOUT) {
    d->lost = 2;
    return 1;
  }
  su_errclear();
  if (d->hung)
    clReleaseEvent(d->hung);
  d->hung = NULL;
  d->lost = 0;
  return 0;
}

size_t su__cl_local_size(const su_cl_device_t *d, cl_kernel k, size_t cap, size_t global)
{
  size_t kwg = 0, l = 1;

  if (d->is_cpu)
    return 0;
  if (clGetKernelWorkGroupInfo(k, d->id, CL_KERNEL_WORK_GROUP_SIZE, sizeof(kwg), &kwg, NULL) !=
      CL_SUCCESS || kwg == 0)
    kwg = d->max_wg_size ? d->max_wg_size : 1;
  while (l * 2 <= cap && l * 2 <= kwg && (global == 0 || global % (l * 2) == 0))
    l *= 2;
  return l;
}

/* One NDRange launch, the command su__cl_run_kernel repeats. */
typedef struct kernel_launch {
  cl_command_queue queue;
  cl_kernel k;
  cl_uint dim;
  const size_t *gsz, *lsz;
} kernel_launch_t;

static int enqueue_kernel(void *state, cl_event *ev)
{
  const kernel_launch_t *l = state;
  int err = SU_OK;

  SU_CL(clEnqueueNDRangeKernel(l->queue, l->k, l->dim, NULL, l->gsz, l->lsz, 0, NULL, ev));
out:
  return err;
}

int su__cl_run_kernel(su_cl_device_t *d, cl_kernel k, cl_uint dim, const size_t *gsz,
                      const size_t *lsz, uint64_t inner, unsigned batch, su_cl_clock_t clock,
                      uint64_t *last_rep_ns, su_timing_t *t)
{
  kernel_launch_t l = {d->queue, k, dim, gsz, lsz};

  return su__cl_run_timed(d, enqueue_kernel, &l, inner, batch, clock, last_rep_ns, t);
}
