/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sizing_report.c: what `sizeup recommend` shows: the terminal table,
 * recommend.csv (docs/sizing.md), and the cost-against-time plot (gnuplot
 * script and data, rendered when gnuplot is on PATH) with a small
 * self-contained recommend.html.
 *
 * Candidate names and notes come from a catalog file that may have been
 * exchanged between organisations: they reach the gnuplot script only
 * through su_report_gp_sanitize, never reach the .dat (numbers only), and
 * are HTML-escaped.  gnuplot is started without a shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report/report_int.h"
#include "sizeup/csv.h"
#include "sizeup/error.h"
#include "sizeup/report.h"
#include "sizeup/sizing.h"
#include "sizeup/fs.h"

/* How the efficiency of one job on its nodes was found (docs/sizing.md):
 * recommend.csv's `scaling`. */
static const char *scaling_of(const su_sizing_result_t *r)
{
  return r->nodes_per_job == 1      ? "single_node"
         : r->efficiency_ranks      ? "ranks_fitted"
         : r->efficiency_fitted == 2 ? "fitted"
         : r->efficiency_fitted == 1 ? "partly_fitted"
                                     : "ideal_assumed";
}

/* The same in the page's words, after the efficiency. */
static const char *scaling_words(const su_sizing_result_t *r)
{
  const char *k = scaling_of(r);

  return strcmp(k, "single_node") == 0     ? " (one node per job)"
         : strcmp(k, "ranks_fitted") == 0  ? " (fitted over MPI ranks on one node)"
         : strcmp(k, "partly_fitted") == 0 ? " (partly fitted, partly ideal assumed)"
         : strcmp(k, "ideal_assumed") == 0 ? " (ideal assumed)"
                                           : "";
}

static int is_ok(const su_sizing_result_t *r)
{
  return strcmp(r->status, "ok") == 0;
}

static int rated(const su_sizing_result_t *r)
{
  return strcmp(r->status, "no_data") != 0;
}

/* A score with 3 digits, or "n/a" where there is none (a sentence says
 * why): never "nan". */
static const char *score_text(double v, char *buf, size_t len)
{
  if (isfinite(v))
    snprintf(buf, len, "%.3g", v);
  else
    snprintf(buf, len, "n/a");
  return buf;
}

/* --- recommend.csv --------------------------------------------------------------- */

static const char *const csv_cols[] = {
  "schema_version", "rank", "candidate", "kind", "source", "status", "reason", "workload",
  "target", "target_value", "reference", "nodes", "nodes_per_job", "parallel_efficiency",
  "scaling", "jobs_per_hour_node", "speedup_vs_reference", "time_per_job_s",
  "time_per_job_s_lo", "time_per_job_s_hi", "jobs_per_hour", "currency", "cost_per_hour_node",
  "cost_per_hour_system", "cost_per_job", "cost_per_job_lo", "cost_per_job_hi",
  "energy_per_job_kwh", "jobs_per_currency_unit", "jobs_per_kwh", "score_node",
  "score_system", "pareto", "power_watts", "price_date", "target_as_given", "jobs_per_day",
  "jobs_per_month", "cost_per_month_system", "cost_per_year_system", "cores_per_job",
  "jobs_per_node", "node_cost_per_hour", "licence_per_hour_system", "warning", "device",
  "gpus_per_job", "figures", "energy_source", "basis",
};

