/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * results_read.c: loads a results directory (summary.csv and system.json)
 * for the analysing commands.
 *
 * summary.csv is read through the column table of schema.h: columns are
 * found by header name, so files with columns appended by later schema
 * revisions still load; the 26 contract columns of docs/csv-schema.md are
 * required, every row must have the header's field count and every number
 * its column's range, and a status must be one of the five.
 * system.json is parsed with libjansson when the build has it; the
 * fingerprint is informative only, so a missing system.json is not an error.
 */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/io_int.h"
#include "sizeup/config.h"
#include "sizeup/csv.h"
#include "sizeup/error.h"
#include "sizeup/results.h"
#include "sizeup/run.h"
#include "sizeup/schema.h"

#if SU_HAVE_JANSSON
#include <jansson.h>
#endif

static char *xstrdup(const char *s)
{
  size_t n = strlen(s ? s : "") + 1;
  char *p = malloc(n);

  if (p)
    memcpy(p, s ? s : "", n);
  return p;
}

/* The text columns of a row: where each goes (row_fill) and what to free. */
static const struct { int col; size_t off; } row_strs[] = {
#define S(c, f) {SU_SUM_##c, offsetof(su_result_row_t, f)}
  S(RUN_ID, run_id), S(KERNEL, kernel), S(VARIANT, variant), S(BACKEND, backend),
  S(DEVICE, device), S(PRECISION, precision), S(PLACEMENT, placement), S(CPUSET, cpuset),
  S(METRIC, metric), S(UNIT, unit), S(STATUS, status), S(REASON, reason), S(TIMER, timer),
  S(SCALING, scaling),
#undef S
};
#define ROW_STR(w, i) ((char **)((char *)(w) + row_strs[i].off))
#define NSTRS (sizeof(row_strs) / sizeof(row_strs[0]))

static void row_free(su_result_row_t *w)
{
  for (size_t i = 0; i < NSTRS; i++) {
    free(*ROW_STR(w, i));
    *ROW_STR(w, i) = NULL;
  }
}

/* Copies the current row of `t` into *w (numbers were checked by
 * su_table_next). */
