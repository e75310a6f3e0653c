/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * plots.c: the report's gnuplot scripts and data files, and rendering them.
 *
 * One NAME.gp + NAME.dat per plot, written so that `gnuplot NAME.gp` in the
 * report directory renders NAME.png (pngcairo when this gnuplot has it,
 * else the libgd png terminal) and NAME.svg.  Safety rules (DESIGN,
 * "Errors, data safety, security"):
 *  - .dat files hold numbers only; nothing from a results file is copied
 *    into them;
 *  - text in .gp files is either ours or passed through
 *    su_report_gp_sanitize and placed in single quotes, with enhanced text
 *    off, so gnuplot never sees a quote, backtick, macro (@), shell escape
 *    (!, system(), |) or backslash from a results file;
 *  - gnuplot runs through fork + execvp with the script's file name as its
 *    only argument: no shell anywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report/report_int.h"
#include "sizeup/error.h"
#include "sizeup/fs.h"

void su_report_gp_sanitize(const char *s, char *out, size_t outlen)
{
  static const char ok[] = " .,:/+-=_()[]%#";
  size_t j = 0;

  if (!out || outlen == 0)
    return;
  for (size_t i = 0; s && s[i] && j + 1 < outlen; i++) {
    unsigned char c = (unsigned char)s[i];
    int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               (c && strchr(ok, c) != NULL);
    out[j++] = keep ? (char)c : '_';
  }
  if (j == 0 && outlen > 1)
    out[j++] = '_';
  out[j] = '\0';
}

static su__plot_t *plot_new(su__report_t *rp, const char *section, const char *fmt, ...)
  SU_PRINTF(3, 4);

static su__plot_t *plot_new(su__report_t *rp, const char *section, const char *fmt, ...)
{
  va_list ap;
  su__plot_t *p;

  if (rp->nplots == rp->cap) {
    size_t ncap = rp->cap ? 2 * rp->cap : 16;
    su__plot_t *np = realloc(rp->plots, ncap * sizeof(*np));
    if (!np)
      return NULL;
    rp->plots = np;
    rp->cap = ncap;
  }
  p = &rp->plots[rp->nplots++];
  memset(p, 0, sizeof(*p));
  snprintf(p->section, sizeof(p->section), "%s", section);
  va_start(ap, fmt);
  vsnprintf(p->name, sizeof(p->name), fmt, ap);
  va_end(ap);
  return p;
}

static FILE *open_out(su__report_t *rp, const char *name, const char *ext)
{
  char path[4096];

  snprintf(path, sizeof(path), "%s/%s.%s", rp->o->out_dir, name, ext);
  return su_fs_fopen_w(path);
}

/* Opens NAME.gp and NAME.dat for writing, or neither. */
static int open_pair(su__report_t *rp, const char *name, FILE **gp, FILE **dat)
{
  if (!(*gp = open_out(rp, name, "gp")))
    return su_errorf(SU_EIO, "cannot write '%s/%s.gp'", rp->o->out_dir, name);
  if (!(*dat = open_out(rp, name, "dat"))) {
    fclose(*gp);
    return su_errorf(SU_EIO, "cannot write '%s/%s.dat'", rp->o->out_dir, name);
  }
  return SU_OK;
}

/* One working-set sweep as a .dat block: size in KiB, median, CI bounds
 * (the median itself where a point has no CI). */
static void dat_sweep(FILE *dat, const su_fit_sweep_t *sw)
{
  for (size_t i = 0; i < sw->npoints; i++)
    if (isfinite(sw->y[i]))
      fprintf(dat, "%.9g %.9g %.9g %.9g\n", sw->size_bytes[i] / 1024.0, sw->y[i],
              isfinite(sw->ci_lo[i]) ? sw->ci_lo[i] : sw->y[i],
              isfinite(sw->ci_hi[i]) ? sw->ci_hi[i] : sw->y[i]);
}

static int close_out(FILE *fp, const char *name)
{
  int bad = ferror(fp);

  if (fclose(fp) != 0 || bad)
    return su_errorf(SU_EIO, "cannot write '%s'", name);
  return SU_OK;
}

