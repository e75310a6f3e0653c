/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report.h: plots and reports from results directories (`sizeup report`).
 *
 * For one or several results directories (machines side by side) the report
 * writes into one output directory: a gnuplot script (.gp) and its data
 * (.dat) per plot, which a user can edit and rerun with `gnuplot NAME.gp`;
 * the PNG and SVG that gnuplot renders from them; report.html (self-
 * contained: images embedded as base64 data: URIs) and report.md.  The plots
 * and the algorithm behind each are described in docs/report.md.
 *
 * gnuplot is an external program, started without a shell (fork + execvp)
 * in the output directory.  Strings from the results files are untrusted:
 * they reach a .gp only through su_report_gp_sanitize (a whitelist that
 * keeps gnuplot from ever seeing a quote, backtick, macro or shell escape),
 * never reach a .dat (data files hold numbers only), and are HTML- or
 * Markdown-escaped in the reports.
 */
#ifndef SIZEUP_REPORT_H
#define SIZEUP_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "sizeup/compare.h"
#include "sizeup/fit.h"
#include "sizeup/history.h"
#include "sizeup/results.h"
#include "sizeup/sizing.h"

typedef struct su_report_opts {
  const char *out_dir;     /* created when missing (one level) */
  const char *gnuplot;     /* program to run; NULL = "gnuplot"; "" = do not render */
} su_report_opts_t;

typedef struct su_report_info {
  size_t nplots;           /* plots written (.gp + .dat each) */
  size_t nrendered;        /* plots with a PNG rendered this time */
  int gnuplot_missing;     /* 1 when the program was not found on PATH */
  int fits_available;      /* 0 in a build without GSL: no fitted curves */
  char render_error[256];  /* the first rendering failure, "" when none */
} su_report_info_t;

/*
 * Writes the report of the ndirs results in o->out_dir.  A missing or
 * failing gnuplot is not an error (see info); the scripts are written
 * anyway.  SU_OK; SU_EIO when the output cannot be written; SU_EINVAL for
 * no directories; SU_ENOMEM.
 */
int su_report_write(const su_results_t *dirs, size_t ndirs, const su_report_opts_t *o,
                    su_report_info_t *info);

/*
 * Copies s into out (outlen > 0, always NUL-terminated) keeping only
 * characters that are inert inside a single-quoted gnuplot string with
 * enhanced text off: ASCII letters, digits, space and . , : / + - = _ ( ) [ ]
 * % #.  Everything else (quotes, backticks, @, $, !, |, ;, <, >, \, control
 * characters, non-ASCII) becomes '_'.  Empty input gives "_".
 */
void su_report_gp_sanitize(const char *s, char *out, size_t outlen);

/* A series' prediction p in words: "on 64 threads this would take about
 * 0.41 s (95% prediction interval 0.37-0.46)". */
void su_report_prediction_words(const su_fit_series_t *s, const su_fit_pred_t *p, char *out,
                                size_t len);
/* Its USL peak in words: "beyond about 90 threads more threads stop paying
 * (USL peak N*, 95% interval 80-104)"; "" when it has none. */
void su_report_nstar_words(const su_fit_series_t *s, char *out, size_t len);

/* Writes s to fp with & < > " ' as HTML entities; NULL writes nothing. */
void su_report_html_escape(FILE *fp, const char *s);

/* Shared with other writers of plots (recommend, compare, history): */

/*
 * Writes the lines that select gnuplot's PNG terminal (pngcairo where the
 * build has it, else png) at width x height and send the plot to
 * NAME.png, for a script that is run in its own directory.
 */
void su_report_gp_png(FILE *gp, const char *name, int width, int height);
/* 1 when `prog` is an executable path or found on PATH. */
int su_report_gnuplot_found(const char *prog);
/*
 * Runs `prog NAME.gp` in `dir` through fork + execvp, never a shell; stdin is
 * /dev/null, stdout and stderr go to dir/gnuplot.log.  Returns gnuplot's exit
 * status (0 = rendered), 126/127 when it could not start, -1 when fork failed.
 */
int su_report_run_gnuplot(const char *prog, const char *dir, const char *name);

/* 1 when `path` is a whole PNG: its signature first and its IEND chunk last.
 * gnuplot may exit 0 after a write failed (a full disk): an image cut short
 * is not "rendered". */
