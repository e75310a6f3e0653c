/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_kernel.h: what the kernel tests (test_cpu_*.c) share: building
 * su_params_t, the check that corrupt() makes verify fail, the walk over
 * injected allocation failures, and the best-of-N timing a test prints for
 * a human to judge (never asserts: timings on a shared machine are noisy).
 *
 * Include after test.h.  Checks are macros, so that a failure names the
 * test's own line; the helpers are static inline, so that a test that uses
 * only some of them compiles without warnings.
 */
#ifndef SIZEUP_TEST_KERNEL_H
#define SIZEUP_TEST_KERNEL_H

#include <stdint.h>

#include "sizeup/error.h"
#include "sizeup/kernel.h"
#include "sizeup/timer.h"

/* cpu_backend.c's test hook: the Nth allocation from now fails (0: none). */
void su_test_alloc_fail_after(unsigned long n);

static inline su_params_t su_test_params(su_precision_t prec, const char *variant,
                                         uint64_t size_bytes, unsigned nthreads)
{
  su_params_t p;

  memset(&p, 0, sizeof(p));
  p.prec = prec;
  p.variant = variant;
  p.size_bytes = size_bytes;
  p.nthreads = nthreads;
  return p;
}

/*
 * After corrupt(), verify must fail with SU_EVERIFY, report an error above
 * the tolerance, and name the kernel (`name`) in its message.
 */
#define SU_TEST_CHECK_CORRUPT(ops, st, v, name)                               \
  do {                                                                        \
    (ops)->corrupt(st);                                                       \
    CHECK_EQ_INT((ops)->verify((st), &(v)), SU_EVERIFY);                      \
    CHECK((v).max_rel_err > (v).tol);                                         \
    CHECK(strstr(su_errmsg(), (name)) != NULL);                               \
  } while (0)

/*
 * Makes the 1st, 2nd, ... max-th allocation of ops->setup(p) fail in turn.
 * Every setup that fails must return SU_ENOMEM and leave its state NULL;
 * one that succeeds (the failure came after its last allocation) is torn
 * down.  Returns how many setups failed: the caller checks it against the
 * number of allocations the kernel makes.
 */
static inline unsigned su_test_alloc_failures(const su_kernel_ops_t *ops, const su_params_t *p,
                                              unsigned long max)
{
  unsigned nfail = 0;

  for (unsigned long i = 1; i <= max; i++) {
    su_work_t w;
    void *st = NULL;
    int err;

    su_test_alloc_fail_after(i);
    err = ops->setup(p, &st, &w);
    su_test_alloc_fail_after(0);
    if (err == SU_OK) {
      ops->teardown(st);
      continue;
    }
    nfail++;
    CHECK_EQ_INT(err, SU_ENOMEM);
    CHECK(st == NULL);
  }
  return nfail;
}

/* One warm-up repetition, then the fastest of `reps` single repetitions,
 * in host nanoseconds. */
static inline uint64_t su_test_best_rep_ns(const su_kernel_ops_t *ops, void *st, int reps)
{
  uint64_t best = UINT64_MAX;

  ops->run(st, 1, NULL); /* warm-up */
  for (int r = 0; r < reps; r++) {
    uint64_t t0 = su_time_ns(), dt;

    ops->run(st, 1, NULL);
    dt = su_time_ns() - t0;
    if (dt < best)
      best = dt;
  }
  return best;
}

#endif /* SIZEUP_TEST_KERNEL_H */
