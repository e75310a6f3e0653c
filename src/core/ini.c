/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ini.c: duplicate keys and sections in the INI files sizeup reads (ini.h).
 * The files are small (a few dozen keys), so a linear search is enough.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/ini.h"

static int has(char *const *list, size_t n, const char *s)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(list[i], s) == 0)
      return 1;
  return 0;
}

static int push(char ***list, size_t *n, size_t *cap, char *s)
{
  if (!s)
    return -1;
  if (*n == *cap) {
    size_t nc = *cap ? 2 * *cap : 16;
    char **p = realloc(*list, nc * sizeof(*p));
    if (!p) {
      free(s);
      return -1;
    }
    *list = p;
    *cap = nc;
  }
  (*list)[(*n)++] = s;
  return 0;
}

int su_ini_seen_add(su_ini_seen_t *s, const char *section, const char *key, char *why,
                    size_t len)
{
  size_t n = strlen(section) + strlen(key) + 2;
  char *pair = malloc(n);

  if (!s->current || strcmp(s->current, section) != 0) {
    if (has(s->sections, s->nsections, section)) {
      free(pair);
      snprintf(why, len, "section [%s] given twice", section);
      return -1;
    }
    if (push(&s->sections, &s->nsections, &s->capsections, strdup(section))) {
      free(pair);
      snprintf(why, len, "out of memory");
      return -1;
    }
    s->current = s->sections[s->nsections - 1];
  }
  if (!pair) {
    snprintf(why, len, "out of memory");
    return -1;
  }
  snprintf(pair, n, "%s\n%s", section, key);
  if (has(s->keys, s->nkeys, pair)) {
    free(pair);
    snprintf(why, len, "key '%s' given twice in [%s]", key, section);
    return -1;
  }
  if (push(&s->keys, &s->nkeys, &s->capkeys, pair)) {
    snprintf(why, len, "out of memory");
    return -1;
  }
  return 0;
}

void su_ini_seen_fini(su_ini_seen_t *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < s->nkeys; i++)
    free(s->keys[i]);
  for (size_t i = 0; i < s->nsections; i++)
    free(s->sections[i]);
  free(s->keys);
  free(s->sections);
  memset(s, 0, sizeof(*s));
}
