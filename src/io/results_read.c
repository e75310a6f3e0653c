/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * results_read.c: loads a results directory (summary.csv and system.json)
 * for the analysing commands.
 *
 * summary.csv is read through the RFC 4180 reader of csv.h; columns are
 * looked up by header name, so files with columns appended by later schema
 * revisions still load.  The 26 contract columns of docs/csv-schema.md are
 * required; `flops`, `bytes`, `timer`, `noisy` and `scaling` are optional.
 * system.json is parsed with libjansson when the build has it; the
 * fingerprint is informative only, so a missing system.json is not an error.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_int.h"
#include "sizeup/config.h"
#include "sizeup/csv.h"
#include "sizeup/error.h"
#include "sizeup/results.h"

#if SU_HAVE_JANSSON
#include <jansson.h>
#endif

/* Schema versions this reader understands (docs/csv-schema.md). */
#define SU_RESULTS_SCHEMA_MAX 1

enum {
  C_SCHEMA, C_RUN_ID, C_KERNEL, C_VARIANT, C_BACKEND, C_DEVICE, C_PRECISION,
  C_THREADS, C_RANKS, C_NODES, C_PLACEMENT, C_CPUSET, C_SIZE, C_METRIC, C_UNIT,
  C_STATUS, C_REASON, C_MEDIAN, C_MIN, C_MAX, C_MEAN, C_STDDEV, C_CV, C_CI_LO,
  C_CI_HI, C_REPS,
  C_NREQUIRED,
  C_FLOPS = C_NREQUIRED, C_BYTES, C_TIMER, C_NOISY, C_SCALING,
  C_NCOLS
};

static const char *const col_names[C_NCOLS] = {
  "schema_version", "run_id", "kernel", "variant", "backend", "device", "precision",
  "threads", "ranks", "nodes", "placement", "cpuset", "size_bytes", "metric", "unit",
  "status", "reason", "median", "min", "max", "mean", "stddev", "cv", "ci95_lo",
  "ci95_hi", "reps",
  "flops", "bytes", "timer", "noisy", "scaling",
};

static char *xstrdup(const char *s)
{
  size_t n = strlen(s ? s : "") + 1;
  char *p = malloc(n);

  if (p)
    memcpy(p, s ? s : "", n);
  return p;
}

/* Empty cell -> NaN.  Anything that is not entirely a number is an error. */
static int parse_double(const char *s, double *out)
{
  char *end;

  if (!s || !*s) {
    *out = NAN;
    return 0;
  }
  errno = 0;
  *out = strtod(s, &end);
  if (end == s || *end != '\0')
    return -1;
  return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
  char *end;
  unsigned long long v;

  if (!s || !*s) {
    *out = 0;
    return 0;
  }
  if (*s == '-')
    return -1;
  errno = 0;
  v = strtoull(s, &end, 10);
  if (end == s || *end != '\0' || errno)
    return -1;
  *out = v;
  return 0;
}

static void row_free(su_result_row_t *w)
{
  char **strs[] = {&w->run_id, &w->kernel, &w->variant, &w->backend, &w->device,
                   &w->precision, &w->placement, &w->cpuset, &w->metric, &w->unit,
                   &w->status, &w->reason, &w->timer, &w->scaling};

  for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
    free(*strs[i]);
    *strs[i] = NULL;
  }
}