/* The common head of every script; title and labels are sanitized here. */
static void gp_head(FILE *gp, const char *name, const char *title, const char *xlabel,
                    const char *ylabel)
{
  char t[256], xl[128], yl[128];

  su_report_gp_sanitize(title, t, sizeof(t));
  su_report_gp_sanitize(xlabel, xl, sizeof(xl));
  su_report_gp_sanitize(ylabel, yl, sizeof(yl));
  fprintf(gp,
          "# sizeup report plot '%s'.  Render (PNG and SVG) with: gnuplot %s.gp\n"
          "# Data: %s.dat (numbers only).  Text taken from results files is\n"
          "# sanitized (letters, digits and . , : / + - = _ ( ) [ ] %% # only).\n",
          name, name, name);
  su_report_gp_png(gp, name, 960, 720);
  fprintf(gp,
          "set title '%s' noenhanced\n"
          "set xlabel '%s'\n"
          "set ylabel '%s'\n"
          "set grid\n"
          "set key outside below left Left reverse noenhanced\n",
          t, xl, yl);
}

static void gp_tail(FILE *gp, const char *name)
{
  fprintf(gp,
          "set terminal svg size 960,720 dynamic\n"
          "set termoption noenhanced\n"
          "set output '%s.svg'\n"
          "replot\n"
          "unset output\n",
          name);
}

/* Ends a plot: the SVG pass of the script, then closes both files (both,
 * even when the first fails). */
static int close_pair(FILE *gp, FILE *dat, const char *name)
{
  int e1, e2;

  gp_tail(gp, name);
  e1 = close_out(dat, name);
  e2 = close_out(gp, name);
  return e1 ? e1 : e2;
}

static void series_title(const su__report_t *rp, const su__dir_t *d, const char *a,
                         const char *b, const char *c, char *out, size_t outlen)
{
  char raw[512];

  if (rp->ndirs > 1)
    snprintf(raw, sizeof(raw), "%s: %s %s %s", d->label, a, b, c);
  else
    snprintf(raw, sizeof(raw), "%s %s %s", a, b, c);
  /* a key entry longer than ~60 characters squeezes the plot away */
  su_report_gp_sanitize(raw, out, outlen < 61 ? outlen : 61);
}

const su_fit_t *su__best_fit(const su_fit_series_t *s)
{
  const su_fit_t *best = NULL;

  if (s->chosen >= 0 && s->fit[s->chosen].status == SU_FIT_OK)
    return &s->fit[s->chosen];
  for (int m = 0; m < SU_FIT_NMODELS; m++)
    if (s->fitted[m] && s->fit[m].status == SU_FIT_OK &&
        (!best || s->fit[m].rmse < best->rmse))
      best = &s->fit[m];
  return best;
}

/* --- scaling: metric against threads, one plot per kernel and metric ------ */

