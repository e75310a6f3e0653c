/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * matrix.c: a matrix of figures (su__grid_t) as a gnuplot heat map, for
 * the NUMA matrix (numa_report.c) and the device-to-device copy matrix
 * (d2d_report.c).  report.html and report.md show the same grids as tables
 * (html.c, doc_grid).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "sizeup/error.h"

int su__grid_init(su__grid_t *g, int nrow, int ncol)
{
  const size_t cells = (size_t)nrow * (size_t)ncol;

  memset(g, 0, sizeof(*g));
  g->nrow = nrow;
  g->ncol = ncol;
  g->val = malloc((cells ? cells : 1) * sizeof(double));
  g->rtic = calloc((size_t)nrow + 1, sizeof(*g->rtic));
  g->ctic = calloc((size_t)ncol + 1, sizeof(*g->ctic));
  g->rname = calloc((size_t)nrow + 1, sizeof(*g->rname));
  g->cname = calloc((size_t)ncol + 1, sizeof(*g->cname));
  if (!g->val || !g->rtic || !g->ctic || !g->rname || !g->cname) {
    su__grid_fini(g);
    return su_errorf(SU_ENOMEM, "cannot allocate a %d x %d matrix", nrow, ncol);
  }
  for (size_t c = 0; c < cells; c++)
    g->val[c] = NAN;
  return SU_OK;
}

void su__grid_fini(su__grid_t *g)
{
  free(g->val);
  free(g->rtic);
  free(g->ctic);
  free(g->rname);
  free(g->cname);
  memset(g, 0, sizeof(*g));
}

int su__plot_grid(su__report_t *rp, const su__plot_t *p, const su__grid_t *g, const char *title,
                  const char *xlabel, const char *ylabel, const char *zlabel)
{
  FILE *gp, *dat;
  int err;

  if ((err = su__plot_open(rp, p->name, &gp, &dat)))
    return err;
  su__plot_head(gp, p->name, title, xlabel, ylabel);
  fprintf(dat, "# column_pos row_pos %s (NaN: not measured)\n", zlabel);
  for (int i = 0; i < g->nrow; i++) {
    for (int j = 0; j < g->ncol; j++)
      fprintf(dat, "%d %d %.9g\n", j, i, g->val[(size_t)i * (size_t)g->ncol + (size_t)j]);
    fprintf(dat, "\n");
  }
  /* The first row at the top left, as MLC and nvbandwidth print theirs. */
  fprintf(gp, "unset grid\nset key off\nset xrange [-0.5:%d.5]\nset yrange [%d.5:-0.5]\n",
          g->ncol - 1, g->nrow - 1);
  fprintf(gp, "set palette rgb 33,13,10\nset cbrange [0:*]\nset cblabel '%s'\nset xtics (",
          zlabel);
  /* The tics are ours (digits and ':'), so they go in as they are. */
  for (int j = 0; j < g->ncol; j++)
    fprintf(gp, "%s'%s' %d", j ? ", " : "", g->ctic[j], j);
  fprintf(gp, ")\nset ytics (");
  for (int i = 0; i < g->nrow; i++)
    fprintf(gp, "%s'%s' %d", i ? ", " : "", g->rtic[i], i);
  /* Boxes rather than `with image`, which needs a 2 x 2 grid at least (a
   * one-NUMA machine is one cell) and cannot leave a cell empty. */
  fprintf(gp, ")\nset style fill solid 1.0 noborder\n"
              "plot '%s.dat' using 1:2:($1-0.5):($1+0.5):($2-0.5):($2+0.5):3 "
              "with boxxy fc palette",
          p->name);
  /* The numbers in the cells while they fit; beyond, the colours and the
   * report's tables. */
  if (g->ncol <= 12 && g->nrow <= 24)
    fprintf(gp, ", \\\n     '%s.dat' using 1:2:($3 == $3 ? sprintf('%%.4g', $3) : '') "
                "with labels", p->name);
  fprintf(gp, "\n");
  return su__plot_close(gp, dat, p->name);
}
