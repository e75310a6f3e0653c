/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * html.c: report.html and report.md, and su_report_write, which runs the
 * whole report (fits, sweeps, plots, rendering, pages).
 *
 * report.html is self-contained so that it can be mailed or archived as one
 * file: rendered PNGs are embedded as base64 data: URIs (RFC 2397), styles
 * are inline, nothing is fetched.  Every string from a results file goes
 * through su_report_html_escape (HTML) or md_escape (Markdown).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/report_int.h"
#include "sizeup/config.h"
#include "sizeup/error.h"
#include "sizeup/fs.h"

void su_report_html_escape(FILE *fp, const char *s)
{
  for (; s && *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", fp); break;
    case '<': fputs("&lt;", fp); break;
    case '>': fputs("&gt;", fp); break;
    case '"': fputs("&quot;", fp); break;
    case '\'': fputs("&#39;", fp); break;
    default: fputc(*s, fp); break;
    }
  }
}

#define H(s) su_report_html_escape(fp, (s))

/* Markdown table cell: HTML-escaped, with the Markdown specials backslash-
 * escaped and line breaks turned into spaces, so a cell stays one cell. */
static void md_escape(FILE *fp, const char *s)
{
  for (; s && *s; s++) {
    if (*s == '\n' || *s == '\r' || *s == '\t')
      fputc(' ', fp);
    else if (strchr("\\`*_[]|#!{}", *s))
      fprintf(fp, "\\%c", *s);
    else if (*s == '<')
      fputs("&lt;", fp);
    else if (*s == '>')
      fputs("&gt;", fp);
    else if (*s == '&')
      fputs("&amp;", fp);
    else
      fputc(*s, fp);
  }
}

