/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * samples_read.c: samples.csv, grouped by configuration (samples.h).
 *
 * Columns come from the table of schema.h (found by header name, so files
 * with added columns still load; every row and number checked).  Groups are
 * found through a hash index, so 100,000 configurations load in linear time
 * (a linear search made it quadratic: 37 s).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_int.h"
#include "sizeup/csv.h"
#include "sizeup/error.h"
#include "sizeup/samples.h"
#include "sizeup/schema.h"

static char *dupstr(const char *s)
{
  size_t n = strlen(s ? s : "") + 1;
  char *p = malloc(n);

  if (p)
    memcpy(p, s ? s : "", n);
  return p;
}

static int streq(const char *a, const char *b)
{
  return strcmp(a ? a : "", b ? b : "") == 0;
}

int su_samples_key_cmp(const su_sample_key_t *a, const su_sample_key_t *b)
{
  return !(a->threads == b->threads && a->ranks == b->ranks && a->nodes == b->nodes &&
           a->size_bytes == b->size_bytes && streq(a->kernel, b->kernel) &&
           streq(a->variant, b->variant) && streq(a->backend, b->backend) &&
           streq(a->device, b->device) && streq(a->precision, b->precision) &&
           streq(a->placement, b->placement) && streq(a->metric, b->metric));
}

static uint64_t hash_str(uint64_t h, const char *s)
{
  for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++)
    h = (h ^ *c) * 1099511628211ull;
  return (h ^ 0xff) * 1099511628211ull;   /* keeps "ab","c" apart from "a","bc" */
}

static size_t key_hash(const su_sample_key_t *k)
{
  uint64_t h = 14695981039346656037ull;
  const char *strs[] = {k->kernel, k->variant, k->backend, k->device, k->precision,
                        k->placement, k->metric};
  uint64_t nums[] = {k->threads, k->ranks, k->nodes, k->size_bytes};

  for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
    h = hash_str(h, strs[i]);
  for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
    h = (h ^ nums[i]) * 1099511628211ull;
  return (size_t)(h ^ (h >> 29));
}

/* The slot of key: its group's, or the free one where it would go. */
static size_t find_slot(const su_samples_t *s, const su_sample_key_t *key)
{
  size_t i = key_hash(key) & (s->nslot - 1);

  while (s->slot[i] && su_samples_key_cmp(&s->g[s->slot[i] - 1].key, key) != 0)
    i = (i + 1) & (s->nslot - 1);
  return i;
}

/* Keeps the index at most half full: doubles it and rehashes. */
static int index_grow(su_samples_t *s)
{
  size_t n = s->nslot ? 2 * s->nslot : 64, *old = s->slot, nold = s->nslot;

  if ((s->n + 1) * 2 <= s->nslot)
    return SU_OK;
  if (!(s->slot = calloc(n, sizeof(*s->slot)))) {
    s->slot = old;
    return SU_ENOMEM;
  }
  s->nslot = n;
  for (size_t i = 0; i < nold; i++)
    if (old[i])
      s->slot[find_slot(s, &s->g[old[i] - 1].key)] = old[i];
  free(old);
  return SU_OK;
}

su_sample_group_t *su_samples_find(const su_samples_t *s, const su_sample_key_t *key)
{
  size_t i;

  if (!s || s->n == 0 || !s->nslot)
    return NULL;
  i = find_slot(s, key);
  return s->slot[i] ? &s->g[s->slot[i] - 1] : NULL;
}

static void group_free(su_sample_group_t *g)
{
  free((char *)g->key.kernel);
  free((char *)g->key.variant);
  free((char *)g->key.backend);
  free((char *)g->key.device);
  free((char *)g->key.precision);
  free((char *)g->key.placement);
  free((char *)g->key.metric);
  free(g->unit);
  free(g->values);
  free(g->replicate);
  free(g->c2c_ns);
}

static int group_init(su_sample_group_t *g, const su_sample_key_t *k, const char *unit)
{
  memset(g, 0, sizeof(*g));
  g->key.threads = k->threads;
  g->key.ranks = k->ranks;
  g->key.nodes = k->nodes;
  g->key.size_bytes = k->size_bytes;
  g->key.kernel = dupstr(k->kernel);
  g->key.variant = dupstr(k->variant);
  g->key.backend = dupstr(k->backend);
  g->key.device = dupstr(k->device);
  g->key.precision = dupstr(k->precision);
  g->key.placement = dupstr(k->placement);
  g->key.metric = dupstr(k->metric);
  g->unit = dupstr(unit);
  if (!g->key.kernel || !g->key.variant || !g->key.backend || !g->key.device ||
      !g->key.precision || !g->key.placement || !g->key.metric || !g->unit) {
    group_free(g);
    return SU_ENOMEM;
  }
  return SU_OK;
}

