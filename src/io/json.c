/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * json.c: a streaming JSON writer (contract in include/sizeup/json.h).
 * Strings are escaped per RFC 8259; untrusted text (host names, labels,
 * device names) can never break the document's structure.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/json.h"

void su_json_init(su_json_t *j, FILE *fp)
{
  memset(j, 0, sizeof(*j));
  j->fp = fp;
}

static void out(su_json_t *j, const char *s)
{
  if (fputs(s, j->fp) == EOF)
    j->err = SU_EIO;
}

static void put_escaped(su_json_t *j, const char *s)
{
  char buf[8];

  out(j, "\"");
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    switch (*c) {
    case '"': out(j, "\\\""); break;
    case '\\': out(j, "\\\\"); break;
    case '\n': out(j, "\\n"); break;
    case '\r': out(j, "\\r"); break;
    case '\t': out(j, "\\t"); break;
    default:
      if (*c < 0x20 || *c == 0x7f) {
        snprintf(buf, sizeof(buf), "\\u%04x", *c);
        out(j, buf);
      } else if (fputc(*c, j->fp) == EOF) {
        j->err = SU_EIO;
      }
    }
  }
  out(j, "\"");
}

/* Separator, newline, indentation and the key of the next member. */
static void member(su_json_t *j, const char *key)
{
  if (j->depth > 0) {
    out(j, j->count[j->depth] ? ",\n" : "\n");
    for (int i = 0; i < j->depth; i++)
      out(j, "  ");
    j->count[j->depth]++;
  } else if (j->count[0]++) {
    j->err = j->err ? j->err : SU_EINVAL; /* two top-level values */
  }
  if (key) {
    put_escaped(j, key);
    out(j, ": ");
  }
}

static void open_(su_json_t *j, const char *key, const char *brace)
{
  member(j, key);
  out(j, brace);
  if (j->depth + 1 >= SU_JSON_MAX_DEPTH) {
    j->err = SU_EINVAL;
    return;
  }
  j->depth++;
  j->count[j->depth] = 0;
}

static void close_(su_json_t *j, const char *brace)
{
  if (j->depth == 0) {
    j->err = SU_EINVAL;
    return;
  }
  if (j->count[j->depth]) {
    out(j, "\n");
    for (int i = 0; i < j->depth - 1; i++)
      out(j, "  ");
  }
  j->depth--;
  out(j, brace);
}

void su_json_begin_object(su_json_t *j, const char *key) { open_(j, key, "{"); }
void su_json_end_object(su_json_t *j) { close_(j, "}"); }
void su_json_begin_array(su_json_t *j, const char *key) { open_(j, key, "["); }
void su_json_end_array(su_json_t *j) { close_(j, "]"); }

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
  snprintf(buf, sizeof(buf), "%.17g", v);
  out(j, buf);
}

void su_json_bool(su_json_t *j, const char *key, int v)
{
  member(j, key);
  out(j, v ? "true" : "false");
}

void su_json_raw(su_json_t *j, const char *key, const char *json)
{
  size_t n = strlen(json);

  member(j, key);
  /* Drop trailing white space; indent embedded lines to this depth. */
  while (n && (json[n - 1] == '\n' || json[n - 1] == ' '))
    n--;
  for (size_t i = 0; i < n; i++) {
    if (fputc(json[i], j->fp) == EOF)
      j->err = SU_EIO;
    for (int d = 0; json[i] == '\n' && d < j->depth; d++)
      out(j, "  ");
  }
}

int su_json_finish(su_json_t *j)
{
  if (j->depth != 0 && !j->err)
    j->err = SU_EINVAL;
  out(j, "\n");
  if (fflush(j->fp) != 0)
    j->err = SU_EIO;
  if (j->err == SU_EINVAL)
    return su_errorf(SU_EINVAL, "unbalanced JSON document");
  if (j->err)
    return su_errorf(SU_EIO, "cannot write JSON");
  return SU_OK;
}

void su_json_escape(const char *s, char *outbuf, size_t outlen)
{
  FILE *fp;
  su_json_t j;

  if (!outlen)
    return;
  outbuf[0] = '\0';
  fp = fmemopen(outbuf, outlen, "w");
  if (!fp)
    return;
  su_json_init(&j, fp);
  put_escaped(&j, s ? s : "");
  fclose(fp);
  outbuf[outlen - 1] = '\0';
}
