/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report_int.h: what the report's source files share (not installed).
 * plots.c writes the gnuplot scripts and data and runs gnuplot; html.c
 * writes report.html and report.md from the same state.
 */
#ifndef SIZEUP_REPORT_INT_H
#define SIZEUP_REPORT_INT_H

#include <stdio.h>

#include "sizeup/fit.h"
#include "sizeup/report.h"
#include "sizeup/results.h"

typedef struct su__plot {
  char name[64];           /* file stem: [a-z0-9_] only */
  char section[32];        /* "scaling", "cache", "latency", "roofline", "compare" */
  char caption[256];       /* our own text; untrusted parts already sanitized */
  int rendered;            /* NAME.png exists after this run */
} su__plot_t;

/* Headline figures compared across directories. */
#define SU__NHEAD 4
typedef struct su__dir {
  const su_results_t *r;
  char label[96];          /* sanitized: hostname or run id */
  su_fit_set_t fits;       /* empty without GSL */
  su_fit_sweep_t *bw_sweeps, *lat_sweeps;
  size_t nbw, nlat;
  double head[SU__NHEAD];  /* NaN when not measured */
} su__dir_t;

typedef struct su__report {
  const su_report_opts_t *o;
  su_report_info_t *info;
  su__dir_t *dirs;
  size_t ndirs;
  su__plot_t *plots;
  size_t nplots, cap;
} su__report_t;

extern const char *const su__head_names[SU__NHEAD];
extern const char *const su__head_units[SU__NHEAD];

int su__report_plots(su__report_t *rp);
int su__report_render(su__report_t *rp);
int su__report_html(su__report_t *rp);
int su__report_markdown(su__report_t *rp);

#endif /* SIZEUP_REPORT_INT_H */
