/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parse.h: the one set of number parsers for everything sizeup reads (CSV
 * cells, suite and catalog values, command-line options).
 *
 * Both take the whole string: leading or trailing text, an empty string, a
 * value outside [lo, hi] (or, for reals, a NaN or an infinity) is refused.
 * They return 0 with *out set, or -1 with *out untouched; the caller knows
 * what the value was for and attaches the context (su_errorf), because
 * several callers need different words (a file and a line, an option name).
 */
#ifndef SIZEUP_PARSE_H
#define SIZEUP_PARSE_H

#include <stdint.h>

/* A decimal integer in [lo, hi] (no sign: "-1" is refused, also for lo 0). */
int su_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);

/* The same for an unsigned. */
int su_parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out);

/* A finite number (strtod syntax) in [lo, hi]. */
int su_parse_real(const char *s, double lo, double hi, double *out);

/* A duration in seconds: "90", "90s", "10m", "2h", "1h30m", "1.5h"; > 0. */
int su_parse_duration(const char *s, double *out_s);

#endif /* SIZEUP_PARSE_H */
