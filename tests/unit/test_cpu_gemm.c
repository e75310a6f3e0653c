/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_cpu_gemm.c: the CPU DGEMM kernel (src/cpu/gemm.c).
 *
 * The blocked variant (and each forced micro-kernel this CPU has) at n = 256
 * and 512 on 1 and 2 threads: setup, run, verify, the work counts against
 * the shared work model; corrupt() must make verify fail; the cblas variant
 * works exactly when the build has CBLAS; sizes that are not a multiple of
 * the block are rounded down, too-small ones refused; bad precisions,
 * variants and thread counts refused; injected allocation failures return
 * SU_ENOMEM.  Last, it prints the GFLOP/s at n = 1024 on one thread for a
 * human to judge (never asserted: timings are noisy).
 */
#include <stdint.h>

#include "cpu/cpu.h"
#include "sizeup/config.h"
#include "sizeup/error.h"
#include "test.h"
#include "test_kernel.h"


static const su_kernel_ops_t *const ops = &su_cpu_gemm_ops;

static uint64_t size_of_n(uint64_t n)
{
  return 3 * n * n * sizeof(double);
}

/* The work model for matrix order n. */
static void check_work(const su_work_t *w, uint64_t n, const char *variant)
{
  CHECK(w->flops == 2.0 * (double)n * (double)n * (double)n);
  CHECK(w->bytes == 3.0 * (double)n * (double)n * 8.0);
  CHECK_EQ_INT(w->size_bytes, size_of_n(n));
  CHECK_EQ_STR(w->variant, variant);
}

/*
 * One configuration end to end at matrix order n (the size asked for is
 * `size`, which may round down to n).  Returns 0 when the variant is not
 * supported here (a forced ISA the CPU lacks).
 */
static int run_one(const char *variant, uint64_t size, uint64_t n, unsigned nthreads)
{
  su_params_t p = su_test_params(SU_PREC_FP64, variant, size, nthreads);
  su_work_t w;
  su_verify_t v;
  void *st = NULL;
  int err = ops->setup(&p, &st, &w);

  if (err == SU_ENOTSUP && strncmp(variant, "blocked_", 8) == 0) {
    CHECK(st == NULL);
    return 0;
  }
  CHECK_EQ_INT(err, SU_OK);
  if (err) {
    fprintf(stderr, "  gemm %s n=%llu x%u: %s\n", variant, (unsigned long long)n,
            nthreads, su_errmsg());
    return 1;
  }
  check_work(&w, n, variant);
  /* No repetition yet: C is still C0, which is what verify expects. */
  CHECK_EQ_INT(ops->verify(st, &v), SU_OK);
  CHECK_EQ_INT(ops->run(st, 1, &(su_timing_t){.device_ns = 7}), SU_OK);
  CHECK_EQ_INT(ops->run(st, 2, NULL), SU_OK);
  err = ops->verify(st, &v);
  CHECK_EQ_INT(err, SU_OK);
  if (err)
    fprintf(stderr, "  gemm %s n=%llu x%u: %s\n", variant, (unsigned long long)n,
            nthreads, su_errmsg());
  CHECK(v.max_rel_err <= v.tol);
  CHECK(v.tol >= ops->desc->verify_rel_tol * ldexp(1.0, -52));
  /* The typical error is ~sqrt(n) eps of the magnitudes, far below the bound. */
  CHECK(v.max_rel_err < 1e-13);
  SU_TEST_CHECK_CORRUPT(ops, st, v, "gemm");
  ops->teardown(st);
  return 1;
}

static void test_blocked(void)
{
  static const char *const variants[] = {"blocked", "blocked_avx512", "blocked_avx2",
                                         "blocked_generic"};
  unsigned ran = 0;

  CHECK(ops->precisions == SU_PREC_FP64);
  CHECK(ops->size_rule == SU_SIZE_FIXED);
  CHECK_EQ_INT(ops->default_size_bytes, size_of_n(1024));
  CHECK_EQ_STR(ops->variants, SU_HAVE_CBLAS ? "blocked,cblas" : "blocked");
  for (unsigned th = 1; th <= 2; th++) {
    ran += (unsigned)run_one("blocked", size_of_n(256), 256, th);
    ran += (unsigned)run_one("blocked", size_of_n(512), 512, th);
    for (size_t vi = 1; vi < sizeof(variants) / sizeof(variants[0]); vi++)
      ran += (unsigned)run_one(variants[vi], size_of_n(256), 256, th);
  }
  /* "blocked" and "blocked_generic" run everywhere. */
  CHECK(ran >= 2 * 3);
}