int su_report_sizing_csv(const su_sizing_t *s, FILE *fp)
{
  su_csv_writer_t w;
  char tw[96];

  su_csv_writer_init(&w, fp);
  for (size_t i = 0; i < sizeof(csv_cols) / sizeof(csv_cols[0]); i++)
    su_csv_put_str(&w, csv_cols[i]);
  su_csv_end_row(&w);
  for (size_t i = 0; i < s->n; i++) {
    const su_sizing_result_t *r = &s->res[i];
    double nan = NAN;
    int ok = rated(r);
#define NUM(v) su_csv_put_double(&w, ok ? (double)(v) : nan)
    su_csv_put_u64(&w, SU_SIZING_CSV_SCHEMA_VERSION);
    su_csv_put_u64(&w, r->rank);
    su_csv_put_str(&w, r->cand->name);
    su_csv_put_str(&w, r->cand->kind);
    su_csv_put_str(&w, r->estimate ? "estimate" : "measured");
    su_csv_put_str(&w, r->status);
    su_csv_put_str(&w, r->reason);
    su_csv_put_str(&w, s->w->name);
    su_csv_put_str(&w, su_sizing_target_name(s->w->target));
    su_csv_put_double(&w, s->w->target_value);
    su_csv_put_str(&w, s->reference->name);
    NUM(r->nodes);
    NUM(r->nodes_per_job);
    NUM(r->efficiency);
    /* How the efficiency of one job on its nodes was found (docs/sizing.md). */
    su_csv_put_str(&w, ok ? scaling_of(r) : "");
    NUM(r->jobs_per_hour_node);
    NUM(r->speedup_vs_reference);
    NUM(r->time_s);
    NUM(r->time_lo_s);
    NUM(r->time_hi_s);
    NUM(r->jobs_per_hour);
    su_csv_put_str(&w, s->cat->currency);
    su_csv_put_double(&w, r->cand->cost_per_hour);
    NUM(r->cost_per_hour_system);
    NUM(r->cost_per_job);
    NUM(r->cost_per_job_lo);
    NUM(r->cost_per_job_hi);
    NUM(r->energy_per_job_kwh);
    NUM(r->jobs_per_dollar);
    NUM(r->jobs_per_kwh);
    NUM(r->score_node);
    NUM(r->score_system);
    su_csv_put_u64(&w, (uint64_t)r->pareto);
    su_csv_put_double(&w, r->cand->power_watts);
    su_csv_put_str(&w, r->cand->price_date);
    su_csv_put_str(&w, su_sizing_target_words(s->w, tw, sizeof(tw)));
    NUM(r->jobs_per_day);
    NUM(r->jobs_per_month);
    NUM(r->cost_per_month_system);
    NUM(r->cost_per_year_system);
    NUM(r->cores_per_job);
    su_csv_put_u64(&w, r->jobs_per_node);
    NUM(r->node_cost_per_hour);
    NUM(r->licence_per_hour_system);
    su_csv_put_str(&w, r->warning);
    su_csv_put_str(&w, r->device);
    su_csv_put_u64(&w, r->gpus_per_job);
    {
      char fig[1024];
      su_sizing_figures(r, fig, sizeof(fig));
      su_errclear();
      su_csv_put_str(&w, fig);
    }
    su_csv_put_str(&w, !ok ? "" : r->energy_measured ? "measured" : "catalog");
    su_csv_put_str(&w, r->basis);
#undef NUM
    su_csv_end_row(&w);
  }
  if (w.err || fflush(fp) != 0 || ferror(fp))
    return su_errorf(SU_EIO, "cannot write recommend.csv");
  return SU_OK;
}

/* --- terminal ------------------------------------------------------------------- */

