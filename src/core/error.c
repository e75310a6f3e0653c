/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * error.c: the error-code map and the per-thread error context.
 *
 * The context lives in thread-local storage so that OpenMP worker threads and
 * the main thread never overwrite each other's message.
 */
#include <stdarg.h>
#include <stdio.h>

#include "sizeup/error.h"

static _Thread_local char su__errbuf[512];

const char *su_strerror(int err)
{
  switch (err) {
  case SU_OK:
    return "success";
#define XX(name, val, msg) \
  case SU_##name:          \
    return msg;
    SU_ERRNO_MAP(XX)
#undef XX
  default:
    return "unknown error";
  }
}

const char *su_err_name(int err)
{
  switch (err) {
  case SU_OK:
    return "SU_OK";
#define XX(name, val, msg) \
  case SU_##name:          \
    return "SU_" #name;
    SU_ERRNO_MAP(XX)
#undef XX
  default:
    return "SU_UNKNOWN";
  }
}

int su_errorf(int err, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(su__errbuf, sizeof(su__errbuf), fmt, ap);
  va_end(ap);
  return err;
}

const char *su_errmsg(void)
{
  return su__errbuf;
}

void su_errclear(void)
{
  su__errbuf[0] = '\0';
}
