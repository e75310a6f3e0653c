/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_cpu_stream.c: the CPU STREAM kernels (src/cpu/stream.c).
 *
 * Every kernel x precision x variant at 1 and 2 threads on a small working
 * set: setup, run, verify; the work counts against the shared work model;
 * corrupt() must make verify fail; bad variants, precisions and sizes are
 * refused with the right code; injected allocation failures return
 * SU_ENOMEM without leaking (the sanitizer build checks the leaks); FP32
 * sums stay accurate.  Last, it prints the triad bandwidth at one thread on
 * 64 MiB for a human to judge (never asserted: timings are noisy).
 */
#include <stdint.h>

#include "cpu/cpu.h"
#include "sizeup/error.h"
#include "test.h"
#include "test_kernel.h"


#define MIB (1024u * 1024u)

#if defined(__x86_64__) || defined(__i386__)
#define HAVE_X86 1
#else
#define HAVE_X86 0
#endif

static const su_kernel_ops_t *const all_ops[] = {
  &su_cpu_stream_copy_ops, &su_cpu_stream_scale_ops, &su_cpu_stream_add_ops,
  &su_cpu_stream_triad_ops, &su_cpu_stream_dot_ops, &su_cpu_stream_read_ops,
};
#define NOPS (sizeof(all_ops) / sizeof(all_ops[0]))

static const su_precision_t precs[] = {SU_PREC_FP64, SU_PREC_FP32};

static int is_reduction(const su_kernel_ops_t *ops)
{
  return ops->desc->bytes_written_per_elem == 0;
}

/* The work model, recomputed here from the shared descriptor. */
static void check_work(const su_kernel_ops_t *ops, const su_params_t *p,
                       const su_work_t *w)
{
  const su_kernel_desc_t *d = ops->desc;
  size_t elem = su_precision_size(p->prec);
  uint64_t line = 64 / elem;
  uint64_t n = p->size_bytes / (d->nstreams * elem) / line * line;

  CHECK_EQ_INT(w->size_bytes, n * d->nstreams * elem);
  CHECK(w->size_bytes <= p->size_bytes);
  CHECK(w->bytes == (double)n * (d->bytes_read_per_elem + d->bytes_written_per_elem) * elem);
  CHECK(w->flops == (double)n * d->flops_per_elem);
  CHECK_EQ_STR(w->variant, p->variant);
}

/* One configuration end to end; returns 0 if it was not supported here. */
static int run_one(const su_kernel_ops_t *ops, su_precision_t prec,
                   const char *variant, unsigned nthreads)
{
  su_params_t p = su_test_params(prec, variant, 2 * MIB + 3 * 1000, nthreads);
  su_work_t w;
  su_verify_t v;
  su_timing_t t;
  void *st = NULL;
  int err = ops->setup(&p, &st, &w);

  if (err == SU_ENOTSUP && strncmp(variant, "nt_", 3) == 0) {
    CHECK(st == NULL);
    return 0;
  }
  CHECK_EQ_INT(err, SU_OK);
  if (err) {
    fprintf(stderr, "  %s %s %s: %s\n", ops->desc->name,
            su_precision_name(prec), variant, su_errmsg());
    return 1;
  }
  check_work(ops, &p, &w);
  /* Nothing has run yet: the outputs start away from the expected result. */
  CHECK_EQ_INT(ops->verify(st, &v), SU_EVERIFY);
  CHECK_EQ_INT(ops->run(st, 3, &t), SU_OK);
  CHECK_EQ_INT(t.device_ns, 0);
  err = ops->verify(st, &v);
  CHECK_EQ_INT(err, SU_OK);
  if (err)
    fprintf(stderr, "  %s %s %s x%u: %s\n", ops->desc->name,
            su_precision_name(prec), variant, nthreads, su_errmsg());
  CHECK(v.max_rel_err <= v.tol);
  /* The tolerance is verify_rel_tol epsilons: 2^-52 (FP64), 2^-23 (FP32). */
  CHECK(v.tol == ops->desc->verify_rel_tol * ldexp(1.0, prec == SU_PREC_FP64 ? -52 : -23));
  SU_TEST_CHECK_CORRUPT(ops, st, v, ops->desc->name);
  /* A fresh rep repairs the damage. */
  CHECK_EQ_INT(ops->run(st, 1, NULL), SU_OK);
  CHECK_EQ_INT(ops->verify(st, &v), SU_OK);
  ops->teardown(st);
  return 1;
}

