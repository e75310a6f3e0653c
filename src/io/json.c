/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * json.c: a streaming JSON writer (contract in include/sizeup/json.h).
 *
 * system.json carries text sizeup does not control (host names, device
 * names, the environment, user labels) and is read by other tools, so every
 * string goes through one escaper: RFC 8259 escapes for quotes, backslash
 * and control characters, and U+FFFD for bytes that are not well-formed
 * UTF-8 (RFC 3629 Sec. 4), because a strict reader rejects the whole file
 * over one bad byte.  The writer also checks its own structure (keys where
 * keys belong, balanced and matching closes) and reports the first misuse
 * at su_json_finish, so a bug shows up as an error rather than as a file
 * nobody can parse.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/json.h"

void su_json_init(su_json_t *j, FILE *fp)
{
  memset(j, 0, sizeof(*j));
  j->fp = fp;
}

/* Sticky: the first error and its context win. */
static void set_err(su_json_t *j, int err, const char *why)
{
  if (!j->err) {
    j->err = err;
    j->why = why;
  }
}

static void out(su_json_t *j, const char *s)
{
  if (fputs(s, j->fp) == EOF)
    set_err(j, SU_EIO, "cannot write JSON");
}

/*
 * Length of the well-formed UTF-8 sequence at s (1 to 4), or 0 when the
 * byte at s does not start one (RFC 3629 Sec. 4: no overlong forms, no
 * surrogates, nothing above U+10FFFF).  s is NUL-terminated, and NUL is
 * never a continuation byte, so this never reads past the end.
 */
static size_t utf8_len(const unsigned char *s)
{
  unsigned char c = s[0];
  unsigned char lo = 0x80, hi = 0xbf;
  size_t n;

  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf)
    n = 2;
  else if (c >= 0xe0 && c <= 0xef)
    n = 3;
  else if (c >= 0xf0 && c <= 0xf4)
    n = 4;
  else
    return 0;
  if (c == 0xe0)
    lo = 0xa0;          /* overlong */
  else if (c == 0xed)
    hi = 0x9f;          /* UTF-16 surrogates */
  else if (c == 0xf0)
    lo = 0x90;          /* overlong */
  else if (c == 0xf4)
    hi = 0x8f;          /* above U+10FFFF */
  if (s[1] < lo || s[1] > hi)
    return 0;
  for (size_t i = 2; i < n; i++)
    if (s[i] < 0x80 || s[i] > 0xbf)
      return 0;
  return n;
}

/*
 * The escaped text of the character at s (s[0] != 0) into unit, which
 * holds at least 8 bytes; *used is set to the bytes of s consumed.
 */
static void escape_unit(const unsigned char *s, char *unit, size_t *used)
{
  size_t n;

  *used = 1;
  switch (s[0]) {
  case '"': strcpy(unit, "\\\""); return;
  case '\\': strcpy(unit, "\\\\"); return;
  case '\b': strcpy(unit, "\\b"); return;
  case '\f': strcpy(unit, "\\f"); return;
  case '\n': strcpy(unit, "\\n"); return;
  case '\r': strcpy(unit, "\\r"); return;
  case '\t': strcpy(unit, "\\t"); return;
  default: break;
  }
  if (s[0] < 0x20 || s[0] == 0x7f) {
    snprintf(unit, 8, "\\u%04x", s[0]);
    return;
  }
  n = utf8_len(s);
  if (n == 0) {
    strcpy(unit, "\\ufffd");
    return;
  }
  memcpy(unit, s, n);
  unit[n] = '\0';
  *used = n;
}

static void put_escaped(su_json_t *j, const char *s)
{
  const unsigned char *c = (const unsigned char *)s;
  char unit[8];
  size_t used;

  out(j, "\"");
  while (*c) {
    escape_unit(c, unit, &used);
    out(j, unit);
    c += used;
  }
  out(j, "\"");
}

static void indent(su_json_t *j, int levels)
{
  for (int i = 0; i < levels; i++)
    out(j, "  ");
}

/* Separator, newline, indentation and the key of the next member. */
static void member(su_json_t *j, const char *key)
{
  if (j->depth == 0) {
    if (j->count[0]++)
      set_err(j, SU_EINVAL, "more than one top-level JSON value");
    if (key)
      set_err(j, SU_EINVAL, "a key at the top level of a JSON document");
  } else {
    if (j->kind[j->depth] == '{' && !key)
      set_err(j, SU_EINVAL, "a JSON object member without a key");
    if (j->kind[j->depth] == '[' && key)
      set_err(j, SU_EINVAL, "a key inside a JSON array");
    out(j, j->count[j->depth] ? ",\n" : "\n");
    indent(j, j->depth);
    j->count[j->depth]++;
  }
  if (key) {
    put_escaped(j, key);
    out(j, ": ");
  }
}