int su_report_base64_file(FILE *out, const char *path)
{
  static const char tb[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  FILE *in = fopen(path, "rb");
  unsigned char b[3];
  size_t n;

  if (!in)
    return -1;
  while ((n = fread(b, 1, 3, in)) > 0) {
    unsigned v = (unsigned)b[0] << 16 | (n > 1 ? (unsigned)b[1] << 8 : 0) | (n > 2 ? b[2] : 0);
    fputc(tb[v >> 18 & 63], out);
    fputc(tb[v >> 12 & 63], out);
    fputc(n > 1 ? tb[v >> 6 & 63] : '=', out);
    fputc(n > 2 ? tb[v & 63] : '=', out);
    if (n < 3)
      break;
  }
  fclose(in);
  return 0;
}

static void fmt_num(char *buf, size_t len, double v)
{
  if (isfinite(v))
    snprintf(buf, len, "%.4g", v);
  else
    snprintf(buf, len, "n/a");
}

static void fmt_bytes(char *buf, size_t len, double b)
{
  if (!(b > 0))
    snprintf(buf, len, "-");
  else if (b >= 1024.0 * 1024 * 1024)
    snprintf(buf, len, "%.4g GiB", b / (1024.0 * 1024 * 1024));
  else if (b >= 1024.0 * 1024)
    snprintf(buf, len, "%.4g MiB", b / (1024.0 * 1024));
  else if (b >= 1024.0)
    snprintf(buf, len, "%.4g KiB", b / 1024.0);
  else
    snprintf(buf, len, "%.0f B", b);
}

static const char methodology[] =
  "Each configuration was timed repeatedly after a warm-up; the tables give the median "
  "with a 95% confidence interval of the median from order statistics (Hoefler and Belli, "
  "SC15; Le Boudec 2010), never a mean alone. Rows whose status is not ok carry no numbers. "
  "Scaling laws (Amdahl, Gustafson for weak scaling, the Universal Scalability Law and the "
  "bandwidth bound min(N b1, Bmax)) are fitted to the medians by nonlinear least squares "
  "(GSL, Levenberg-Marquardt) with standard errors, R2 and a held-out error (fit on N up to "
  "half the largest N, predict the rest); series with fewer distinct thread counts than a "
  "model has parameters are reported as too_few_points. Cache levels are plateaus of the "
  "working-set sweep separated by drops of more than 25%. Roofline ceilings are measured: "
  "compute from fma_peak, DRAM from the best stream_triad at its largest working set, cache levels from the plateaus. "
  "See docs/models.md and docs/report.md.";

/* --- HTML ------------------------------------------------------------------ */

static void html_fingerprint(FILE *fp, const su__report_t *rp)
{
  static const char *const rows[] = {"run id", "host", "CPU", "ISA", "topology", "memory",
                                     "caches", "OS / kernel", "compiler", "sizeup",
                                     "command line", "devices", "labels"};
  char a[128], b[64];

  fprintf(fp, "<h2 id=\"fingerprint\">Machines</h2>\n<table>\n<tr><th></th>");
  for (size_t d = 0; d < rp->ndirs; d++) {
    fprintf(fp, "<th>");
    H(rp->dirs[d].r->dir);
    fprintf(fp, "</th>");
  }
  fprintf(fp, "</tr>\n");
  for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
    fprintf(fp, "<tr><th>%s</th>", rows[k]);
    for (size_t d = 0; d < rp->ndirs; d++) {
      const su_results_t *r = rp->dirs[d].r;
      const su_fingerprint_t *f = &r->fp;
      fprintf(fp, "<td>");
      if (k == 0) {
        H(r->run_id);
      } else if (!f->loaded) {
        fprintf(fp, "unknown (no readable system.json%s)",
                SU_HAVE_JANSSON ? "" : "; built without libjansson");
      } else {
        switch (k) {
        case 1: H(f->hostname); break;
        case 2: H(f->cpu_model); fprintf(fp, " ("); H(f->cpu_vendor); fprintf(fp, ", ");
                H(f->arch); fprintf(fp, ")"); break;
        case 3: H(f->isa); break;
        case 4: fprintf(fp, "%u package(s), %u NUMA node(s), %u cores, %u PUs", f->packages,
                        f->numa_nodes, f->cores, f->pus); break;
        case 5: fmt_bytes(a, sizeof(a), (double)f->memory_bytes); fprintf(fp, "%s", a); break;
        case 6:
          for (size_t c = 0; c < f->ncaches; c++) {
            fmt_bytes(b, sizeof(b), (double)f->caches[c].size_bytes);
            fprintf(fp, "%sL%u %s x %u", c ? ", " : "", f->caches[c].level, b,
                    f->caches[c].count);
          }
          break;
        case 7: H(f->os); fprintf(fp, " / "); H(f->kernel); break;
        case 8: H(f->compiler_id); fprintf(fp, " "); H(f->compiler_flags); break;
        case 9: H(f->sizeup_version); fprintf(fp, " (git "); H(f->git_commit);
                fprintf(fp, ")"); break;
        case 10: fprintf(fp, "<code>"); H(f->command_line); fprintf(fp, "</code>"); break;
        case 11:
          for (size_t i = 0; i < f->ndevices; i++) {
            fprintf(fp, "%s", i ? "<br>" : "");
            H(f->device_names[i]);
          }
          break;
        case 12:
          for (size_t i = 0; i < f->nlabels; i++) {
            fprintf(fp, "%s", i ? "<br>" : "");
            H(f->label_keys[i]);
            fprintf(fp, " = ");
            H(f->label_vals[i]);
          }
          break;
        }
      }
      fprintf(fp, "</td>");
    }
    fprintf(fp, "</tr>\n");
  }
  fprintf(fp, "</table>\n");
}

static void html_headlines(FILE *fp, const su__report_t *rp)
{
  char v[64];

  fprintf(fp, "<h2 id=\"headlines\">Headline figures</h2>\n<table>\n<tr><th>figure</th>"
              "<th>unit</th>");
  for (size_t d = 0; d < rp->ndirs; d++) {
    fprintf(fp, "<th>");
    H(rp->dirs[d].label);
    fprintf(fp, "</th>");
  }
  fprintf(fp, "</tr>\n");
  for (int h = 0; h < SU__NHEAD; h++) {
    fprintf(fp, "<tr><td>%s</td><td>%s</td>", su__head_names[h], su__head_units[h]);
    for (size_t d = 0; d < rp->ndirs; d++) {
      fmt_num(v, sizeof(v), rp->dirs[d].head[h]);
      fprintf(fp, "<td class=\"n\">%s</td>", v);
    }
    fprintf(fp, "</tr>\n");
  }
  fprintf(fp, "</table>\n");
}