static void test_all_configs(void)
{
  static const char *const variants[] = {"omp", "nt", "nt_sse2", "nt_avx", "nt_avx512"};
  unsigned ran = 0;

  for (size_t k = 0; k < NOPS; k++) {
    const su_kernel_ops_t *ops = all_ops[k];

    CHECK(ops->precisions == (SU_PREC_FP64 | SU_PREC_FP32));
    CHECK(ops->size_rule == SU_SIZE_4X_LLC);
    CHECK_EQ_STR(ops->variants, is_reduction(ops) ? "omp" : "omp,nt");
    for (size_t pi = 0; pi < 2; pi++)
      for (size_t vi = 0; vi < (is_reduction(ops) ? 1 : 5); vi++)
        for (unsigned th = 1; th <= 2; th++) {
          if (vi > 0 && !HAVE_X86)
            continue;
          ran += (unsigned)run_one(ops, precs[pi], variants[vi], th);
        }
  }
  /* 4 kernels x 2 precisions x 2 threads x (omp + nt) + 2 x 2 x 2 at least. */
  CHECK(ran >= 4 * 2 * 2 * 2 + 8 || !HAVE_X86);
}

static void test_refusals(void)
{
  su_work_t w;
  void *st = (void *)&w; /* must stay untouched on failure */
  su_params_t p;

  p = su_test_params(SU_PREC_FP64, "nt", 4 * MIB, 1);
  CHECK_EQ_INT(su_cpu_stream_dot_ops.setup(&p, &st, &w), SU_ENOTSUP);
  CHECK_EQ_INT(su_cpu_stream_read_ops.setup(&p, &st, &w), SU_ENOTSUP);
  p = su_test_params(SU_PREC_FP64, "nt_avx", 4 * MIB, 1);
  CHECK_EQ_INT(su_cpu_stream_dot_ops.setup(&p, &st, &w), SU_ENOTSUP);
  p = su_test_params(SU_PREC_FP64, "avx512", 4 * MIB, 1);
  CHECK_EQ_INT(su_cpu_stream_triad_ops.setup(&p, &st, &w), SU_ENOTSUP);
  CHECK(strstr(su_errmsg(), "'avx512'") != NULL);
  p = su_test_params(SU_PREC_FP16, "omp", 4 * MIB, 1);
  CHECK_EQ_INT(su_cpu_stream_copy_ops.setup(&p, &st, &w), SU_ENOTSUP);
  p = su_test_params(SU_PREC_NONE, "omp", 4 * MIB, 1);
  CHECK_EQ_INT(su_cpu_stream_copy_ops.setup(&p, &st, &w), SU_ENOTSUP);
  /* Too small: 64 elements per thread per array is the floor. */
  p = su_test_params(SU_PREC_FP64, "omp", 3 * 64 * 8 * 2 - 1, 2);
  CHECK_EQ_INT(su_cpu_stream_triad_ops.setup(&p, &st, &w), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "stream_triad") != NULL);
  p = su_test_params(SU_PREC_FP64, "omp", 0, 1);
  CHECK_EQ_INT(su_cpu_stream_read_ops.setup(&p, &st, &w), SU_EINVAL);
  p = su_test_params(SU_PREC_FP64, "omp", 4 * MIB, 0);
  CHECK_EQ_INT(su_cpu_stream_read_ops.setup(&p, &st, &w), SU_EINVAL);
  CHECK(st == (void *)&w);
  /* Exactly the floor is accepted. */
  p = su_test_params(SU_PREC_FP64, "omp", 3 * 64 * 8 * 2, 2);
  st = NULL;
  CHECK_EQ_INT(su_cpu_stream_triad_ops.setup(&p, &st, &w), SU_OK);
  CHECK_EQ_INT(su_cpu_stream_triad_ops.run(st, 5, NULL), SU_OK);
  CHECK_EQ_INT(su_cpu_stream_triad_ops.verify(st, &(su_verify_t){0}), SU_OK);
  su_cpu_stream_triad_ops.teardown(st);
  su_cpu_stream_triad_ops.teardown(NULL);
}

