/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sizing_input.c: the inputs of the sizing engine, read and validated in
 * full before anything is computed: the catalog (CSV through csv.h) and the
 * workload profile (INI through libinih).  Every error names the file, the
 * line and the field, and leaves the output zeroed, so a half-read file can
 * never feed a recommendation.  Formats: docs/sizing.md.
 */
#include <errno.h>
#include <float.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/csv.h"
#include "sizeup/error.h"
#include "sizeup/ini.h"
#include "sizeup/parse.h"
#include "sizeup/kernel.h"
#include "sizeup/sizing.h"


/* The kernels a workload mix may name: the suite's CPU and device kernels
 * with a headline rate (kernel.h work models). */
static const su_kernel_desc_t *const mix_kernels[] = {
  &su_desc_stream_copy, &su_desc_stream_scale, &su_desc_stream_add, &su_desc_stream_triad,
  &su_desc_stream_dot, &su_desc_stream_read, &su_desc_fma_peak, &su_desc_latency_chase,
  &su_desc_gemm, &su_desc_stencil_7pt,
};

static int known_kernel(const char *name)
{
  for (size_t i = 0; i < sizeof(mix_kernels) / sizeof(mix_kernels[0]); i++)
    if (strcmp(mix_kernels[i]->name, name) == 0)
      return 1;
  return 0;
}

/* --- catalog ------------------------------------------------------------------ */

enum {
  C_NAME, C_KIND, C_CORES, C_PACKAGES, C_GPUS, C_MEMORY, C_PRICE, C_PURCHASE, C_YEARS,
  C_ELEC, C_POWER, C_RESULTS, C_PEAK64, C_PEAK32, C_BW, C_LAT, C_DATE, C_NOTES, C_CURRENCY,
  C_LIC_CORE, C_LIC_NODE, C_NCOLS
};
static const char *const col_names[C_NCOLS] = {
  "name", "kind", "cores", "packages", "gpus", "memory_gib", "price_per_hour",
  "purchase_price", "years", "electricity_per_kwh", "power_watts", "results",
  "peak_gflops_fp64", "peak_gflops_fp32", "mem_bw_gbs", "mem_latency_ns", "price_date",
  "notes", "currency", "licence_per_core_hour", "licence_per_node_hour",
};
/* Columns every catalog has (the others may be absent or empty). */
static const int col_required[] = {C_NAME, C_KIND, C_CORES, C_PACKAGES, C_GPUS, C_MEMORY,
                                   C_POWER, C_DATE};

void su_sizing_catalog_fini(su_sizing_catalog_t *c)
{
  if (!c)
    return;
  for (size_t i = 0; i < c->n; i++) {
    free(c->c[i].name);
    free(c->c[i].kind);
    free(c->c[i].results_dir);
    free(c->c[i].price_date);
    free(c->c[i].notes);
  }
  free(c->c);
  free(c->path);
  memset(c, 0, sizeof(*c));
}

static char *dup_str(const char *s)
{
  size_t n = strlen(s) + 1;
  char *d = malloc(n);

  if (d)
    memcpy(d, s, n);
  return d;
}

/* `results` relative to the catalog file's directory (absolute stays). */
static char *resolve_results(const char *catalog, const char *rel)
{
  const char *slash = strrchr(catalog, '/');
  size_t dlen = slash ? (size_t)(slash - catalog) + 1 : 0;
  char *p;

  if (!*rel)
    return dup_str("");
  if (rel[0] == '/' || dlen == 0)
    return dup_str(rel);
  if (!(p = malloc(dlen + strlen(rel) + 1)))
    return NULL;
  memcpy(p, catalog, dlen);
  strcpy(p + dlen, rel);
  return p;
}

#define FIELD_ERR(fmt, ...)                                                          \
  do {                                                                               \
    err = su_errorf(SU_EINVAL, "%s:%lu: field '%s': " fmt, path, line, col_names[k], \
                    __VA_ARGS__);                                                    \
    goto out;                                                                        \
  } while (0)

