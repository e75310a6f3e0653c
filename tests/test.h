/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test.h: sizeup's tiny test harness (redis testhelp.h, libuv task.h).
 *
 * One executable per module; each check that fails prints the file, line,
 * the expression and both values, and the run continues.  main() ends with
 * SU_TEST_REPORT(), which prints "N passed, N failed" and returns 1 on any
 * failure.  A test that lacks its hardware calls SU_TEST_SKIP("why"), which
 * exits 77 (CTest SKIP_RETURN_CODE).
 */
#ifndef SIZEUP_TEST_H
#define SIZEUP_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int su_test_passed, su_test_failed;

#define SU_TEST_FAIL_(fmt, ...)                                               \
  do {                                                                        \
    su_test_failed++;                                                         \
    fprintf(stderr, "FAIL %s:%d: " fmt "\n", __FILE__, __LINE__, __VA_ARGS__); \
  } while (0)

#define CHECK(cond)                                                           \
  do {                                                                        \
    if (cond) su_test_passed++;                                               \
    else SU_TEST_FAIL_("%s", #cond);                                          \
  } while (0)

#define CHECK_EQ_INT(a, b)                                                    \
  do {                                                                        \
    long long su_a_ = (long long)(a), su_b_ = (long long)(b);                 \
    if (su_a_ == su_b_) su_test_passed++;                                     \
    else SU_TEST_FAIL_("%s == %s: %lld != %lld", #a, #b, su_a_, su_b_);       \
  } while (0)

#define CHECK_EQ_STR(a, b)                                                    \
  do {                                                                        \
    const char *su_a_ = (a), *su_b_ = (b);                                    \
    if (su_a_ && su_b_ && strcmp(su_a_, su_b_) == 0) su_test_passed++;        \
    else SU_TEST_FAIL_("%s == %s: \"%s\" != \"%s\"", #a, #b,                  \
                       su_a_ ? su_a_ : "(null)", su_b_ ? su_b_ : "(null)");   \
  } while (0)

#define CHECK_NEAR(a, b, tol)                                                 \
  do {                                                                        \
    double su_a_ = (a), su_b_ = (b);                                          \
    if (fabs(su_a_ - su_b_) <= (tol)) su_test_passed++;                       \
    else SU_TEST_FAIL_("%s ~= %s: %.10g != %.10g (tol %g)", #a, #b, su_a_,    \
                       su_b_, (double)(tol));                                 \
  } while (0)

#define SU_TEST_SKIP(why)                                                     \
  do {                                                                        \
    printf("SKIP: %s\n", why);                                                \
    exit(77);                                                                 \
  } while (0)

#define SU_TEST_RUN(fn)                                                       \
  do {                                                                        \
    int su_before_ = su_test_failed;                                          \
    fn();                                                                     \
    printf("%s %s\n", su_test_failed == su_before_ ? "ok  " : "FAIL", #fn);   \
  } while (0)

#define SU_TEST_REPORT()                                                      \
  (printf("%d passed, %d failed\n", su_test_passed, su_test_failed),          \
   su_test_failed ? 1 : 0)

#endif /* SIZEUP_TEST_H */