static void open_(su_json_t *j, const char *key, char brace)
{
  char s[2] = {brace, '\0'};

  member(j, key);
  out(j, s);
  if (j->depth + 1 >= SU_JSON_MAX_DEPTH) {
    set_err(j, SU_EINVAL, "JSON nested too deeply");
    return;
  }
  j->depth++;
  j->count[j->depth] = 0;
  j->kind[j->depth] = brace;
}

static void close_(su_json_t *j, char brace)
{
  char s[2] = {brace, '\0'};
  char open = brace == '}' ? '{' : '[';

  if (j->depth == 0) {
    set_err(j, SU_EINVAL, "a JSON close without an open");
    return;
  }
  if (j->kind[j->depth] != open)
    set_err(j, SU_EINVAL, brace == '}' ? "a JSON array closed as an object"
                                       : "a JSON object closed as an array");
  if (j->count[j->depth]) {
    out(j, "\n");
    indent(j, j->depth - 1);
  }
  j->depth--;
  out(j, s);
}

void su_json_begin_object(su_json_t *j, const char *key) { open_(j, key, '{'); }
void su_json_end_object(su_json_t *j) { close_(j, '}'); }
void su_json_begin_array(su_json_t *j, const char *key) { open_(j, key, '['); }
void su_json_end_array(su_json_t *j) { close_(j, ']'); }

void su_json_str(su_json_t *j, const char *key, const char *val)
{
  member(j, key);
  if (val)
    put_escaped(j, val);
  else
    out(j, "null");
}

void su_json_int(su_json_t *j, const char *key, long long v)
{
  char buf[32];

  member(j, key);
  snprintf(buf, sizeof(buf), "%lld", v);
  out(j, buf);
}

void su_json_u64(su_json_t *j, const char *key, uint64_t v)
{
  char buf[32];

  member(j, key);
  snprintf(buf, sizeof(buf), "%" PRIu64, v);
  out(j, buf);
}

void su_json_double(su_json_t *j, const char *key, double v)
{
  char buf[40];

  member(j, key);
  if (!isfinite(v)) {
    out(j, "null");
    return;
  }
  /* Shortest text that reads back exactly: 17 significant digits always
   * do for IEEE binary64 (C11 DBL_DECIMAL_DIG), fewer usually suffice and
   * keep system.json readable (0.1, not 0.10000000000000001).  %g never
   * writes "inf"/"nan" here and its exponent form is valid JSON. */
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, sizeof(buf), "%.*g", prec, v);
    if (strtod(buf, NULL) == v)
      break;
  }
  out(j, buf);
}

void su_json_bool(su_json_t *j, const char *key, int v)
{
  member(j, key);
  out(j, v ? "true" : "false");
}

static int is_ws(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void su_json_raw(su_json_t *j, const char *key, const char *json)
{
  size_t n;

  member(j, key);
  if (!json) {
    out(j, "null");
    return;
  }
  while (is_ws(*json))
    json++;
  n = strlen(json);
  while (n && is_ws(json[n - 1]))
    n--;
  /* Indent embedded lines to this depth; a newline never occurs inside a
   * valid JSON string, so this cannot change any value. */
  for (size_t i = 0; i < n; i++) {
    if (fputc(json[i], j->fp) == EOF)
      set_err(j, SU_EIO, "cannot write JSON");
    if (json[i] == '\n')
      indent(j, j->depth);
  }
}

int su_json_finish(su_json_t *j)
{
  if (j->depth != 0)
    set_err(j, SU_EINVAL, "unbalanced JSON document (an object or array is not closed)");
  if (j->count[0] == 0)
    set_err(j, SU_EINVAL, "empty JSON document");
  out(j, "\n");
  if (fflush(j->fp) != 0 || ferror(j->fp))
    set_err(j, SU_EIO, "cannot write JSON");
  if (j->err)
    return su_errorf(j->err, "%s", j->why ? j->why : "invalid JSON document");
  return SU_OK;
}

void su_json_escape(const char *s, char *outbuf, size_t outlen)
{
  const unsigned char *c = (const unsigned char *)(s ? s : "");
  char unit[8];
  size_t pos = 0, used, len;

  if (outlen == 0)
    return;
  if (outlen < 3) {
    outbuf[0] = '\0';
    return;
  }
  outbuf[pos++] = '"';
  while (*c) {
    escape_unit(c, unit, &used);
    len = strlen(unit);
    if (pos + len + 2 > outlen) /* room for the closing quote and NUL */
      break;
    memcpy(outbuf + pos, unit, len);
    pos += len;
    c += used;
  }
  outbuf[pos++] = '"';
  outbuf[pos] = '\0';
}