static int row_fill(su_result_row_t *w, char **f, size_t nf, const int *idx,
                    const char *path, unsigned long line)
{
  struct { int col; char **dst; } strs[] = {
    {C_RUN_ID, &w->run_id}, {C_KERNEL, &w->kernel}, {C_VARIANT, &w->variant},
    {C_BACKEND, &w->backend}, {C_DEVICE, &w->device}, {C_PRECISION, &w->precision},
    {C_PLACEMENT, &w->placement}, {C_CPUSET, &w->cpuset}, {C_METRIC, &w->metric},
    {C_UNIT, &w->unit}, {C_STATUS, &w->status}, {C_REASON, &w->reason},
    {C_TIMER, &w->timer}, {C_SCALING, &w->scaling},
  };
  struct { int col; double *dst; } dbls[] = {
    {C_MEDIAN, &w->median}, {C_MIN, &w->min}, {C_MAX, &w->max}, {C_MEAN, &w->mean},
    {C_STDDEV, &w->stddev}, {C_CV, &w->cv}, {C_CI_LO, &w->ci95_lo},
    {C_CI_HI, &w->ci95_hi}, {C_FLOPS, &w->flops}, {C_BYTES, &w->bytes},
  };
  struct { int col; uint64_t v; } ints[] = {
    {C_SCHEMA, 0}, {C_THREADS, 0}, {C_RANKS, 0}, {C_NODES, 0}, {C_SIZE, 0},
    {C_REPS, 0}, {C_NOISY, 0},
  };

#define CELL(c) (idx[c] >= 0 && (size_t)idx[c] < nf ? f[idx[c]] : "")
  for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
    *strs[i].dst = xstrdup(CELL(strs[i].col));
    if (!*strs[i].dst)
      return su_errorf(SU_ENOMEM, "cannot load '%s'", path);
  }
  if (!w->scaling[0]) {
    free(w->scaling);
    if (!(w->scaling = xstrdup("strong")))
      return su_errorf(SU_ENOMEM, "cannot load '%s'", path);
  }
  for (size_t i = 0; i < sizeof(dbls) / sizeof(dbls[0]); i++)
    if (parse_double(CELL(dbls[i].col), dbls[i].dst) < 0)
      return su_errorf(SU_EINVAL, "'%s' line %lu: column '%s' is not a number",
                       path, line, col_names[dbls[i].col]);
  for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
    if (parse_u64(CELL(ints[i].col), &ints[i].v) < 0 ||
        (ints[i].col != C_SIZE && ints[i].v > UINT32_MAX))
      return su_errorf(SU_EINVAL, "'%s' line %lu: column '%s' is not a non-negative integer",
                       path, line, col_names[ints[i].col]);
#undef CELL
  if (ints[0].v < 1 || ints[0].v > SU_RESULTS_SCHEMA_MAX)
    return su_errorf(SU_EINVAL, "'%s' line %lu: unsupported schema_version '%llu'", path,
                     line, (unsigned long long)ints[0].v);
  w->threads = (unsigned)ints[1].v;
  w->ranks = (unsigned)ints[2].v;
  w->nodes = (unsigned)ints[3].v;
  w->size_bytes = ints[4].v;
  w->reps = (unsigned)ints[5].v;
  w->noisy = ints[6].v != 0;
  return SU_OK;
}

static int load_summary(const char *dir, su_results_t *r)
{
  char path[4096];
  FILE *fp = NULL;
  su_csv_reader_t rd;
  char **f;
  size_t nf, cap = 0;
  int idx[C_NCOLS], err = SU_OK, rc;

  snprintf(path, sizeof(path), "%s/summary.csv", dir);
  fp = fopen(path, "r");
  if (!fp)
    return su_errorf(SU_EIO, "cannot open '%s': %s", path, strerror(errno));
  su_csv_reader_init(&rd, fp);
  rc = su_csv_read(&rd, &f, &nf);
  if (rc < 0) {
    err = rc;
    goto out;
  }
  if (rc == 0) {
    err = su_errorf(SU_EINVAL, "'%s' is empty", path);
    goto out;
  }
  for (int c = 0; c < C_NCOLS; c++) {
    idx[c] = -1;
    for (size_t i = 0; i < nf; i++)
      if (strcmp(f[i], col_names[c]) == 0) {
        idx[c] = (int)i;
        break;
      }
    if (c < C_NREQUIRED && idx[c] < 0) {
      err = su_errorf(SU_EINVAL, "'%s' lacks the column '%s'", path, col_names[c]);
      goto out;
    }
  }
  while ((rc = su_csv_read(&rd, &f, &nf)) == 1) {
    if (nf == 1 && f[0][0] == '\0')
      continue;             /* a blank line */
    if (su__grow(&r->rows, r->nrows, &cap, sizeof(*r->rows), 64) != SU_OK) {
      err = su_errorf(SU_ENOMEM, "cannot load '%s'", path);
      goto out;
    }
    memset(&r->rows[r->nrows], 0, sizeof(r->rows[0]));
    err = row_fill(&r->rows[r->nrows], f, nf, idx, path, rd.line);
    r->nrows++;             /* counted even on failure so fini frees it */
    if (err)
      goto out;
  }
  if (rc < 0)
    err = rc;
out:
  su_csv_reader_fini(&rd);
  fclose(fp);
  return err;
}

