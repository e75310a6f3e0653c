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
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/report_int.h"
#include "sizeup/config.h"
#include "sizeup/error.h"
#include "sizeup/fs.h"

#define H(s) su_report_html_escape(fp, (s))

static void fmt_num(char *buf, size_t len, double v)
{
  if (isfinite(v))
    snprintf(buf, len, "%.4g", v);
  else
    snprintf(buf, len, "n/a");
}

static const char methodology[] =
  "Each configuration was timed repeatedly after a warm-up; the tables give the median "
  "with a 95% confidence interval of the median from order statistics (Hoefler and Belli, "
  "SC15; Le Boudec 2010), never a mean alone. Rows whose status is not ok carry no numbers. "
  "Scaling laws (Amdahl, Gustafson for weak scaling, the Universal Scalability Law and the "
  "bandwidth bound min(N b1, Bmax)) are fitted to the medians by nonlinear least squares "
  "(GSL, Levenberg-Marquardt) with standard errors, R2 and a held-out error (fit on N up to "
  "half the largest N, predict the rest); series with fewer distinct thread counts than a "
  "model has parameters are left out of the fits table. Cache levels are plateaus of the "
  "working-set sweep separated by drops of more than 25%. Roofline ceilings are measured: "
  "compute from fma_peak, DRAM from the best stream_triad at its largest working set, cache levels from the plateaus. "
  "See docs/models.md and docs/report.md.";

/* --- HTML ------------------------------------------------------------------ */