static void html_fits(FILE *fp, const su__report_t *rp)
{
  char v[64], e[64];

  fprintf(fp, "<h2 id=\"fits\">Scaling fits</h2>\n");
  if (!rp->info->fits_available) {
    fprintf(fp, "<p>Not available: sizeup was built without GSL (install libgsl-dev and "
                "rebuild).</p>\n");
    return;
  }
  fprintf(fp, "<table>\n<tr><th>directory</th><th>kernel</th><th>variant</th><th>precision"
              "</th><th>placement</th><th>unit</th><th>model</th><th>status</th>"
              "<th>parameters (standard error)</th><th>R2</th><th>held-out error</th>"
              "<th>N*</th><th>efficiency at N max</th></tr>\n");
  for (size_t d = 0; d < rp->ndirs; d++)
    for (size_t s = 0; s < rp->dirs[d].fits.nseries; s++) {
      const su_fit_series_t *se = &rp->dirs[d].fits.series[s];
      for (int m = 0; m < SU_FIT_NMODELS; m++) {
        const su_fit_t *f = &se->fit[m];
        if (!se->fitted[m])
          continue;
        fprintf(fp, "<tr><td>");
        H(rp->dirs[d].label);
        fprintf(fp, "</td><td>");
        H(se->kernel);
        fprintf(fp, "</td><td>");
        H(se->variant);
        fprintf(fp, "</td><td>");
        H(se->precision);
        fprintf(fp, "</td><td>");
        H(se->placement);
        fprintf(fp, "</td><td>");
        H(se->unit);
        fprintf(fp, "</td><td>%s</td><td>%s", su_fit_model_name(f->model),
                su_fit_status_name(f->status));
        if (f->reason[0]) {
          fprintf(fp, "<br><small>");
          H(f->reason);
          fprintf(fp, "</small>");
        }
        fprintf(fp, "</td><td>");
        for (unsigned p = 0; p < f->nparams && isfinite(f->nmax); p++) {
          fmt_num(v, sizeof(v), f->param[p]);
          fmt_num(e, sizeof(e), f->se[p]);
          fprintf(fp, "%s%s = %s (%s)", p ? "<br>" : "", su_fit_param_name(f->model, p), v, e);
        }
        fmt_num(v, sizeof(v), f->r2);
        fprintf(fp, "</td><td class=\"n\">%s</td>", v);
        if (isfinite(f->heldout_mare))
          fprintf(fp, "<td class=\"n\">%.1f%%</td>", 100 * f->heldout_mare);
        else
          fprintf(fp, "<td class=\"n\">n/a</td>");
        fmt_num(v, sizeof(v), f->nstar);
        fprintf(fp, "<td class=\"n\">%s</td>", v);
        fmt_num(v, sizeof(v), f->eff_at_nmax);
        fprintf(fp, "<td class=\"n\">%s at N=%g</td></tr>\n", v, f->nmax);
      }
    }
  fprintf(fp, "</table>\n");
}

static void html_cache(FILE *fp, const su__report_t *rp)
{
  char lo[64], hi[64], kn[64];

  fprintf(fp, "<h2 id=\"cache-levels\">Cache levels (bandwidth ceilings)</h2>\n<table>\n"
              "<tr><th>directory</th><th>sweep</th><th>level</th><th>ceiling (median)</th>"
              "<th>best point</th><th>unit</th><th>sizes</th><th>knee near</th></tr>\n");
  for (size_t d = 0; d < rp->ndirs; d++)
    for (size_t s = 0; s < rp->dirs[d].nbw; s++) {
      const su_fit_sweep_t *sw = &rp->dirs[d].bw_sweeps[s];
      for (size_t k = 0; k < sw->nplateaus; k++) {
        const su_plateau_t *p = &sw->plateau[k];
        fprintf(fp, "<tr><td>");
        H(rp->dirs[d].label);
        fprintf(fp, "</td><td>");
        H(sw->kernel);
        fprintf(fp, " ");
        H(sw->precision);
        fprintf(fp, ", %u thread(s), ", sw->threads);
        H(sw->placement);
        fmt_bytes(lo, sizeof(lo), (double)p->size_lo_bytes);
        fmt_bytes(hi, sizeof(hi), (double)p->size_hi_bytes);
        fmt_bytes(kn, sizeof(kn), (double)p->knee_bytes);
        fprintf(fp, "</td><td>%s</td><td class=\"n\">%.4g</td><td class=\"n\">%.4g</td><td>",
                p->level, p->bw, p->bw_max);
        H(sw->unit);
        fprintf(fp, "</td><td>%s - %s (%zu)</td><td>%s</td></tr>\n", lo, hi, p->npoints, kn);
      }
    }
  fprintf(fp, "</table>\n");
}

