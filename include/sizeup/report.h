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

#include "sizeup/results.h"

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
/* Writes the file at `path` to `out` as base64 (RFC 4648); -1 if unreadable. */
int su_report_base64_file(FILE *out, const char *path);

#endif /* SIZEUP_REPORT_H */