/* Every allocation in turn fails; setup must say SU_ENOMEM and free the rest. */
static void test_alloc_failure(void)
{
  for (size_t k = 0; k < NOPS; k++) {
    su_params_t p = su_test_params(SU_PREC_FP32, "omp", 1 * MIB, 2);

    /* One allocation per array. */
    CHECK_EQ_INT(su_test_alloc_failures(all_ops[k], &p, 4), all_ops[k]->desc->nstreams);
  }
}

/* A float sum over millions of like terms must not drift (see stream.c). */
static void test_fp32_sum_accuracy(void)
{
  su_params_t p = su_test_params(SU_PREC_FP32, "omp", 16 * MIB, 1);
  su_work_t w;
  su_verify_t v;
  void *st = NULL;

  CHECK_EQ_INT(su_cpu_stream_read_ops.setup(&p, &st, &w), SU_OK);
  if (!st)
    return;
  CHECK_EQ_INT(su_cpu_stream_read_ops.run(st, 1, NULL), SU_OK);
  CHECK_EQ_INT(su_cpu_stream_read_ops.verify(st, &v), SU_OK);
  /* A plain float accumulation of 4M terms of 0.1 is off by > 1e-3. */
  CHECK(v.max_rel_err < 1e-6);
  su_cpu_stream_read_ops.teardown(st);

  p = su_test_params(SU_PREC_FP64, "omp", 16 * MIB, 2);
  st = NULL;
  CHECK_EQ_INT(su_cpu_stream_dot_ops.setup(&p, &st, &w), SU_OK);
  if (!st)
    return;
  CHECK_EQ_INT(su_cpu_stream_dot_ops.run(st, 2, NULL), SU_OK);
  CHECK_EQ_INT(su_cpu_stream_dot_ops.verify(st, &v), SU_OK);
  CHECK(v.max_rel_err < 1e-12);
  su_cpu_stream_dot_ops.teardown(st);
}

/* Printed, not asserted: one thread, 64 MiB, best of 5 reps. */
static void test_print_triad_bandwidth(void)
{
  static const char *const variants[] = {"omp", "nt"};

  for (size_t vi = 0; vi < 2; vi++) {
    su_params_t p = su_test_params(SU_PREC_FP64, variants[vi], 64 * MIB, 1);
    su_work_t w;
    su_verify_t v;
    void *st = NULL;
    uint64_t best;

    if (su_cpu_stream_triad_ops.setup(&p, &st, &w) != SU_OK)
      continue;
    best = su_test_best_rep_ns(&su_cpu_stream_triad_ops, st, 5);
    CHECK_EQ_INT(su_cpu_stream_triad_ops.verify(st, &v), SU_OK);
    printf("info: stream_triad fp64 %s, 1 thread, %.0f MiB: %.1f GB/s\n",
           variants[vi], (double)w.size_bytes / MIB, w.bytes / (double)best);
    su_cpu_stream_triad_ops.teardown(st);
  }
}

int main(void)
{
  SU_TEST_RUN(test_all_configs);
  SU_TEST_RUN(test_refusals);
  SU_TEST_RUN(test_alloc_failure);
  SU_TEST_RUN(test_fp32_sum_accuracy);
  SU_TEST_RUN(test_print_triad_bandwidth);
  return SU_TEST_REPORT();
}
