/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * compare_report.c: how a comparison (compare.h) is shown: the terminal
 * table, compare.csv (docs/nightly.md) and the gnuplot bar chart of the
 * relative performance.  JUnit XML is in junit.c.
 *
 * Keys and labels come from results files and are untrusted: control
 * characters become '?' on the terminal, the CSV writer quotes and
 * neutralises formulas, and the gnuplot script sees them only through
 * su_report_gp_sanitize.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "sizeup/compare.h"
#include "sizeup/csv.h"
#include "sizeup/error.h"
#include "sizeup/report.h"
#include "sizeup/results.h"
#include "sizeup/fs.h"

/* --- table ------------------------------------------------------------------- */

/* Untrusted text on a terminal: control characters become '?'. */
static void put_safe(FILE *fp, const char *s, int width)
{
  char buf[256];
  size_t i;

  for (i = 0; s && s[i] && i + 1 < sizeof(buf); i++)
    buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
  buf[i] = '\0';
  if (width > 0 && i > (size_t)width) {
    buf[width - 1] = '~';
    buf[width] = '\0';
  }
  fprintf(fp, "%-*s", width, buf);
}

static void put_num(FILE *fp, double v, int width)
{
  if (isfinite(v))
    fprintf(fp, " %*.4g", width, v);
  else
    fprintf(fp, " %*s", width, "-");
}

int su_report_cmp_table(const su_cmp_t *c, FILE *fp)
{
  char name[512];

  fprintf(fp, "%-9s %7s %8s %9s %9s %9s %9s %-7s %s\n", "class", "change", "p", "base",
          "new", "base_cv%", "new_cv%", "unit", "kernel configuration");
  for (size_t i = 0; i < c->nrows; i++) {
    const su_cmp_row_t *w = &c->rows[i];
    fprintf(fp, "%-9s", su_cmp_class_name(w->cls));
    if (isfinite(w->change))
      fprintf(fp, " %+6.1f%%", 100 * w->change);
    else
      fprintf(fp, " %7s", "-");
    if (isfinite(w->p_value))
      fprintf(fp, " %8.2g", w->p_value);
    else
      fprintf(fp, " %8s", "-");
    put_num(fp, w->base_median, 9);
    put_num(fp, w->new_median, 9);
    put_num(fp, 100 * w->base_cv, 9);
    put_num(fp, 100 * w->new_cv, 9);
    fputc(' ', fp);
    put_safe(fp, w->unit, 7);
    fputc(' ', fp);
    put_safe(fp, w->key->kernel, 0);
    fputc(' ', fp);
    su_cmp_key_name(w->key, name, sizeof(name));
    put_safe(fp, name, 0);
    if (w->note[0]) {
      fprintf(fp, "  (");
      put_safe(fp, w->note, 0);
      fputc(')', fp);
    }
    fputc('\n', fp);
  }
  fprintf(fp, "\n%zu compared: %zu regressed, %zu improved, %zu unchanged, %zu noisy, "
          "%zu missing, %zu new (threshold %.3g%%, alpha %.3g)\n",
          c->nrows, c->count[SU_CMP_REGRESSED], c->count[SU_CMP_IMPROVED],
          c->count[SU_CMP_UNCHANGED], c->count[SU_CMP_NOISY], c->count[SU_CMP_MISSING],
          c->count[SU_CMP_NEW], 100 * c->opts.threshold, c->opts.alpha);
  if (isfinite(c->noise) && c->opts.noise_k > 0)
    fprintf(fp, "run-to-run noise %.2g%% (robust spread of the changes of %zu configurations): "
            "changes within %.3g%% are noisy\n", 100 * c->noise, c->noise_n,
            100 * (exp(c->opts.noise_k * c->noise) - 1));
  return ferror(fp) ? su_errorf(SU_EIO, "cannot write the comparison table") : SU_OK;
}

/* --- what the gate can see, what changed ------------------------------------ */