void su_report_sizing_table(const su_sizing_t *s, FILE *fp)
{
  const su_sizing_workload_t *w = s->w;
  const char *cur = s->cat->currency;
  char tw[96];

  fprintf(fp, "workload '%s' (%s), target: %s; reference node '%s'; prices in %s\n\n",
          w->name, w->nmix ? "kernel mix" : w->flops > 0 || w->bytes > 0
                                               ? "roofline: flops and bytes" : "app times",
          su_sizing_target_words(w, tw, sizeof(tw)), s->reference->name, cur);
  char jpc[24];
  snprintf(jpc, sizeof(jpc), "jobs/%.4s", cur);
  fprintf(fp, "%-4s %-20s %-8s %-8s %5s %4s %5s %-21s %-23s %10s %12s %9s %8s %7s %8s %s\n",
          "rank", "candidate", "source", "basis", "nodes", "j/n", "eff", "time/job s (95% CI)",
          "cost/job (95% CI)", "system/h", "system/month", "kWh/job", jpc, "jobs/kWh", "score",
          "");
  for (size_t i = 0; i < s->n; i++) {
    const su_sizing_result_t *r = &s->res[i];
    char t[64], c[64], sc[24];
    if (!rated(r)) {
      fprintf(fp, "%-4u %-20.20s %-8s %-8s %s: %s\n", r->rank, r->cand->name,
              r->estimate ? "estimate" : "measured", r->basis, r->status, r->reason);
      continue;
    }
    snprintf(t, sizeof(t), "%.4g (%.4g-%.4g)", r->time_s, r->time_lo_s, r->time_hi_s);
    snprintf(c, sizeof(c), "%.4g (%.4g-%.4g)", r->cost_per_job, r->cost_per_job_lo,
             r->cost_per_job_hi);
    fprintf(fp, "%-4u %-20.20s %-8s %-8s %5u %4u %4.0f%% %-21s %-23s %10.2f %12.0f %9.4g %8.4g "
                "%7.4g %8s %s%s%s\n",
            r->rank, r->cand->name, r->estimate ? "ESTIMATE" : "measured", r->basis, r->nodes,
            r->jobs_per_node, 100 * r->efficiency, t, c, r->cost_per_hour_system,
            r->cost_per_month_system, r->energy_per_job_kwh, r->jobs_per_dollar,
            r->jobs_per_kwh, score_text(r->score_node, sc, sizeof(sc)), r->pareto ? "pareto " : "",
            is_ok(r) ? "" : r->status,
            is_ok(r) ? "" : ": ");
    if (!is_ok(r))
      fprintf(fp, "     %s\n", r->reason);
    {
      char fig[1024];
      su_sizing_figures(r, fig, sizeof(fig));
      su_errclear();
      if (r->gpus_per_job)
        fprintf(fp, "     on %u GPU(s) per job: %s\n", r->gpus_per_job, fig);
      else
        fprintf(fp, "     on the CPU: %s\n", fig);
    }
  }
  fprintf(fp, "\n");
  for (size_t i = 0; i < s->nsentences; i++)
    fprintf(fp, "%s\n", s->sentence[i]);
  fprintf(fp, "\nnodes: whole system for the target; j/n: jobs side by side on one node "
              "(cores_per_job); eff: parallel\nefficiency of one job on its nodes (%s);\n"
              "system/h, system/month: what the nodes cost (licences included) running around "
              "the clock,\na month being %g hours; score: geometric mean of the kernel rates "
              "relative to '%s' per node\n(basis measured: its time per job over this one's; "
              "x nodes = system score); pareto: no other candidate "
              "is both faster and cheaper per job.\n",
          "fitted over measured node counts, or an app's MPI ranks on one node,\nelse ideal "
          "scaling assumed",
          SU_SIZING_HOURS_PER_MONTH, s->reference->name);
}

/* --- plot and HTML ----------------------------------------------------------------- */