static int plot_scaling(su__report_t *rp)
{
  /* distinct (kernel, metric) over all directories, in first-seen order */
  for (size_t d0 = 0; d0 < rp->ndirs; d0++) {
    for (size_t s0 = 0; s0 < rp->dirs[d0].fits.nseries; s0++) {
      const su_fit_series_t *ref = &rp->dirs[d0].fits.series[s0];
      su__plot_t *p;
      FILE *gp, *dat;
      size_t block = 0, nplot = 0;
      int seen = 0, err;
      char t[256];

      /* skip when an earlier (dir, series) had the same kernel and metric */
      for (size_t d = 0; d <= d0 && !seen; d++)
        for (size_t s = 0; s < rp->dirs[d].fits.nseries && !seen; s++) {
          const su_fit_series_t *o = &rp->dirs[d].fits.series[s];
          if (d == d0 && s == s0)
            break;
          seen = strcmp(o->kernel, ref->kernel) == 0 && strcmp(o->metric, ref->metric) == 0 &&
                 strcmp(o->axis, ref->axis) == 0;
        }
      if (seen)
        continue;
      p = plot_new(rp, "scaling", "scaling_%zu", rp->nplots + 1);
      if (!p)
        return su_errorf(SU_ENOMEM, "cannot plan the report");
      snprintf(t, sizeof(t), "%s %s against %s", ref->kernel, ref->metric, ref->axis);
      su_report_gp_sanitize(t, p->caption, sizeof(p->caption));
      if ((err = open_pair(rp, p->name, &gp, &dat)))
        return err;
      {
        char yl[96];
        snprintf(yl, sizeof(yl), "%s [%s]", ref->metric, ref->unit);
        gp_head(gp, p->name, p->caption, ref->axis, yl);
      }
      fprintf(gp, "set xrange [0:*]\nset yrange [0:*]\n");
      fprintf(dat, "# %s median ci95_lo ci95_hi ideal (index = one series)\n", ref->axis);
      for (size_t d = 0; d < rp->ndirs; d++) {
        for (size_t s = 0; s < rp->dirs[d].fits.nseries; s++) {
          const su_fit_series_t *se = &rp->dirs[d].fits.series[s];
          const su_fit_t *bf;
          char title[256];
          if (strcmp(se->kernel, ref->kernel) != 0 || strcmp(se->metric, ref->metric) != 0 ||
              strcmp(se->axis, ref->axis) != 0)
            continue;
          if (block)
            fprintf(dat, "\n\n");
          for (size_t i = 0; i < se->npoints; i++) {
            double ideal = se->x[0] * se->n[i] / se->n[0];
            if (!isfinite(se->n[i]) || !isfinite(se->x[i]))
              continue;     /* gnuplot must never see an infinite coordinate */
            fprintf(dat, "%.9g %.9g %.9g %.9g ", se->n[i], se->x[i],
                    isfinite(se->ci_lo[i]) ? se->ci_lo[i] : se->x[i],
                    isfinite(se->ci_hi[i]) ? se->ci_hi[i] : se->x[i]);
            if (isfinite(ideal))
              fprintf(dat, "%.9g\n", ideal);
            else
              fprintf(dat, "NaN\n");
          }
          series_title(rp, &rp->dirs[d], se->placement, se->variant, se->precision, title,
                       sizeof(title));
          fprintf(gp, "%s '%s.dat' index %zu using 1:2:3:4 with yerrorlines lw 2 "
                  "title '%s'", nplot++ ? ", \\\n    " : "plot ", p->name, block, title);
          fprintf(gp, ", \\\n    '%s.dat' index %zu using 1:5 with lines dt 2 lc 'gray' %s",
                  p->name, block, block ? "notitle" : "title 'ideal (linear from the smallest N)'");
          bf = su__best_fit(se);
          if (bf) {
            /* no curve rather than one gnuplot cannot draw (the parameters
             * the model has, not the unused tail, which is NaN) */
            int finite = isfinite(bf->nmax);
            for (unsigned k = 0; k < bf->nparams; k++)
              finite &= isfinite(bf->param[k]) != 0;
            if (!finite)
              bf = NULL;
          }
          if (bf && se->npred && &se->fit[se->chosen] == bf) {
            /* The band: the 95% prediction interval past the measured
             * points, in the plot's unit (a rate for a time series). */
            fprintf(dat, "\n\n%.9g %.9g %.9g\n", bf->nmax, su_fit_eval(bf, bf->nmax),
                    su_fit_eval(bf, bf->nmax));
            for (size_t i = 0; i < se->npred; i++) {
              const su_fit_pred_t *pr = &se->pred[i];
              if (isfinite(pr->lo))
                fprintf(dat, "%.9g %.9g %.9g\n", pr->n, se->inverted ? 1 / pr->hi : pr->lo,
                        se->inverted ? 1 / pr->lo : pr->hi);
            }
            block++;
            fprintf(gp, ", \\\n    '%s.dat' index %zu using 1:2:3 with filledcurves "
                    "fs transparent solid 0.2 lc 'gray' title '%s: 95%% prediction interval'",
                    p->name, block, su_fit_model_name(bf->model));
          }
          if (bf) {
            double a = bf->param[0], b = bf->param[1], c = bf->param[2];
            fprintf(gp, ", \\\n    [1:%.9g] ",
                    se->npred && &se->fit[se->chosen] == bf ? se->pred[se->npred - 1].n
                                                             : bf->nmax);
            switch (bf->model) {
            case SU_FIT_AMDAHL:
              fprintf(gp, "%.9g/((1-(%.9g))+(%.9g)/x)", a, b, b);
              break;
            case SU_FIT_GUSTAFSON:
              fprintf(gp, "%.9g*((1-(%.9g))+(%.9g)*x)", a, b, b);
              break;
            case SU_FIT_USL:
              fprintf(gp, "%.9g*x/(1+(%.9g)*(x-1)+(%.9g)*x*(x-1))", a, b, c);
              break;
            default:
              fprintf(gp, "(x*(%.9g) < %.9g ? x*(%.9g) : %.9g)", a, b, a, b);
              break;
            }
            fprintf(gp, " with lines dt 3 lw 2 title '%s fit (R2 %.4f)'",
                    su_fit_model_name(bf->model), bf->r2);
          }
          block++;
        }
      }
      fprintf(gp, "\n");
      if ((err = close_pair(gp, dat, p->name)))
        return err;
    }
  }
  return SU_OK;
}