int su_sizing_catalog_load(const char *path, su_sizing_catalog_t *out)
{
  su_sizing_catalog_t cat;
  su_csv_reader_t rd;
  FILE *fp;
  char **f;
  size_t nf, nhead = 0;
  int col[C_NCOLS], err = SU_OK, rc;
  unsigned long line = 1;
  size_t k;

  memset(&cat, 0, sizeof(cat));
  memset(out, 0, sizeof(*out));
  snprintf(cat.currency, sizeof(cat.currency), "USD");
  if (!(fp = fopen(path, "r")))
    return su_errorf(SU_EIO, "cannot open catalog '%s': %s", path, strerror(errno));
  su_csv_reader_init(&rd, fp);
  if (!(cat.path = dup_str(path))) {
    err = su_errorf(SU_ENOMEM, "cannot load catalog '%s'", path);
    goto out;
  }
  rc = su_csv_read(&rd, &f, &nf);
  if (rc <= 0) {
    char why[512];
    snprintf(why, sizeof(why), "%s", su_errmsg());
    err = rc < 0 ? su_errorf(SU_EINVAL, "%s: %s", path, why)
                 : su_errorf(SU_EINVAL, "%s: empty catalog (no header line)", path);
    goto out;
  }
  for (k = 0; k < C_NCOLS; k++)
    col[k] = -1;
  nhead = nf;
  for (size_t i = 0; i < nf; i++) {
    int found = 0;
    for (k = 0; k < C_NCOLS; k++) {
      if (strcmp(f[i], col_names[k]) == 0) {
        if (col[k] >= 0) {
          err = su_errorf(SU_EINVAL, "%s:1: column '%s' appears twice", path, f[i]);
          goto out;
        }
        col[k] = (int)i;
        found = 1;
      }
    }
    if (!found) {
      err = su_errorf(SU_EINVAL, "%s:1: unknown column '%s' (see docs/sizing.md)", path, f[i]);
      goto out;
    }
  }
  for (size_t i = 0; i < sizeof(col_required) / sizeof(col_required[0]); i++) {
    if (col[col_required[i]] < 0) {
      err = su_errorf(SU_EINVAL, "%s:1: missing column '%s'", path, col_names[col_required[i]]);
      goto out;
    }
  }
  if (col[C_PRICE] < 0 && col[C_PURCHASE] < 0) {
    err = su_errorf(SU_EINVAL, "%s:1: missing column 'price_per_hour' (or 'purchase_price', "
                    "'years', 'electricity_per_kwh')", path);
    goto out;
  }
  while ((rc = su_csv_read(&rd, &f, &nf)) == 1) {
    su_sizing_candidate_t *c, *grown;
    const char *v[C_NCOLS];
    double num[C_NCOLS];

    line = rd.line;
    if (nf == 1 && !f[0][0])
      continue;                       /* a blank line */
    if (nf != nhead) {
      err = su_errorf(SU_EINVAL, "%s:%lu: %zu fields where the header has %zu (a row cut short "
                      "or a stray comma)", path, line, nf, nhead);
      goto out;
    }
    for (k = 0; k < C_NCOLS; k++) {
      v[k] = col[k] >= 0 && (size_t)col[k] < nf ? f[col[k]] : "";
      num[k] = NAN;
      /* Names reach the terminal and reports: no escape sequences. */
      for (const char *ch = v[k]; *ch; ch++)
        if ((unsigned char)*ch < 0x20 || *ch == 0x7f)
          FIELD_ERR("%s", "a control character (names are plain text)");
    }
    for (k = 0; k < C_NCOLS; k++) {
      if (k == C_NAME || k == C_KIND || k == C_RESULTS || k == C_DATE || k == C_NOTES ||
          k == C_CURRENCY || !v[k][0])
        continue;
      if (su_parse_real(v[k], -DBL_MAX, DBL_MAX, &num[k]) != 0)
        FIELD_ERR("invalid number '%s'", v[k]);
      if (num[k] < 0 || ((k == C_MEMORY || k == C_PRICE || k == C_YEARS || k == C_POWER ||
                          k == C_PEAK64 || k == C_PEAK32 || k == C_BW || k == C_LAT ||
                          k == C_CORES || k == C_PACKAGES) && num[k] == 0))
        FIELD_ERR("must be %s, not '%s'",
                  k == C_GPUS || k == C_PURCHASE || k == C_ELEC || k == C_LIC_CORE ||
                          k == C_LIC_NODE
                      ? "zero or more" : "positive",
                  v[k]);
      if ((k == C_CORES || k == C_PACKAGES || k == C_GPUS) &&
          (num[k] != floor(num[k]) || num[k] > 1e7))
        FIELD_ERR("not a whole number '%s'", v[k]);
    }
    k = C_NAME;
    if (!v[C_NAME][0])
      FIELD_ERR("%s", "empty name");
    for (size_t i = 0; i < cat.n; i++)
      if (strcmp(cat.c[i].name, v[C_NAME]) == 0)
        FIELD_ERR("duplicate name '%s' (first on line %u)", v[C_NAME], cat.c[i].line);
    k = C_KIND;
    if (strcmp(v[C_KIND], "cloud") != 0 && strcmp(v[C_KIND], "onprem") != 0)
      FIELD_ERR("invalid kind '%s' (cloud or onprem)", v[C_KIND]);
    for (k = C_CORES; k <= C_POWER; k++) {
      if (k == C_PRICE || k == C_PURCHASE || k == C_YEARS || k == C_ELEC)
        continue;
      if (isnan(num[k]))
        FIELD_ERR("%s", "missing value");
    }
    k = C_PRICE;
    if (!isnan(num[C_PRICE]) && (!isnan(num[C_PURCHASE]) || !isnan(num[C_YEARS])))
      FIELD_ERR("%s", "give either price_per_hour or purchase_price + years + "
                      "electricity_per_kwh, not both");
    if (isnan(num[C_PRICE])) {
      k = C_PURCHASE;
      for (size_t j = 0; j < 3; j++) {
        k = j == 0 ? C_PURCHASE : j == 1 ? C_YEARS : C_ELEC;
        if (isnan(num[k]))
          FIELD_ERR("missing value (no price_per_hour, so the hourly cost is %s)",
                    "purchase_price / (years * 8760) + power_watts / 1000 * electricity_per_kwh");
      }
    }
    k = C_RESULTS;
    if (v[C_RESULTS][0] && (!isnan(num[C_PEAK64]) || !isnan(num[C_BW])))
      FIELD_ERR("%s", "give either results (measured) or datasheet peaks, not both");
    if (!v[C_RESULTS][0] && (isnan(num[C_PEAK64]) || isnan(num[C_BW]))) {
      k = isnan(num[C_PEAK64]) ? C_PEAK64 : C_BW;
      FIELD_ERR("%s", "missing value (a candidate without results needs datasheet "
                      "peak_gflops_fp64 and mem_bw_gbs)");
    }
    k = C_DATE;
    if (!v[C_DATE][0])
      FIELD_ERR("%s", "missing value (prices change: say when this one was true)");
    k = C_CURRENCY;
    if (v[C_CURRENCY][0]) {
      if (strlen(v[C_CURRENCY]) >= sizeof(cat.currency))
        FIELD_ERR("invalid currency '%s'", v[C_CURRENCY]);
      if (cat.n > 0 && strcmp(cat.currency, v[C_CURRENCY]) != 0)
        FIELD_ERR("currency '%s' differs from '%s' on an earlier line: use one currency",
                  v[C_CURRENCY], cat.currency);
      snprintf(cat.currency, sizeof(cat.currency), "%s", v[C_CURRENCY]);
    } else if (cat.n > 0 && col[C_CURRENCY] >= 0) {
      FIELD_ERR("%s", "missing value");
    }
    if (!(grown = realloc(cat.c, (cat.n + 1) * sizeof(*grown)))) {
      err = su_errorf(SU_ENOMEM, "cannot load catalog '%s'", path);
      goto out;
    }
    cat.c = grown;
    c = &cat.c[cat.n];
    memset(c, 0, sizeof(*c));
    cat.n++;
    c->name = dup_str(v[C_NAME]);
    c->kind = dup_str(v[C_KIND]);
    c->results_dir = resolve_results(path, v[C_RESULTS]);
    c->price_date = dup_str(v[C_DATE]);
    c->notes = dup_str(v[C_NOTES]);
    if (!c->name || !c->kind || !c->results_dir || !c->price_date || !c->notes) {
      err = su_errorf(SU_ENOMEM, "cannot load catalog '%s'", path);
      goto out;
    }
    c->line = (unsigned)line;
    c->cores = (unsigned)num[C_CORES];
    c->packages = (unsigned)num[C_PACKAGES];
    c->gpus = (unsigned)num[C_GPUS];
    c->memory_gib = num[C_MEMORY];
    c->power_watts = num[C_POWER];
    c->licence_per_core_hour = isnan(num[C_LIC_CORE]) ? 0 : num[C_LIC_CORE];
    c->licence_per_node_hour = isnan(num[C_LIC_NODE]) ? 0 : num[C_LIC_NODE];
    c->price_per_hour = num[C_PRICE];
    c->purchase_price = num[C_PURCHASE];
    c->years = num[C_YEARS];
    c->electricity_per_kwh = num[C_ELEC];
    /* Total cost of ownership per hour, the simplest defensible form:
     * straight-line amortisation over the service life plus the electricity
     * at the stated load power (docs/sizing.md).  Cloud prices already
     * include power. */
    c->cost_per_hour = !isnan(c->price_per_hour)
                           ? c->price_per_hour
                           : c->purchase_price / (c->years * SU_SIZING_HOURS_PER_YEAR) +
                                 c->power_watts / 1000.0 * c->electricity_per_kwh;
    c->peak_gflops_fp64 = num[C_PEAK64];
    c->peak_gflops_fp32 = num[C_PEAK32];
    c->mem_bw_gbs = num[C_BW];
    c->mem_latency_ns = num[C_LAT];
  }
  if (rc < 0) {
    char why[512];
    snprintf(why, sizeof(why), "%s", su_errmsg());
    err = su_errorf(SU_EINVAL, "%s: %s", path, why);
    goto out;
  }
  if (cat.n == 0)
    err = su_errorf(SU_EINVAL, "%s: the catalog has no candidates", path);
out:
  su_csv_reader_fini(&rd);
  fclose(fp);
  if (err != SU_OK) {
    su_sizing_catalog_fini(&cat);
    return err;
  }
  *out = cat;
  return SU_OK;
}