static void html_rows(FILE *fp, const su__report_t *rp)
{
  char v[64], lo[64], hi[64], sz[64];

  fprintf(fp, "<h2 id=\"results\">Results</h2>\n");
  for (size_t d = 0; d < rp->ndirs; d++) {
    const su_results_t *r = rp->dirs[d].r;
    fprintf(fp, "<h3>");
    H(r->dir);
    fprintf(fp, "</h3>\n<table>\n<tr><th>kernel</th><th>variant</th><th>backend</th>"
                "<th>device</th><th>precision</th><th>threads</th><th>placement</th>"
                "<th>size</th><th>metric</th><th>median</th><th>95%% CI</th><th>unit</th>"
                "<th>reps</th><th>status</th></tr>\n");
    for (size_t i = 0; i < r->nrows; i++) {
      const su_result_row_t *w = &r->rows[i];
      fmt_num(v, sizeof(v), w->median);
      fmt_num(lo, sizeof(lo), w->ci95_lo);
      fmt_num(hi, sizeof(hi), w->ci95_hi);
      fmt_bytes(sz, sizeof(sz), (double)w->size_bytes);
      fprintf(fp, "<tr><td>");
      H(w->kernel);
      fprintf(fp, "</td><td>");
      H(w->variant);
      fprintf(fp, "</td><td>");
      H(w->backend);
      fprintf(fp, "</td><td>");
      H(w->device);
      fprintf(fp, "</td><td>");
      H(w->precision);
      fprintf(fp, "</td><td class=\"n\">%u</td><td>", w->threads);
      H(w->placement);
      fprintf(fp, "</td><td class=\"n\">%s</td><td>", sz);
      H(w->metric);
      fprintf(fp, "</td><td class=\"n\">%s</td><td class=\"n\">%s - %s</td><td>", v, lo, hi);
      H(w->unit);
      fprintf(fp, "</td><td class=\"n\">%u</td><td>", w->reps);
      H(w->status);
      if (w->reason[0]) {
        fprintf(fp, ": ");
        H(w->reason);
      }
      fprintf(fp, "</td></tr>\n");
    }
    fprintf(fp, "</table>\n");
  }
}

int su__report_html(su__report_t *rp)
{
  char path[4096], png[4096];
  FILE *fp;
  int bad;

  snprintf(path, sizeof(path), "%s/report.html", rp->o->out_dir);
  if (!(fp = fopen(path, "w")))
    return su_errorf(SU_EIO, "cannot write '%s': %s", path, strerror(errno));
  fprintf(fp, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<title>sizeup report</title>\n<style>\n"
              "body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}\n"
              "table{border-collapse:collapse;margin:1em 0;font-size:90%%}\n"
              "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;"
              "vertical-align:top}\n"
              "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
              "figure{margin:1.5em 0}img{max-width:100%%;height:auto}\n"
              "</style>\n</head>\n<body>\n<h1>sizeup report</h1>\n<p>");
  for (size_t d = 0; d < rp->ndirs; d++) {
    fprintf(fp, "%s<code>", d ? ", " : "");
    H(rp->dirs[d].r->run_id);
    fprintf(fp, "</code>");
  }
  fprintf(fp, " &mdash; sizeup %s</p>\n", SU_VERSION_STRING);
  html_fingerprint(fp, rp);
  fprintf(fp, "<h2 id=\"methodology\">Methodology</h2>\n<p>%s</p>\n", methodology);
  html_headlines(fp, rp);
  fprintf(fp, "<h2 id=\"plots\">Plots</h2>\n");
  if (rp->info->gnuplot_missing)
    fprintf(fp, "<p>gnuplot was not found: the plots are the scripts NAME.gp next to this "
                "file; render them with <code>gnuplot NAME.gp</code>.</p>\n");
  for (size_t i = 0; i < rp->nplots; i++) {
    const su__plot_t *p = &rp->plots[i];
    fprintf(fp, "<figure id=\"plot-%s\">\n", p->name);
    snprintf(png, sizeof(png), "%s/%s.png", rp->o->out_dir, p->name);
    if (p->rendered) {
      fprintf(fp, "<img alt=\"%s\" src=\"data:image/png;base64,", p->name);
      su_report_base64_file(fp, png);
      fprintf(fp, "\">\n");
    } else {
      fprintf(fp, "<p>[%s not rendered: run <code>gnuplot %s.gp</code>]</p>\n", p->name,
              p->name);
    }
    fprintf(fp, "<figcaption>%s: ", p->name);
    H(p->caption);
    fprintf(fp, " (<a href=\"%s.gp\">%s.gp</a>, <a href=\"%s.dat\">%s.dat</a>, "
                "<a href=\"%s.svg\">SVG</a>)</figcaption>\n</figure>\n",
            p->name, p->name, p->name, p->name, p->name);
  }
  html_fits(fp, rp);
  html_cache(fp, rp);
  html_rows(fp, rp);
  fprintf(fp, "</body>\n</html>\n");
  bad = ferror(fp);
  if (fclose(fp) != 0 || bad)
    return su_errorf(SU_EIO, "cannot write '%s'", path);
  return SU_OK;
}

