/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cpu_backend.c: the CPU (OpenMP) backend descriptor, its kernel table and
 * the helpers its kernels share (allocation, ISA detection).
 */
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "sizeup/error.h"
#include "sizeup/topo.h"

static const su_kernel_ops_t *const su_cpu_kernels[] = {
  &su_cpu_stream_copy_ops,
  &su_cpu_stream_scale_ops,
  &su_cpu_stream_add_ops,
  &su_cpu_stream_triad_ops,
  &su_cpu_stream_dot_ops,
  &su_cpu_stream_read_ops,
  &su_cpu_fma_peak_ops,
  &su_cpu_latency_chase_ops,
  &su_cpu_gemm_ops,
  &su_cpu_stencil_7pt_ops,
  NULL
};

/* Test hook: make the Nth allocation from now fail (0 = never). */
static unsigned long su__alloc_fail_countdown;

void su_test_alloc_fail_after(unsigned long n)
{
  su__alloc_fail_countdown = n;
}

void *su__cpu_alloc(size_t bytes)
{
  void *p = NULL;
  size_t align = bytes >= (4u << 20) ? (2u << 20) : 4096;

  if (su__alloc_fail_countdown && --su__alloc_fail_countdown == 0)
    return NULL;
  if (bytes == 0)
    bytes = 1;
  bytes = (bytes + align - 1) / align * align;
  if (posix_memalign(&p, align, bytes) != 0)
    return NULL;
  return p;
}

void su__cpu_free(void *p)
{
  free(p);
}

void su__cpu_isa(su_cpu_isa_t *out)
{
  memset(out, 0, sizeof(*out));
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  out->sse2 = __builtin_cpu_supports("sse2");
  out->avx = __builtin_cpu_supports("avx");
  out->avx2 = __builtin_cpu_supports("avx2");
  out->fma = __builtin_cpu_supports("fma");
  out->avx512f = __builtin_cpu_supports("avx512f");
#endif
}

static int cpu_init(void **ctx)
{
  *ctx = NULL;
  return SU_OK;
}

static void cpu_fini(void *ctx)
{
  (void)ctx;
}

static int cpu_device_count(void *ctx, unsigned *n)
{
  *n = 1;
  return SU_OK;
}

static int cpu_device_info(void *ctx, unsigned dev, su_device_info_t *out)
{
  su_topo_t *t = NULL;
  su_topo_summary_t s;
  int err;

  if (dev != 0)
    return su_errorf(SU_EINVAL, "cpu backend has one device, not %u", dev);
  err = su_topo_load(NULL, &t);
  if (err)
    return err;
  err = su_topo_summarize(t, &s);
  su_topo_destroy(t);
  if (err)
    return err;
  memset(out, 0, sizeof(*out));
  snprintf(out->name, sizeof(out->name), "%s", s.cpu_model[0] ? s.cpu_model : "cpu");
  snprintf(out->vendor, sizeof(out->vendor), "%s", s.cpu_vendor);
  snprintf(out->json, sizeof(out->json), "{}");
  snprintf(out->type, sizeof(out->type), "cpu");
  return SU_OK;
}

const su_backend_t su_backend_cpu = {
  .abi = SU_BACKEND_ABI,
  .name = "cpu",
  .priority = 10,
  .init = cpu_init,
  .fini = cpu_fini,
  .device_count = cpu_device_count,
  .device_info = cpu_device_info,
  .kernels = su_cpu_kernels,
  .timer = SU_TIMER_HOST_MONOTONIC,
  .flags = SU_BACKEND_HOST_THREADS,
};