/* --- workload ------------------------------------------------------------------ */

typedef struct wl_parse {
  su_sizing_workload_t *w;
  int ntargets;
  int have_ref_time, have_flops, have_bytes;
  unsigned first_line;     /* line of the first error, 0 when none */
  char why[384];
  unsigned line;           /* current line, counted by on_line */
  su_ini_seen_t seen;      /* keys and sections given so far */
} wl_parse_t;

static int wl_fail(wl_parse_t *ps, const char *fmt, ...) SU_PRINTF(2, 3);
static int wl_fail(wl_parse_t *ps, const char *fmt, ...)
{
  va_list ap;

  if (!ps->why[0]) {
    va_start(ap, fmt);
    vsnprintf(ps->why, sizeof(ps->why), fmt, ap);
    va_end(ap);
  }
  return 0;
}

/* fgets that counts lines, so that every handler call knows its line
 * (libinih hands the handler no line number). */
typedef struct wl_stream {
  FILE *fp;
  wl_parse_t *ps;
} wl_stream_t;

static char *wl_reader(char *str, int num, void *stream)
{
  wl_stream_t *st = stream;
  char *r = fgets(str, num, st->fp);

  if (r)
    st->ps->line++;
  return r;
}

static int wl_num(wl_parse_t *ps, const char *name, const char *value, double lo, double *out)
{
  double d = 0;

  if (su_parse_real(value, -DBL_MAX, DBL_MAX, &d) != 0)
    return wl_fail(ps, "field '%s': invalid number '%s'", name, value);
  if (!(d > lo))
    return wl_fail(ps, "field '%s': must be greater than %g, not '%s'", name, lo, value);
  *out = d;
  return 1;
}