static void html_fingerprint(FILE *fp, const su__report_t *rp)
{
  static const char *const rows[] = {"folder", "run id", "host", "CPU", "ISA", "topology", "memory",
                                     "caches", "OS / kernel", "compiler", "sizeup",
                                     "command line", "devices", "labels"};
  char a[128], b[64];

  fprintf(fp, "<h2 id=\"fingerprint\">Machines</h2>\n<table>\n<tr><th></th>");
  for (size_t d = 0; d < rp->ndirs; d++) {
    fprintf(fp, "<th>");
    H(rp->dirs[d].name);
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
        H(r->dir);
      } else if (k == 1) {
        H(r->run_id);
      } else if (!f->loaded) {
        fprintf(fp, "unknown (no readable system.json%s)",
                SU_HAVE_JANSSON ? "" : "; built without libjansson");
      } else {
        switch (k) {
        case 2: H(f->hostname); break;
        case 3: H(f->cpu_model); fprintf(fp, " ("); H(f->cpu_vendor); fprintf(fp, ", ");
                H(f->arch); fprintf(fp, ")"); break;
        case 4: H(f->isa); break;
        case 5: fprintf(fp, "%u package(s), %u NUMA node(s), %u cores, %u PUs", f->packages,
                        f->numa_nodes, f->cores, f->pus); break;
        case 6: su__fmt_bytes(a, sizeof(a), (double)f->memory_bytes); fprintf(fp, "%s", a); break;
        case 7:
          for (size_t c = 0; c < f->ncaches; c++) {
            su__fmt_bytes(b, sizeof(b), (double)f->caches[c].size_bytes);
            fprintf(fp, "%sL%u %s x %u", c ? ", " : "", f->caches[c].level, b,
                    f->caches[c].count);
          }
          break;
        case 8: H(f->os); fprintf(fp, " / "); H(f->kernel); break;
        case 9: H(f->compiler_id); fprintf(fp, " "); H(f->compiler_flags); break;
        case 10: H(f->sizeup_version); fprintf(fp, " (git "); H(f->git_commit);
                fprintf(fp, ")"); break;
        case 11: fprintf(fp, "<code>"); H(f->command_line); fprintf(fp, "</code>"); break;
        case 12:
          for (size_t i = 0; i < f->ndevices; i++) {
            fprintf(fp, "%s", i ? "<br>" : "");
            H(f->device_names[i]);
          }
          break;
        case 13:
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

/* --- tables written once, as HTML or Markdown -------------------------------- */

#define DOC_MAX_COLS 32

/* A table writer with two outputs, so that report.html and report.md are
 * written by the same code.  Every cell's text is escaped for the format. */
typedef struct doc {
  FILE *fp;
  int md;                    /* 1: Markdown, 0: HTML */
  unsigned ncols;
  char align[DOC_MAX_COLS];  /* 'l' or 'r' per header cell */
} doc_t;

static void doc_text(doc_t *d, const char *s)
{
  if (d->md)
    su__md_escape(d->fp, s);
  else
    su_report_html_escape(d->fp, s);
}

static void doc_h2(doc_t *d, const char *id, const char *title)
{
  if (d->md)
    fprintf(d->fp, "## %s\n\n", title);
  else
    fprintf(d->fp, "<h2 id=\"%s\">%s</h2>\n", id, title);
}

static void doc_para(doc_t *d, const char *text)
{
  fprintf(d->fp, d->md ? "%s\n\n" : "<p>%s</p>\n", text);
}

static void doc_table(doc_t *d)
{
  d->ncols = 0;
  if (!d->md)
    fprintf(d->fp, "<table>\n<tr>");
  else
    fprintf(d->fp, "|");
}

/* A header cell; `num` right-aligns its column. */
static void doc_head(doc_t *d, const char *text, int num)
{
  if (d->ncols < DOC_MAX_COLS)
    d->align[d->ncols++] = num ? 'r' : 'l';
  fprintf(d->fp, d->md ? " " : "<th>");
  doc_text(d, text);
  fprintf(d->fp, d->md ? " |" : "</th>");
}

static void doc_head_end(doc_t *d)
{
  if (!d->md) {
    fprintf(d->fp, "</tr>\n");
    return;
  }
  fprintf(d->fp, "\n|");
  for (unsigned c = 0; c < d->ncols; c++)
    fprintf(d->fp, d->align[c] == 'r' ? "---:|" : "---|");
  fprintf(d->fp, "\n");
}

static void doc_row(doc_t *d)
{
  fprintf(d->fp, d->md ? "|" : "<tr>");
}

static void doc_cell(doc_t *d, const char *text, int num)
{
  fprintf(d->fp, d->md ? " " : num ? "<td class=\"n\">" : "<td>");
  doc_text(d, text);
  fprintf(d->fp, d->md ? " |" : "</td>");
}

static void doc_cellf(doc_t *d, int num, const char *fmt, ...) SU_PRINTF(3, 4);
static void doc_cellf(doc_t *d, int num, const char *fmt, ...)
{
  char buf[1024];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  doc_cell(d, buf, num);
}

static void doc_row_end(doc_t *d)
{
  fprintf(d->fp, d->md ? "\n" : "</tr>\n");
}

static void doc_table_end(doc_t *d)
{
  fprintf(d->fp, d->md ? "\n" : "</table>\n");
}

static void doc_headlines(doc_t *d, const su__report_t *rp)
{
  char v[64];

  doc_h2(d, "headlines", "Headline figures");
  doc_table(d);
  doc_head(d, "figure", 0);
  doc_head(d, "unit", 0);
  for (size_t k = 0; k < rp->ndirs; k++)
    doc_head(d, rp->dirs[k].name, 1);
  doc_head_end(d);
  for (int h = 0; h < SU__NHEAD; h++) {
    doc_row(d);
    doc_cell(d, su__head_names[h], 0);
    doc_cell(d, su__head_units[h], 0);
    for (size_t k = 0; k < rp->ndirs; k++) {
      const su_result_row_t *w = rp->dirs[k].headrow[h];
      su__where_t at;
      char note[192];
      if (!w || !isfinite(rp->dirs[k].head[h])) {
        doc_cell(d, "not measured", 1);
        continue;
      }
      fmt_num(v, sizeof(v), rp->dirs[k].head[h]);
      su__where_of(rp->dirs[k].r, w, &at);
      if (h != SU_HEAD_MEM_BW && h != SU_HEAD_LATENCY)
        at.fits = -1;       /* caches are a memory figure's matter */
      su__where_note(&at, w->size_bytes, note, sizeof(note));
      doc_cellf(d, 1, "%s%s%s%s", v, note[0] ? " (" : "", note, note[0] ? ")" : "");
    }
    doc_row_end(d);
  }
  doc_table_end(d);
}

/* Each series' chosen model and where it goes past the measured counts,
 * in words (the band of the scaling plots). */
static void doc_predictions(doc_t *d, const su__report_t *rp)
{
  char text[1024], w[256], nst[256];

  for (size_t k = 0; k < rp->ndirs; k++)
    for (size_t s = 0; s < rp->dirs[k].fits.nseries; s++) {
      const su_fit_series_t *se = &rp->dirs[k].fits.series[s];
      if (se->chosen < 0 || !se->npred)
        continue;
      su_report_prediction_words(se, &se->pred[se->npred - 1], w, sizeof(w));
      su_report_nstar_words(se, nst, sizeof(nst));
      snprintf(text, sizeof(text), "%s, %s %s %s: chosen %s. %c%s%s%s.", rp->dirs[k].name,
               se->kernel, se->placement, se->metric, se->why, w[0] - 32, w + 1,
               nst[0] ? "; " : "", nst);
      doc_para(d, text);
    }
}

static void doc_fits(doc_t *d, const su__report_t *rp)
{
  static const char *const head[] = {"machine", "kernel", "variant", "precision",
                                     "placement", "unit", "model", "status",
                                     "parameters (standard error)"};
  char v[64], e[64], params[512], status[512];
  size_t nfits = 0;

  doc_h2(d, "fits", "Scaling fits");
  if (!rp->info->fits_available) {
    doc_para(d, "Not available: sizeup was built without GSL (install libgsl-dev and "
                "rebuild).");
    return;
  }
  for (size_t k = 0; k < rp->ndirs; k++)
    for (size_t s = 0; s < rp->dirs[k].fits.nseries; s++)
      for (int m = 0; m < SU_FIT_NMODELS; m++)
        nfits += rp->dirs[k].fits.series[s].fitted[m] &&
                 rp->dirs[k].fits.series[s].fit[m].status != SU_FIT_TOO_FEW;
  if (!nfits) {
    doc_para(d, "No series was measured at enough thread counts to fit a scaling law (a fit "
                "needs at least 3 distinct counts, and one more than the model has "
                "parameters): run with more thread counts, e.g. -t 1..max on a larger "
                "machine.");
    return;
  }
  doc_para(d, "How each figure grows with threads, fitted with Amdahl's law (a serial part "
              "caps the speed-up), Gustafson's law (the problem grows with the threads), the "
              "Universal Scalability Law (coordination costs make it fall again beyond N*) and "
              "the bandwidth bound min(N b1, Bmax) (memory saturates at Bmax). R2: the share "
              "of the variation the curve explains (1 = all); held-out error: how far the "
              "curve, fitted on the smaller thread counts, misses the larger ones. Series with "
              "too few thread counts for a model are left out.");
  doc_table(d);
  for (size_t c = 0; c < sizeof(head) / sizeof(head[0]); c++)
    doc_head(d, head[c], 0);
  doc_head(d, "R2", 1);
  doc_head(d, "held-out error", 1);
  doc_head(d, "N*", 1);
  doc_head(d, "efficiency at N max", 1);
  doc_head_end(d);
  for (size_t k = 0; k < rp->ndirs; k++)
    for (size_t s = 0; s < rp->dirs[k].fits.nseries; s++) {
      const su_fit_series_t *se = &rp->dirs[k].fits.series[s];
      for (int m = 0; m < SU_FIT_NMODELS; m++) {
        const su_fit_t *f = &se->fit[m];
        size_t len = 0;
        if (!se->fitted[m] || f->status == SU_FIT_TOO_FEW)
          continue;
        params[0] = '\0';
        for (unsigned p = 0; p < f->nparams && isfinite(f->nmax) && len < sizeof(params); p++) {
          fmt_num(v, sizeof(v), f->param[p]);
          fmt_num(e, sizeof(e), f->se[p]);
          len += (size_t)snprintf(params + len, sizeof(params) - len, "%s%s = %s (%s)",
                                  p ? "; " : "", su_fit_param_name(f->model, p), v, e);
        }
        snprintf(status, sizeof(status), "%s%s%s", su_fit_status_name(f->status),
                 f->reason[0] ? ": " : "", f->reason);
        doc_row(d);
        doc_cell(d, rp->dirs[k].name, 0);
        doc_cell(d, se->kernel, 0);
        doc_cell(d, se->variant, 0);
        doc_cell(d, se->precision, 0);
        doc_cell(d, se->placement, 0);
        doc_cell(d, se->unit, 0);
        doc_cell(d, su_fit_model_name(f->model), 0);
        doc_cell(d, status, 0);
        doc_cell(d, params, 0);
        fmt_num(v, sizeof(v), f->r2);
        doc_cell(d, v, 1);
        if (isfinite(f->heldout_mare))
          doc_cellf(d, 1, "%.1f%%", 100 * f->heldout_mare);
        else
          doc_cell(d, "n/a", 1);
        fmt_num(v, sizeof(v), f->nstar);
        doc_cell(d, v, 1);
        fmt_num(v, sizeof(v), f->eff_at_nmax);
        doc_cellf(d, 1, "%s at N=%g", v, f->nmax);
        doc_row_end(d);
      }
    }
  doc_table_end(d);
  doc_predictions(d, rp);
}

static void doc_cache(doc_t *d, const su__report_t *rp)
{
  static const char *const head[] = {"machine", "sweep", "level", "ceiling (median)",
                                     "best point", "unit", "sizes", "knee near"};
  char lo[64], hi[64], kn[64], sweep[512];

  doc_h2(d, "cache-levels", "Cache levels (bandwidth ceilings)");
  doc_para(d, "Bandwidth against working set falls in steps, one per cache level: each "
              "plateau is a level's bandwidth (L1 the smallest and fastest cache, DRAM the main "
              "memory), the knee where the data stops fitting.");
  doc_table(d);
  for (size_t c = 0; c < sizeof(head) / sizeof(head[0]); c++)
    doc_head(d, head[c], c == 3 || c == 4);
  doc_head_end(d);
  for (size_t k = 0; k < rp->ndirs; k++)
    for (size_t s = 0; s < rp->dirs[k].nbw; s++) {
      const su_fit_sweep_t *sw = &rp->dirs[k].bw_sweeps[s];
      snprintf(sweep, sizeof(sweep), "%s %s, %u thread(s), %s", sw->kernel, sw->precision,
               sw->threads, sw->placement);
      for (size_t i = 0; i < sw->nplateaus; i++) {
        const su_plateau_t *p = &sw->plateau[i];
        su__fmt_bytes(lo, sizeof(lo), (double)p->size_lo_bytes);
        su__fmt_bytes(hi, sizeof(hi), (double)p->size_hi_bytes);
        su__fmt_bytes(kn, sizeof(kn), (double)p->knee_bytes);
        doc_row(d);
        doc_cell(d, rp->dirs[k].name, 0);
        doc_cell(d, sweep, 0);
        doc_cell(d, p->level, 0);
        doc_cellf(d, 1, "%.4g", p->bw);
        doc_cellf(d, 1, "%.4g", p->bw_max);
        doc_cell(d, sw->unit, 0);
        doc_cellf(d, 0, "%s - %s (%zu)", lo, hi, p->npoints);
        doc_cell(d, kn, 0);
        doc_row_end(d);
      }
    }
  doc_table_end(d);
}

/* A grid (matrix.c) as tables: `corner` heads the row names, at most 16
 * columns per table, so that a 64-node machine stays readable (and within
 * the table writer's columns); empty cells were not measured. */
static void doc_grid(doc_t *d, const char *corner, const su__grid_t *g)
{
  for (int j0 = 0; j0 < g->ncol; j0 += 16) {
    const int j1 = j0 + 16 < g->ncol ? j0 + 16 : g->ncol;
    doc_table(d);
    doc_head(d, corner, 0);
    for (int j = j0; j < j1; j++)
      doc_head(d, g->cname[j], 1);
    doc_head_end(d);
    for (int i = 0; i < g->nrow; i++) {
      doc_row(d);
      doc_cell(d, g->rname[i], 0);
      for (int j = j0; j < j1; j++) {
        double v = g->val[(size_t)i * (size_t)g->ncol + (size_t)j];
        if (isnan(v))
          doc_cell(d, "", 1);
        else
          doc_cellf(d, 1, "%.4g", v);
      }
      doc_row_end(d);
    }
    doc_table_end(d);
  }
}

/* The head of a matrix table: the directory (several only), what, and
 * whether it is a model. */
static void grid_corner(char *head, size_t len, const su__report_t *rp, size_t k,
                        const char *what, int modelled)
{
  snprintf(head, len, "%.80s%s%s%s", rp->ndirs > 1 ? rp->dirs[k].label : "",
           rp->ndirs > 1 ? ": " : "", what, modelled ? " (null backend: a model)" : "");
}

/* The NUMA matrices (numa_report.c) as tables: one per directory and
 * metric, CPU nodes down, memory nodes across; nothing without one. */
static int doc_numa(doc_t *d, const su__report_t *rp)
{
  static const char *const what[] = {"bandwidth [GB/s], stream_triad",
                                     "latency [ns], latency_chase, 1 thread"};
  int titled = 0;

  for (size_t k = 0; k < rp->ndirs; k++) {
    su__numa_matrix_t m;
    int err = su__numa_matrix_build(rp->dirs[k].r, &m);
    if (err)
      return err;
    for (int x = 0; x < 2 && !err; x++) {
      char head[192];
      su__grid_t g;
      if (!m.n[x])
        continue;
      if (!titled++) {
        doc_h2(d, "numa-matrix", "NUMA matrix");
        doc_para(d, d->md ? "From the cores of NUMA node i (rows) to the memory of node j "
                            "(columns): `sizeup run --memory each`, memory bound with hwloc; "
                            "empty cells were not measured."
                          : "From the cores of NUMA node i (rows) to the memory of node j "
                            "(columns): <code>sizeup run --memory each</code>, memory bound "
                            "with hwloc; empty cells were not measured.");
      }
      if ((err = su__numa_grid(&m, x, &g)))
        break;
      grid_corner(head, sizeof(head), rp, k, what[x], m.modelled);
      doc_grid(d, head, &g);
      su__grid_fini(&g);
    }
    su__numa_matrix_fini(&m);
    if (err)
      return err;
  }
  return SU_OK;
}

/* The device-to-device matrices (d2d_report.c) as tables: one per
 * directory, source devices down, destinations across. */
static int doc_d2d(doc_t *d, const su__report_t *rp)
{
  int titled = 0;

  for (size_t k = 0; k < rp->ndirs; k++) {
    char head[192], paths[96];
    su__grid_t g;
    size_t n;
    int modelled, err = su__d2d_grid(rp->dirs[k].r, &g, &n, &modelled);
    if (err)
      return err;
    if (!n)
      continue;
    if (!titled++) {
      doc_h2(d, "d2d-matrix", "Device-to-device copies");
      doc_para(d, "Copy bandwidth from device i (rows) to device j (columns), transfer_d2d: "
                  "the diagonal is a copy within one device (on_device), the rest as the pair "
                  "allows: peer (one OpenCL context over both devices, the driver's own copy; "
                  "devices of one platform) or via_host (through pinned host memory); a cell "
                  "holds the best of the paths measured; empty cells were not measured.");
    }
    su__d2d_paths(rp->dirs[k].r, paths, sizeof(paths));
    if (paths[0]) {
      char line[160];

      snprintf(line, sizeof(line), "Paths measured: %s.", paths);
      doc_para(d, line);
    }
    grid_corner(head, sizeof(head), rp, k, "bandwidth [GB/s]", modelled);
    doc_grid(d, head, &g);
    su__grid_fini(&g);
  }
  return SU_OK;
}

/* Every summary row with its CI and status (HTML only: long). */
static void doc_rows(doc_t *d, const su__report_t *rp)
{
  static const char *const head[] = {"kernel", "variant", "backend", "device", "precision",
                                     "threads", "placement", "size", "metric", "median",
                                     "95% CI", "unit", "reps", "status"};
  char v[64], lo[64], hi[64], sz[64], status[512];

  doc_h2(d, "results", "Results");
  for (size_t k = 0; k < rp->ndirs; k++) {
    const su_results_t *r = rp->dirs[k].r;
    fprintf(d->fp, "<h3>");
    doc_text(d, rp->dirs[k].name);
    fprintf(d->fp, " (");
    doc_text(d, r->dir);
    fprintf(d->fp, ")</h3>\n");
    doc_table(d);
    for (size_t c = 0; c < sizeof(head) / sizeof(head[0]); c++)
      doc_head(d, head[c], 0);
    doc_head_end(d);
    for (size_t i = 0; i < r->nrows; i++) {
      const su_result_row_t *w = &r->rows[i];
      fmt_num(v, sizeof(v), w->median);
      fmt_num(lo, sizeof(lo), w->ci95_lo);
      fmt_num(hi, sizeof(hi), w->ci95_hi);
      su__fmt_bytes(sz, sizeof(sz), (double)w->size_bytes);
      snprintf(status, sizeof(status), "%s%s%s", w->status, w->reason[0] ? ": " : "",
               w->reason);
      doc_row(d);
      doc_cell(d, w->kernel, 0);
      doc_cell(d, w->variant, 0);
      doc_cell(d, w->backend, 0);
      doc_cell(d, w->device, 0);
      doc_cell(d, w->precision, 0);
      doc_cellf(d, 1, "%u", w->threads);
      doc_cell(d, w->placement, 0);
      doc_cell(d, sz, 1);
      doc_cell(d, w->metric, 0);
      doc_cell(d, v, 1);
      doc_cellf(d, 1, "%s - %s", lo, hi);
      doc_cell(d, w->unit, 0);
      doc_cellf(d, 1, "%u", w->reps);
      doc_cell(d, status, 0);
      doc_row_end(d);
    }
    doc_table_end(d);
  }
}

static void doc_verdict(doc_t *d, const su__report_t *rp)
{
  doc_h2(d, "verdict", "Verdict");
  fprintf(d->fp, d->md ? "" : "<div class=\"verdict\">\n<ul>\n");
  for (size_t i = 0; i < rp->nverdict; i++) {
    const su__say_t *v = &rp->verdict[i];
    fprintf(d->fp, d->md ? "- **" : "<li><b>");
    doc_text(d, v->lead);
    fprintf(d->fp, d->md ? "**%s" : "</b>%s", v->text[0] == '(' ? " " : ": ");
    doc_text(d, v->text);
    fprintf(d->fp, d->md ? "\n" : "</li>\n");
  }
  fprintf(d->fp, d->md ? "\n" : "</ul>\n</div>\n");
}

/* The words this report uses, for a reader outside HPC; docs/glossary.md
 * has the same and more (keep the two in step). */
static const char *const words[][2] = {
  {"memory-bound, compute-bound, latency-bound",
   "What limits a program: how fast data comes from memory, how fast the cores calculate, or "
   "how long each memory access that depends on the previous one waits."},
  {"GB/s, GFLOP/s, ns", "10^9 bytes per second; 10^9 floating-point operations per second; "
   "nanoseconds (10^-9 s)."},
  {"FP64, FP32", "Double and single precision numbers; simulations mostly use FP64."},
  {"theoretical peak, efficiency",
   "The most operations per second the processor could do (cores x clock x operations per "
   "cycle); efficiency is a measured figure as a share of it, or for scaling, the speed-up on "
   "N threads divided by N."},
  {"machine balance", "Peak operations per second divided by memory bandwidth: code doing "
   "fewer operations per byte than this is memory-bound."},
  {"cache, L1, L2, L3, LLC, DRAM",
   "Small fast memories on the processor (L1 smallest and fastest, the last-level cache LLC "
   "the largest) in front of the main memory (DRAM)."},
  {"working set", "How much data a kernel touches: small ones live in caches, large ones in "
   "main memory."},
  {"STREAM triad, fma_peak, latency_chase, gemm, stencil_7pt",
   "The kernels: streaming through large arrays (a = b + s c); keeping every multiply-add "
   "unit busy; following a random chain of pointers; dense matrix multiplication (DGEMM); a "
   "3-D grid update from six neighbours."},
  {"threads, placement (compact, scatter), NUMA",
   "Threads run on cores; compact fills one processor first, scatter spreads them; NUMA "
   "nodes are groups of cores with their own memory, slower to reach from the others."},
  {"median, 95% CI, CV",
   "The middle of repeated measurements; the range that holds the true median with 95% "
   "probability; the spread as a share of the mean."},
  {"Amdahl, Gustafson, USL, N*",
   "Scaling laws fitted to the figures against threads; N* is where the Universal Scalability "
   "Law peaks: more threads beyond it do not pay."},
  {"roofline, arithmetic intensity",
   "A chart of attainable operations per second against operations per byte moved: a "
   "slanted roof (memory bandwidth) meets a flat one (the peak)."},
};

static void doc_words(doc_t *d)
{
  doc_h2(d, "words", "Words used in this report");
  doc_table(d);
  doc_head(d, "term", 0);
  doc_head(d, "meaning", 0);
  doc_head_end(d);
  for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
    doc_row(d);
    doc_cell(d, words[i][0], 0);
    doc_cell(d, words[i][1], 0);
    doc_row_end(d);
  }
  doc_table_end(d);
  doc_para(d, "More in sizeup's docs/glossary.md.");
}

/* "sizeup report: NAME, NAME ..." */
static void report_title(const su__report_t *rp, char *buf, size_t len)
{
  size_t n = (size_t)snprintf(buf, len, "sizeup report: ");

  for (size_t d = 0; d < rp->ndirs && n < len; d++)
    n += (size_t)snprintf(buf + n, len - n, "%s%s", d ? ", " : "", rp->dirs[d].name);
}

int su__report_html(su__report_t *rp)
{
  char path[4096], title[512];
  FILE *fp;
  int err;

  snprintf(path, sizeof(path), "%s/report.html", rp->o->out_dir);
  if (!(fp = su_fs_fopen_w(path)))
    return su_errorf(SU_EIO, "cannot write '%s': %s", path, strerror(errno));
  report_title(rp, title, sizeof(title));
  su__page_begin(fp, title);
  fprintf(fp, "<p>");
  for (size_t d = 0; d < rp->ndirs; d++) {
    fprintf(fp, "%s<code>", d ? ", " : "");
    H(rp->dirs[d].r->run_id);
    fprintf(fp, "</code>");
  }
  fprintf(fp, " &mdash; sizeup %s</p>\n", SU_VERSION_STRING);
  doc_t doc = {fp, 0, 0, {0}};
  doc_verdict(&doc, rp);
  doc_headlines(&doc, rp);
  doc_words(&doc);
  html_fingerprint(fp, rp);
  fprintf(fp, "<h2 id=\"plots\">Plots</h2>\n");
  if (rp->info->gnuplot_missing)
    fprintf(fp, "<p>gnuplot was not found: the plots are the scripts NAME.gp next to this "
                "file; render them with <code>gnuplot NAME.gp</code>.</p>\n");
  for (size_t i = 0; i < rp->nplots; i++) {
    const su__plot_t *p = &rp->plots[i];
    fprintf(fp, "<figure id=\"plot-%s\">\n", p->name);
    if (p->rendered) {
      su__page_png(fp, rp->o->out_dir, p->name, p->name);
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
  doc_fits(&doc, rp);
  doc_cache(&doc, rp);
  if ((err = doc_numa(&doc, rp)) || (err = doc_d2d(&doc, rp))) {
    fclose(fp);
    return err;
  }
  doc_rows(&doc, rp);
  doc_h2(&doc, "methodology", "Methodology");
  doc_para(&doc, methodology);
  return su__page_end(fp, path);
}

/* --- Markdown ------------------------------------------------------------------ */

int su__report_markdown(su__report_t *rp)
{
  char path[4096], v[64], title[512];
  FILE *fp;
  int bad, err;

  snprintf(path, sizeof(path), "%s/report.md", rp->o->out_dir);
  if (!(fp = su_fs_fopen_w(path)))
    return su_errorf(SU_EIO, "cannot write '%s': %s", path, strerror(errno));
  doc_t doc = {fp, 1, 0, {0}};
  report_title(rp, title, sizeof(title));
  fprintf(fp, "# ");
  su__md_escape(fp, title);
  fprintf(fp, "\n\n");
  doc_verdict(&doc, rp);
  doc_headlines(&doc, rp);
  doc_words(&doc);
  fprintf(fp, "## Machines\n\n| machine | folder | run id | host | CPU | cores | memory |\n"
              "|---|---|---|---|---|---|---|\n");
  for (size_t d = 0; d < rp->ndirs; d++) {
    const su_results_t *r = rp->dirs[d].r;
    fprintf(fp, "| ");
    su__md_escape(fp, rp->dirs[d].name);
    fprintf(fp, " | ");
    su__md_escape(fp, r->dir);
    fprintf(fp, " | ");
    su__md_escape(fp, r->run_id);
    fprintf(fp, " | ");
    su__md_escape(fp, r->fp.loaded ? r->fp.hostname : "unknown");
    fprintf(fp, " | ");
    su__md_escape(fp, r->fp.loaded ? r->fp.cpu_model : "unknown");
    su__fmt_bytes(v, sizeof(v), (double)r->fp.memory_bytes);
    fprintf(fp, " | %u | %s |\n", r->fp.cores, v);
  }
  fprintf(fp, "\n");
  fprintf(fp, "## Plots\n\n");
  for (size_t i = 0; i < rp->nplots; i++) {
    fprintf(fp, "### %s\n\n", rp->plots[i].name);
    su__md_escape(fp, rp->plots[i].caption);
    if (rp->plots[i].rendered)
      fprintf(fp, "\n\n![%s](%s.png)\n\n", rp->plots[i].name, rp->plots[i].name);
    else
      fprintf(fp, "\n\nNot rendered: run `gnuplot %s.gp`.\n\n", rp->plots[i].name);
  }
  doc_fits(&doc, rp);
  doc_cache(&doc, rp);
  if ((err = doc_numa(&doc, rp)) || (err = doc_d2d(&doc, rp))) {
    fclose(fp);
    return err;
  }
  fprintf(fp, "Every row with its confidence interval and status: report.html.\n\n");
  doc_h2(&doc, "methodology", "Methodology");
  doc_para(&doc, methodology);
  bad = ferror(fp);
  if (fclose(fp) != 0 || bad)
    return su_errorf(SU_EIO, "cannot write '%s'", path);
  return SU_OK;
}

/* --- the whole report ----------------------------------------------------------- */

/* A label value that names something: not empty and not a number (a price
 * is not a machine's name). */
static int names_something(const char *v)
{
  char *end;

  if (!v || !*v)
    return 0;
  (void)strtod(v, &end);
  return *end != '\0';
}

/*
 * What the user called the machine of a run: its `instance` label, else the
 * first label that is not a number, else the run folder's name (the last
 * component of the path, trailing slashes ignored), else the run id.
 */
static void dir_name(const su_results_t *r, char *out, size_t len)
{
  const char *v = su_results_label(r, "instance");
  const char *dir = r->dir ? r->dir : "";
  size_t end = strlen(dir), start;

  for (size_t i = 0; !names_something(v) && i < r->fp.nlabels; i++)
    v = r->fp.label_vals[i];
  if (names_something(v)) {
    snprintf(out, len, "%s", v);
    return;
  }
  while (end > 1 && dir[end - 1] == '/')
    end--;
  for (start = end; start > 0 && dir[start - 1] != '/'; start--)
    ;
  if (end > start && !(end - start == 1 && dir[start] == '.'))
    snprintf(out, len, "%.*s", (int)(end - start), dir + start);
  else
    snprintf(out, len, "%s", r->run_id ? r->run_id : "run");
}

/* Never two columns with one name: a name already taken gets its folder
 * added, "vm (results/a)", and if that is taken too, a number. */
static void distinct_names(su__report_t *rp)
{
  for (size_t i = 1; i < rp->ndirs; i++) {
    su__dir_t *d = &rp->dirs[i];
    char base[96];
    int taken = 1;
    for (unsigned k = 1; taken; k++) {
      taken = 0;
      for (size_t j = 0; j < i && !taken; j++)
        taken = strcmp(rp->dirs[j].name, d->name) == 0;
      if (!taken)
        break;
      if (k == 1) {
        /* the folder's end tells runs apart: "...long/path/results/a" */
        const char *dir = d->r->dir ? d->r->dir : "";
        size_t len = strlen(dir);
        snprintf(base, sizeof(base), "%s", d->name);
        snprintf(d->name, sizeof(d->name), "%.40s (%s%s)", base, len > 48 ? "..." : "",
                 len > 48 ? dir + len - 45 : dir);
      } else {
        snprintf(d->name, sizeof(d->name), "%.80s #%u", base, k);
      }
    }
  }
}

int su_report_write(const su_results_t *dirs, size_t ndirs, const su_report_opts_t *o,
                    su_report_info_t *info)
{
  su__report_t rp;
  int err = SU_OK;

  if (!dirs || !ndirs || !o || !o->out_dir || !info)
    return su_errorf(SU_EINVAL, "no results directories to report");
  if ((err = su__report_begin(&rp, o, info)))
    return err;
  rp.dirs = calloc(ndirs, sizeof(*rp.dirs));
  if (!rp.dirs)
    return su_errorf(SU_ENOMEM, "cannot plan the report");
  rp.ndirs = ndirs;
  info->fits_available = SU_HAVE_GSL;
  for (size_t d = 0; d < ndirs; d++) {
    su__dir_t *dir = &rp.dirs[d];
    const su_results_t *r = &dirs[d];
    dir->r = r;
    dir_name(r, dir->name, sizeof(dir->name));
    if ((err = su_fit_results(r, NULL, &dir->fits)) != SU_OK)
      goto out;
    if ((err = su_fit_sweeps(r, "bandwidth", &dir->bw_sweeps, &dir->nbw)) != SU_OK ||
        (err = su_fit_sweeps(r, "latency", &dir->lat_sweeps, &dir->nlat)) != SU_OK)
      goto out;
  }
  distinct_names(&rp);
  for (size_t d = 0; d < ndirs; d++)
    su_report_gp_sanitize(rp.dirs[d].name, rp.dirs[d].label, sizeof(rp.dirs[d].label));
  if ((err = su__report_verdict(&rp)) != SU_OK)
    goto out;
  if (SU_HAVE_GSL && (err = su__report_predict(&rp)) != SU_OK)
    goto out;
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
  free(rp.verdict);
  return err;
}