/* Sizes that are not 3 n^2 doubles with n a multiple of 16 round down. */
static void test_rounding(void)
{
  su_params_t p;
  su_work_t w;
  void *st = (void *)&w;

  run_one("blocked", size_of_n(300), 288, 2);          /* 300 -> 288 */
  run_one("blocked", size_of_n(112) - 1, 96, 1);       /* just below 112 -> 96 */
  run_one("blocked", size_of_n(16), 16, 2);            /* the smallest */
  run_one("blocked", size_of_n(200), 192, 3);          /* odd thread count */
  run_one("blocked_generic", size_of_n(40), 32, 5);    /* more threads than blocks */
  /* Below 3 x 16 x 16 doubles: refused, and says how much is needed. */
  p = su_test_params(SU_PREC_FP64, "blocked", size_of_n(16) - 1, 1);
  CHECK_EQ_INT(ops->setup(&p, &st, &w), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "6144") != NULL);
  p = su_test_params(SU_PREC_FP64, "blocked", 0, 1);
  CHECK_EQ_INT(ops->setup(&p, &st, &w), SU_EINVAL);
  CHECK(st == (void *)&w);
}

static void test_cblas(void)
{
  su_params_t p = su_test_params(SU_PREC_FP64, "cblas", size_of_n(256), 1);
  su_work_t w;
  void *st = NULL;
  int err = ops->setup(&p, &st, &w);

  if (!SU_HAVE_CBLAS) {
    CHECK_EQ_INT(err, SU_ENOTSUP);
    CHECK(strstr(su_errmsg(), "built without CBLAS") != NULL);
    CHECK(st == NULL);
    return;
  }
  CHECK_EQ_INT(err, SU_OK);
  ops->teardown(st);
  run_one("cblas", size_of_n(256), 256, 1);
  run_one("cblas", size_of_n(320), 320, 2);
}

static void test_refusals(void)
{
  su_work_t w;
  void *st = (void *)&w; /* must stay untouched on failure */
  su_params_t p;

  p = su_test_params(SU_PREC_FP32, "blocked", size_of_n(64), 1);
  CHECK_EQ_INT(ops->setup(&p, &st, &w), SU_ENOTSUP);
  CHECK(strstr(su_errmsg(), "'fp32'") != NULL);
  p = su_test_params(SU_PREC_FP64, "naive", size_of_n(64), 1);
  CHECK_EQ_INT(ops->setup(&p, &st, &w), SU_ENOTSUP);
  CHECK(strstr(su_errmsg(), "'naive'") != NULL);
  p = su_test_params(SU_PREC_FP64, "blocked", size_of_n(64), 0);
  CHECK_EQ_INT(ops->setup(&p, &st, &w), SU_EINVAL);
  CHECK(st == (void *)&w);
  /* NULL variant is the default, "blocked". */
  p = su_test_params(SU_PREC_FP64, NULL, size_of_n(64), 1);
  st = NULL;
  CHECK_EQ_INT(ops->setup(&p, &st, &w), SU_OK);
  CHECK_EQ_STR(w.variant, "blocked");
  CHECK_EQ_INT(ops->run(st, 0, NULL), SU_EINVAL);
  ops->teardown(st);
  ops->teardown(NULL);
}

/* Every allocation in turn fails: SU_ENOMEM, nothing returned. */
static void test_alloc_failure(void)
{
  su_params_t p = su_test_params(SU_PREC_FP64, "blocked", size_of_n(128), 2);

  /* A, B, C and the two packing buffers. */
  CHECK_EQ_INT(su_test_alloc_failures(ops, &p, 6), 5);
}

/* Printed, not asserted: n = 1024, one thread, best of 5 reps. */
static void test_print_gflops(void)
{
  static const char *const variants[] = {"blocked", "cblas"};

  for (size_t vi = 0; vi < 2; vi++) {
    su_params_t p = su_test_params(SU_PREC_FP64, variants[vi], ops->default_size_bytes, 1);
    su_work_t w;
    su_verify_t v;
    void *st = NULL;
    uint64_t best;

    if (ops->setup(&p, &st, &w) != SU_OK)
      continue;
    best = su_test_best_rep_ns(ops, st, 5);
    CHECK_EQ_INT(ops->verify(st, &v), SU_OK);
    printf("info: gemm %s, n = 1024, 1 thread: %.1f GFLOP/s (max rel err %.2g)\n",
           variants[vi], w.flops / (double)best, v.max_rel_err);
    ops->teardown(st);
  }
}

int main(void)
{
  SU_TEST_RUN(test_blocked);
  SU_TEST_RUN(test_rounding);
  SU_TEST_RUN(test_cblas);
  SU_TEST_RUN(test_refusals);
  SU_TEST_RUN(test_alloc_failure);
  SU_TEST_RUN(test_print_gflops);
  return SU_TEST_REPORT();
}