static int wl_str(wl_parse_t *ps, const char *name, const char *value, char *buf, size_t size)
{
  if (!*value || strlen(value) >= size)
    return wl_fail(ps, "field '%s': empty or longer than %zu characters", name, size - 1);
  snprintf(buf, size, "%s", value);
  return 1;
}

static int wl_entry(void *user, const char *section, const char *name, const char *value)
{
  wl_parse_t *ps = user;
  su_sizing_workload_t *w = ps->w;

  if (ps->why[0])
    return 0;
  if (su_ini_seen_add(&ps->seen, section, name, ps->why, sizeof(ps->why)))
    return 0;
  if (strcmp(section, "workload") == 0) {
    if (strcmp(name, "name") == 0)
      return wl_str(ps, name, value, w->name, sizeof(w->name));
    if (strcmp(name, "precision") == 0) {
      if (strcmp(value, "fp64") != 0 && strcmp(value, "fp32") != 0 &&
          strcmp(value, "fp16") != 0 && strcmp(value, "bf16") != 0)
        return wl_fail(ps, "field 'precision': invalid value '%s' (fp64, fp32, fp16 or bf16)",
                       value);
      snprintf(w->precision, sizeof(w->precision), "%s", value);
      return 1;
    }
    if (strcmp(name, "device") == 0) {
      if (strcmp(value, "cpu") != 0 && strcmp(value, "gpu") != 0 && strcmp(value, "auto") != 0)
        return wl_fail(ps, "field 'device': invalid value '%s' (cpu, gpu or auto)", value);
      snprintf(w->device, sizeof(w->device), "%s", value);
      return 1;
    }
    if (strcmp(name, "compute") == 0) {
      if (strcmp(value, "fma_peak") != 0 && strcmp(value, "gemm") != 0)
        return wl_fail(ps, "field 'compute': invalid value '%s' (fma_peak or gemm)", value);
      snprintf(w->compute, sizeof(w->compute), "%s", value);
      return 1;
    }
    if (strcmp(name, "gpus_per_job") == 0) {
      double d = 0;
      if (!wl_num(ps, name, value, 0, &d))
        return 0;
      if (d != floor(d) || d > 1024)
        return wl_fail(ps, "field 'gpus_per_job': not a whole number up to 1024 '%s'", value);
      w->gpus_per_job = (unsigned)d;
      return 1;
    }
    if (strcmp(name, "host_device_bytes") == 0)
      return wl_num(ps, name, value, -1e-300, &w->host_device_bytes);
    if (strcmp(name, "memory_gib") == 0) {
      double d = 0;
      if (su_parse_real(value, 0, DBL_MAX, &d) != 0)
        return wl_fail(ps, "field 'memory_gib': invalid number '%s'", value);
      w->memory_gib = d;
      return 1;
    }
    if (strcmp(name, "cores_per_job") == 0) {
      double d = 0;
      if (!wl_num(ps, name, value, 0, &d))
        return 0;
      if (d != floor(d) || d > 1e7)
        return wl_fail(ps, "field 'cores_per_job': not a whole number '%s'", value);
      w->cores_per_job = (unsigned)d;
      return 1;
    }
    if (strcmp(name, "app") == 0)
      return wl_str(ps, name, value, w->app, sizeof(w->app));
    if (strcmp(name, "mix_error") == 0) {
      if (!wl_num(ps, name, value, 0, &w->mix_error))
        return 0;
      if (w->mix_error >= 1)
        return wl_fail(ps, "field 'mix_error': a relative error below 1, not '%s'", value);
      return 1;
    }
    if (strcmp(name, "fom_per_job") == 0)
      return wl_num(ps, name, value, 0, &w->fom_per_job);
    if (strcmp(name, "reference") == 0) {
      if (!*value || strlen(value) >= sizeof(w->reference))
        return wl_fail(ps, "field 'reference': invalid value '%s'", value);
      snprintf(w->reference, sizeof(w->reference), "%s", value);
      return 1;
    }
    if (strcmp(name, "reference_time_s") == 0) {
      ps->have_ref_time = 1;
      return wl_num(ps, name, value, 0, &w->reference_time_s);
    }
    if (strcmp(name, "flops") == 0) {
      ps->have_flops = 1;
      return wl_num(ps, name, value, -1e-300, &w->flops);
    }
    if (strcmp(name, "bytes") == 0) {
      ps->have_bytes = 1;
      return wl_num(ps, name, value, -1e-300, &w->bytes);
    }
    return wl_fail(ps, "field '%s': unknown key in [workload]", name);
  }
  if (strcmp(section, "mix") == 0) {
    if (strcmp(name, "serial") == 0) {
      if (!wl_num(ps, name, value, 0, &w->serial))
        return 0;
      if (w->serial >= 1)
        return wl_fail(ps, "field 'serial': the serial part is a fraction below 1, not '%s'",
                       value);
      w->serial_line = ps->line;
      return 1;
    }
    if (!known_kernel(name))
      return wl_fail(ps, "field '%s': unknown kernel (see 'sizeup list')", name);
    for (size_t i = 0; i < w->nmix; i++)
      if (strcmp(w->kernel[i], name) == 0)
        return wl_fail(ps, "field '%s': kernel given twice", name);
    if (w->nmix == SU_SIZING_MAX_KERNELS)
      return wl_fail(ps, "field '%s': more than %d kernels", name, SU_SIZING_MAX_KERNELS);
    if (!wl_num(ps, name, value, 0, &w->weight[w->nmix]))
      return 0;
    if (w->weight[w->nmix] > 1)
      return wl_fail(ps, "field '%s': a time fraction is at most 1, not '%s'", name, value);
    snprintf(w->kernel[w->nmix], sizeof(w->kernel[0]), "%s", name);
    w->mix_line[w->nmix] = ps->line;
    w->nmix++;
    return 1;
  }
  if (strcmp(section, "target") == 0) {
    static const struct {
      const char *key;
      su_sizing_target_t t;
      double per_hour;     /* the given value divided by this is per hour */
    } keys[] = {
      {"throughput_jobs_per_hour", SU_SIZING_THROUGHPUT, 1},
      {"throughput_jobs_per_day", SU_SIZING_THROUGHPUT, 24},
      {"throughput_jobs_per_month", SU_SIZING_THROUGHPUT, SU_SIZING_HOURS_PER_MONTH},
      {"time_to_solution_s", SU_SIZING_TIME, 1},
      {"budget_per_hour", SU_SIZING_BUDGET_HOUR, 1},
      {"budget_per_job", SU_SIZING_BUDGET_JOB, 1},
    };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
      if (strcmp(name, keys[i].key) == 0) {
        if (ps->ntargets++)
          return wl_fail(ps, "field '%s': a second target (give exactly one)", name);
        w->target = keys[i].t;
        snprintf(w->target_key, sizeof(w->target_key), "%s", name);
        if (!wl_num(ps, name, value, 0, &w->target_given))
          return 0;
        w->target_value = w->target_given / keys[i].per_hour;
        return 1;
      }
    }
    return wl_fail(ps, "field '%s': unknown target (throughput_jobs_per_hour, "
                   "throughput_jobs_per_day, throughput_jobs_per_month, time_to_solution_s, "
                   "budget_per_hour or budget_per_job)", name);
  }
  return wl_fail(ps, "field '%s': unknown section [%s] (workload, mix, target)", name, section);
}

