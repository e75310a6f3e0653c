/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * suggest.c: the closest name to a mistyped one (suggest.h), for the
 * "did you mean" of every error about a name.
 *
 * Optimal string alignment distance (Damerau's transpositions, each
 * substring edited once), computed over three rolling rows; names are short
 * (commands, options, kernels), so the quadratic cost is nothing.  The
 * closeness rule grows with the word, like git's help_unknown_cmd: one slip
 * in a short word, two or three in a long one.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sizeup/suggest.h"

#define SU_SUGGEST_MAXLEN 63

size_t su_suggest_distance(const char *a, const char *b)
{
  size_t n = strlen(a), m = strlen(b);
  size_t rows[3][SU_SUGGEST_MAXLEN + 2];
  size_t *pp = rows[0], *p = rows[1], *c = rows[2];

  if (n > SU_SUGGEST_MAXLEN || m > SU_SUGGEST_MAXLEN)
    return SIZE_MAX;
  for (size_t j = 0; j <= m; j++)
    p[j] = j;
  for (size_t i = 1; i <= n; i++) {
    c[0] = i;
    for (size_t j = 1; j <= m; j++) {
      int ai = tolower((unsigned char)a[i - 1]), bj = tolower((unsigned char)b[j - 1]);
      size_t best = p[j - 1] + (ai != bj);
      if (p[j] + 1 < best)
        best = p[j] + 1;
      if (c[j - 1] + 1 < best)
        best = c[j - 1] + 1;
      if (i > 1 && j > 1 && ai == tolower((unsigned char)b[j - 2]) &&
          tolower((unsigned char)a[i - 2]) == bj && pp[j - 2] + 1 < best)
        best = pp[j - 2] + 1;
      c[j] = best;
    }
    size_t *t = pp;
    pp = p;
    p = c;
    c = t;
  }
  return p[m];
}

const char *su_suggest(const char *word, const char *const *cands, size_t n)
{
  size_t len = word ? strlen(word) : 0, best_d = SIZE_MAX;
  size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
  const char *best = NULL;

  if (!len)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    size_t d;
    if (!cands[i])
      continue;
    if (strcmp(word, cands[i]) == 0)
      return NULL;
    d = su_suggest_distance(word, cands[i]);
    if (len >= 3 && strncmp(cands[i], word, len) == 0 && d > limit)
      d = limit;            /* a prefix: as good as the farthest typo */
    if (d <= limit && d < best_d) {
      best_d = d;
      best = cands[i];
    }
  }
  return best;
}

const char *su_suggest_hint(const char *word, const char *pre, const char *const *cands,
                            size_t n, char *buf, size_t len)
{
  const char *s = su_suggest(word, cands, n);

  if (s)
    snprintf(buf, len, "did you mean '%s%s'? ", pre ? pre : "", s);
  else if (len)
    buf[0] = '\0';
  return buf;
}
