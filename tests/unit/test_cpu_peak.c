/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_cpu_peak.c: the CPU fma_peak kernel: every instruction set this CPU
 * has, at both precisions and at 1 and 2 threads, runs and verifies; the
 * work counts scale with threads and lanes; a damaged accumulator fails
 * verification; a missing instruction set is SU_ENOTSUP; derive() gives the
 * theoretical peak, the efficiency, a plausible clock and the flop/cycle.
 */
#include <string.h>

#include "cpu/cpu.h"
#include "sizeup/error.h"
#include "sizeup/kernel.h"
#include "sizeup/timer.h"
#include "test.h"
#include "test_kernel.h"

static const su_kernel_ops_t *ops = &su_cpu_fma_peak_ops;

static const char *const variants[] = {"best", "avx512", "avx2", "sse2", "generic"};
#define NVARIANTS (sizeof(variants) / sizeof(variants[0]))

/* Whether this CPU can run an explicitly named variant (independently of
 * the kernel's own check). */
static int cpu_has(const char *variant)
{
  su_cpu_isa_t isa;

  su__cpu_isa(&isa);
  if (strcmp(variant, "avx512") == 0)
    return isa.avx512f;
  if (strcmp(variant, "avx2") == 0)
    return isa.avx2 && isa.fma;
  if (strcmp(variant, "sse2") == 0)
    return isa.sse2;
  return 1;
}

static const char *widest(void)
{
  return cpu_has("avx512") ? "avx512" : cpu_has("avx2") ? "avx2"
                                      : cpu_has("sse2") ? "sse2" : "generic";
}

static int setup(const char *variant, su_precision_t prec, unsigned nthreads, void **state,
                 su_work_t *work)
{
  su_params_t p = {.prec = prec, .variant = variant, .nthreads = nthreads};

  return ops->setup(&p, state, work);
}

static void test_ops_table(void)
{
  CHECK(ops->desc == &su_desc_fma_peak);
  CHECK_EQ_INT(ops->precisions, SU_PREC_FP64 | SU_PREC_FP32);
  CHECK_EQ_INT(ops->size_rule, SU_SIZE_NONE);
  CHECK_EQ_STR(ops->variants, "best");
  CHECK(ops->derive != NULL && ops->corrupt != NULL);
}

/* Every variant x precision x {1, 2} threads: setup, run, verify, corrupt. */
static void test_run_verify_corrupt(void)
{
  static const su_precision_t precs[] = {SU_PREC_FP64, SU_PREC_FP32};

  for (size_t vi = 0; vi < NVARIANTS; vi++) {
    const char *name = variants[vi];
    double flops[2][2] = {{0}}; /* [prec][threads - 1] */

    if (!cpu_has(name)) {
      void *st = NULL;
      su_work_t w;

      CHECK_EQ_INT(setup(name, SU_PREC_FP64, 1, &st, &w), SU_ENOTSUP);
      CHECK(st == NULL);
      CHECK(strstr(su_errmsg(), name) != NULL);
      printf("  %s: not on this cpu (SU_ENOTSUP, as expected)\n", name);
      continue;
    }
    for (size_t pi = 0; pi < 2; pi++) {
      for (unsigned nt = 1; nt <= 2; nt++) {
        void *st = NULL;
        su_work_t w;
        su_verify_t v;
        int err = setup(name, precs[pi], nt, &st, &w);

        CHECK_EQ_INT(err, SU_OK);
        if (err)
          continue;
        CHECK_EQ_STR(w.variant, strcmp(name, "best") == 0 ? widest() : name);
        CHECK(w.bytes == 0.0);
        CHECK(w.flops > 0.0);
        flops[pi][nt - 1] = w.flops;
        /* No run yet: the closed form at k = 0 is acc_0. */
        CHECK_EQ_INT(ops->verify(st, &v), SU_OK);
        CHECK_EQ_INT(ops->run(st, 1, NULL), SU_OK);
        CHECK_EQ_INT(ops->run(st, 3, NULL), SU_OK);
        err = ops->verify(st, &v);
        CHECK_EQ_INT(err, SU_OK);
        if (err)
          printf("  %s: %s\n", name, su_errmsg());
        CHECK(v.max_rel_err <= v.tol);
        CHECK(v.tol > 0.0);
        SU_TEST_CHECK_CORRUPT(ops, st, v, "fma_peak");
        ops->teardown(st);
      }
    }
    /* Work counts: linear in threads; FP32 has twice the lanes of FP64. */
    CHECK_NEAR(flops[0][1], 2.0 * flops[0][0], 0.0);
    CHECK_NEAR(flops[1][1], 2.0 * flops[1][0], 0.0);
    CHECK_NEAR(flops[1][0], 2.0 * flops[0][0], 0.0);
    printf("  %s: %.0f fp64 flops per rep per thread\n", name, flops[0][0]);
  }
}