/* --- Markdown ------------------------------------------------------------------ */

int su__report_markdown(su__report_t *rp)
{
  char path[4096], v[64], e[64];
  FILE *fp;
  int bad;

  snprintf(path, sizeof(path), "%s/report.md", rp->o->out_dir);
  if (!(fp = fopen(path, "w")))
    return su_errorf(SU_EIO, "cannot write '%s': %s", path, strerror(errno));
  fprintf(fp, "# sizeup report\n\n## Machines\n\n| directory | run id | host | CPU | cores | "
              "memory |\n|---|---|---|---|---|---|\n");
  for (size_t d = 0; d < rp->ndirs; d++) {
    const su_results_t *r = rp->dirs[d].r;
    fprintf(fp, "| ");
    md_escape(fp, r->dir);
    fprintf(fp, " | ");
    md_escape(fp, r->run_id);
    fprintf(fp, " | ");
    md_escape(fp, r->fp.loaded ? r->fp.hostname : "unknown");
    fprintf(fp, " | ");
    md_escape(fp, r->fp.loaded ? r->fp.cpu_model : "unknown");
    fmt_bytes(v, sizeof(v), (double)r->fp.memory_bytes);
    fprintf(fp, " | %u | %s |\n", r->fp.cores, v);
  }
  fprintf(fp, "\n## Methodology\n\n%s\n\n## Headline figures\n\n| figure | unit |", methodology);
  for (size_t d = 0; d < rp->ndirs; d++) {
    fprintf(fp, " ");
    md_escape(fp, rp->dirs[d].label);
    fprintf(fp, " |");
  }
  fprintf(fp, "\n|---|---|");
  for (size_t d = 0; d < rp->ndirs; d++)
    fprintf(fp, "---:|");
  fprintf(fp, "\n");
  for (int h = 0; h < SU__NHEAD; h++) {
    fprintf(fp, "| %s | %s |", su__head_names[h], su__head_units[h]);
    for (size_t d = 0; d < rp->ndirs; d++) {
      fmt_num(v, sizeof(v), rp->dirs[d].head[h]);
      fprintf(fp, " %s |", v);
    }
    fprintf(fp, "\n");
  }
  fprintf(fp, "\n## Plots\n\n");
  for (size_t i = 0; i < rp->nplots; i++) {
    fprintf(fp, "### %s\n\n", rp->plots[i].name);
    md_escape(fp, rp->plots[i].caption);
    if (rp->plots[i].rendered)
      fprintf(fp, "\n\n![%s](%s.png)\n\n", rp->plots[i].name, rp->plots[i].name);
    else
      fprintf(fp, "\n\nNot rendered: run `gnuplot %s.gp`.\n\n", rp->plots[i].name);
  }
  fprintf(fp, "## Scaling fits\n\n");
  if (!rp->info->fits_available)
    fprintf(fp, "Not available: built without GSL (install libgsl-dev and rebuild).\n\n");
  else {
    fprintf(fp, "| directory | kernel | placement | model | status | parameters | R2 | "
                "held-out error | N* |\n|---|---|---|---|---|---|---:|---:|---:|\n");
    for (size_t d = 0; d < rp->ndirs; d++)
      for (size_t s = 0; s < rp->dirs[d].fits.nseries; s++) {
        const su_fit_series_t *se = &rp->dirs[d].fits.series[s];
        for (int m = 0; m < SU_FIT_NMODELS; m++) {
          const su_fit_t *f = &se->fit[m];
          if (!se->fitted[m])
            continue;
          fprintf(fp, "| ");
          md_escape(fp, rp->dirs[d].label);
          fprintf(fp, " | ");
          md_escape(fp, se->kernel);
          fprintf(fp, " | ");
          md_escape(fp, se->placement);
          fprintf(fp, " | %s | %s | ", su_fit_model_name(f->model),
                  su_fit_status_name(f->status));
          for (unsigned p = 0; p < f->nparams; p++) {
            fmt_num(v, sizeof(v), f->param[p]);
            fmt_num(e, sizeof(e), f->se[p]);
            fprintf(fp, "%s%s = %s (%s)", p ? ", " : "", su_fit_param_name(f->model, p), v, e);
          }
          fmt_num(v, sizeof(v), f->r2);
          fprintf(fp, " | %s | ", v);
          if (isfinite(f->heldout_mare))
            fprintf(fp, "%.1f%%", 100 * f->heldout_mare);
          else
            fprintf(fp, "n/a");
          fmt_num(v, sizeof(v), f->nstar);
          fprintf(fp, " | %s |\n", v);
        }
      }
    fprintf(fp, "\n");
  }
  fprintf(fp, "## Cache levels\n\n| directory | sweep | level | ceiling | unit |\n"
              "|---|---|---|---:|---|\n");
  for (size_t d = 0; d < rp->ndirs; d++)
    for (size_t s = 0; s < rp->dirs[d].nbw; s++) {
      const su_fit_sweep_t *sw = &rp->dirs[d].bw_sweeps[s];
      for (size_t k = 0; k < sw->nplateaus; k++) {
        fprintf(fp, "| ");
        md_escape(fp, rp->dirs[d].label);
        fprintf(fp, " | ");
        md_escape(fp, sw->kernel);
        fprintf(fp, " %u thread(s) | %s | %.4g | ", sw->threads, sw->plateau[k].level,
                sw->plateau[k].bw);
        md_escape(fp, sw->unit);
        fprintf(fp, " |\n");
      }
    }
  fprintf(fp, "\nFull tables with confidence intervals and statuses: report.html.\n");
  bad = ferror(fp);
  if (fclose(fp) != 0 || bad)
    return su_errorf(SU_EIO, "cannot write '%s'", path);
  return SU_OK;
}

