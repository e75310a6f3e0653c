/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_opencl.c: the OpenCL backend, driven through its ops as the runner
 * drives them (setup, run, verify, teardown) on device 0 with small sizes.
 *
 * Checks: no platform -> SU_ENOTSUP (in a child process, with the ICD
 * loader pointed at an empty vendors directory, before this process loads
 * any OpenCL driver); device enumeration and facts; every kernel x
 * precision with its default variant runs, verifies, reports the work of
 * the shared work model and (where events are used) device time; a
 * corrupted output fails verification; fp64 on a device without it is
 * SU_ENOTSUP; a broken program is SU_EBACKEND with the build log; the
 * watchdog times out on a command that never completes.  Skips (77) when
 * no OpenCL device is present.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "opencl/opencl.h"
#include "sizeup/backend.h"
#include "sizeup/error.h"
#include "test.h"

extern const su_backend_t su_backend_opencl;

static void *ctx;

/* Runs in a child: with no vendors registered, init must say so. */
static int child_no_platform(void)
{
  char dir[] = "/tmp/sizeup-ocl-empty-XXXXXX";
  void *c = NULL;
  int err;

  if (!mkdtemp(dir))
    return 2;
  setenv("OCL_ICD_VENDORS", dir, 1);
  setenv("OPENCL_VENDOR_PATH", dir, 1);
  err = su_backend_opencl.init(&c);
  rmdir(dir);
  if (err != SU_ENOTSUP) {
    fprintf(stderr, "init without platform returned %d (%s)\n", err, su_errmsg());
    return 1;
  }
  if (!strstr(su_errmsg(), "no OpenCL platform found")) {
    fprintf(stderr, "unexpected context '%s'\n", su_errmsg());
    return 1;
  }
  return 0;
}