static int written(FILE *fp)
{
  return ferror(fp) ? su_errorf(SU_EIO, "cannot write the comparison") : SU_OK;
}

int su_report_cmp_gate(const su_cmp_t *c, FILE *fp)
{
  size_t checks = su_cmp_checks(c), noisy = c->count[SU_CMP_NOISY];
  double floor_ = exp(c->opts.noise_k * c->noise) - 1;

  fprintf(fp, "gate: smallest change this check can see: %.3g%% (", 100 * su_cmp_detectable(c));
  if (!isfinite(c->noise))
    fprintf(fp, "the threshold; the machine's run-to-run noise is unknown: it needs %d matched "
            "configurations, this comparison has %zu", SU_CMP_NOISE_MIN, checks);
  else if (!(c->opts.noise_k > 0))
    fprintf(fp, "the threshold; --noise-k 0 ignores the run-to-run noise of %.2g%%",
            100 * c->noise);
  else if (floor_ > c->opts.threshold)
    fprintf(fp, "%.3g x the run-to-run noise of %.2g%% over %zu configurations; threshold %.3g%%",
            c->opts.noise_k, 100 * c->noise, c->noise_n, 100 * c->opts.threshold);
  else
    fprintf(fp, "the threshold; run-to-run noise %.2g%% over %zu configurations",
            100 * c->noise, c->noise_n);
  fprintf(fp, "); too noisy to judge: %zu of %zu checks (%.0f%%)\n", noisy, checks,
         100 * su_cmp_blind(c));
  if (checks && su_cmp_blind(c) > 0.5)
    fprintf(fp, "gate: most checks are blind: a regression in them goes unseen (docs/nightly.md, "
            "'What the gate can see')\n");
  return written(fp);
}

int su_report_cmp_changes(FILE *fp, const char *base_sys, const char *base_name,
                          const char *new_sys)
{
  su_sysdiff_t *d = NULL;
  size_t n = 0;
  int err;

  fprintf(fp, "\nwhat changed on the machine since the baseline '");
  put_safe(fp, base_name, 0);
  fprintf(fp, "' (system.json):\n");
  if (!base_sys || !new_sys) {
    fprintf(fp, "  unknown: the %s system.json is not recorded\n",
            base_sys ? "new run's" : "baseline's");
    return written(fp);
  }
  if ((err = su_results_sysdiff(base_sys, new_sys, &d, &n)) != SU_OK) {
    fprintf(fp, "  unknown: %s\n", su_errmsg());
    su_errclear();
    return written(fp);
  }
  if (n == 0)
    fprintf(fp, "  nothing (kernel, compiler, firmware, clocks, CPU and settings are the same)\n");
  for (size_t i = 0; i < n && i < 40; i++) {
    fprintf(fp, "  ");
    put_safe(fp, d[i].field, 0);
    fprintf(fp, ": ");
    put_safe(fp, d[i].base[0] ? d[i].base : "(absent)", 0);
    fprintf(fp, " -> ");
    put_safe(fp, d[i].cur[0] ? d[i].cur : "(absent)", 0);
    fputc('\n', fp);
  }
  if (n > 40)
    fprintf(fp, "  ... and %zu more fields\n", n - 40);
  su_results_sysdiff_free(d, n);
  return written(fp);
}

/* --- compare.csv ------------------------------------------------------------- */

static const char *const su_cmp_csv_cols[] = {
  "base_run", "new_run", "kernel", "variant", "backend", "device", "precision", "threads",
  "ranks", "nodes", "placement", "size_bytes", "metric", "unit", "direction", "class",
  "base_n", "new_n", "base_median", "new_median", "ratio", "change", "base_ci95_lo",
  "base_ci95_hi", "new_ci95_lo", "new_ci95_hi", "base_cv", "new_cv", "p_value",
  "cliffs_delta", "threshold", "alpha", "base_replicates", "new_replicates", "p_replicates",
  "base_c2c_ns", "new_c2c_ns", "note",
};

