/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * numa_report.c: the NUMA matrix of a results directory (Intel MLC's view
 * of a machine) and its heat maps.
 *
 * A cell (i, j) is what the cores of NUMA node i get from the memory of
 * node j, read from summary.csv rows that carry both `cpu_numa` and
 * `mem_numa` (schema version 2): the matrix of `sizeup run --memory each`
 * (`numa:I+mem:J`), and any point whose threads sat on one node with their
 * memory (first touch), such as compact points on a one-NUMA machine:
 *  - bandwidth: stream_triad, its largest working set in that cell (the
 *    memory, not a cache), the best median over precisions, variants and
 *    thread counts;
 *  - latency: latency_chase with one thread, its largest working set, the
 *    lowest median.
 * A cell nobody measured stays empty.  The heat maps are gnuplot `with
 * image` plots (numbers only in the .dat, node numbers as tics), one per
 * directory and metric; report.html and report.md show the same matrices
 * as tables (html.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "sizeup/error.h"

/* Adds v to the sorted set of node numbers set[0..*n-1]. */
static void node_add(int *set, int *n, int v)
{
  int i = 0;

  while (i < *n && set[i] < v)
    i++;
  if (i < *n && set[i] == v)
    return;
  memmove(&set[i + 1], &set[i], (size_t)(*n - i) * sizeof(int));
  set[i] = v;
  (*n)++;
}

static int node_pos(const int *set, int n, int v)
{
  for (int i = 0; i < n; i++)
    if (set[i] == v)
      return i;
  return -1;
}

/* The metric of a matrix a row can give, or -1. */
static int row_kind(const su_result_row_t *w)
{
  if (strcmp(w->status, "ok") != 0 || w->cpu_numa < 0 || w->mem_numa < 0 ||
      !isfinite(w->median))
    return -1;
  if (strcmp(w->kernel, "stream_triad") == 0 && strcmp(w->metric, "bandwidth") == 0)
    return 0;
  if (strcmp(w->kernel, "latency_chase") == 0 && strcmp(w->metric, "latency") == 0 &&
      w->threads == 1)
    return 1;
  return -1;
}

void su__numa_matrix_fini(su__numa_matrix_t *m)
{
  free(m->cpu);
  free(m->mem);
  free(m->val[0]);
  free(m->val[1]);
  free(m->size[0]);
  free(m->size[1]);
  free(m->threads);
  memset(m, 0, sizeof(*m));
}

int su__numa_matrix_build(const su_results_t *r, su__numa_matrix_t *m)
{
  size_t cells;

  memset(m, 0, sizeof(*m));
  m->cpu = calloc(r->nrows + 1, sizeof(int));
  m->mem = calloc(r->nrows + 1, sizeof(int));
  if (!m->cpu || !m->mem)
    goto nomem;
  for (size_t i = 0; i < r->nrows; i++) {
    const su_result_row_t *w = &r->rows[i];
    if (row_kind(w) < 0)
      continue;
    node_add(m->cpu, &m->ncpu, w->cpu_numa);
    node_add(m->mem, &m->nmem, w->mem_numa);
  }
  cells = (size_t)m->ncpu * (size_t)m->nmem;
  if (cells == 0)
    return SU_OK;
  for (int k = 0; k < 2; k++) {
    if (!(m->val[k] = malloc(cells * sizeof(double))) ||
        !(m->size[k] = calloc(cells, sizeof(uint64_t))))
      goto nomem;
    for (size_t c = 0; c < cells; c++)
      m->val[k][c] = NAN;
  }
  if (!(m->threads = calloc(cells, sizeof(unsigned))))
    goto nomem;
  for (size_t i = 0; i < r->nrows; i++) {
    const su_result_row_t *w = &r->rows[i];
    int k = row_kind(w);
    size_t c;
    double *v;
    if (k < 0)
      continue;
    c = (size_t)node_pos(m->cpu, m->ncpu, w->cpu_numa) * (size_t)m->nmem +
        (size_t)node_pos(m->mem, m->nmem, w->mem_numa);
    v = &m->val[k][c];
    /* The largest working set wins; among equals, the best figure. */
    if (w->size_bytes > m->size[k][c] || isnan(*v) ||
        (w->size_bytes == m->size[k][c] && (k == 0 ? w->median > *v : w->median < *v))) {
      *v = w->median;
      m->size[k][c] = w->size_bytes;
      if (k == 0)
        m->threads[c] = w->threads;
    }
    m->n[k]++;
    m->modelled |= strcmp(w->backend, "null") == 0;
  }
  return SU_OK;
nomem:
  su__numa_matrix_fini(m);
  return su_errorf(SU_ENOMEM, "cannot build the NUMA matrix of '%s'", r->dir);
}

int su__numa_grid(const su__numa_matrix_t *m, int k, su__grid_t *g)
{
  int err = su__grid_init(g, m->ncpu, m->nmem);

  if (err)
    return err;
  memcpy(g->val, m->val[k], (size_t)m->ncpu * (size_t)m->nmem * sizeof(double));
  for (int i = 0; i < m->ncpu; i++) {
    snprintf(g->rtic[i], sizeof(g->rtic[i]), "%d", m->cpu[i]);
    snprintf(g->rname[i], sizeof(g->rname[i]), "CPUs of node %d", m->cpu[i]);
  }
  for (int j = 0; j < m->nmem; j++) {
    snprintf(g->ctic[j], sizeof(g->ctic[j]), "%d", m->mem[j]);
    snprintf(g->cname[j], sizeof(g->cname[j]), "memory %d", m->mem[j]);
  }
  return SU_OK;
}

/* One heat map: cpu nodes down, memory nodes across, the value in each cell. */
static int heat_map(su__report_t *rp, size_t d, const su__numa_matrix_t *m, int k)
{
  static const char *const what[] = {"bandwidth", "latency"};
  static const char *const unit[] = {"GB/s", "ns"};
  char title[160], name[64], zlabel[64];
  su__plot_t *p;
  su__grid_t g;
  int err;

  snprintf(name, sizeof(name), "numa_%s_%zu", what[k], d + 1);
  if (!(p = su__plot_add(rp, "numa", name)))
    return su_errorf(SU_ENOMEM, "cannot plan the report");
  snprintf(p->caption, sizeof(p->caption),
           "NUMA matrix, %s [%s]: the cores of NUMA node i (rows) to the memory of node j "
           "(columns), %s", what[k], unit[k],
           k == 0 ? "stream_triad, all cores of the node" : "latency_chase, one thread");
  if (m->modelled)
    snprintf(p->caption + strlen(p->caption), sizeof(p->caption) - strlen(p->caption),
             "; MODELLED by the null backend, not measured");
  snprintf(title, sizeof(title), "%.60s%sNUMA matrix: %s [%s], %s%s",
           rp->ndirs > 1 ? rp->dirs[d].label : "", rp->ndirs > 1 ? ": " : "", what[k], unit[k],
           k == 0 ? "stream_triad" : "latency_chase", m->modelled ? " (null backend: a model)" : "");
  snprintf(zlabel, sizeof(zlabel), "%s [%s]", what[k], unit[k]);
  if ((err = su__numa_grid(m, k, &g)))
    return err;
  err = su__plot_grid(rp, p, &g, title, "memory NUMA node", "CPU NUMA node", zlabel);
  su__grid_fini(&g);
  return err;
}

int su__report_numa(su__report_t *rp)
{
  for (size_t d = 0; d < rp->ndirs; d++) {
    su__numa_matrix_t m;
    int err = su__numa_matrix_build(rp->dirs[d].r, &m);
    if (err)
      return err;
    for (int k = 0; k < 2 && !err; k++)
      if (m.n[k])
        err = heat_map(rp, d, &m, k);
    su__numa_matrix_fini(&m);
    if (err)
      return err;
  }
  return SU_OK;
}