/* --- cache: bandwidth against working set, plateaus annotated ------------- */

static int plot_cache(su__report_t *rp)
{
  for (size_t d = 0; d < rp->ndirs; d++) {
    for (size_t s = 0; s < rp->dirs[d].nbw; s++) {
      const su_fit_sweep_t *sw = &rp->dirs[d].bw_sweeps[s];
      su__plot_t *p = plot_new(rp, "cache", "cache_%zu", rp->nplots + 1);
      FILE *gp, *dat;
      char t[512], title[256], unit[32];
      int err;

      if (!p)
        return su_errorf(SU_ENOMEM, "cannot plan the report");
      snprintf(t, sizeof(t), "%s%s%s %s %s, %u thread(s), %s: bandwidth against working set",
               rp->ndirs > 1 ? rp->dirs[d].label : "", rp->ndirs > 1 ? ": " : "",
               sw->kernel, sw->variant, sw->precision, sw->threads, sw->placement);
      su_report_gp_sanitize(t, p->caption, sizeof(p->caption));
      if ((err = open_pair(rp, p->name, &gp, &dat)))
        return err;
      su_report_gp_sanitize(sw->unit, unit, sizeof(unit));
      snprintf(t, sizeof(t), "bandwidth [%s]", unit);
      gp_head(gp, p->name, p->caption, "working set [KiB] (log scale)", t);
      fprintf(gp, "set logscale x 2\nset yrange [0:*]\nset format x '%%.0f'\n");
      fprintf(dat, "# index 0: size_KiB median ci95_lo ci95_hi\n");
      dat_sweep(dat, sw);
      fprintf(dat, "\n\n# index 1: plateaus (size_KiB ceiling), one segment each\n");
      for (size_t k = 0; k < sw->nplateaus; k++) {
        const su_plateau_t *pl = &sw->plateau[k];
        if (!isfinite(pl->bw))
          continue;
        fprintf(dat, "%.9g %.9g\n%.9g %.9g\n\n", pl->size_lo_bytes / 1024.0, pl->bw,
                pl->size_hi_bytes / 1024.0, pl->bw);
        /* level names are ours ("L1", "DRAM", "P3"); the unit is sanitized */
        fprintf(gp, "set label %zu '%s %.4g %s' at %.9g,%.9g offset 0,1 front\n", k + 1,
                pl->level, pl->bw, unit, sqrt((double)pl->size_lo_bytes *
                                               (double)pl->size_hi_bytes) / 1024.0, pl->bw);
        if (pl->knee_bytes)
          fprintf(gp, "set arrow %zu from %.9g, graph 0 to %.9g, graph 1 nohead dt 3 lc 'gray'\n",
                  k + 1, pl->knee_bytes / 1024.0, pl->knee_bytes / 1024.0);
      }
      snprintf(t, sizeof(t), "%s %s", sw->kernel, sw->precision);
      su_report_gp_sanitize(t, title, sizeof(title));
      fprintf(gp, "plot '%s.dat' index 0 using 1:2:3:4 with yerrorlines lw 2 title '%s', \\\n"
                  "    '%s.dat' index 1 using 1:2 with lines lw 4 lc 'red' "
                  "title 'plateaus (cache levels)'\n", p->name, title, p->name);
      if ((err = close_pair(gp, dat, p->name)))
        return err;
    }
  }
  return SU_OK;
}

/* --- latency against working set, all directories in one plot ------------ */

