/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_cpu_stencil.c: the CPU 7-point stencil (src/cpu/stencil.c).
 *
 * FP64 and FP32 on grids of 64 to 128 points per side at 1 and 2 threads:
 * setup, run, verify; the work counts against the shared work model;
 * corrupt() must make verify fail and the output must start away from the
 * answer; sizes round down to a cube and too-small ones are refused, as
 * are bad precisions, variants and thread counts; injected allocation
 * failures return SU_ENOMEM.  Last, it prints the GFLOP/s and GB/s of one
 * thread on a 128^3 grid (never asserted: timings are noisy).
 */
#include <stdint.h>

#include "cpu/cpu.h"
#include "sizeup/error.h"
#include "test.h"
#include "test_kernel.h"


static const su_kernel_ops_t *const ops = &su_cpu_stencil_7pt_ops;

static uint64_t size_of_n(uint64_t n, size_t elem)
{
  return 2 * n * n * n * elem;
}

/* One configuration end to end on an n^3 grid asked for with `size` bytes. */
static void run_one(su_precision_t prec, uint64_t size, uint64_t n, unsigned nthreads)
{
  su_params_t p = su_test_params(prec, "omp", size, nthreads);
  size_t elem = su_precision_size(prec);
  double interior = (double)(n - 2) * (double)(n - 2) * (double)(n - 2);
  su_work_t w;
  su_verify_t v;
  void *st = NULL;
  int err = ops->setup(&p, &st, &w);

  CHECK_EQ_INT(err, SU_OK);
  if (err) {
    fprintf(stderr, "  stencil %s n=%llu x%u: %s\n", su_precision_name(prec),
            (unsigned long long)n, nthreads, su_errmsg());
    return;
  }
  CHECK(w.flops == 8.0 * interior);
  CHECK(w.bytes == 2.0 * interior * (double)elem);
  CHECK(w.items == interior);
  CHECK_EQ_INT(w.size_bytes, size_of_n(n, elem));
  CHECK(w.size_bytes <= size);
  CHECK_EQ_STR(w.variant, "omp");
  /* Nothing has run: the interior of out is 0, not the answer. */
  CHECK_EQ_INT(ops->verify(st, &v), SU_EVERIFY);
  CHECK_EQ_INT(ops->run(st, 3, &(su_timing_t){.device_ns = 7}), SU_OK);
  err = ops->verify(st, &v);
  CHECK_EQ_INT(err, SU_OK);
  if (err)
    fprintf(stderr, "  stencil %s n=%llu x%u: %s\n", su_precision_name(prec),
            (unsigned long long)n, nthreads, su_errmsg());
  CHECK(v.max_rel_err <= v.tol);
  CHECK(v.tol == ops->desc->verify_rel_tol * ldexp(1.0, prec == SU_PREC_FP64 ? -52 : -23));
  SU_TEST_CHECK_CORRUPT(ops, st, v, "stencil_7pt");
  /* A fresh sweep repairs the damage. */
  CHECK_EQ_INT(ops->run(st, 1, NULL), SU_OK);
  CHECK_EQ_INT(ops->verify(st, &v), SU_OK);
  ops->teardown(st);
}

static void test_configs(void)
{
  static const uint64_t ns[] = {64, 97, 128};

  CHECK(ops->precisions == (SU_PREC_FP64 | SU_PREC_FP32));
  CHECK(ops->size_rule == SU_SIZE_4X_LLC);
  CHECK_EQ_STR(ops->variants, "omp");
  for (unsigned th = 1; th <= 2; th++)
    for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
      run_one(SU_PREC_FP64, size_of_n(ns[i], 8), ns[i], th);
      run_one(SU_PREC_FP32, size_of_n(ns[i], 4), ns[i], th);
    }
}