static void test_bad_params(void)
{
  void *st = NULL;
  su_work_t w;

  CHECK_EQ_INT(setup("best", SU_PREC_FP16, 1, &st, &w), SU_ENOTSUP);
  CHECK_EQ_INT(setup("best", SU_PREC_NONE, 1, &st, &w), SU_ENOTSUP);
  CHECK_EQ_INT(setup("neon9", SU_PREC_FP64, 1, &st, &w), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "'neon9'") != NULL);
  CHECK_EQ_INT(setup("best", SU_PREC_FP64, 0, &st, &w), SU_EINVAL);
  CHECK(st == NULL);
  /* NULL variant means the default. */
  CHECK_EQ_INT(setup(NULL, SU_PREC_FP64, 1, &st, &w), SU_OK);
  CHECK_EQ_STR(w.variant, widest());
  ops->teardown(st);
  ops->teardown(NULL);
}

static void test_alloc_failure(void)
{
  su_params_t p = su_test_params(SU_PREC_FP64, "best", 0, 2);

  /* The one allocation, the accumulators. */
  CHECK_EQ_INT(su_test_alloc_failures(ops, &p, 1), 1);
}

static const su_derived_t *find(const su_derived_t *d, unsigned n, const char *metric)
{
  for (unsigned i = 0; i < n; i++)
    if (strcmp(d[i].metric, metric) == 0)
      return &d[i];
  return NULL;
}

/* Derive at 1 and 2 threads, both precisions, with the best ISA; prints the
 * achieved fraction of the theoretical peak (asserted only loosely: the
 * machine is shared, so it can be low, but far above 1 means the table or
 * the work count is wrong). */
static void test_derive(void)
{
  static const su_precision_t precs[] = {SU_PREC_FP64, SU_PREC_FP32};
  double fpc64 = 0.0;

  for (size_t pi = 0; pi < 2; pi++) {
    for (unsigned nt = 1; nt <= 2; nt++) {
      void *st = NULL;
      su_work_t w;
      su_derived_t d[SU_MAX_DERIVED];
      unsigned n = 0;
      const su_derived_t *theo, *eff, *clk, *fpc;
      const uint64_t inner = 200;
      uint64_t t0, dt_ns;
      double gflops;

      if (setup("best", precs[pi], nt, &st, &w) != SU_OK) {
        CHECK(0);
        continue;
      }
      CHECK_EQ_INT(ops->run(st, 20, NULL), SU_OK); /* warm-up */
      t0 = su_time_ns();
      CHECK_EQ_INT(ops->run(st, inner, NULL), SU_OK);
      dt_ns = su_time_ns() - t0;
      gflops = w.flops * (double)inner / (double)dt_ns;
      CHECK_EQ_INT(ops->derive(st, d, SU_MAX_DERIVED, &n), SU_OK);
      theo = find(d, n, "peak_theoretical");
      eff = find(d, n, "efficiency");
      clk = find(d, n, "clock");
      fpc = find(d, n, "flops_per_cycle");
#if defined(__x86_64__)
      /* x86-64 always has the clock; all 4 rows when the table knows the
       * cpu (it knows AMD Zen and Intel Haswell and later). */
      CHECK(clk != NULL);
      CHECK(fpc == NULL || n == 4);
#endif
      if (n == 4) {
        CHECK_EQ_STR(d[0].metric, "peak_theoretical");
        CHECK_EQ_STR(d[1].metric, "efficiency");
        CHECK_EQ_STR(d[2].metric, "clock");
        CHECK_EQ_STR(d[3].metric, "flops_per_cycle");
      }
      if (clk) {
        CHECK_EQ_STR(clk->unit, "GHz");
        CHECK(clk->value >= 0.5 && clk->value <= 7.0);
      }
      if (theo && eff && clk && fpc) {
        CHECK_EQ_STR(theo->unit, "GFLOP/s");
        CHECK_EQ_STR(eff->unit, "%");
        CHECK_EQ_STR(fpc->unit, "flop/cycle");
        CHECK(theo->primary_scale == 0.0 && clk->primary_scale == 0.0);
        CHECK_NEAR(theo->value, nt * clk->value * fpc->value, 1e-9 * theo->value);
        CHECK_NEAR(eff->primary_scale, 100.0 / theo->value, 1e-12);
        if (precs[pi] == SU_PREC_FP64)
          fpc64 = fpc->value;
        else if (fpc64 > 0.0)
          CHECK_NEAR(fpc->value, 2.0 * fpc64, 0.0);
        printf("  %s %s %u thread(s): %.1f GFLOP/s, clock %.3f GHz, %g flop/cycle, "
               "theoretical %.1f GFLOP/s, efficiency %.1f%%\n",
               w.variant, su_precision_name(precs[pi]), nt, gflops, clk->value,
               fpc->value, theo->value, gflops * eff->primary_scale);
        /* The efficiency is printed, not asserted: it is a timing, and a
         * test on a loaded machine would flap.  bench/peers.sh measures it. */
      } else {
        printf("  %s %s: %u derived rows (no table entry for this cpu)\n", w.variant,
               su_precision_name(precs[pi]), n);
      }
      /* A smaller output array is respected. */
      CHECK_EQ_INT(ops->derive(st, d, 1, &n), SU_OK);
      CHECK(n <= 1);
      ops->teardown(st);
    }
  }
}

int main(void)
{
  SU_TEST_RUN(test_ops_table);
  SU_TEST_RUN(test_run_verify_corrupt);
  SU_TEST_RUN(test_bad_params);
  SU_TEST_RUN(test_alloc_failure);
  SU_TEST_RUN(test_derive);
  return SU_TEST_REPORT();
}
