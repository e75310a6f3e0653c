/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report_int.h: what the presentation's source files share (not
 * installed).  plots.c writes the report's gnuplot scripts and data and runs
 * gnuplot; html.c writes report.html and report.md from the same state;
 * page.c holds the one HTML page skeleton every page uses (report.html,
 * recommend.html, the history's index.html); sizing_report.c,
 * compare_report.c, junit.c and history_report.c are the writers of
 * `recommend`, `compare` and `history plot`.
 */
#ifndef SIZEUP_REPORT_INT_H
#define SIZEUP_REPORT_INT_H

#include <stdint.h>
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
#define SU__NHEAD SU_HEAD_N
typedef struct su__dir {
  const su_results_t *r;
  char name[96];           /* what the user named the machine (su__report_names): untrusted,
                              escaped where written */
  char label[96];          /* name, sanitized for gnuplot */
  su_fit_set_t fits;       /* empty without GSL */
  su_fit_sweep_t *bw_sweeps, *lat_sweeps;
  size_t nbw, nlat;
  double head[SU__NHEAD];  /* NaN when not measured */
  const su_result_row_t *headrow[SU__NHEAD];   /* the row behind each, NULL when none */
} su__dir_t;

/* One sentence of the verdict: a lead ("Memory-bound work") and the rest. */
typedef struct su__say {
  char lead[128];
  char text[1024];
} su__say_t;

typedef struct su__report {
  const su_report_opts_t *o;
  su_report_info_t *info;
  su__dir_t *dirs;
  size_t ndirs;
  su__plot_t *plots;
  size_t nplots, cap;
  su__say_t *verdict;      /* su__report_verdict */
  size_t nverdict;
} su__report_t;

/*
 * Where the row behind a headline figure was measured (verdict.c): what the
 * verdict and the headline table say of it.  modelled: the null backend's
 * (a model, not a measurement); gpu / device: an OpenCL GPU / any OpenCL
 * device (its own memory, not the CPU's main memory); fits: 1 when the
 * working set fits the last-level cache its cores use (llc bytes, level 0
 * when the level is not known), 0 when larger (main memory), -1 when the
 * results do not say (no system.json, a GPU).
 */
typedef struct su__where {
  int modelled, device, gpu, fits;
  uint64_t llc;
  unsigned level;
} su__where_t;
void su__where_of(const su_results_t *r, const su_result_row_t *w, su__where_t *at);
/* The remark the headline table puts after a figure from `at`
 * ("MODELLED by the null backend, not measured; ..."), "" when none. */
void su__where_note(const su__where_t *at, uint64_t size_bytes, char *buf, size_t len);
/* "1.5 GiB", "8 MiB", "-" for 0. */
void su__fmt_bytes(char *buf, size_t len, double b);

extern const char *const su__head_names[SU__NHEAD];
extern const char *const su__head_units[SU__NHEAD];

/* Starts *rp with no plots for options o (out_dir created when missing)
 * and a zeroed *info.  SU_OK or su_fs_mkdir_p's error. */
int su__report_begin(su__report_t *rp, const su_report_opts_t *o, su_report_info_t *info);
int su__report_plots(su__report_t *rp);
/* The headline figures of every directory and the verdict (verdict.c). */
int su__report_verdict(su__report_t *rp);
/* The model to draw and quote for a series: the one chosen by leave-one-out
 * (su_fit_choose), else the fit with status ok and the smallest RMSE; NULL
 * when none. */
const su_fit_t *su__best_fit(const su_fit_series_t *s);
/* Predicts every chosen model at 1.25-2x its largest count, for the band
 * of the scaling plots and the sentences (predict_words.c). */
#define SU__REPORT_NPRED 4
int su__report_predict(su__report_t *rp);
/* Renders every plot of rp (sets ->rendered and rp->info's counts). */
int su__report_render(su__report_t *rp);
int su__report_html(su__report_t *rp);
int su__report_markdown(su__report_t *rp);

/*
 * The one HTML page skeleton (page.c).  su__page_begin writes the doctype,
 * <head> with the title (escaped) and the shared style sheet, and opens
 * <body> with an <h1> of the same title.  su__page_end closes the page and
 * the file: SU_OK, or SU_EIO naming `path` when anything failed to write.
 */
/* Plot files for code outside plots.c: a new plot of the report, its
 * NAME.gp and NAME.dat, the scripts' common head (title and labels
 * sanitized) and the end (SVG pass, both files closed). */
su__plot_t *su__plot_add(su__report_t *rp, const char *section, const char *name);
int su__plot_open(su__report_t *rp, const char *name, FILE **gp, FILE **dat);
void su__plot_head(FILE *gp, const char *name, const char *title, const char *xlabel,
                   const char *ylabel);
int su__plot_close(FILE *gp, FILE *dat, const char *name);

/*
 * The NUMA matrix of one results directory (numa_report.c): rows are the
 * CPU NUMA nodes cpu[0..ncpu-1], columns the memory nodes mem[0..nmem-1];
 * val[0] is bandwidth (GB/s), val[1] latency (ns), ncpu x nmem row-major,
 * NaN where nothing was measured; n[k] counts the rows behind val[k].
 */
typedef struct su__numa_matrix {
  int ncpu, nmem;
  int *cpu, *mem;
  double *val[2];
  uint64_t *size[2];       /* the working set of each cell's figure */
  unsigned *threads;       /* the threads of each bandwidth figure */
  size_t n[2];
  int modelled;            /* some rows are the null backend's: a model, not a measurement */
} su__numa_matrix_t;

/*
 * A matrix to draw and tabulate (matrix.c): what the NUMA matrix and the
 * device-to-device matrix share.  val is nrow x ncol row-major, NaN where
 * nothing was measured.  tic: the heat map's short axis labels, our own
 * text (digits, ':' only); name: the table's row and column heads
 * (untrusted, escaped where written).
 */
#define SU__GRID_LABEL 160
typedef struct su__grid {
  int nrow, ncol;
  double *val;
  char (*rtic)[16], (*ctic)[16];
  char (*rname)[SU__GRID_LABEL], (*cname)[SU__GRID_LABEL];
} su__grid_t;

/* An nrow x ncol grid of NaN with empty labels: SU_OK or SU_ENOMEM. */
int su__grid_init(su__grid_t *g, int nrow, int ncol);
void su__grid_fini(su__grid_t *g);
/* The heat map of g as plot p (already added): rows down (the first at the
 * top), columns across, the numbers in the cells while they fit.  title,
 * xlabel, ylabel: our text (sanitized by su__plot_head); zlabel: the colour
 * bar's label, our own text. */
int su__plot_grid(su__report_t *rp, const su__plot_t *p, const su__grid_t *g, const char *title,
                  const char *xlabel, const char *ylabel, const char *zlabel);

int su__numa_matrix_build(const su_results_t *r, su__numa_matrix_t *m);
/* Metric k (0 bandwidth, 1 latency) of m as a grid. */
int su__numa_grid(const su__numa_matrix_t *m, int k, su__grid_t *g);
void su__numa_matrix_fini(su__numa_matrix_t *m);
/* The heat maps of every directory that has a NUMA matrix. */
int su__report_numa(su__report_t *rp);

/*
 * The device-to-device copy matrix of one results directory (d2d_report.c):
 * transfer_d2d rows with status ok, device `SRC -> [p:d]`; the same devices
 * down (source) and across (destination), in the order they first appear;
 * each cell the best median bandwidth (GB/s) at its largest size.  *n counts
 * the rows behind it (0: no matrix, g untouched); *modelled as in the NUMA
 * matrix.
 */
int su__d2d_grid(const su_results_t *r, su__grid_t *g, size_t *n, int *modelled);
/* The paths (variants) of r's ok transfer_d2d rows, comma-separated in the
 * order they first appear ("" when none). */
void su__d2d_paths(const su_results_t *r, char *buf, size_t len);
/* The heat map of every directory that has a device-to-device matrix. */
int su__report_d2d(su__report_t *rp);

void su__page_begin(FILE *fp, const char *title);
int su__page_end(FILE *fp, const char *path);
/* <img> of dir/NAME.png embedded as a data: URI (alt text is ours). */
void su__page_png(FILE *fp, const char *dir, const char *name, const char *alt);
/* Markdown table cell text: escaped so a cell stays one cell. */
void su__md_escape(FILE *fp, const char *s);

#endif /* SIZEUP_REPORT_INT_H */