int su_report_png_complete(const char *path);
/* Writes the file at `path` to `out` as base64 (RFC 4648); -1 if unreadable. */
int su_report_base64_file(FILE *out, const char *path);

/* --- sizeup recommend (sizing.h) -------------------------------------------- */

/* recommend.csv (docs/sizing.md), RFC 4180 through csv.h.  SU_OK, SU_EIO. */
int su_report_sizing_csv(const su_sizing_t *s, FILE *fp);

/* Prints the ranked table, the sentences and the caveats for a terminal. */
void su_report_sizing_table(const su_sizing_t *s, FILE *fp);

/*
 * Writes recommend.gp and recommend.dat (cost per job against time per job,
 * with CI ranges and the Pareto front), renders recommend.png/.svg with
 * gnuplot (prog; NULL = "gnuplot"; "" = do not render) and writes
 * recommend.html (self-contained) in out_dir.  *rendered is 1 when the PNG
 * was made.  A missing gnuplot is not an error.  SU_OK, SU_EIO.
 */
int su_report_sizing_files(const su_sizing_t *s, const char *out_dir, const char *gnuplot,
                           int *rendered);

/* --- sizeup compare and history check (compare.h) ----------------------------- */

/* A terminal table of every row (control characters in untrusted text become '?'),
 * then one line of counts.  SU_OK or SU_EIO. */
int su_report_cmp_table(const su_cmp_t *c, FILE *fp);

/* compare.csv (docs/nightly.md).  SU_OK or SU_EIO. */
int su_report_cmp_csv(const su_cmp_t *c, FILE *fp);

/*
 * The gate's first line(s), printed before the table: the smallest change
 * the comparison can see on this machine (su_cmp_detectable) and how many
 * checks were too noisy to judge (su_cmp_checks, su_cmp_blind), plus a
 * warning line when most were.  SU_OK or SU_EIO.
 */
int su_report_cmp_gate(const su_cmp_t *c, FILE *fp);

/*
 * A regression alert's "what changed on the machine since the baseline
 * 'base_name'": the fields of system.json that differ between base_sys and
 * new_sys (texts; su_results_sysdiff), at most 40, untrusted text with
 * control characters as '?'; says so when a side is NULL (not recorded).
 * SU_OK or SU_EIO.
 */
int su_report_cmp_changes(FILE *fp, const char *base_sys, const char *base_name,
                          const char *new_sys);

/*
 * JUnit XML: one testsuite named `suite`, one testcase per row (classname =
 * kernel, name = su_cmp_key_name), <failure> for regressed, <skipped> for
 * noisy, missing and new.  Every string is XML-escaped; control characters
 * and invalid UTF-8 become '?', so the document is well-formed whatever the
 * results files hold.  SU_OK or SU_EIO.
 */
int su_report_cmp_junit(const su_cmp_t *c, const char *suite, FILE *fp);

/*
 * Writes out_dir/compare.dat (numbers only) and out_dir/compare.gp (bars of
 * the relative performance new/base, oriented so that > 1 is better, colored
 * by class, threshold lines; labels sanitized with su_report_gp_sanitize) and
 * renders compare.png with `gnuplot` (NULL = "gnuplot", "" = do not render)
 * without a shell.  *rendered is 1 when the PNG was made, 0 when gnuplot is
 * missing or failed (not an error).  SU_OK or SU_EIO.
 */
int su_report_cmp_plot(const su_cmp_t *c, const char *out_dir, const char *gnuplot,
                       int *rendered);

/* --- sizeup history plot (history.h) ----------------------------------------- */

/*
 * Writes into o->out_dir one trend plot per trend (trend_N.gp + trend_N.dat,
 * N from 1: the figure against the runs' dates, regressions marked), renders
 * them with o->gnuplot (NULL = "gnuplot", "" = no rendering; a missing
 * gnuplot is not an error: info->gnuplot_missing) and writes index.html with
 * a table of the latest values and every plot.  SU_OK, SU_EIO, SU_ENOMEM.
 */
int su_report_trends(const su_history_trend_t *t, size_t n, const su_report_opts_t *o,
                     su_report_info_t *info);

#endif /* SIZEUP_REPORT_H */