/* Sizes round down to a whole cube; tiny grids and many threads work. */
static void test_sizes(void)
{
  su_work_t w;
  void *st = (void *)&w;
  su_params_t p;

  run_one(SU_PREC_FP64, size_of_n(80, 8) - 1, 79, 2);
  run_one(SU_PREC_FP32, size_of_n(80, 4) + 1000, 80, 1);
  run_one(SU_PREC_FP64, size_of_n(4, 8), 4, 1);    /* the smallest: 8 interior points */
  run_one(SU_PREC_FP64, size_of_n(6, 8), 6, 3);    /* 16 rows for 3 threads */
  run_one(SU_PREC_FP32, size_of_n(5, 4), 5, 16);   /* more threads than rows */
  p = su_test_params(SU_PREC_FP64, "omp", size_of_n(4, 8) - 1, 1);
  CHECK_EQ_INT(ops->setup(&p, &st, &w), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "1024") != NULL);
  p = su_test_params(SU_PREC_FP64, "omp", 0, 1);
  CHECK_EQ_INT(ops->setup(&p, &st, &w), SU_EINVAL);
  CHECK(st == (void *)&w);
}

static void test_refusals(void)
{
  su_work_t w;
  void *st = (void *)&w; /* must stay untouched on failure */
  su_params_t p;

  p = su_test_params(SU_PREC_FP16, "omp", size_of_n(32, 8), 1);
  CHECK_EQ_INT(ops->setup(&p, &st, &w), SU_ENOTSUP);
  p = su_test_params(SU_PREC_NONE, "omp", size_of_n(32, 8), 1);
  CHECK_EQ_INT(ops->setup(&p, &st, &w), SU_ENOTSUP);
  p = su_test_params(SU_PREC_FP64, "tiled", size_of_n(32, 8), 1);
  CHECK_EQ_INT(ops->setup(&p, &st, &w), SU_ENOTSUP);
  CHECK(strstr(su_errmsg(), "'tiled'") != NULL);
  p = su_test_params(SU_PREC_FP64, "omp", size_of_n(32, 8), 0);
  CHECK_EQ_INT(ops->setup(&p, &st, &w), SU_EINVAL);
  CHECK(st == (void *)&w);
  /* NULL variant is "omp". */
  p = su_test_params(SU_PREC_FP64, NULL, size_of_n(32, 8), 1);
  st = NULL;
  CHECK_EQ_INT(ops->setup(&p, &st, &w), SU_OK);
  CHECK_EQ_STR(w.variant, "omp");
  CHECK_EQ_INT(ops->run(st, 0, NULL), SU_EINVAL);
  ops->teardown(st);
  ops->teardown(NULL);
}

static void test_alloc_failure(void)
{
  su_params_t p = su_test_params(SU_PREC_FP32, "omp", size_of_n(32, 4), 2);

  CHECK_EQ_INT(su_test_alloc_failures(ops, &p, 4), 2);
}

/* Printed, not asserted: 128^3 FP64 (32 MiB), one thread, best of 5. */
static void test_print_rate(void)
{
  su_params_t p = su_test_params(SU_PREC_FP64, "omp", size_of_n(128, 8), 1);
  su_work_t w;
  su_verify_t v;
  void *st = NULL;
  uint64_t best;

  if (ops->setup(&p, &st, &w) != SU_OK)
    return;
  best = su_test_best_rep_ns(ops, st, 5);
  CHECK_EQ_INT(ops->verify(st, &v), SU_OK);
  printf("info: stencil_7pt fp64 128^3, 1 thread: %.2f GFLOP/s, %.1f GB/s\n",
         w.flops / (double)best, w.bytes / (double)best);
  ops->teardown(st);
}

int main(void)
{
  SU_TEST_RUN(test_configs);
  SU_TEST_RUN(test_sizes);
  SU_TEST_RUN(test_refusals);
  SU_TEST_RUN(test_alloc_failure);
  SU_TEST_RUN(test_print_rate);
  return SU_TEST_REPORT();
}