static int row_fill(su_result_row_t *w, const su_table_reader_t *t)
{
  static const struct { int col; size_t off; } dbls[] = {
#define D(c, f) {SU_SUM_##c, offsetof(su_result_row_t, f)}
    D(MEDIAN, median), D(MIN, min), D(MAX, max), D(MEAN, mean), D(STDDEV, stddev), D(CV, cv),
    D(CI95_LO, ci95_lo), D(CI95_HI, ci95_hi), D(FLOPS, flops), D(BYTES, bytes),
    D(ENERGY_J, energy_j), D(POWER_W, power_w),
#undef D
  };
  const char *st = su_table_str(t, SU_SUM_STATUS);
  int k;

  for (size_t i = 0; i < NSTRS; i++) {
    const char *v = su_table_str(t, row_strs[i].col);
    if (row_strs[i].col == SU_SUM_SCALING && !*v)
      v = "strong";         /* docs/csv-schema.md: missing or empty means strong */
    if (!(*ROW_STR(w, i) = xstrdup(v)))
      return su_errorf(SU_ENOMEM, "cannot load '%s'", t->path);
  }
  for (size_t i = 0; i < sizeof(dbls) / sizeof(dbls[0]); i++)
    *(double *)((char *)w + dbls[i].off) = su_table_real(t, dbls[i].col);
  for (k = SU_STATUS_OK; k <= SU_STATUS_ERROR; k++)
    if (strcmp(st, su_status_name((su_status_t)k)) == 0)
      break;
  if (k > SU_STATUS_ERROR)
    return su_errorf(SU_EINVAL, "'%s' line %lu: unknown status '%.40s'", t->path,
                     su_table_line(t), st);
  if (k == 0 && !isfinite(w->median))
    return su_errorf(SU_EINVAL, "'%s' line %lu: status ok without a median", t->path,
                     su_table_line(t));
  w->threads = (unsigned)su_table_u64(t, SU_SUM_THREADS);
  w->ranks = (unsigned)su_table_u64(t, SU_SUM_RANKS);
  w->nodes = (unsigned)su_table_u64(t, SU_SUM_NODES);
  w->size_bytes = su_table_u64(t, SU_SUM_SIZE_BYTES);
  w->reps = (unsigned)su_table_u64(t, SU_SUM_REPS);
  w->noisy = su_table_u64(t, SU_SUM_NOISY) != 0;
  /* Schema version 2; empty (or absent, in version 1) is -1. */
  w->cpu_numa = *su_table_str(t, SU_SUM_CPU_NUMA) ? (int)su_table_u64(t, SU_SUM_CPU_NUMA) : -1;
  w->mem_numa = *su_table_str(t, SU_SUM_MEM_NUMA) ? (int)su_table_u64(t, SU_SUM_MEM_NUMA) : -1;
  return SU_OK;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A folder of runs (results/) given where one run is expected: SU_EINVAL
 * naming the runs in it (the folders below dir that hold a summary.csv),
 * oldest first for sizeup's run ids; SU_OK when dir holds none.
 */
static int folder_of_runs(const char *dir)
{
  char path[4096], list[1024] = "", *names[512];
  size_t n = 0, used = 0;
  struct dirent *de;
  struct stat st;
  DIR *d = opendir(dir);

  if (!d)
    return SU_OK;
  while ((de = readdir(d)) && n < sizeof(names) / sizeof(names[0])) {
    if (de->d_name[0] == '.')
      continue;
    snprintf(path, sizeof(path), "%s/%s/summary.csv", dir, de->d_name);
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (names[n] = strdup(de->d_name)))
      n++;
  }
  closedir(d);
  if (!n)
    return SU_OK;
  qsort(names, n, sizeof(names[0]), cmp_str);
  for (size_t i = 0; i < n; i++) {
    if (i < 8 && used < sizeof(list))
      used += (size_t)snprintf(list + used, sizeof(list) - used, "%s'%s/%s'", i ? ", " : "",
                               dir, names[i]);
    free(names[i]);
  }
  if (n > 8 && used < sizeof(list))
    snprintf(list + used, sizeof(list) - used, " and %zu more", n - 8);
  return su_errorf(SU_EINVAL, "'%s' is a folder of %zu run%s, not one run: %s; give %s",
                   dir, n, n == 1 ? "" : "s", list,
                   n == 1 ? "that one" : "one of them (report and compare take several)");
}