static void test_no_platform(void)
{
  pid_t pid;
  int status = 0;

  fflush(NULL);
  pid = fork();
  CHECK(pid >= 0);
  if (pid == 0)
    _exit(child_no_platform());
  CHECK(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK_EQ_INT(WEXITSTATUS(status), 0);
}

static void test_enumerate(void)
{
  unsigned n = 0;
  su_device_info_t info;

  CHECK_EQ_INT(su_backend_opencl.device_count(ctx, &n), SU_OK);
  CHECK(n >= 1);
  for (unsigned d = 0; d < n; d++) {
    CHECK_EQ_INT(su_backend_opencl.device_info(ctx, d, &info), SU_OK);
    CHECK(strchr(info.id, ':') != NULL);
    CHECK(info.name[0] != '\0');
    CHECK(info.json[0] == '{' && info.json[strlen(info.json) - 1] == '}');
    CHECK(strstr(info.json, "\"compute_units\": ") != NULL);
    CHECK(strstr(info.json, "\"fp64\": ") != NULL);
    CHECK(strstr(info.json, "\"global_mem_bytes\": ") != NULL);
    printf("  device %s: %s\n  %s\n", info.id, info.name, info.json);
  }
  CHECK_EQ_STR(su_backend_opencl.name, "opencl");
  CHECK_EQ_INT(su_backend_opencl.timer, SU_TIMER_DEVICE_EVENTS);
  CHECK_EQ_INT(su_backend_opencl.device_info(ctx, n, &info), SU_EINVAL);
}

/* The first name of a comma list, into buf. */
static const char *first_variant(const char *list, char *buf, size_t len)
{
  size_t k = strcspn(list, ",");

  snprintf(buf, len, "%.*s", (int)(k < len ? k : len - 1), list);
  return buf;
}

/* Checks work against the shared work model for one kernel. */
static void check_work(const su_kernel_ops_t *ops, su_precision_t prec, const su_work_t *w)
{
  const su_kernel_desc_t *d = ops->desc;
  double es = (double)su_precision_size(prec);

  if (strcmp(d->family, "stream") == 0) {
    double n = (double)w->size_bytes / (d->nstreams * es);

    CHECK(n >= 1);
    CHECK_NEAR(w->bytes, (d->bytes_read_per_elem + d->bytes_written_per_elem) * n * es, 0.5);
    CHECK_NEAR(w->flops, d->flops_per_elem * n, 0.5);
  } else if (strcmp(d->name, "gemm") == 0) {
    double n = sqrt((double)w->size_bytes / (3 * es));

    CHECK_NEAR(n, floor(n), 1e-9);
    CHECK_NEAR(w->flops, 2 * n * n * n, 0.5);
    CHECK_NEAR(w->bytes, 3 * n * n * es, 0.5);
  } else if (strcmp(d->name, "fma_peak") == 0) {
    unsigned vec = (unsigned)atoi(w->variant + 1);

    /* 8 chains x VEC lanes x 1024 iterations (64 for fp16) per work-item */
    CHECK(w->items > 0);
    CHECK_NEAR(w->flops, d->flops_per_elem * 8 * vec * (prec == SU_PREC_FP16 ? 64 : 1024) *
                             w->items, 0.5);
  } else if (strcmp(d->family, "transfer") == 0) {
    CHECK_NEAR(w->bytes, (double)w->size_bytes, 0.5);
    CHECK(w->size_bytes > 0);
  } else {
    CHECK_NEAR(w->items, 1, 0);
  }
}

static void run_one(const su_kernel_ops_t *ops, su_precision_t prec, const char *variant,
                    uint64_t size)
{
  su_params_t p = {.prec = prec, .variant = variant, .size_bytes = size, .nthreads = 1,
                   .device = 0, .backend_ctx = ctx};
  su_work_t w;
  su_timing_t t = {0};
  su_verify_t v = {0};
  void *st = NULL;
  int err, events;

  memset(&w, 0, sizeof(w));
  err = ops->setup(&p, &st, &w);
  if (err == SU_ENOTSUP) {
    printf("  %s %s %s: unsupported (%s)\n", ops->desc->name, su_precision_name(prec), variant,
           su_errmsg());
    return;
  }
  CHECK_EQ_INT(err, SU_OK);
  if (err) {
    fprintf(stderr, "  setup %s %s %s: %s\n", ops->desc->name, su_precision_name(prec), variant,
            su_errmsg());
    return;
  }
  check_work(ops, prec, &w);
  CHECK_EQ_INT(ops->run(st, 2, &t), SU_OK);
  /* host-timed: the blocking copies, the round trip, CLBlast's calls */
  events = strcmp(variant, "roundtrip") != 0 && strstr(variant, "blocking") == NULL &&
           strcmp(variant, "clblast") != 0;
  if (events)
    CHECK(t.device_ns > 0);
  else
    CHECK_EQ_INT(t.device_ns, 0);
  err = ops->verify(st, &v);
  CHECK_EQ_INT(err, SU_OK);
  if (err)
    fprintf(stderr, "  verify %s %s %s: %s\n", ops->desc->name, su_precision_name(prec), variant,
            su_errmsg());
  CHECK(v.max_rel_err <= v.tol);
  printf("  %s %s %s: size %llu, device %.1f us, err %.3g (tol %.3g)\n", ops->desc->name,
         su_precision_name(prec), w.variant, (unsigned long long)w.size_bytes,
         (double)t.device_ns / 1e3, v.max_rel_err, v.tol);
  CHECK(ops->corrupt != NULL);
  if (ops->corrupt) {
    ops->corrupt(st);
    CHECK_EQ_INT(ops->verify(st, &v), SU_EVERIFY);
    /* a fresh repetition rewrites the output: the check passes again */
    CHECK_EQ_INT(ops->run(st, 1, &t), SU_OK);
    CHECK_EQ_INT(ops->verify(st, &v), SU_OK);
  }
  ops->teardown(st);
}

static void test_kernels(void)
{
  static const su_precision_t precs[] = {SU_PREC_FP32, SU_PREC_FP64, SU_PREC_FP16};
  char var[32];

  for (const su_kernel_ops_t *const *k = su_backend_opencl.kernels; *k; k++) {
    const su_kernel_ops_t *ops = *k;
    uint64_t size = strcmp(ops->desc->name, "gemm") == 0 ? 3ull * 128 * 128 * 8
                    : strcmp(ops->desc->family, "transfer") == 0 ? 1ull << 20 : 3ull << 20;

    CHECK(ops->setup && ops->run && ops->verify && ops->teardown);
    first_variant(ops->variants, var, sizeof(var));
    if (ops->precisions == 0) {
      run_one(ops, SU_PREC_NONE, var, size);
      continue;
    }
    for (unsigned i = 0; i < 3; i++)
      if (ops->precisions & precs[i])
        run_one(ops, precs[i], var, size);
  }
}

/* The variants beyond the defaults that matter most: other host memories,
 * the round trip, a wide vector. */
static void test_variants(void)
{
  run_one(&su_opencl_transfer_h2d_ops, SU_PREC_NONE, "pinned_async", 1u << 20);
  run_one(&su_opencl_transfer_d2h_ops, SU_PREC_NONE, "pinned_async", 1u << 20);
  run_one(&su_opencl_transfer_d2h_ops, SU_PREC_NONE, "pageable_blocking", 1u << 20);
  run_one(&su_opencl_launch_latency_ops, SU_PREC_NONE, "roundtrip", 0);
  run_one(&su_opencl_stream_triad_ops, SU_PREC_FP32, "v4", 3u << 20);
  run_one(&su_opencl_stream_dot_ops, SU_PREC_FP64, "v4", 3u << 20);
  /* the hand GEMM beside CLBlast (the default variant where built with it),
   * both checked against the host's Freivalds reference */
  run_one(&su_opencl_gemm_ops, SU_PREC_FP32, "tiled", 3ull * 128 * 128 * 8);
  run_one(&su_opencl_gemm_ops, SU_PREC_FP64, "tiled", 3ull * 128 * 128 * 8);
  run_one(&su_opencl_gemm_ops, SU_PREC_FP64, "clblast", 3ull * 96 * 96 * 8);
}

static void test_bad_variant(void)
{
  su_params_t p = {.prec = SU_PREC_FP32, .variant = "v3", .size_bytes = 3u << 20,
                   .nthreads = 1, .device = 0, .backend_ctx = ctx};
  su_work_t w;
  void *st = NULL;

  CHECK_EQ_INT(su_opencl_stream_copy_ops.setup(&p, &st, &w), SU_ENOTSUP);
  CHECK(st == NULL);
  p.variant = "fast";
  CHECK_EQ_INT(su_opencl_transfer_h2d_ops.setup(&p, &st, &w), SU_ENOTSUP);
  p.device = 999;
  p.variant = "v1";
  CHECK_EQ_INT(su_opencl_stream_copy_ops.setup(&p, &st, &w), SU_EINVAL);
}

/* fp64 follows the device's extensions; a device without it is ENOTSUP. */
static void test_fp64(void)
{
  su_cl_ctx_t *c = ctx;
  su_cl_device_t *d = &c->devs[0];
  su_params_t p = {.prec = SU_PREC_FP64, .variant = "v1", .size_bytes = 3u << 20,
                   .nthreads = 1, .device = 0, .backend_ctx = ctx};
  char exts[8192] = "";
  su_work_t w;
  void *st = NULL;
  int saved = d->has_fp64;

  clGetDeviceInfo(d->id, CL_DEVICE_EXTENSIONS, sizeof(exts) - 1, exts, NULL);
  if (!strstr(exts, "cl_khr_fp64"))
    CHECK_EQ_INT(su_opencl_stream_triad_ops.setup(&p, &st, &w), SU_ENOTSUP);
  else
    CHECK(d->has_fp64);
  /* the same path on this device, as if it lacked fp64 */
  d->has_fp64 = 0;
  CHECK_EQ_INT(su_opencl_stream_triad_ops.setup(&p, &st, &w), SU_ENOTSUP);
  CHECK(strstr(su_errmsg(), "has no fp64") != NULL);
  CHECK_EQ_INT(su_opencl_fma_peak_ops.setup(&p, &st, &w), SU_ENOTSUP);
  CHECK_EQ_INT(su_opencl_gemm_ops.setup(&p, &st, &w), SU_ENOTSUP);
  d->has_fp64 = saved;
  if (!d->has_fp16) {
    p.prec = SU_PREC_FP16;
    p.variant = "v8";
    CHECK_EQ_INT(su_opencl_fma_peak_ops.setup(&p, &st, &w), SU_ENOTSUP);
    CHECK(strstr(su_errmsg(), "has no fp16") != NULL);
  }
  CHECK(st == NULL);
}

static void test_build_errors(void)
{
  static const char broken[] =
      "__kernel void su_broken_kernel(__global float *x)\n{\n  x[0] = undeclared_name;\n}\n";
  cl_program p1 = NULL, p2 = NULL;

  CHECK_EQ_INT(su__cl_build(ctx, 0, broken, "-DREAL=float", &p1), SU_EBACKEND);
  CHECK(strstr(su_errmsg(), "cannot build OpenCL program") != NULL);
  CHECK(strstr(su_errmsg(), "undeclared_name") != NULL);
  printf("  build error: %s\n", su_errmsg());
  /* the cache returns the same program for the same (device, source, options) */
  CHECK_EQ_INT(su__cl_build(ctx, 0, su__cl_source("launch"), "-DREAL=float -DSU_FP32 ", &p1),
               SU_OK);
  CHECK_EQ_INT(su__cl_build(ctx, 0, su__cl_source("launch"), "-DREAL=float -DSU_FP32 ", &p2),
               SU_OK);
  CHECK(p1 != NULL && p1 == p2);
  CHECK(su__cl_source("stream") && su__cl_source("peak") && su__cl_source("gemm"));
  CHECK(su__cl_source("nonexistent") == NULL);
}

static void test_errors(void)
{
  CHECK_EQ_INT(su__cl_fail(CL_INVALID_VALUE, "clFoo(a, b)"), SU_EBACKEND);
  CHECK(strstr(su_errmsg(), "'clFoo' failed: CL_INVALID_VALUE") != NULL);
  CHECK_EQ_INT(su__cl_fail(CL_MEM_OBJECT_ALLOCATION_FAILURE,
                           "(b = clCreateBuffer(c, f, n, NULL, &st), st)"), SU_ESKIP);
  CHECK(strstr(su_errmsg(), "clCreateBuffer") != NULL);
  CHECK_EQ_INT(su__cl_fail(CL_OUT_OF_RESOURCES, "clEnqueueNDRangeKernel(q, k)"), SU_EBACKEND);
  CHECK_EQ_STR(su__cl_status_name(CL_INVALID_KERNEL_NAME), "CL_INVALID_KERNEL_NAME");
  CHECK_EQ_INT(su__cl_deadline_ns(0), 10000000000ull);
  CHECK_EQ_INT(su__cl_deadline_ns(1000000000ull), 100000000000ull);
}

/* A command that never completes (a user event nobody sets) times out. */
static void test_watchdog(void)
{
  su_cl_device_t *d = NULL;
  cl_event ev;
  cl_int st;

  CHECK_EQ_INT(su__cl_device(ctx, 0, &d), SU_OK);
  ev = clCreateUserEvent(d->context, &st);
  CHECK_EQ_INT(st, CL_SUCCESS);
  CHECK_EQ_INT(su__cl_wait(ev, 50u * 1000 * 1000), SU_ETIMEOUT);
  CHECK(strstr(su_errmsg(), "watchdog") != NULL);
  clSetUserEventStatus(ev, CL_COMPLETE);
  CHECK_EQ_INT(su__cl_wait(ev, 1000u * 1000 * 1000), SU_OK);
  clReleaseEvent(ev);
}

int main(void)
{
  int err;

  /* first, before any OpenCL driver is loaded into this process */
  SU_TEST_RUN(test_no_platform);
  err = su_backend_opencl.init(&ctx);
  if (err == SU_ENOTSUP)
    SU_TEST_SKIP("no OpenCL device");
  CHECK_EQ_INT(err, SU_OK);
  if (err)
    return SU_TEST_REPORT();
  SU_TEST_RUN(test_enumerate);
  SU_TEST_RUN(test_errors);
  SU_TEST_RUN(test_build_errors);
  SU_TEST_RUN(test_watchdog);
  SU_TEST_RUN(test_fp64);
  SU_TEST_RUN(test_bad_variant);
  SU_TEST_RUN(test_kernels);
  SU_TEST_RUN(test_variants);
  su_backend_opencl.fini(ctx);
  return SU_TEST_REPORT();
}
