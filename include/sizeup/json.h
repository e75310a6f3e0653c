/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * json.h: a streaming JSON writer (system.json, `sizeup topo --json`).
 *
 * Strings are escaped per RFC 8259 (quotes, backslash, control characters
 * as \uXXXX); non-finite numbers are written as null.  Output is indented
 * two spaces per level.  Errors are sticky and reported by su_json_finish.
 * A `key` is required inside objects and must be NULL inside arrays and at
 * the top level.
 *
 * Clarifications of the contract:
 * - Strings (keys too) are expected in UTF-8; a byte that is not part of a
 *   well-formed UTF-8 sequence is written as \ufffd, so untrusted text
 *   (host names, environment, labels) always yields valid JSON (RFC 8259
 *   Sec. 8.1 requires UTF-8).
 * - Doubles are written with the fewest significant digits (up to 17) that
 *   read back to the same double.
 * - The first error wins: a misplaced or missing key, a close that does not
 *   match its open, nesting deeper than SU_JSON_MAX_DEPTH - 1, a second
 *   top-level value or an empty document are SU_EINVAL; a failed write is
 *   SU_EIO.  su_json_finish attaches the context.
 */
#ifndef SIZEUP_JSON_H
#define SIZEUP_JSON_H

#include <stdint.h>
#include <stdio.h>

#define SU_JSON_MAX_DEPTH 32

typedef struct su_json {
  FILE *fp;
  int depth;
  int count[SU_JSON_MAX_DEPTH]; /* members written at each depth */
  int err;
  char kind[SU_JSON_MAX_DEPTH]; /* '{' or '[' for each open level */
  const char *why;              /* context of the first error (static text) */
} su_json_t;

void su_json_init(su_json_t *j, FILE *fp);
void su_json_begin_object(su_json_t *j, const char *key);
void su_json_end_object(su_json_t *j);
void su_json_begin_array(su_json_t *j, const char *key);
void su_json_end_array(su_json_t *j);
void su_json_str(su_json_t *j, const char *key, const char *val); /* NULL -> null */
void su_json_int(su_json_t *j, const char *key, long long v);
void su_json_u64(su_json_t *j, const char *key, uint64_t v);
void su_json_double(su_json_t *j, const char *key, double v);
void su_json_bool(su_json_t *j, const char *key, int v);
/* A value that is already valid JSON text (e.g. a backend's device object);
 * surrounding white space is dropped and its lines are indented to the
 * current depth.  NULL writes null.  The text is trusted, not checked. */
void su_json_raw(su_json_t *j, const char *key, const char *json);
/* Writes the final newline; SU_OK, or SU_EIO/SU_EINVAL (unbalanced, too deep). */
int su_json_finish(su_json_t *j);
/*
 * Escapes s as a JSON string literal (with quotes) into out, as the writer
 * does.  When it does not fit, whole characters are dropped from the end, so
 * out is always a complete literal and NUL-terminated (outlen >= 3; with
 * less, out is "" or untouched when outlen is 0).  NULL is escaped as "".
 */
void su_json_escape(const char *s, char *out, size_t outlen);

#endif /* SIZEUP_JSON_H */
