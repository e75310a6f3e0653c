/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sweep.c: working-set sweeps out of a results directory.
 *
 * Groups the `ok` rows of one metric by every key but size_bytes, keeps the
 * groups with at least 4 distinct sizes (fewer cannot show a plateau and a
 * knee) and runs the plateau detection of plateau.c on each, so `sizeup
 * fit` and `sizeup report` name the same cache levels.
 */
#include <stdlib.h>
#include <string.h>

#include "io/io_int.h"
#include "sizeup/error.h"
#include "sizeup/fit.h"

#define SU_SWEEP_MIN_SIZES 4

static int same_sweep(const su_fit_sweep_t *s, const su_result_row_t *w)
{
  /* Callers select rows of one metric first, so comparing it is harmless. */
  /* MPI ranks and nodes too: each rank count's working set is its own. */
  return SU__ROW_KEY_SAME(s, w) && s->threads == w->threads && s->ranks == w->ranks &&
         s->nodes == w->nodes;
}

void su_fit_sweeps_free(su_fit_sweep_t *s, size_t n)
{
  if (!s)
    return;
  for (size_t i = 0; i < n; i++)
    free(s[i].size_bytes);
  free(s);
}

int su_fit_sweeps(const su_results_t *r, const char *metric, su_fit_sweep_t **out,
                  size_t *nout)
{
  su_fit_sweep_t *sw = NULL;
  size_t n = 0, cap = 0, keep = 0;
  int err = SU_OK;

  if (!r || !metric || !out || !nout)
    return su_errorf(SU_EINVAL, "no results to sweep");
  *out = NULL;
  *nout = 0;
  for (size_t i = 0; i < r->nrows; i++) {
    const su_result_row_t *w = &r->rows[i];
    su_fit_sweep_t *s = NULL;
    if (!su_results_row_ok(w) || strcmp(w->metric, metric) != 0 || w->size_bytes == 0)
      continue;
    for (size_t j = 0; j < n && !s; j++)
      if (same_sweep(&sw[j], w))
        s = &sw[j];
    if (!s) {
      if (su__grow(&sw, n, &cap, sizeof(*sw), 8) != SU_OK) {
        err = su_errorf(SU_ENOMEM, "cannot group sweeps of '%s'", r->dir);
        goto out;
      }
      s = &sw[n++];
      memset(s, 0, sizeof(*s));
      SU__ROW_KEY_COPY(s, w);
      s->threads = w->threads;
      s->ranks = w->ranks;
      s->nodes = w->nodes;
    }
    s->npoints++;
  }
  for (size_t j = 0; j < n; j++) {
    su_fit_sweep_t *s = &sw[j];
    size_t k = 0, distinct = 0;
    s->size_bytes = malloc(4 * s->npoints * sizeof(double));
    if (!s->size_bytes) {
      n = j;                /* the rest own nothing yet */
      err = su_errorf(SU_ENOMEM, "cannot group sweeps of '%s'", r->dir);
      goto out;
    }
    s->y = s->size_bytes + s->npoints;
    s->ci_lo = s->y + s->npoints;
    s->ci_hi = s->ci_lo + s->npoints;
    for (size_t i = 0; i < r->nrows && k < s->npoints; i++) {
      const su_result_row_t *w = &r->rows[i];
      size_t at;
      if (!su_results_row_ok(w) || strcmp(w->metric, metric) != 0 || w->size_bytes == 0 ||
          !same_sweep(s, w))
        continue;
      for (at = k; at > 0 && s->size_bytes[at - 1] > (double)w->size_bytes; at--) {
        s->size_bytes[at] = s->size_bytes[at - 1];
        s->y[at] = s->y[at - 1];
        s->ci_lo[at] = s->ci_lo[at - 1];
        s->ci_hi[at] = s->ci_hi[at - 1];
      }
      s->size_bytes[at] = (double)w->size_bytes;
      s->y[at] = w->median;
      s->ci_lo[at] = w->ci95_lo;
      s->ci_hi[at] = w->ci95_hi;
      k++;
    }
    for (size_t i = 0; i < k; i++)
      distinct += i == 0 || s->size_bytes[i] != s->size_bytes[i - 1];
    if (distinct < SU_SWEEP_MIN_SIZES)
      continue;
    err = su_fit_plateaus(s->size_bytes, s->y, k, r->fp.caches, r->fp.ncaches, s->plateau,
                          SU_FIT_MAX_PLATEAUS, &s->nplateaus);
    if (err)
      goto out;
    s->npoints = k;
  }
  /* drop the short ones, keeping row order */
  for (size_t j = 0; j < n; j++) {
    size_t distinct = 0;
    for (size_t i = 0; i < sw[j].npoints; i++)
      distinct += i == 0 || sw[j].size_bytes[i] != sw[j].size_bytes[i - 1];
    if (distinct < SU_SWEEP_MIN_SIZES) {
      free(sw[j].size_bytes);
      continue;
    }
    sw[keep++] = sw[j];
  }
  if (keep == 0) {
    free(sw);
    sw = NULL;
  }
  *out = sw;
  *nout = keep;
  return SU_OK;
out:
  su_fit_sweeps_free(sw, n);
  return err;
}
