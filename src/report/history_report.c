/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * history_report.c: `sizeup history plot`: one trend plot per machine and
 * headline figure (history.h su_history_trend_t), over the runs' dates, with
 * the runs where `history check` found a regression marked, and one
 * index.html that shows them all with a table of the latest values.
 *
 * Machine names come from results files: they reach the gnuplot script only
 * through su_report_gp_sanitize and are HTML-escaped in index.html; the .dat
 * files hold numbers only.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/report_int.h"
#include "sizeup/error.h"
#include "sizeup/fs.h"

static void fmt_date(char *buf, size_t len, int64_t t)
{
  time_t tt = (time_t)t;
  struct tm tm;

  if (gmtime_r(&tt, &tm))
    strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
  else
    snprintf(buf, len, "?");
}

static int write_trend(const char *out_dir, const char *name, const su_history_trend_t *t)
{
  char path[4096], raw[256], title[256];
  const char *unit = su_results_head_unit(t->head);
  FILE *fp;

  snprintf(path, sizeof(path), "%s/%s.dat", out_dir, name);
  if (!(fp = su_fs_fopen_w(path)))
    return su_errorf(SU_EIO, "cannot write '%s': %s", path, strerror(errno));
  fprintf(fp, "# run_index date_unix value regressed_value ('?' = missing)\n");
  for (size_t i = 0; i < t->n; i++) {
    fprintf(fp, "%zu %lld ", i, (long long)t->when_unix[i]);
    if (isfinite(t->value[i]))
      fprintf(fp, "%.9g ", t->value[i]);
    else
      fprintf(fp, "? ");
    if (t->regressed[i] && isfinite(t->value[i]))
      fprintf(fp, "%.9g\n", t->value[i]);
    else
      fprintf(fp, "?\n");
  }
  if (ferror(fp) | (fclose(fp) != 0))
    return su_errorf(SU_EIO, "cannot write '%s'", path);
  snprintf(path, sizeof(path), "%s/%s.gp", out_dir, name);
  if (!(fp = su_fs_fopen_w(path)))
    return su_errorf(SU_EIO, "cannot write '%s': %s", path, strerror(errno));
  snprintf(raw, sizeof(raw), "%s: %s", t->machine, su_results_head_name(t->head));
  su_report_gp_sanitize(raw, title, sizeof(title));
  fprintf(fp,
          "# sizeup history trend.  Render (PNG) with: gnuplot %s.gp\n"
          "# Data: %s.dat (numbers only): run index, the run's date (seconds since\n"
          "# 1970, UTC), the figure in that run, and the same value where `history\n"
          "# check` found a regression in it.  Names from results files are sanitized.\n",
          name, name);
  su_report_gp_png(fp, name, 960, 540);
  fprintf(fp,
          "set datafile missing '?'\n"
          "set title '%s' noenhanced\n"
          "set xdata time\n"
          "set timefmt '%%s'\n"
          "set format x '%%Y-%%m-%%d %%H:%%M'\n"
          "set xtics rotate by -30\n"
          "set rmargin 10\n"
          "set xlabel 'date of the run (UTC)'\n"
          "set ylabel '%s (%s)'\n"
          "set yrange [0:*]\n"
          "set offsets graph 0.02, graph 0.02, graph 0.1, 0\n"
          "set grid\n"
          "set key below noenhanced\n"
          "plot '%s.dat' using 2:3 with linespoints pt 7 lc rgb '#1f77b4' title '%s', \\\n"
          "     '' using 2:4 with points pt 7 ps 2 lc rgb '#d62728' "
          "title 'regression found by history check'\n",
          title, su_results_head_name(t->head), unit, name, su_results_head_name(t->head));
  if (ferror(fp) | (fclose(fp) != 0))
    return su_errorf(SU_EIO, "cannot write '%s'", path);
  return SU_OK;
}