static int plot_latency(su__report_t *rp)
{
  su__plot_t *p;
  FILE *gp, *dat;
  size_t block = 0, total = 0;
  int err;

  for (size_t d = 0; d < rp->ndirs; d++)
    total += rp->dirs[d].nlat;
  if (!total)
    return SU_OK;
  if (!(p = plot_new(rp, "latency", "latency_%zu", rp->nplots + 1)))
    return su_errorf(SU_ENOMEM, "cannot plan the report");
  snprintf(p->caption, sizeof(p->caption), "memory latency against working set");
  if ((err = open_pair(rp, p->name, &gp, &dat)))
    return err;
  gp_head(gp, p->name, p->caption, "working set [KiB] (log scale)", "latency [ns] (log scale)");
  fprintf(gp, "set logscale x 2\nset logscale y 10\nset format x '%%.0f'\n");
  fprintf(dat, "# size_KiB median ci95_lo ci95_hi (index = one sweep)\n");
  for (size_t d = 0; d < rp->ndirs; d++)
    for (size_t s = 0; s < rp->dirs[d].nlat; s++) {
      const su_fit_sweep_t *sw = &rp->dirs[d].lat_sweeps[s];
      char title[256], th[32];
      if (block)
        fprintf(dat, "\n\n");
      dat_sweep(dat, sw);
      snprintf(th, sizeof(th), "%u thread(s)", sw->threads);
      series_title(rp, &rp->dirs[d], sw->kernel, sw->variant, th, title, sizeof(title));
      fprintf(gp, "%s '%s.dat' index %zu using 1:2:3:4 with yerrorlines lw 2 title '%s'",
              block ? ", \\\n    " : "plot ", p->name, block, title);
      block++;
    }
  fprintf(gp, "\n");
  if ((err = close_pair(gp, dat, p->name)))
    return err;
  return SU_OK;
}

/* --- roofline: measured ceilings, kernels by arithmetic intensity -------- */

static int row_matches(const su_result_row_t *w, const char *kernel, const char *metric,
                       const char *precision)
{
  return su_results_row_ok(w) && strcmp(w->metric, metric) == 0 &&
         (!kernel || strcmp(w->kernel, kernel) == 0) &&
         (!precision || strcmp(w->precision, precision) == 0);
}

/* The largest working set measured for a kernel and metric (0 if none). */
static uint64_t largest_size(const su_results_t *r, const char *kernel, const char *metric)
{
  uint64_t big = 0;

  for (size_t i = 0; i < r->nrows; i++)
    if (row_matches(&r->rows[i], kernel, metric, NULL) && r->rows[i].size_bytes > big)
      big = r->rows[i].size_bytes;
  return big;
}

/*
 * The best median of a kernel at its LARGEST working set: for memory
 * kernels that is the DRAM figure (a cache-sweep point at 16 KiB is an L1
 * figure, not a memory ceiling); for size-less kernels (fma_peak) every row.
 */
static double best_of(const su_results_t *r, const char *kernel, const char *metric,
                      const char *precision)
{
  uint64_t big = largest_size(r, kernel, metric);
  double best = NAN;

  for (size_t i = 0; i < r->nrows; i++) {
    const su_result_row_t *w = &r->rows[i];
    if (!row_matches(w, kernel, metric, precision) || w->size_bytes != big)
      continue;
    if (!(best >= w->median))
      best = w->median;
  }
  return best;
}

/* 1 when some kernel of r can be a point of the roofline: an ok row that
 * declares flops and bytes, measured as flops or bandwidth. */
static int roofline_has_point(const su_results_t *r)
{
  for (size_t i = 0; i < r->nrows; i++) {
    const su_result_row_t *w = &r->rows[i];
    if (su_results_row_ok(w) && w->flops > 0 && w->bytes > 0 &&
        (strcmp(w->metric, "flops") == 0 || strcmp(w->metric, "bandwidth") == 0))
      return 1;
  }
  return 0;
}

