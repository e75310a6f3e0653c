/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * samples_read.c: samples.csv, grouped by configuration (samples.h).
 *
 * Columns are looked up by header name, so files with added columns still
 * load.  The runner writes the samples of one configuration together, so the
 * loader tries the last group first before searching all of them.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_int.h"
#include "sizeup/csv.h"
#include "sizeup/error.h"
#include "sizeup/samples.h"

enum {
  K_KERNEL, K_VARIANT, K_BACKEND, K_DEVICE, K_PRECISION, K_THREADS, K_RANKS, K_NODES,
  K_PLACEMENT, K_SIZE, K_METRIC, K_UNIT, K_VALUE, K_NCOLS,
  K_ROUND = K_NCOLS, K_C2C, K_NALL     /* optional */
};

static const char *const su_samples_cols[K_NALL] = {
  "kernel", "variant", "backend", "device", "precision", "threads", "ranks", "nodes",
  "placement", "size_bytes", "metric", "unit", "value", "round", "c2c_ns",
};

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

su_sample_group_t *su_samples_find(const su_samples_t *s, const su_sample_key_t *key)
{
  if (!s || s->n == 0)
    return NULL;
  if (su_samples_key_cmp(&s->g[s->n - 1].key, key) == 0)
    return &s->g[s->n - 1];
  for (size_t i = 0; i < s->n; i++)
    if (su_samples_key_cmp(&s->g[i].key, key) == 0)
      return &s->g[i];
  return NULL;
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
    if (su__grow(&s->g, s->n, &s->cap, sizeof(*s->g), 32) != SU_OK)
      return su_errorf(SU_ENOMEM, "cannot store samples");
    if (group_init(&s->g[s->n], key, unit) != SU_OK)
      return su_errorf(SU_ENOMEM, "cannot store samples");
    g = &s->g[s->n++];
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
  memset(s, 0, sizeof(*s));
}

static int parse_uint(const char *c, uint64_t max, uint64_t *out)
{
  char *end;
  unsigned long long v;

  if (!c || !*c || *c == '-')
    return -1;
  errno = 0;
  v = strtoull(c, &end, 10);
  if (*end || errno || v > max)
    return -1;
  *out = v;
  return 0;
}

int su_samples_load(const char *dir, su_samples_t *out)
{
  char path[4096];
  su_samples_t s = {NULL, 0, 0};
  su_csv_reader_t rd;
  FILE *fp;
  char **f;
  size_t nf;
  int idx[K_NALL], err = SU_OK, rc;

  memset(out, 0, sizeof(*out));
  snprintf(path, sizeof(path), "%s/samples.csv", dir);
  if (!(fp = fopen(path, "r")))
    return su_errorf(SU_EIO, "cannot open '%s': %s", path, strerror(errno));
  su_csv_reader_init(&rd, fp);
  if ((rc = su_csv_read(&rd, &f, &nf)) <= 0) {
    err = rc < 0 ? rc : su_errorf(SU_EINVAL, "'%s' is empty", path);
    goto out;
  }
  for (int c = 0; c < K_NALL; c++) {
    idx[c] = -1;
    for (size_t i = 0; i < nf; i++)
      if (strcmp(f[i], su_samples_cols[c]) == 0) {
        idx[c] = (int)i;
        break;
      }
    if (idx[c] < 0 && c < K_NCOLS) {
      err = su_errorf(SU_EINVAL, "'%s' lacks the column '%s'", path, su_samples_cols[c]);
      goto out;
    }
  }
  while ((rc = su_csv_read(&rd, &f, &nf)) == 1) {
    su_sample_key_t k;
    uint64_t th, rk, nd, sz, round = 0;
    double v, c2c = NAN;
    unsigned rep;
    char *end;
    if (nf == 1 && f[0][0] == '\0')
      continue;             /* a blank line */
#define CELL(c) (idx[c] >= 0 && (size_t)idx[c] < nf ? f[idx[c]] : "")
    if (!*CELL(K_VALUE))
      continue;             /* no value: a sample that failed */
    errno = 0;
    v = strtod(CELL(K_VALUE), &end);
    if (*end || !isfinite(v)) {
      err = su_errorf(SU_EINVAL, "'%s' line %lu: column 'value' is not a number", path,
                      rd.line);
      goto out;
    }
    if (parse_uint(CELL(K_THREADS), UINT32_MAX, &th) || parse_uint(CELL(K_RANKS), UINT32_MAX, &rk) ||
        parse_uint(CELL(K_NODES), UINT32_MAX, &nd) || parse_uint(CELL(K_SIZE), UINT64_MAX, &sz)) {
      err = su_errorf(SU_EINVAL, "'%s' line %lu: a key column is not a non-negative integer",
                      path, rd.line);
      goto out;
    }
    if (*CELL(K_ROUND) && parse_uint(CELL(K_ROUND), 65535, &round)) {
      err = su_errorf(SU_EINVAL, "'%s' line %lu: column 'round' is not a small non-negative "
                      "integer", path, rd.line);
      goto out;
    }
    if (*CELL(K_C2C) && (c2c = strtod(CELL(K_C2C), &end), *end || !(c2c >= 0 && c2c < 1e9))) {
      err = su_errorf(SU_EINVAL, "'%s' line %lu: column 'c2c_ns' is not a latency in ns",
                      path, rd.line);
      goto out;
    }
    rep = (unsigned)round;
    k.kernel = CELL(K_KERNEL);
    k.variant = CELL(K_VARIANT);
    k.backend = CELL(K_BACKEND);
    k.device = CELL(K_DEVICE);
    k.precision = CELL(K_PRECISION);
    k.placement = CELL(K_PLACEMENT);
    k.metric = CELL(K_METRIC);
    k.threads = (unsigned)th;
    k.ranks = (unsigned)rk;
    k.nodes = (unsigned)nd;
    k.size_bytes = sz;
    if ((err = su_samples_add_tagged(&s, &k, CELL(K_UNIT), &v, &rep, 0, &c2c, 1)) != SU_OK)
      goto out;
#undef CELL
  }
  if (rc < 0)
    err = rc;
out:
  su_csv_reader_fini(&rd);
  fclose(fp);
  if (err)
    su_samples_fini(&s);
  else
    *out = s;
  return err;
}
