/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * error.h: sizeup's error codes and its single error-reporting path.
 *
 * Every function that can fail returns SU_OK (0) or one negative SU_E* code
 * from the map below (libuv's UV_ERRNO_MAP pattern: one X-macro owns every
 * code, its name and its message).  The function that knows *why* something
 * failed attaches the context once with su_errorf(); callers just propagate
 * the code.  The CLI prints "sizeup: error: <su_errmsg()>: <su_strerror()>".
 * Library code never prints and never exits.
 */
#ifndef SIZEUP_ERROR_H
#define SIZEUP_ERROR_H

#include <stdio.h>
#include <stdlib.h>

#if defined(__GNUC__)
#define SU_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define SU_PRINTF(fmt, args)
#endif

#define SU_ERRNO_MAP(XX)                                              \
  XX(EINVAL,   -1, "invalid argument")                                \
  XX(ENOMEM,   -2, "out of memory")                                   \
  XX(EIO,      -3, "input/output error")                              \
  XX(ENOTSUP,  -4, "not supported by this backend or device")         \
  XX(EVERIFY,  -5, "output failed verification")                      \
  XX(EBACKEND, -6, "backend runtime error")                           \
  XX(EINTR,    -7, "interrupted")                                     \
  XX(ETIMEOUT, -8, "timed out")                                       \
  XX(ESKIP,    -9, "skipped")

typedef enum su_err_e {
  SU_OK = 0,
#define XX(name, val, msg) SU_##name = (val),
  SU_ERRNO_MAP(XX)
#undef XX
} su_err_t;

/* The message of an error code ("invalid argument"); never NULL. */
const char *su_strerror(int err);
/* The name of an error code ("SU_EINVAL"); never NULL. */
const char *su_err_name(int err);

/*
 * Records this thread's error context (printf-style) and returns `err`, so
 * that a failure site reads `return su_errorf(SU_EIO, "cannot open '%s'", p);`.
 * The context is lowercase, has no trailing period and quotes its subject.
 */
int su_errorf(int err, const char *fmt, ...) SU_PRINTF(2, 3);
/* The last context recorded on this thread; "" when none.  Never NULL. */
const char *su_errmsg(void);
/* Forgets this thread's context. */
void su_errclear(void);

/* For our own bugs only, never for bad input (redis redisassert.h, git BUG()). */
#define SU_ASSERT(cond)                                                       \
  do {                                                                        \
    if (!(cond)) {                                                            \
      fprintf(stderr, "sizeup: BUG: %s:%d: assertion '%s' failed\n",          \
              __FILE__, __LINE__, #cond);                                     \
      abort();                                                                \
    }                                                                         \
  } while (0)

#endif /* SIZEUP_ERROR_H */