static int plot_roofline(su__report_t *rp)
{
  for (size_t d = 0; d < rp->ndirs; d++) {
    const su__dir_t *dir = &rp->dirs[d];
    const su_results_t *r = dir->r;
    double p64 = best_of(r, "fma_peak", "flops", "fp64");
    double p32 = best_of(r, "fma_peak", "flops", "fp32");
    double dram = best_of(r, "stream_triad", "bandwidth", NULL), top;
    su__plot_t *p;
    FILE *gp, *dat;
    size_t npts = 0, nceil = 0;
    int err;

    if (!isfinite(dram))
      dram = best_of(r, NULL, "bandwidth", NULL);
    /* A bandwidth alone (copies between devices) has no roof to draw. */
    if (!isfinite(p64) && !isfinite(p32) && (!isfinite(dram) || !roofline_has_point(r)))
      continue;
    top = isfinite(p64) ? p64 : p32;
    if (!(p = plot_new(rp, "roofline", "roofline_%zu", rp->nplots + 1)))
      return su_errorf(SU_ENOMEM, "cannot plan the report");
    snprintf(p->caption, sizeof(p->caption), "%s%sroofline with measured ceilings",
             rp->ndirs > 1 ? dir->label : "", rp->ndirs > 1 ? ": " : "");
    if ((err = open_pair(rp, p->name, &gp, &dat)))
      return err;
    gp_head(gp, p->name, p->caption, "arithmetic intensity [flop/byte] (log scale)",
            "performance [GFLOP/s] (log scale)");
    fprintf(gp, "set logscale xy 10\nset xrange [0.01:1000]\n");
    fprintf(dat, "# arithmetic_intensity GFLOP/s (index = one kernel, its best row)\n");
    /* ceilings as functions of our own numbers */
    if (isfinite(top) && isfinite(dram)) {
      fprintf(gp, "roof_dram(x) = (x*%.9g < %.9g ? x*%.9g : %.9g)\n", dram, top, dram, top);
      nceil++;
    }
    fprintf(gp, "plot ");
    if (nceil)
      fprintf(gp, "roof_dram(x) with lines lw 3 lc 'black' title 'DRAM %.4g GB/s (stream_triad, largest working set)'",
              dram);
    else
      fprintf(gp, "1/0 notitle");
    if (isfinite(p64))
      fprintf(gp, ", \\\n    %.9g with lines dt 2 lc 'blue' title 'FP64 peak %.4g GFLOP/s (fma_peak)'",
              p64, p64);
    if (isfinite(p32))
      fprintf(gp, ", \\\n    %.9g with lines dt 2 lc 'dark-green' title 'FP32 peak %.4g GFLOP/s (fma_peak)'",
              p32, p32);
    /* cache-level ceilings from the first bandwidth sweep's plateaus */
    if (dir->nbw && isfinite(top)) {
      const su_fit_sweep_t *sw = &dir->bw_sweeps[0];
      for (size_t k = 0; k < sw->nplateaus; k++) {
        const su_plateau_t *pl = &sw->plateau[k];
        if (strcmp(pl->level, "DRAM") == 0)
          continue;
        fprintf(gp, ", \\\n    (x*%.9g < %.9g ? x*%.9g : 1/0) with lines dt 4 "
                "title '%s %.4g GB/s (%u thread sweep)'", pl->bw, top, pl->bw, pl->level,
                pl->bw, sw->threads);
      }
    }
    /* kernels: the best row of each kernel that declares flops and bytes, at
     * its largest working set */
    for (size_t i = 0; i < r->nrows; i++) {
      const su_result_row_t *w = &r->rows[i];
      double ai, perf, best = -1;
      int first = 1;
      char kname[96];
      if (!su_results_row_ok(w) || !(w->flops > 0) || !(w->bytes > 0))
        continue;
      for (size_t j = 0; j < i && first; j++)
        if (strcmp(r->rows[j].kernel, w->kernel) == 0 && su_results_row_ok(&r->rows[j]) &&
            r->rows[j].flops > 0 && r->rows[j].bytes > 0)
          first = 0;
      if (!first)
        continue;
      ai = NAN;
      perf = NAN;
      uint64_t big = largest_size(r, w->kernel, w->metric);
      for (size_t j = i; j < r->nrows; j++) {
        const su_result_row_t *v = &r->rows[j];
        double pf;
        if (strcmp(v->kernel, w->kernel) != 0 || !su_results_row_ok(v) || !(v->flops > 0) ||
            !(v->bytes > 0) || v->size_bytes != big)
          continue;
        if (strcmp(v->metric, "flops") == 0)
          pf = v->median;
        else if (strcmp(v->metric, "bandwidth") == 0)
          pf = v->median * v->flops / v->bytes;   /* GB/s x flop/byte = GFLOP/s */
        else
          continue;
        if (pf > best) {
          best = pf;
          ai = v->flops / v->bytes;
          perf = pf;
        }
      }
      if (!isfinite(ai) || !isfinite(perf))
        continue;
      if (npts)
        fprintf(dat, "\n\n");
      fprintf(dat, "%.9g %.9g\n", ai, perf);
      su_report_gp_sanitize(w->kernel, kname, sizeof(kname));
      fprintf(gp, ", \\\n    '%s.dat' index %zu using 1:2 with points pt 7 ps 2 title '%s'",
              p->name, npts, kname);
      npts++;
    }
    if (!npts)
      fprintf(dat, "# no kernel declared both flops and bytes\n");
    fprintf(gp, "\n");
    if ((err = close_pair(gp, dat, p->name)))
      return err;
  }
  return SU_OK;
}