int su_sizing_workload_load(const char *path, su_sizing_workload_t *out)
{
  su_sizing_workload_t w;
  wl_parse_t ps;
  wl_stream_t st;
  double sum = 0;
  int line;

  memset(out, 0, sizeof(*out));
  memset(&w, 0, sizeof(w));
  memset(&ps, 0, sizeof(ps));
  snprintf(w.precision, sizeof(w.precision), "fp64");
  snprintf(w.device, sizeof(w.device), "cpu");
  snprintf(w.compute, sizeof(w.compute), "fma_peak");
  w.gpus_per_job = 1;
  if (strlen(path) >= sizeof(w.path))
    return su_errorf(SU_EINVAL, "workload path too long '%.64s...'", path);
  snprintf(w.path, sizeof(w.path), "%s", path);
  ps.w = &w;
  st.ps = &ps;
  if (!(st.fp = fopen(path, "r")))
    return su_errorf(SU_EIO, "cannot open workload '%s': %s", path, strerror(errno));
  line = ini_parse_stream(wl_reader, &st, wl_entry, &ps);
  fclose(st.fp);
  su_ini_seen_fini(&ps.seen);
  if (line < 0)
    return su_errorf(SU_EIO, "cannot read workload '%s'", path);
  if (line > 0)
    return su_errorf(SU_EINVAL, "%s:%d: %s", path, line, ps.why[0] ? ps.why : "syntax error");
  if (!w.name[0])
    return su_errorf(SU_EINVAL, "%s: field 'name': missing in [workload]", path);
  if (ps.ntargets == 0)
    return su_errorf(SU_EINVAL, "%s: no target: give one of throughput_jobs_per_hour, "
                     "throughput_jobs_per_day, throughput_jobs_per_month, time_to_solution_s, "
                     "budget_per_hour, budget_per_job in [target]", path);
  if (w.nmix > 0) {
    if (ps.have_flops || ps.have_bytes)
      return su_errorf(SU_EINVAL, "%s: field 'flops': give either a [mix] or flops and bytes, "
                       "not both", path);
    if (!ps.have_ref_time)
      return su_errorf(SU_EINVAL, "%s: field 'reference_time_s': missing (a [mix] needs the "
                       "time of one job on one reference node)", path);
    sum = w.serial;
    for (size_t i = 0; i < w.nmix; i++)
      sum += w.weight[i];
    /* Time fractions add up to the whole job; 1e-6 forgives decimal rounding. */
    if (fabs(sum - 1) > 1e-6)
      return su_errorf(SU_EINVAL, "%s:%u: field '%s': the [mix] fractions add up to %g, not 1",
                       path, w.mix_line[w.nmix - 1], w.kernel[w.nmix - 1], sum);
  } else if (w.serial_line) {
    return su_errorf(SU_EINVAL, "%s:%u: field 'serial': a [mix] needs kernels besides its "
                     "serial part", path, w.serial_line);
  } else if (w.app[0] && !ps.have_flops && !ps.have_bytes) {
    /* app only: its measured times, or a range of mixes of reference_time_s */
  } else {
    if (!ps.have_flops || !ps.have_bytes)
      return su_errorf(SU_EINVAL, "%s: field '%s': missing (give a [mix] of kernels, or the "
                       "job's flops and bytes)", path, ps.have_flops ? "bytes" : "flops");
    if (w.flops <= 0 && w.bytes <= 0)
      return su_errorf(SU_EINVAL, "%s: field 'flops': flops and bytes are both zero", path);
    if (ps.have_ref_time)
      return su_errorf(SU_EINVAL, "%s: field 'reference_time_s': only meaningful with a [mix]",
                       path);
  }
  if (w.mix_error > 0 && w.nmix == 0)
    return su_errorf(SU_EINVAL, "%s: field 'mix_error': only meaningful with a [mix]", path);
  if (w.fom_per_job > 0 && !w.app[0])
    return su_errorf(SU_EINVAL, "%s: field 'fom_per_job': only meaningful with app (the work "
                     "one job is, in the unit of the app's figure of merit)", path);
  if (strcmp(w.device, "cpu") == 0 && w.host_device_bytes > 0)
    return su_errorf(SU_EINVAL, "%s: field 'host_device_bytes': only meaningful with device = "
                     "gpu or auto", path);
  if (w.nmix > 0 && strcmp(w.compute, "fma_peak") != 0)
    return su_errorf(SU_EINVAL, "%s: field 'compute': only meaningful without a [mix] (the "
                     "roofline's compute ceiling)", path);
  *out = w;
  return SU_OK;
}
