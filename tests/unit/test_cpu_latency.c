/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_cpu_latency.c: the CPU latency_chase kernel: 4 KiB, 64 KiB and
 * 8 MiB working sets at 1 and 2 threads run, verify and report ns per load
 * (printed, not asserted: the machine is shared; expect ~1 ns in L1 and
 * 100+ ns in DRAM); a moved end pointer fails verification; bad parameters
 * are rejected.
 */
#include <string.h>

#include "cpu/cpu.h"
#include "sizeup/error.h"
#include "sizeup/kernel.h"
#include "sizeup/timer.h"
#include "test.h"
#include "test_kernel.h"

static const su_kernel_ops_t *ops = &su_cpu_latency_chase_ops;

static int setup(uint64_t size_bytes, unsigned nthreads, const char *variant, void **state,
                 su_work_t *work)
{
  su_params_t p = {.prec = SU_PREC_NONE, .variant = variant, .size_bytes = size_bytes,
                   .nthreads = nthreads};

  return ops->setup(&p, state, work);
}

static void test_ops_table(void)
{
  CHECK(ops->desc == &su_desc_latency_chase);
  CHECK_EQ_INT(ops->precisions, 0); /* "none": runs once with SU_PREC_NONE */
  CHECK_EQ_INT(ops->size_rule, SU_SIZE_SWEEP_LAT);
  CHECK_EQ_STR(ops->variants, "random");
  CHECK(ops->corrupt != NULL);
}

static void test_sizes_threads(void)
{
  static const uint64_t sizes[] = {4096, 64 << 10, 8 << 20};
  /* About 2M loads per configuration: ~2 ms in L1, ~0.3 s in DRAM. */
  const double loads_target = 2e6;

  for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
    for (unsigned nt = 1; nt <= 2; nt++) {
      void *st = NULL;
      su_work_t w;
      su_verify_t v;
      uint64_t inner, t0, dt_ns;
      int err = setup(sizes[si], nt, "random", &st, &w);

      CHECK_EQ_INT(err, SU_OK);
      if (err)
        continue;
      CHECK_NEAR(w.items, (double)(sizes[si] / 64), 0.0);
      CHECK_EQ_INT(w.size_bytes, sizes[si]);
      CHECK(w.flops == 0.0);
      CHECK_EQ_STR(w.variant, "random");
      /* Before any run every thread sits at its start. */
      CHECK_EQ_INT(ops->verify(st, &v), SU_OK);
      inner = (uint64_t)(loads_target / w.items);
      if (inner < 1)
        inner = 1;
      CHECK_EQ_INT(ops->run(st, 1, NULL), SU_OK); /* warm the caches */
      t0 = su_time_ns();
      CHECK_EQ_INT(ops->run(st, inner, NULL), SU_OK);
      dt_ns = su_time_ns() - t0;
      err = ops->verify(st, &v);
      CHECK_EQ_INT(err, SU_OK);
      if (err)
        printf("  %s\n", su_errmsg());
      CHECK(v.max_rel_err <= v.tol);
      printf("  %8llu bytes, %u thread(s): %.2f ns per load\n",
             (unsigned long long)sizes[si], nt,
             (double)dt_ns / ((double)inner * w.items));
      ops->corrupt(st);
      CHECK_EQ_INT(ops->verify(st, &v), SU_EVERIFY);
      CHECK(strstr(su_errmsg(), "latency_chase") != NULL);
      ops->teardown(st);
    }
  }
}

/* A size that is not a whole number of lines is rounded down to lines. */
static void test_rounding(void)
{
  void *st = NULL;
  su_work_t w;
  su_verify_t v;

  CHECK_EQ_INT(setup(4096 + 100, 1, NULL, &st, &w), SU_OK);
  CHECK_EQ_INT(w.size_bytes, 4096 + 64);
  CHECK_NEAR(w.items, 65.0, 0.0);
  CHECK_EQ_INT(ops->run(st, 7, NULL), SU_OK);
  CHECK_EQ_INT(ops->verify(st, &v), SU_OK);
  ops->teardown(st);
}

static void test_bad_params(void)
{
  void *st = NULL;
  su_work_t w;
  su_params_t p = {.prec = SU_PREC_FP64, .size_bytes = 4096, .nthreads = 1};

  CHECK_EQ_INT(ops->setup(&p, &st, &w), SU_ENOTSUP);
  CHECK_EQ_INT(setup(64, 1, NULL, &st, &w), SU_EINVAL);
  CHECK_EQ_INT(setup(0, 1, NULL, &st, &w), SU_EINVAL);
  CHECK_EQ_INT(setup(4096, 0, NULL, &st, &w), SU_EINVAL);
  CHECK_EQ_INT(setup(4096, 1, "sequential", &st, &w), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "'sequential'") != NULL);
  CHECK(st == NULL);
  ops->teardown(NULL);
}

static void test_alloc_failure(void)
{
  su_params_t p = su_test_params(SU_PREC_NONE, NULL, 4096, 2);

  /* The first and the second chain allocation fail in turn. */
  CHECK_EQ_INT(su_test_alloc_failures(ops, &p, 2), 2);
}

int main(void)
{
  SU_TEST_RUN(test_ops_table);
  SU_TEST_RUN(test_sizes_threads);
  SU_TEST_RUN(test_rounding);
  SU_TEST_RUN(test_bad_params);
  SU_TEST_RUN(test_alloc_failure);
  return SU_TEST_REPORT();
}