static void index_table(FILE *fp, const su_history_trend_t *t, size_t n)
{
  char d[64];

  fprintf(fp, "<table>\n<tr><th>machine</th><th>figure</th><th>latest</th><th>first</th>"
              "<th>change</th><th>runs</th><th>latest run</th><th>regressions</th></tr>\n");
  for (size_t i = 0; i < n; i++) {
    const su_history_trend_t *w = &t[i];
    double first = NAN, last = NAN;
    size_t nreg = 0, ilast = 0;
    for (size_t j = 0; j < w->n; j++) {
      if (isfinite(w->value[j])) {
        if (!isfinite(first))
          first = w->value[j];
        last = w->value[j];
        ilast = j;
      }
      nreg += w->regressed[j];
    }
    fprintf(fp, "<tr><td>");
    su_report_html_escape(fp, w->machine);
    fprintf(fp, "</td><td><a href=\"#trend-%zu\">%s</a></td><td class=\"n\">%.4g %s</td>"
                "<td class=\"n\">%.4g</td>", i + 1, su_results_head_name(w->head), last,
            su_results_head_unit(w->head), first);
    if (first > 0)
      fprintf(fp, "<td class=\"n\">%+.1f%%</td>", 100 * (last / first - 1));
    else
      fprintf(fp, "<td></td>");
    fmt_date(d, sizeof(d), w->when_unix[ilast]);
    fprintf(fp, "<td class=\"n\">%zu</td><td>%s</td><td class=\"n\">%zu</td></tr>\n", w->n, d,
            nreg);
  }
  fprintf(fp, "</table>\n");
}

int su_report_trends(const su_history_trend_t *t, size_t n, const su_report_opts_t *o,
                     su_report_info_t *info)
{
  su__report_t rp;
  char path[4096];
  FILE *fp;
  int err;

  if ((err = su__report_begin(&rp, o, info)))
    return err;
  if (n && !(rp.plots = calloc(n, sizeof(*rp.plots))))
    return su_errorf(SU_ENOMEM, "cannot plot the history");
  rp.cap = n;
  for (size_t i = 0; i < n; i++) {
    su__plot_t *p = &rp.plots[rp.nplots++];
    char raw[256];
    snprintf(p->name, sizeof(p->name), "trend_%zu", i + 1);
    snprintf(p->section, sizeof(p->section), "history");
    snprintf(raw, sizeof(raw), "%s: %s (%s) by date", t[i].machine,
             su_results_head_name(t[i].head), su_results_head_unit(t[i].head));
    su_report_gp_sanitize(raw, p->caption, sizeof(p->caption));
    if ((err = write_trend(o->out_dir, p->name, &t[i])))
      goto out;
  }
  info->nplots = rp.nplots;
  if ((err = su__report_render(&rp)))
    goto out;
  snprintf(path, sizeof(path), "%s/index.html", o->out_dir);
  if (!(fp = su_fs_fopen_w(path))) {
    err = su_errorf(SU_EIO, "cannot write '%s': %s", path, strerror(errno));
    goto out;
  }
  su__page_begin(fp, "sizeup history");
  fprintf(fp, "<p>The headline figures of each machine over its runs: memory bandwidth "
              "(STREAM triad at its largest working set, i.e. main memory, not a cache), "
              "peak floating-point rate (fma_peak), and memory latency (at the largest "
              "working set). Red points are runs where <code>sizeup history check</code> "
              "found a statistically real regression in that figure. Higher is better, "
              "except latency.</p>\n");
  if (!n)
    fprintf(fp, "<p>The history holds no run with a headline figure yet.</p>\n");
  else
    index_table(fp, t, n);
  if (info->gnuplot_missing)
    fprintf(fp, "<p>gnuplot was not found: render the plots with <code>gnuplot "
                "trend_N.gp</code> in this folder.</p>\n");
  for (size_t i = 0; i < rp.nplots; i++) {
    const su__plot_t *p = &rp.plots[i];
    fprintf(fp, "<figure id=\"trend-%zu\">\n", i + 1);
    if (p->rendered)
      su__page_png(fp, o->out_dir, p->name, p->caption);
    else
      fprintf(fp, "<p>[not rendered: run <code>gnuplot %s.gp</code>]</p>\n", p->name);
    fprintf(fp, "<figcaption>");
    su_report_html_escape(fp, p->caption);
    fprintf(fp, " (<a href=\"%s.gp\">%s.gp</a>, <a href=\"%s.dat\">%s.dat</a>)</figcaption>\n"
                "</figure>\n", p->name, p->name, p->name, p->name);
  }
  err = su__page_end(fp, path);
out:
  free(rp.plots);
  return err;
}