static int write_plot(const su_sizing_t *s, const char *dir)
{
  char path[4096], name[128];
  FILE *dat = NULL, *gp = NULL;
  int nmeas = 0, nest = 0, nfront = 0, err = SU_OK;

  snprintf(path, sizeof(path), "%s/recommend.dat", dir);
  if (!(dat = su_fs_fopen_w(path))) {
    err = su_errorf(SU_EIO, "cannot write '%s': %s", path, strerror(errno));
    goto out;
  }
  /* Block 0: measured, block 1: estimates, block 2: the Pareto front by time.
   * Columns: time, cost, time lo, time hi, cost lo, cost hi. */
  for (int blk = 0; blk < 3; blk++) {
    fprintf(dat, "# %s\n", blk == 0 ? "measured" : blk == 1 ? "estimate" : "pareto front");
    for (size_t i = 0; i < s->n; i++) {
      const su_sizing_result_t *r = &s->res[i];
      if (!is_ok(r) || (blk < 2 && r->estimate != blk))
        continue;
      if (blk == 2) {
        /* The front as a line: its points in order of time, so the next is
         * the one with the smallest time above the current one. */
        const su_sizing_result_t *nx = NULL;
        if (!r->pareto)
          continue;
        if (nfront++)
          continue;
        for (const su_sizing_result_t *prev = NULL;; prev = nx) {
          nx = NULL;
          for (size_t j = 0; j < s->n; j++) {
            const su_sizing_result_t *q = &s->res[j];
            if (is_ok(q) && q->pareto && (!prev || q->time_s > prev->time_s) &&
                (!nx || q->time_s < nx->time_s))
              nx = q;
          }
          if (!nx)
            break;
          fprintf(dat, "%.9g %.9g\n", nx->time_s, nx->cost_per_job);
        }
        continue;
      }
      nmeas += blk == 0;
      nest += blk == 1;
      fprintf(dat, "%.9g %.9g %.9g %.9g %.9g %.9g\n", r->time_s, r->cost_per_job, r->time_lo_s,
              r->time_hi_s, r->cost_per_job_lo, r->cost_per_job_hi);
    }
    fprintf(dat, "\n\n");
  }
  snprintf(path, sizeof(path), "%s/recommend.gp", dir);
  if (!(gp = su_fs_fopen_w(path))) {
    err = su_errorf(SU_EIO, "cannot write '%s': %s", path, strerror(errno));
    goto out;
  }
  su_report_gp_sanitize(s->cat->currency, name, sizeof(name));
  fprintf(gp,
          "# sizeup recommend: cost per job against time per job.  Render with:\n"
          "#   gnuplot recommend.gp\n"
          "# Data: recommend.dat (numbers only).  Names from the catalog are sanitized.\n");
  su_report_gp_png(gp, "recommend", 960, 720);
  fprintf(gp,
          "set title 'Cost against time per job (bars: 95%% CI; lower left is better)' "
          "noenhanced\n"
          "set xlabel 'time per job (s)'\n"
          "set ylabel 'cost per job (%s)'\n"
          "set grid\n"
          "set offsets graph 0.05, graph 0.25, graph 0.1, graph 0.05\n"
          "set key outside below left Left reverse noenhanced\n",
          name);
  {
    int lab = 1;
    for (size_t i = 0; i < s->n; i++) {
      const su_sizing_result_t *r = &s->res[i];
      if (!is_ok(r))
        continue;
      su_report_gp_sanitize(r->cand->name, name, sizeof(name));
      fprintf(gp, "set label %d '%u. %s%s' at %.9g,%.9g offset 1,1 noenhanced\n", lab++,
              r->rank, name, r->estimate ? " (estimate)" : "", r->time_s, r->cost_per_job);
    }
  }
  fprintf(gp, "plot ");
  {
    const char *sep = "";
    if (nmeas) {
      fprintf(gp, "'recommend.dat' index 0 using 1:2:3:4:5:6 with xyerrorbars pt 7 "
                  "title 'measured (95%% CI)'");
      sep = ", \\\n     ";
    }
    if (nest) {
      fprintf(gp, "%s'recommend.dat' index 1 using 1:2 with points pt 6 ps 2 "
                  "title 'ESTIMATE from datasheet peaks'", sep);
      sep = ", \\\n     ";
    }
    if (nfront)
      fprintf(gp, "%s'recommend.dat' index 2 using 1:2 with lines dt 2 lw 2 "
                  "title 'Pareto front (cost and time)'", sep);
    if (!nmeas && !nest && !nfront)
      fprintf(gp, "NaN notitle");
  }
  fprintf(gp, "\nset terminal svg size 960,720 dynamic\n"
              "set termoption noenhanced\n"
              "set output 'recommend.svg'\n"
              "replot\n"
              "unset output\n");
out:
  if (dat && fclose(dat) != 0 && err == SU_OK)
    err = su_errorf(SU_EIO, "cannot write '%s/recommend.dat'", dir);
  if (gp && fclose(gp) != 0 && err == SU_OK)
    err = su_errorf(SU_EIO, "cannot write '%s/recommend.gp'", dir);
  return err;
}