int su_samples_add(su_samples_t *s, const su_sample_key_t *key, const char *unit,
                   const double *values, size_t n)
{
  return su_samples_add_tagged(s, key, unit, values, NULL, 0, NULL, n);
}

int su_samples_add_tagged(su_samples_t *s, const su_sample_key_t *key, const char *unit,
                          const double *values, const unsigned *replicate,
                          unsigned replicate_base, const double *c2c_ns, size_t n)
{
  su_sample_group_t *g = su_samples_find(s, key);

  if (!g) {
    if (su__grow(&s->g, s->n, &s->cap, sizeof(*s->g), 32) != SU_OK || index_grow(s) != SU_OK)
      return su_errorf(SU_ENOMEM, "cannot store samples");
    if (group_init(&s->g[s->n], key, unit) != SU_OK)
      return su_errorf(SU_ENOMEM, "cannot store samples");
    g = &s->g[s->n++];
    s->slot[find_slot(s, &g->key)] = s->n;
  }
  if (g->n + n > g->cap) {
    size_t ncap = g->cap ? g->cap : 16;
    double *p, *c;
    unsigned *r;
    while (ncap < g->n + n)
      ncap *= 2;
    if ((p = realloc(g->values, ncap * sizeof(*p))))
      g->values = p;
    if ((r = realloc(g->replicate, ncap * sizeof(*r))))
      g->replicate = r;
    if ((c = realloc(g->c2c_ns, ncap * sizeof(*c))))
      g->c2c_ns = c;
    if (!p || !r || !c)
      return su_errorf(SU_ENOMEM, "cannot store samples");
    g->cap = ncap;
  }
  for (size_t i = 0; i < n; i++) {
    g->values[g->n + i] = values[i];
    g->replicate[g->n + i] = replicate_base + (replicate ? replicate[i] : 0);
    g->c2c_ns[g->n + i] = c2c_ns ? c2c_ns[i] : NAN;
  }
  g->n += n;
  return SU_OK;
}

void su_samples_fini(su_samples_t *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < s->n; i++)
    group_free(&s->g[i]);
  free(s->g);
  free(s->slot);
  memset(s, 0, sizeof(*s));
}

int su_samples_load(const char *dir, su_samples_t *out)
{
  char path[4096];
  su_samples_t s = {0};
  su_table_reader_t t;
  int err, rc;

  memset(out, 0, sizeof(*out));
  snprintf(path, sizeof(path), "%s/samples.csv", dir);
  if ((err = su_table_open(&t, &su_schema_samples, path)))
    return err;
  while ((rc = su_table_next(&t)) == 1) {
    su_sample_key_t k;
    double v = su_table_real(&t, SU_SMP_VALUE), c2c = su_table_real(&t, SU_SMP_C2C_NS);
    unsigned rep = (unsigned)su_table_u64(&t, SU_SMP_ROUND);

    if (!*su_table_str(&t, SU_SMP_VALUE))
      continue;             /* no value: a sample that failed */
    k.kernel = su_table_str(&t, SU_SMP_KERNEL);
    k.variant = su_table_str(&t, SU_SMP_VARIANT);
    k.backend = su_table_str(&t, SU_SMP_BACKEND);
    k.device = su_table_str(&t, SU_SMP_DEVICE);
    k.precision = su_table_str(&t, SU_SMP_PRECISION);
    k.placement = su_table_str(&t, SU_SMP_PLACEMENT);
    k.metric = su_table_str(&t, SU_SMP_METRIC);
    k.threads = (unsigned)su_table_u64(&t, SU_SMP_THREADS);
    k.ranks = (unsigned)su_table_u64(&t, SU_SMP_RANKS);
    k.nodes = (unsigned)su_table_u64(&t, SU_SMP_NODES);
    k.size_bytes = su_table_u64(&t, SU_SMP_SIZE_BYTES);
    if ((err = su_samples_add_tagged(&s, &k, su_table_str(&t, SU_SMP_UNIT), &v, &rep, 0, &c2c,
                                     1)) != SU_OK)
      break;
  }
  if (!err && rc < 0)
    err = rc;
  su_table_close(&t);
  if (err)
    su_samples_fini(&s);
  else
    *out = s;
  return err;
}