/* --- comparison bars of headline figures ----------------------------------- */

const char *const su__head_names[SU__NHEAD] = {
  "memory bandwidth (STREAM triad, largest working set)", "peak FP64 (fma_peak, best)",
  "peak FP32 (fma_peak, best)", "memory latency (latency_chase, largest working set)"};
const char *const su__head_units[SU__NHEAD] = {"GB/s", "GFLOP/s", "GFLOP/s", "ns"};

static int plot_compare(su__report_t *rp)
{
  static const char *const tags[SU__NHEAD] = {"triad_GB/s", "FP64_GFLOP/s", "FP32_GFLOP/s",
                                              "latency_ns"};
  su__plot_t *p;
  FILE *gp, *dat;
  int err, any = 0;

  if (rp->ndirs < 2)
    return SU_OK;           /* one machine: nothing to compare with */
  for (int h = 0; h < SU__NHEAD; h++)
    any |= isfinite(rp->dirs[0].head[h]);
  if (!any)
    return SU_OK;
  if (!(p = plot_new(rp, "compare", "compare_%zu", rp->nplots + 1)))
    return su_errorf(SU_ENOMEM, "cannot plan the report");
  snprintf(p->caption, sizeof(p->caption),
           "headline figures relative to the first directory (100%% = %s)", rp->dirs[0].label);
  if ((err = open_pair(rp, p->name, &gp, &dat)))
    return err;
  gp_head(gp, p->name, p->caption, "headline figure", "percent of the first directory");
  fprintf(gp, "set style data histograms\nset style histogram clustered gap 1\n"
              "set style fill solid 0.8 border -1\nset yrange [0:*]\nset xtics rotate by -20\n");
  fprintf(dat, "# figure, then per directory: value as percent of the first directory\n");
  for (int h = 0; h < SU__NHEAD; h++) {
    fprintf(dat, "%s", tags[h]);
    for (size_t d = 0; d < rp->ndirs; d++) {
      double v = rp->dirs[d].head[h], v0 = rp->dirs[0].head[h];
      if (isfinite(v) && isfinite(v0) && v0 != 0)
        fprintf(dat, " %.9g", 100.0 * v / v0);
      else
        fprintf(dat, " NaN");
    }
    fprintf(dat, "\n");
  }
  for (size_t d = 0; d < rp->ndirs; d++)
    fprintf(gp, "%s '%s.dat' using %zu:xtic(1) title '%s'", d ? ", \\\n    " : "plot ",
            p->name, d + 2, rp->dirs[d].label);
  fprintf(gp, "\n");
  if ((err = close_pair(gp, dat, p->name)))
    return err;
  return SU_OK;
}

int su__report_begin(su__report_t *rp, const su_report_opts_t *o, su_report_info_t *info)
{
  memset(info, 0, sizeof(*info));
  memset(rp, 0, sizeof(*rp));
  rp->o = o;
  rp->info = info;
  return su_fs_mkdir_p(o->out_dir);
}

int su__report_plots(su__report_t *rp)
{
  int err;

  if ((err = plot_scaling(rp)) || (err = plot_cache(rp)) || (err = plot_latency(rp)) ||
      (err = plot_roofline(rp)) || (err = plot_compare(rp)) || (err = su__report_numa(rp)) ||
      (err = su__report_d2d(rp)))
    return err;
  return SU_OK;
}