static int load_summary(const char *dir, su_results_t *r)
{
  char path[4096];
  su_table_reader_t t;
  struct stat st;
  size_t cap = 0;
  int err, rc;

  snprintf(path, sizeof(path), "%s/summary.csv", dir);
  if (stat(path, &st) != 0 && errno == ENOENT && (err = folder_of_runs(dir)))
    return err;
  if ((err = su_table_open(&t, &su_schema_summary, path)))
    return err;
  while ((rc = su_table_next(&t)) == 1) {
    if (su__grow(&r->rows, r->nrows, &cap, sizeof(*r->rows), 64) != SU_OK) {
      err = su_errorf(SU_ENOMEM, "cannot load '%s'", path);
      goto out;
    }
    memset(&r->rows[r->nrows], 0, sizeof(r->rows[0]));
    err = row_fill(&r->rows[r->nrows], &t);
    r->nrows++;             /* counted even on failure so fini frees it */
    if (err)
      goto out;
  }
  err = rc < 0 ? rc : SU_OK;
out:
  su_table_close(&t);
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
  for (size_t i = 0; p->device_types && i < p->ndevices; i++)
    free(p->device_types[i]);
  free(p->device_types);
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

/* A non-negative integer of the file, or 0 when absent, not a number, or
 * above `max` (a 1e300 must not reach a float-to-integer cast). */
static uint64_t jint(json_t *obj, const char *a, const char *b, uint64_t max)
{
  json_t *v = json_object_get(obj, a);
  double d;

  if (b)
    v = json_object_get(v, b);
  if (json_is_integer(v) && json_integer_value(v) >= 0 &&
      (uint64_t)json_integer_value(v) <= max)
    return (uint64_t)json_integer_value(v);
  d = json_is_real(v) ? json_real_value(v) : -1;
  if (d >= 0 && d <= 9e18 && d <= (double)max)
    return (uint64_t)d;
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
  p->packages = (unsigned)jint(topo, "packages", NULL, UINT32_MAX);
  p->numa_nodes = (unsigned)jint(topo, "numa_nodes", NULL, UINT32_MAX);
  p->cores = (unsigned)jint(topo, "cores", NULL, UINT32_MAX);
  p->pus = (unsigned)jint(topo, "pus", NULL, UINT32_MAX);
  p->memory_bytes = jint(topo, "memory_bytes", NULL, UINT64_MAX);
  p->llc_bytes = jint(topo, "llc_bytes", NULL, UINT64_MAX);
  json_array_foreach(json_object_get(topo, "caches"), i, v) {
    su_cache_info_t *c;
    if (!json_is_object(v) || p->ncaches == SU_RESULTS_MAX_CACHES)
      continue;
    c = &p->caches[p->ncaches++];
    c->level = (unsigned)jint(v, "level", NULL, UINT32_MAX);
    c->size_bytes = jint(v, "size_bytes", NULL, UINT64_MAX);
    c->count = (unsigned)jint(v, "count", NULL, UINT32_MAX);
    c->pus_per_instance = (unsigned)jint(v, "pus_per_instance", NULL, UINT32_MAX);
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
    p->device_types = calloc(json_array_size(v), sizeof(char *));
    if (!p->device_names || !p->device_types) {
      err = su_errorf(SU_ENOMEM, "cannot load '%s'", path);
      goto out;
    }
    json_array_foreach(v, i, d) {
      char *name = jstr(d, "name", NULL), *type = jstr(d, "facts", "type");
      char *backend = jstr(d, "backend", NULL);
      if (!type && backend && strcmp(backend, "cpu") == 0)
        type = xstrdup("cpu");
      free(backend);
      p->device_types[p->ndevices] = type ? type : xstrdup("");
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
                      const char *precision, const char *backend)
{
  return su_results_row_ok(w) && strcmp(w->metric, metric) == 0 &&
         strcmp(w->kernel, kernel) == 0 &&
         (!precision || strcmp(w->precision, precision) == 0) &&
         (!backend || strcmp(w->backend, backend) == 0);
}

/* The best (highest, or lowest with lower = 1) median of the matching rows
 * at their largest working set. */
static su_headline_t head_best(const su_result_row_t *rows, size_t n, const char *kernel,
                               const char *metric, const char *precision, const char *backend,
                               int lower)
{
  su_headline_t h = {NAN, (size_t)-1};
  uint64_t big = 0;

  for (size_t i = 0; i < n; i++)
    if (head_match(&rows[i], kernel, metric, precision, backend) && rows[i].size_bytes > big)
      big = rows[i].size_bytes;
  for (size_t i = 0; i < n; i++) {
    const su_result_row_t *w = &rows[i];
    if (!head_match(w, kernel, metric, precision, backend) || w->size_bytes != big)
      continue;
    if (isnan(h.value) || (lower ? w->median < h.value : w->median > h.value)) {
      h.value = w->median;
      h.row = i;
    }
  }
  return h;
}

/* One figure from one backend, or (backend NULL) from the first of the CPU,
 * the null backend's model of it and any other backend that gives it;
 * FP64 first, then any precision when allowed. */
static su_headline_t head_pick(const su_result_row_t *rows, size_t n, const char *kernel,
                               const char *metric, const char *precision, int any_precision,
                               const char *backend, int lower)
{
  static const char *const order[] = {"cpu", "null", NULL};
  su_headline_t h = {NAN, (size_t)-1};

  for (size_t b = 0; b < sizeof(order) / sizeof(order[0]) && isnan(h.value); b++) {
    const char *be = backend ? backend : order[b];
    h = head_best(rows, n, kernel, metric, precision, be, lower);
    if (isnan(h.value) && any_precision)
      h = head_best(rows, n, kernel, metric, NULL, be, lower);
    if (backend)
      break;
  }
  return h;
}

void su_results_headlines_of(const su_result_row_t *rows, size_t n, const char *backend,
                             su_headline_t out[SU_HEAD_N])
{
  out[SU_HEAD_MEM_BW] = head_pick(rows, n, "stream_triad", "bandwidth", "fp64", 1, backend, 0);
  out[SU_HEAD_PEAK64] = head_pick(rows, n, "fma_peak", "flops", "fp64", 0, backend, 0);
  out[SU_HEAD_PEAK32] = head_pick(rows, n, "fma_peak", "flops", "fp32", 0, backend, 0);
  out[SU_HEAD_LATENCY] = head_pick(rows, n, "latency_chase", "latency", NULL, 0, backend, 1);
}

void su_results_headlines(const su_result_row_t *rows, size_t n, su_headline_t out[SU_HEAD_N])
{
  su_results_headlines_of(rows, n, NULL, out);
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

const char *su_results_row_device_kind(const su_results_t *r, const su_result_row_t *row)
{
  if (strcmp(row->backend, "opencl") != 0)
    return "cpu";
  /* "NAME [P:D]" or "k x NAME [P:D,...]": the device whose name it holds */
  for (size_t i = 0; i < r->fp.ndevices; i++)
    if (r->fp.device_names[i][0] && strstr(row->device, r->fp.device_names[i]))
      return strcmp(r->fp.device_types[i], "cpu") == 0 ? "cpu" : "gpu";
  return "gpu";
}

/* PUs in a cpuset list ("0-3,8"), 0 when empty or not a list. */
static unsigned cpuset_count(const char *s)
{
  unsigned n = 0;
  char *end;

  while (*s) {
    unsigned long a = strtoul(s, &end, 10), b = a;
    if (end == s)
      return 0;
    if (*end == '-') {
      s = end + 1;
      b = strtoul(s, &end, 10);
      if (end == s || b < a)
        return 0;
    }
    n += (unsigned)(b - a + 1);
    s = end + (*end == ',');
    if (*end && *end != ',')
      return 0;
  }
  return n;
}

uint64_t su_results_llc_of_row(const su_results_t *r, const su_result_row_t *row,
                               unsigned *level)
{
  const su_cache_info_t *llc = NULL;
  uint64_t n;

  *level = 0;
  if (strcmp(su_results_row_device_kind(r, row), "cpu") != 0)
    return 0;               /* a GPU's caches are not in system.json */
  for (size_t i = 0; i < r->fp.ncaches; i++)
    if (r->fp.caches[i].size_bytes &&
        (!llc || r->fp.caches[i].level > llc->level))
      llc = &r->fp.caches[i];
  if (!llc)
    return r->fp.llc_bytes;
  *level = llc->level;
  /* the cpu and null backends' threads (their cpuset); an OpenCL CPU device
   * runs on every PU */
  n = strcmp(row->backend, "opencl") == 0 ? r->fp.pus : cpuset_count(row->cpuset);
  if (!n)
    n = row->threads ? row->threads : 1;
  if (llc->count && n > llc->count)
    n = llc->count;
  return n * llc->size_bytes * (row->nodes > 1 ? row->nodes : 1);
}

size_t su_results_gpu_count(const su_results_t *r)
{
  size_t n = 0;

  for (size_t i = 0; i < r->fp.ndevices; i++)
    n += strcmp(r->fp.device_types[i], "gpu") == 0 ||
         strcmp(r->fp.device_types[i], "accelerator") == 0;
  return n;
}
