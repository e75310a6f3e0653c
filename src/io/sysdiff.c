/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sysdiff.c: what changed on the machine between two runs, from their
 * system.json (results.h, su_results_sysdiff).
 *
 * A regression alert is only useful with its likely cause: a new kernel, a
 * compiler upgrade, a BIOS update, a governor switched to powersave, SMT
 * turned on.  All of that is in system.json, so the two documents are
 * flattened into "path = value" leaves and compared as text.  Nothing is
 * listed by hand, so a field added to system.json later is compared too;
 * only the fields that differ on every run are left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_int.h"
#include "sizeup/config.h"
#include "sizeup/error.h"
#include "sizeup/results.h"

void su_results_sysdiff_free(su_sysdiff_t *d, size_t n)
{
  for (size_t i = 0; d && i < n; i++) {
    free(d[i].field);
    free(d[i].base);
    free(d[i].cur);
  }
  free(d);
}

#if !SU_HAVE_JANSSON

int su_results_sysdiff(const char *base_json, const char *new_json, su_sysdiff_t **out,
                       size_t *n)
{
  (void)base_json, (void)new_json;
  *out = NULL;
  *n = 0;
  return su_errorf(SU_ENOTSUP, "built without libjansson: install libjansson-dev and rebuild "
                   "to compare system.json");
}

#else

#include <jansson.h>

/* Leaves that differ on every run: not a change of the machine. */
static const char *const su_sysdiff_skip[] = {
  "run_id", "written_at", "complete", "command_line", "timer.overhead_ns",
  "timer.min_tick_ns", "settings.points", "environment.SLURM_JOB_ID",
};

typedef struct leaf {
  char *path, *value;
} leaf_t;

typedef struct leaves {
  leaf_t *v;
  size_t n, cap;
} leaves_t;

static void leaves_free(leaves_t *l)
{
  for (size_t i = 0; i < l->n; i++) {
    free(l->v[i].path);
    free(l->v[i].value);
  }
  free(l->v);
}

static int skipped(const char *path)
{
  for (size_t i = 0; i < sizeof(su_sysdiff_skip) / sizeof(su_sysdiff_skip[0]); i++)
    if (strcmp(path, su_sysdiff_skip[i]) == 0)
      return 1;
  return 0;
}

/* A scalar as text ("" for null); NULL for objects and arrays. */
static char *scalar_text(json_t *v)
{
  char buf[64];

  if (json_is_string(v))
    return strdup(json_string_value(v));
  if (json_is_integer(v))
    snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
  else if (json_is_real(v))
    snprintf(buf, sizeof(buf), "%.9g", json_real_value(v));
  else if (json_is_true(v))
    snprintf(buf, sizeof(buf), "true");
  else if (json_is_false(v))
    snprintf(buf, sizeof(buf), "false");
  else if (json_is_null(v))
    buf[0] = '\0';
  else
    return NULL;
  return strdup(buf);
}

static int add_leaf(leaves_t *l, const char *path, char *value)
{
  char *p = strdup(path);

  if (!value || !p || su__grow(&l->v, l->n, &l->cap, sizeof(*l->v), 64)) {
    free(value);
    free(p);
    return su_errorf(SU_ENOMEM, "cannot compare system.json");
  }
  l->v[l->n].path = p;
  l->v[l->n++].value = value;
  return SU_OK;
}

/* An array whose elements are all scalars, joined with spaces; else NULL. */
static char *scalar_array(json_t *a)
{
  size_t i, len = 1;
  json_t *e;
  char *s;

  json_array_foreach(a, i, e) {
    char *t = scalar_text(e);
    if (!t)
      return NULL;
    len += strlen(t) + 1;
    free(t);
  }
  if (!(s = calloc(1, len)))
    return NULL;
  json_array_foreach(a, i, e) {
    char *t = scalar_text(e);
    if (i)
      strcat(s, " ");
    strcat(s, t ? t : "");
    free(t);
  }
  return s;
}

static int flatten(json_t *v, const char *path, leaves_t *l)
{
  char sub[512];
  const char *key;
  json_t *e;
  size_t i;
  int err;

  if (path[0] && skipped(path))
    return SU_OK;
  if (json_is_object(v)) {
    json_object_foreach(v, key, e) {
      snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "", key);
      if ((err = flatten(e, sub, l)))
        return err;
    }
    return SU_OK;
  }
  if (json_is_array(v)) {
    char *joined = scalar_array(v);
    if (joined)
      return add_leaf(l, path, joined);
    json_array_foreach(v, i, e) {
      snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
      if ((err = flatten(e, sub, l)))
        return err;
    }
    return SU_OK;
  }
  return add_leaf(l, path, scalar_text(v));
}

static int load(const char *text, const char *which, leaves_t *l)
{
  json_error_t jerr;
  json_t *root = json_loads(text ? text : "", 0, &jerr);
  int err;

  if (!root || !json_is_object(root)) {
    json_decref(root);
    return su_errorf(SU_EINVAL, "the %s system.json is not a JSON object", which);
  }
  err = flatten(root, "", l);
  json_decref(root);
  return err;
}

static const char *find(const leaves_t *l, const char *path)
{
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->v[i].path, path) == 0)
      return l->v[i].value;
  return NULL;
}

static int add_diff(su_sysdiff_t **d, size_t *n, size_t *cap, const char *field,
                    const char *base, const char *cur)
{
  su_sysdiff_t *w;

  if (su__grow(d, *n, cap, sizeof(**d), 8))
    return su_errorf(SU_ENOMEM, "cannot compare system.json");
  w = &(*d)[*n];
  w->field = strdup(field);
  w->base = strdup(base ? base : "");
  w->cur = strdup(cur ? cur : "");
  (*n)++;
  if (!w->field || !w->base || !w->cur)
    return su_errorf(SU_ENOMEM, "cannot compare system.json");
  return SU_OK;
}

int su_results_sysdiff(const char *base_json, const char *new_json, su_sysdiff_t **out,
                       size_t *n)
{
  leaves_t a = {NULL, 0, 0}, b = {NULL, 0, 0};
  su_sysdiff_t *d = NULL;
  size_t nd = 0, cap = 0;
  int err;

  *out = NULL;
  *n = 0;
  if ((err = load(base_json, "baseline's", &a)) || (err = load(new_json, "new run's", &b)))
    goto out;
  for (size_t i = 0; i < a.n && !err; i++) {
    const char *v = find(&b, a.v[i].path);
    if (!v || strcmp(v, a.v[i].value) != 0)
      err = add_diff(&d, &nd, &cap, a.v[i].path, a.v[i].value, v);
  }
  for (size_t i = 0; i < b.n && !err; i++)
    if (!find(&a, b.v[i].path))
      err = add_diff(&d, &nd, &cap, b.v[i].path, NULL, b.v[i].value);
out:
  leaves_free(&a);
  leaves_free(&b);
  if (err) {
    su_results_sysdiff_free(d, nd);
    return err;
  }
  *out = d;
  *n = nd;
  return SU_OK;
}

#endif