static void fp_init_strings(su_fingerprint_t *p)
{
  char **s[] = {&p->run_id, &p->sizeup_version, &p->git_commit, &p->hostname, &p->os,
                &p->kernel, &p->cpu_model, &p->cpu_vendor, &p->arch, &p->isa,
                &p->compiler_id, &p->compiler_flags, &p->command_line};

  for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
    if (!*s[i])
      *s[i] = xstrdup("");
}

static void fp_free(su_fingerprint_t *p)
{
  char **s[] = {&p->run_id, &p->sizeup_version, &p->git_commit, &p->hostname, &p->os,
                &p->kernel, &p->cpu_model, &p->cpu_vendor, &p->arch, &p->isa,
                &p->compiler_id, &p->compiler_flags, &p->command_line};

  for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
    free(*s[i]);
  for (size_t i = 0; i < p->nlabels; i++) {
    free(p->label_keys[i]);
    free(p->label_vals[i]);
  }
  free(p->label_keys);
  free(p->label_vals);
  for (size_t i = 0; i < p->ndevices; i++)
    free(p->device_names[i]);
  free(p->device_names);
  memset(p, 0, sizeof(*p));
}

#if SU_HAVE_JANSSON
static char *jstr(json_t *obj, const char *a, const char *b)
{
  json_t *v = json_object_get(obj, a);

  if (b)
    v = json_object_get(v, b);
  return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static uint64_t jint(json_t *obj, const char *a, const char *b)
{
  json_t *v = json_object_get(obj, a);

  if (b)
    v = json_object_get(v, b);
  if (json_is_integer(v) && json_integer_value(v) >= 0)
    return (uint64_t)json_integer_value(v);
  if (json_is_real(v) && json_real_value(v) >= 0)
    return (uint64_t)json_real_value(v);
  return 0;
}

/* Joins the strings of a JSON array with `sep`; non-strings are skipped. */
static char *jjoin(json_t *arr, const char *sep)
{
  size_t i, len = 1;
  json_t *v;
  char *s;

  json_array_foreach(arr, i, v)
    if (json_is_string(v))
      len += strlen(json_string_value(v)) + strlen(sep);
  if (!(s = calloc(1, len)))
    return NULL;
  json_array_foreach(arr, i, v) {
    if (!json_is_string(v))
      continue;
    if (s[0])
      strcat(s, sep);
    strcat(s, json_string_value(v));
  }
  return s;
}

static int load_system(const char *dir, su_fingerprint_t *p)
{
  char path[4096];
  json_error_t jerr;
  json_t *root, *v, *topo;
  const char *key;
  size_t i;
  int err = SU_OK;

  snprintf(path, sizeof(path), "%s/system.json", dir);
  root = json_load_file(path, 0, &jerr);
  if (!root) {
    FILE *probe = fopen(path, "r");
    if (!probe)
      return SU_OK;         /* no fingerprint: shown as unknown */
    fclose(probe);
    return su_errorf(SU_EINVAL, "'%s' line %d: %s", path, jerr.line, jerr.text);
  }
  if (!json_is_object(root)) {
    err = su_errorf(SU_EINVAL, "'%s' is not a JSON object", path);
    goto out;
  }
  p->run_id = jstr(root, "run_id", NULL);
  p->sizeup_version = jstr(root, "sizeup", "version");
  p->git_commit = jstr(root, "sizeup", "git_commit");
  p->hostname = jstr(root, "host", "hostname");
  p->os = jstr(root, "host", "os");
  p->kernel = jstr(root, "host", "kernel");
  p->cpu_model = jstr(root, "cpu", "model");
  p->cpu_vendor = jstr(root, "cpu", "vendor");
  p->arch = jstr(root, "cpu", "arch");
  p->isa = jjoin(json_object_get(json_object_get(root, "cpu"), "isa"), " ");
  p->compiler_id = jstr(root, "compiler", "id");
  p->compiler_flags = jstr(root, "compiler", "flags");
  p->command_line = jjoin(json_object_get(root, "command_line"), " ");
  topo = json_object_get(root, "topology");
  p->packages = (unsigned)jint(topo, "packages", NULL);
  p->numa_nodes = (unsigned)jint(topo, "numa_nodes", NULL);
  p->cores = (unsigned)jint(topo, "cores", NULL);
  p->pus = (unsigned)jint(topo, "pus", NULL);
  p->memory_bytes = jint(topo, "memory_bytes", NULL);
  p->llc_bytes = jint(topo, "llc_bytes", NULL);
  json_array_foreach(json_object_get(topo, "caches"), i, v) {
    su_cache_info_t *c;
    if (!json_is_object(v) || p->ncaches == SU_RESULTS_MAX_CACHES)
      continue;
    c = &p->caches[p->ncaches++];
    c->level = (unsigned)jint(v, "level", NULL);
    c->size_bytes = jint(v, "size_bytes", NULL);
    c->count = (unsigned)jint(v, "count", NULL);
    c->pus_per_instance = (unsigned)jint(v, "pus_per_instance", NULL);
  }
  v = json_object_get(root, "labels");
  if (json_is_object(v) && json_object_size(v)) {
    json_t *lv;
    size_t n = json_object_size(v);
    p->label_keys = calloc(n, sizeof(char *));
    p->label_vals = calloc(n, sizeof(char *));
    if (!p->label_keys || !p->label_vals) {
      err = su_errorf(SU_ENOMEM, "cannot load '%s'", path);
      goto out;
    }
    json_object_foreach(v, key, lv) {
      char num[64];
      const char *val = json_is_string(lv) ? json_string_value(lv) : NULL;
      if (!val && json_is_number(lv)) {
        snprintf(num, sizeof(num), "%.9g", json_number_value(lv));
        val = num;
      }
      p->label_keys[p->nlabels] = xstrdup(key);
      p->label_vals[p->nlabels] = xstrdup(val ? val : "");
      p->nlabels++;
    }
  }
  v = json_object_get(root, "devices");
  if (json_is_array(v) && json_array_size(v)) {
    json_t *d;
    p->device_names = calloc(json_array_size(v), sizeof(char *));
    if (!p->device_names) {
      err = su_errorf(SU_ENOMEM, "cannot load '%s'", path);
      goto out;
    }
    json_array_foreach(v, i, d) {
      char *name = jstr(d, "name", NULL);
      p->device_names[p->ndevices++] = name ? name : xstrdup("");
    }
  }
  p->loaded = 1;
out:
  json_decref(root);
  return err;
}
#else
static int load_system(const char *dir, su_fingerprint_t *p)
{
  (void)dir;
  (void)p;
  return SU_OK;             /* built without libjansson: fingerprint unknown */
}
#endif

int su_results_row_ok(const su_result_row_t *row)
{
  return strcmp(row->status, "ok") == 0 && isfinite(row->median);
}

/* --- headline figures -------------------------------------------------------- */

static int head_match(const su_result_row_t *w, const char *kernel, const char *metric,
                      const char *precision)
{
  return su_results_row_ok(w) && strcmp(w->metric, metric) == 0 &&
         (!kernel || strcmp(w->kernel, kernel) == 0) &&
         (!precision || strcmp(w->precision, precision) == 0);
}

/* The best (highest, or lowest with lower = 1) median of the matching rows
 * at their largest working set. */
static su_headline_t head_best(const su_result_row_t *rows, size_t n, const char *kernel,
                               const char *metric, const char *precision, int lower)
{
  su_headline_t h = {NAN, (size_t)-1};
  uint64_t big = 0;

  for (size_t i = 0; i < n; i++)
    if (head_match(&rows[i], kernel, metric, precision) && rows[i].size_bytes > big)
      big = rows[i].size_bytes;
  for (size_t i = 0; i < n; i++) {
    const su_result_row_t *w = &rows[i];
    if (!head_match(w, kernel, metric, precision) || w->size_bytes != big)
      continue;
    if (isnan(h.value) || (lower ? w->median < h.value : w->median > h.value)) {
      h.value = w->median;
      h.row = i;
    }
  }
  return h;
}

void su_results_headlines(const su_result_row_t *rows, size_t n, su_headline_t out[SU_HEAD_N])
{
  out[SU_HEAD_MEM_BW] = head_best(rows, n, "stream_triad", "bandwidth", NULL, 0);
  if (isnan(out[SU_HEAD_MEM_BW].value))
    out[SU_HEAD_MEM_BW] = head_best(rows, n, NULL, "bandwidth", NULL, 0);
  out[SU_HEAD_PEAK64] = head_best(rows, n, "fma_peak", "flops", "fp64", 0);
  out[SU_HEAD_PEAK32] = head_best(rows, n, "fma_peak", "flops", "fp32", 0);
  out[SU_HEAD_LATENCY] = head_best(rows, n, NULL, "latency", NULL, 1);
}

static const char *const head_names[SU_HEAD_N] = {"memory bandwidth", "peak FP64",
                                                  "peak FP32", "memory latency"};
static const char *const head_units[SU_HEAD_N] = {"GB/s", "GFLOP/s", "GFLOP/s", "ns"};

const char *su_results_head_name(su_head_t h)
{
  return (unsigned)h < SU_HEAD_N ? head_names[h] : NULL;
}

const char *su_results_head_unit(su_head_t h)
{
  return (unsigned)h < SU_HEAD_N ? head_units[h] : NULL;
}

const char *su_results_label(const su_results_t *r, const char *key)
{
  for (size_t i = 0; i < r->fp.nlabels; i++)
    if (strcmp(r->fp.label_keys[i], key) == 0)
      return r->fp.label_vals[i];
  return NULL;
}

int su_results_load(const char *dir, su_results_t *out)
{
  su_results_t r;
  const char *base, *id;
  int err;

  memset(&r, 0, sizeof(r));
  if (out)
    memset(out, 0, sizeof(*out));
  if (!dir || !*dir)
    return su_errorf(SU_EINVAL, "no results directory given");
  if (!(r.dir = xstrdup(dir)))
    return su_errorf(SU_ENOMEM, "cannot load '%s'", dir);
  if ((err = load_summary(dir, &r)) != SU_OK)
    goto out;
  if ((err = load_system(dir, &r.fp)) != SU_OK)
    goto out;
  fp_init_strings(&r.fp);
  base = strrchr(dir, '/');
  base = base && base[1] ? base + 1 : dir;
  id = r.fp.run_id && r.fp.run_id[0] ? r.fp.run_id
       : r.nrows && r.rows[0].run_id[0] ? r.rows[0].run_id : base;
  if (!(r.run_id = xstrdup(id))) {
    err = su_errorf(SU_ENOMEM, "cannot load '%s'", dir);
    goto out;
  }
  *out = r;
  return SU_OK;
out:
  su_results_fini(&r);
  return err;
}

void su_results_fini(su_results_t *r)
{
  if (!r)
    return;
  for (size_t i = 0; i < r->nrows; i++)
    row_free(&r->rows[i]);
  free(r->rows);
  free(r->dir);
  free(r->run_id);
  fp_free(&r->fp);
  memset(r, 0, sizeof(*r));
}