/* --- the whole report ----------------------------------------------------------- */

int su_report_write(const su_results_t *dirs, size_t ndirs, const su_report_opts_t *o,
                    su_report_info_t *info)
{
  su__report_t rp;
  int err = SU_OK;

  if (!dirs || !ndirs || !o || !o->out_dir || !info)
    return su_errorf(SU_EINVAL, "no results directories to report");
  memset(info, 0, sizeof(*info));
  memset(&rp, 0, sizeof(rp));
  rp.o = o;
  rp.info = info;
  if ((err = su_fs_mkdir_p(o->out_dir)))
    return err;
  rp.dirs = calloc(ndirs, sizeof(*rp.dirs));
  if (!rp.dirs)
    return su_errorf(SU_ENOMEM, "cannot plan the report");
  rp.ndirs = ndirs;
  info->fits_available = SU_HAVE_GSL;
  for (size_t d = 0; d < ndirs; d++) {
    su__dir_t *dir = &rp.dirs[d];
    const su_results_t *r = &dirs[d];
    char raw[160];
    dir->r = r;
    snprintf(raw, sizeof(raw), "%s", r->fp.loaded && r->fp.hostname[0] ? r->fp.hostname
                                                                          : r->run_id);
    su_report_gp_sanitize(raw, dir->label, sizeof(dir->label));
    if ((err = su_fit_results(r, NULL, &dir->fits)) != SU_OK)
      goto out;
    if ((err = su_fit_sweeps(r, "bandwidth", &dir->bw_sweeps, &dir->nbw)) != SU_OK ||
        (err = su_fit_sweeps(r, "latency", &dir->lat_sweeps, &dir->nlat)) != SU_OK)
      goto out;
  }
  if ((err = su__report_plots(&rp)) != SU_OK)
    goto out;
  info->nplots = rp.nplots;
  if ((err = su__report_render(&rp)) != SU_OK)
    goto out;
  if ((err = su__report_html(&rp)) != SU_OK || (err = su__report_markdown(&rp)) != SU_OK)
    goto out;
out:
  for (size_t d = 0; d < rp.ndirs; d++) {
    su_fit_set_fini(&rp.dirs[d].fits);
    su_fit_sweeps_free(rp.dirs[d].bw_sweeps, rp.dirs[d].nbw);
    su_fit_sweeps_free(rp.dirs[d].lat_sweeps, rp.dirs[d].nlat);
  }
  free(rp.dirs);
  free(rp.plots);
  return err;
}