int su_report_cmp_csv(const su_cmp_t *c, FILE *fp)
{
  su_csv_writer_t w;
  int err = SU_OK;

  su_csv_writer_init(&w, fp);
  for (size_t i = 0; i < sizeof(su_cmp_csv_cols) / sizeof(su_cmp_csv_cols[0]); i++)
    su_csv_put_str(&w, su_cmp_csv_cols[i]);
  err = su_csv_end_row(&w);
  for (size_t i = 0; i < c->nrows && !err; i++) {
    const su_cmp_row_t *r = &c->rows[i];
    su_csv_put_str(&w, c->base_label);
    su_csv_put_str(&w, c->new_label);
    su_csv_put_str(&w, r->key->kernel);
    su_csv_put_str(&w, r->key->variant);
    su_csv_put_str(&w, r->key->backend);
    su_csv_put_str(&w, r->key->device);
    su_csv_put_str(&w, r->key->precision);
    su_csv_put_u64(&w, r->key->threads);
    su_csv_put_u64(&w, r->key->ranks);
    su_csv_put_u64(&w, r->key->nodes);
    su_csv_put_str(&w, r->key->placement);
    su_csv_put_u64(&w, r->key->size_bytes);
    su_csv_put_str(&w, r->key->metric);
    su_csv_put_str(&w, r->unit);
    su_csv_put_str(&w, r->direction > 0 ? "higher" : "lower");
    su_csv_put_str(&w, su_cmp_class_name(r->cls));
    su_csv_put_u64(&w, r->n_base);
    su_csv_put_u64(&w, r->n_new);
    su_csv_put_double(&w, r->base_median);
    su_csv_put_double(&w, r->new_median);
    su_csv_put_double(&w, r->ratio);
    su_csv_put_double(&w, r->change);
    su_csv_put_double(&w, r->base_ci_lo);
    su_csv_put_double(&w, r->base_ci_hi);
    su_csv_put_double(&w, r->new_ci_lo);
    su_csv_put_double(&w, r->new_ci_hi);
    su_csv_put_double(&w, r->base_cv);
    su_csv_put_double(&w, r->new_cv);
    su_csv_put_double(&w, r->p_value);
    su_csv_put_double(&w, r->cliffs_delta);
    su_csv_put_double(&w, c->opts.threshold);
    su_csv_put_double(&w, c->opts.alpha);
    su_csv_put_u64(&w, r->base_reps);
    su_csv_put_u64(&w, r->new_reps);
    su_csv_put_double(&w, r->p_replicates);
    su_csv_put_double(&w, r->base_c2c);
    su_csv_put_double(&w, r->new_c2c);
    su_csv_put_str(&w, r->note);
    err = su_csv_end_row(&w);
  }
  if (err)
    return su_errorf(SU_EIO, "cannot write compare.csv");
  return SU_OK;
}

/* --- plot -------------------------------------------------------------------- */

static unsigned class_rgb(su_cmp_class_t c)
{
  switch (c) {
  case SU_CMP_REGRESSED: return 0xd62728;
  case SU_CMP_IMPROVED:  return 0x2ca02c;
  case SU_CMP_NOISY:     return 0x9a9a9a;
  default:               return 0x1f77b4;
  }
}

