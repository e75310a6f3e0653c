/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parse.c: whole-string number parsing with a range (parse.h).  strtoull
 * accepts a sign and wraps "-1" to UINT64_MAX, and strtod accepts "inf",
 * "nan" and leading space; these wrappers refuse all of that, so a cell or
 * an option value is either the number it says or an error.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "sizeup/parse.h"

int su_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
  char *end;
  unsigned long long v;

  if (!s || !isdigit((unsigned char)*s))
    return -1;
  errno = 0;
  v = strtoull(s, &end, 10);
  if (*end || errno || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

int su_parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
  uint64_t v;

  if (su_parse_u64(s, lo, hi, &v))
    return -1;
  *out = (unsigned)v;
  return 0;
}

int su_parse_real(const char *s, double lo, double hi, double *out)
{
  char *end;
  double v;

  if (!s || !*s || isspace((unsigned char)*s))
    return -1;
  errno = 0;
  v = strtod(s, &end);
  /* ERANGE for an underflow still gives a usable (tiny) number. */
  if (end == s || *end || (errno == ERANGE && fabs(v) > 1) || !isfinite(v) ||
      !(v >= lo && v <= hi))
    return -1;
  *out = v;
  return 0;
}

int su_parse_duration(const char *s, double *out_s)
{
  double total = 0;
  const char *p = s;

  if (!s || !*s)
    return -1;
  while (*p) {
    char *end;
    double v = strtod(p, &end), unit;
    if (end == p || !(v >= 0) || !isfinite(v))
      return -1;
    switch (*end) {
    case 'h': unit = 3600; end++; break;
    case 'm': unit = 60; end++; break;
    case 's': unit = 1; end++; break;
    case '\0': unit = 1; break;
    default: return -1;
    }
    total += v * unit;
    p = end;
  }
  if (!(total > 0) || total > 1e7)
    return -1;
  *out_s = total;
  return 0;
}