static int write_html(const su_sizing_t *s, const char *dir, int rendered)
{
  char path[4096], tw[96];
  FILE *fp;

  snprintf(path, sizeof(path), "%s/recommend.html", dir);
  if (!(fp = su_fs_fopen_w(path)))
    return su_errorf(SU_EIO, "cannot write '%s': %s", path, strerror(errno));
  su__page_begin(fp, "Sizing");
  fprintf(fp, "<p>Workload <b>");
  su_report_html_escape(fp, s->w->name);
  fprintf(fp, "</b>, target: %s; reference node <b>", su_sizing_target_words(s->w, tw, sizeof(tw)));
  su_report_html_escape(fp, s->reference->name);
  fprintf(fp, "</b>; prices in ");
  su_report_html_escape(fp, s->cat->currency);
  fprintf(fp, " (see each candidate's price date).</p>\n");
  for (size_t i = 0; i < s->n; i++)
    if (s->res[i].warning[0]) {
      fprintf(fp, "<p class=\"est\">Warning: ");
      su_report_html_escape(fp, s->res[i].warning);
      fprintf(fp, "</p>\n");
    }
  fprintf(fp, "<h2>Why</h2>\n<ul>\n");
  for (size_t i = 0; i < s->nsentences; i++) {
    fprintf(fp, "<li>");
    su_report_html_escape(fp, s->sentence[i]);
    fprintf(fp, "</li>\n");
  }
  fprintf(fp, "</ul>\n<h2>Ranking</h2>\n<table>\n<tr><th>rank</th><th>candidate</th>"
              "<th>source</th><th>basis</th><th>status</th><th>nodes</th><th>efficiency</th>"
              "<th>time per job (s), 95%% CI</th><th>cost per job, 95%% CI</th>"
              "<th>jobs per node</th><th>system per hour</th><th>per month</th><th>per year</th>"
              "<th>jobs per day</th><th>kWh per job</th><th>score per node</th>"
              "<th>Pareto</th><th>price date</th></tr>\n");
  for (size_t i = 0; i < s->n; i++) {
    const su_sizing_result_t *r = &s->res[i];
    char sc[24];
    fprintf(fp, "<tr><td class=\"n\">%u</td><td>", r->rank);
    su_report_html_escape(fp, r->cand->name);
    fprintf(fp, "</td><td%s>%s</td><td>", r->estimate ? " class=\"est\"" : "",
            r->estimate ? "ESTIMATE (datasheet)" : "measured");
    su_report_html_escape(fp, r->basis);
    fprintf(fp, "</td><td>");
    su_report_html_escape(fp, r->status);
    if (!is_ok(r)) {
      fprintf(fp, ": ");
      su_report_html_escape(fp, r->reason);
    }
    if (rated(r))
      fprintf(fp, "</td><td class=\"n\">%u</td><td class=\"n\">%.0f%%%s</td>"
                  "<td class=\"n\">%.4g (%.4g&ndash;%.4g)</td>"
                  "<td class=\"n\">%.4g (%.4g&ndash;%.4g)</td><td class=\"n\">%u</td>"
                  "<td class=\"n\">%.2f</td><td class=\"n\">%.0f</td><td class=\"n\">%.0f</td>"
                  "<td class=\"n\">%.4g</td>"
                  "<td class=\"n\">%.4g</td><td class=\"n\">%s</td><td>%s</td><td>",
              r->nodes, 100 * r->efficiency, scaling_words(r),
              r->time_s, r->time_lo_s, r->time_hi_s, r->cost_per_job, r->cost_per_job_lo,
              r->cost_per_job_hi, r->jobs_per_node, r->cost_per_hour_system,
              r->cost_per_month_system, r->cost_per_year_system, r->jobs_per_day,
              r->energy_per_job_kwh, score_text(r->score_node, sc, sizeof(sc)),
              r->pareto ? "yes" : "");
    else
      fprintf(fp, "</td><td colspan=\"12\"></td><td>");
    su_report_html_escape(fp, r->cand->price_date);
    fprintf(fp, "</td></tr>\n");
    if (rated(r)) {
      char fig[1024];
      su_sizing_figures(r, fig, sizeof(fig));
      su_errclear();
      fprintf(fp, "<tr><td></td><td colspan=\"17\">figures (%s): ", r->device);
      su_report_html_escape(fp, fig);
      fprintf(fp, "</td></tr>\n");
    }
  }
  fprintf(fp, "</table>\n<h2>Cost against time per job</h2>\n");
  if (rendered) {
    su__page_png(fp, dir, "recommend", "cost against time per job");
  } else {
    fprintf(fp, "<p>[not rendered: run <code>gnuplot recommend.gp</code> here]</p>\n");
  }
  fprintf(fp, "<p>Data: <a href=\"recommend.csv\">recommend.csv</a> "
              "(columns in docs/sizing.md).</p>\n");
  return su__page_end(fp, path);
}

int su_report_sizing_files(const su_sizing_t *s, const char *out_dir, const char *gnuplot,
                           int *rendered)
{
  const char *prog = gnuplot ? gnuplot : "gnuplot";
  char png[4096];
  int err;

  *rendered = 0;
  if ((err = write_plot(s, out_dir)) != SU_OK)
    return err;
  snprintf(png, sizeof(png), "%s/recommend.png", out_dir);
  unlink(png);                  /* a stale image must not pass for a new one */
  if (*prog && su_report_gnuplot_found(prog))
    *rendered = su_report_run_gnuplot(prog, out_dir, "recommend") == 0 &&
                su_report_png_complete(png);
  return write_html(s, out_dir, *rendered);
}