/* The plot helpers, for plots written outside this file (matrix.c, numa_report.c,
 * d2d_report.c). */
su__plot_t *su__plot_add(su__report_t *rp, const char *section, const char *name)
{
  return plot_new(rp, section, "%s", name);
}

int su__plot_open(su__report_t *rp, const char *name, FILE **gp, FILE **dat)
{
  return open_pair(rp, name, gp, dat);
}

void su__plot_head(FILE *gp, const char *name, const char *title, const char *xlabel,
                   const char *ylabel)
{
  gp_head(gp, name, title, xlabel, ylabel);
}

int su__plot_close(FILE *gp, FILE *dat, const char *name)
{
  return close_pair(gp, dat, name);
}

/* --- running gnuplot --------------------------------------------------------- */

void su_report_gp_png(FILE *gp, const char *name, int width, int height)
{
  fprintf(gp,
          "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
          "  set terminal pngcairo size %d,%d\n"
          "} else {\n"
          "  set terminal png size %d,%d\n"
          "}\n"
          "set termoption noenhanced\n"
          "set output '%s.png'\n",
          width, height, width, height, name);
}

int su_report_gnuplot_found(const char *prog)
{
  const char *path = getenv("PATH");
  char buf[4096];

  if (strchr(prog, '/'))
    return access(prog, X_OK) == 0;
  if (!path)
    path = "/usr/bin:/bin";
  while (*path) {
    size_t len = strcspn(path, ":");
    snprintf(buf, sizeof(buf), "%.*s/%s", (int)(len ? len : 1), len ? path : ".", prog);
    if (access(buf, X_OK) == 0)
      return 1;
    path += len;
    if (*path == ':')
      path++;
  }
  return 0;
}

/* Runs `prog NAME.gp` in the output directory: fork + execvp, no shell.
 * stdin is /dev/null; stdout and stderr go to gnuplot.log. */
int su_report_run_gnuplot(const char *prog, const char *dir, const char *name)
{
  char script[96];
  pid_t pid;
  int status;

  snprintf(script, sizeof(script), "%s.gp", name);
  pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    char *const argv[] = {(char *)prog, script, NULL};
    int in = open("/dev/null", O_RDONLY), log;
    if (chdir(dir) != 0)
      _exit(126);
    log = open("gnuplot.log", O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in >= 0)
      dup2(in, 0);
    if (log >= 0) {
      dup2(log, 1);
      dup2(log, 2);
    }
    execvp(prog, argv);
    _exit(127);
  }
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int su_report_png_complete(const char *path)
{
  static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
  unsigned char head[8], tail[12];
  FILE *fp = fopen(path, "rb");
  int ok;

  if (!fp)
    return 0;
  ok = fread(head, 1, 8, fp) == 8 && memcmp(head, sig, 8) == 0 && fseek(fp, -12, SEEK_END) == 0 &&
       fread(tail, 1, 12, fp) == 12 && memcmp(tail, iend, 12) == 0;
  fclose(fp);
  return ok;
}

int su__report_render(su__report_t *rp)
{
  const char *prog = rp->o->gnuplot ? rp->o->gnuplot : "gnuplot";
  char png[4096];

  if (!*prog)
    return SU_OK;
  if (!su_report_gnuplot_found(prog)) {
    rp->info->gnuplot_missing = 1;
    return SU_OK;
  }
  for (size_t i = 0; i < rp->nplots; i++) {
    su__plot_t *p = &rp->plots[i];
    int rc;
    snprintf(png, sizeof(png), "%s/%s.png", rp->o->out_dir, p->name);
    unlink(png);            /* a stale image must not pass for a new one */
    rc = su_report_run_gnuplot(prog, rp->o->out_dir, p->name);
    p->rendered = rc == 0 && su_report_png_complete(png);
    if (p->rendered)
      rp->info->nrendered++;
    else if (!rp->info->render_error[0])
      snprintf(rp->info->render_error, sizeof(rp->info->render_error),
               "gnuplot failed on '%s.gp' (exit %d): see gnuplot.log", p->name, rc);
  }
  return SU_OK;
}