int su_report_cmp_plot(const su_cmp_t *c, const char *out_dir, const char *gnuplot,
                      int *rendered)
{
  char path[4096], label[160], raw[512], bl[96], nl[96];
  su_report_opts_t ro = {out_dir, gnuplot};
  su_report_info_t info;
  su__plot_t plot;
  su__report_t rp;
  FILE *dat, *gp;
  size_t n = 0;
  int err = SU_OK, width;

  *rendered = 0;
  snprintf(path, sizeof(path), "%s/compare.dat", out_dir);
  if (!(dat = su_fs_fopen_w(path)))
    return su_errorf(SU_EIO, "cannot write '%s'", path);
  fprintf(dat, "# index  relative_performance(new/base, >1 better)  rgb\n");
  for (size_t i = 0; i < c->nrows; i++) {
    const su_cmp_row_t *w = &c->rows[i];
    if (!isfinite(w->ratio) || w->ratio <= 0)
      continue;
    fprintf(dat, "%zu %.9g %u\n", n++, w->direction > 0 ? w->ratio : 1 / w->ratio,
            class_rgb(w->cls));
  }
  if (fclose(dat) != 0) {
    return su_errorf(SU_EIO, "cannot write '%s'", path);
  }
  snprintf(path, sizeof(path), "%s/compare.gp", out_dir);
  if (!(gp = su_fs_fopen_w(path)))
    return su_errorf(SU_EIO, "cannot write '%s'", path);
  width = 300 + 16 * (int)n;
  width = width < 960 ? 960 : width > 4000 ? 4000 : width;
  su_report_gp_sanitize(c->base_label, bl, sizeof(bl));
  su_report_gp_sanitize(c->new_label, nl, sizeof(nl));
  fprintf(gp,
          "# sizeup compare plot.  Render (PNG) with: gnuplot compare.gp\n"
          "# Data: compare.dat (numbers only).  Labels taken from results files are\n"
          "# sanitized (letters, digits and . , : / + - = _ ( ) [ ] %% # only).\n"
          "# Bars: relative performance new/base (base/new for latency), > 1 is better;\n"
          "# red regressed, green improved, grey noisy, blue unchanged.\n");
  su_report_gp_png(gp, "compare", width, 700);
  fprintf(gp,
          "set title 'sizeup compare: %s (new) vs %s (base)' noenhanced\n"
          "set ylabel 'relative performance (> 1 is better)'\n"
          "set style fill solid 0.8 border -1\n"
          "set boxwidth 0.8\n"
          "set grid ytics\n"
          "set key off\n"
          "set bmargin 16\n"
          "set xrange [-1:%zu]\n"
          "set xtics rotate by -60 font ',7' noenhanced (",
          nl, bl, n);
  n = 0;
  for (size_t i = 0; i < c->nrows; i++) {
    const su_cmp_row_t *w = &c->rows[i];
    if (!isfinite(w->ratio) || w->ratio <= 0)
      continue;
    snprintf(raw, sizeof(raw), "%s t%u %s %s %lluB %s", w->key->kernel, w->key->threads,
             w->key->placement, w->key->precision, (unsigned long long)w->key->size_bytes,
             w->key->metric);
    su_report_gp_sanitize(raw, label, 64);
    fprintf(gp, "%s'%s' %zu", n ? ", " : "", label, n);
    n++;
  }
  fprintf(gp,
          ")\n"
          "plot 'compare.dat' using 1:2:3 with boxes lc rgb variable, \\\n"
          "     1 lc rgb 'black' lw 1, %.9g dt 2 lc rgb 'red', %.9g dt 2 lc rgb 'green'\n",
          1 - c->opts.threshold, 1 + c->opts.threshold);
  if (ferror(gp) | (fclose(gp) != 0))
    return su_errorf(SU_EIO, "cannot write '%s'", path);
  if (n == 0)
    return SU_OK;           /* nothing to draw: an empty plot would only confuse */
  if ((err = su__report_begin(&rp, &ro, &info)) != SU_OK)
    return err;
  memset(&plot, 0, sizeof(plot));
  snprintf(plot.name, sizeof(plot.name), "compare");
  snprintf(plot.section, sizeof(plot.section), "compare");
  rp.plots = &plot;
  rp.nplots = rp.cap = 1;
  if ((err = su__report_render(&rp)) != SU_OK)
    return err;
  *rendered = plot.rendered;
  return SU_OK;
}
