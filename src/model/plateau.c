/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * plateau.c: cache levels from a working-set sweep.
 *
 * A STREAM-like kernel swept over working-set sizes shows one bandwidth
 * plateau per level of the memory hierarchy that holds the working set (L1,
 * L2, L3, DRAM), separated by knees where the set spills to the next level
 * (the curve likwid-bench and lmbench's bw_mem draw; Hager & Wellein,
 * "Introduction to High Performance Computing for Scientists and Engineers",
 * 2010, sect. 3.1).  Adjacent levels differ by well over 25% on the machines
 * we know (docs/models.md gives the numbers), while run-to-run noise of one
 * configuration stays within ~5% (MACHINES notes), so a 25% step separates
 * levels without splitting a plateau on noise.
 *
 * Algorithm (sizes sorted ascending, on the log-size axis):
 *  1. walk the points; a point joins the current segment when it lies within
 *     SU_PLATEAU_DROP of the segment's running median, else it starts a new
 *     segment;
 *  2. segments of a single point that lie between two longer segments are
 *     knee points (the set straddles two levels) and are dropped;
 *  3. neighbouring segments whose medians differ by less than
 *     SU_PLATEAU_DROP are merged (a knee point had split them);
 *  4. each plateau's ceiling is its median; the knee is the geometric
 *     mid-point between its last size and the next plateau's first size;
 *  5. names: with cache sizes known, a plateau whose knee lies nearest
 *     (in log2) to the size of cache level L is "L<L>"; the last plateau is
 *     "DRAM" when it starts above the largest cache.  Without cache sizes:
 *     P1, P2, ...
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/fit.h"

typedef struct seg {
  size_t first, last;      /* indexes into the sorted arrays, inclusive */
  double med;
} seg_t;

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median_of(const double *v, size_t first, size_t last, double *tmp)
{
  size_t k = last - first + 1;

  memcpy(tmp, v + first, k * sizeof(double));
  qsort(tmp, k, sizeof(double), cmp_double);
  return k % 2 ? tmp[k / 2] : 0.5 * (tmp[k / 2 - 1] + tmp[k / 2]);
}

static int differs(double a, double ref)
{
  return fabs(a - ref) > SU_PLATEAU_DROP * fabs(ref);
}

int su_fit_plateaus(const double *size_bytes, const double *bw, size_t n,
                    const su_cache_info_t *caches, size_t ncaches,
                    su_plateau_t *out, size_t max, size_t *nout)
{
  double *s = NULL, *b, *tmp;
  size_t *ord = NULL, nseg = 0, nkeep;
  seg_t *seg = NULL;
  int err = SU_OK;

  if (!size_bytes || !bw || !nout || (!out && max))
    return su_errorf(SU_EINVAL, "no working-set sweep given");
  *nout = 0;
  if (n < 4)
    return SU_OK;
  s = malloc(3 * n * sizeof(double));
  ord = malloc(n * sizeof(size_t));
  seg = malloc(n * sizeof(seg_t));
  if (!s || !ord || !seg) {
    err = su_errorf(SU_ENOMEM, "cannot segment a sweep of %zu points", n);
    goto out;
  }
  b = s + n;
  tmp = b + n;
  for (size_t i = 0; i < n; i++)
    ord[i] = i;
  for (size_t i = 1; i < n; i++)          /* insertion sort: sweeps are short */
    for (size_t j = i; j > 0 && size_bytes[ord[j]] < size_bytes[ord[j - 1]]; j--) {
      size_t t = ord[j];
      ord[j] = ord[j - 1];
      ord[j - 1] = t;
    }
  for (size_t i = 0; i < n; i++) {
    s[i] = size_bytes[ord[i]];
    b[i] = bw[ord[i]];
  }

  /* 1. greedy segmentation against the running median */
  seg[0].first = seg[0].last = 0;
  seg[0].med = b[0];
  nseg = 1;
  for (size_t i = 1; i < n; i++) {
    seg_t *c = &seg[nseg - 1];
    if (!differs(b[i], c->med)) {
      c->last = i;
      c->med = median_of(b, c->first, c->last, tmp);
    } else {
      seg[nseg].first = seg[nseg].last = i;
      seg[nseg].med = b[i];
      nseg++;
    }
  }
  /* 2. single points between longer segments are knees */
  nkeep = 0;
  for (size_t k = 0; k < nseg; k++) {
    int single = seg[k].first == seg[k].last;
    if (single && nseg > 1 && k > 0 && k + 1 < nseg)
      continue;
    if (single && nseg > 2 && (k == 0 || k + 1 == nseg))
      continue;             /* a lone point at either end: not a plateau */
    seg[nkeep++] = seg[k];
  }
  nseg = nkeep;
  /* 3. merge neighbours that a knee point had split */
  nkeep = 0;
  for (size_t k = 0; k < nseg; k++) {
    if (nkeep && !differs(seg[k].med, seg[nkeep - 1].med)) {
      seg[nkeep - 1].last = seg[k].last;
      seg[nkeep - 1].med = median_of(b, seg[nkeep - 1].first, seg[nkeep - 1].last, tmp);
    } else {
      seg[nkeep++] = seg[k];
    }
  }
  nseg = nkeep;

  /* 4-5. ceilings, knees, names */
  for (size_t k = 0; k < nseg && k < max; k++) {
    su_plateau_t *p = &out[k];
    double bmax = 0;
    memset(p, 0, sizeof(*p));
    p->size_lo_bytes = (uint64_t)s[seg[k].first];
    p->size_hi_bytes = (uint64_t)s[seg[k].last];
    p->bw = seg[k].med;
    for (size_t i = seg[k].first; i <= seg[k].last; i++)
      bmax = fmax(bmax, b[i]);
    p->bw_max = bmax;
    p->npoints = seg[k].last - seg[k].first + 1;
    p->knee_bytes = k + 1 < nseg ? (uint64_t)sqrt(s[seg[k].last] * s[seg[k + 1].first]) : 0;
    snprintf(p->level, sizeof(p->level), "P%u", (unsigned)(k + 1) % 1000u);
  }
  *nout = nseg < max ? nseg : max;
  if (caches && ncaches) {
    uint64_t largest = 0;
    for (size_t c = 0; c < ncaches; c++)
      if (caches[c].size_bytes > largest)
        largest = caches[c].size_bytes;
    unsigned maxlevel = 0, prev = 0;
    for (size_t c = 0; c < ncaches; c++)
      if (caches[c].level > maxlevel)
        maxlevel = caches[c].level;
    for (size_t k = 0; k < *nout; k++) {
      su_plateau_t *p = &out[k];
      if (k + 1 == *nout && k > 0) {
        /* the last plateau: beyond the largest cache, or one level above
         * the plateau before it */
        if (prev >= maxlevel || p->size_lo_bytes >= largest)
          snprintf(p->level, sizeof(p->level), "DRAM");
        else
          snprintf(p->level, sizeof(p->level), "L%u", prev + 1);
      } else if (p->knee_bytes) {
        double best = INFINITY;
        for (size_t c = 0; c < ncaches; c++) {
          double d;
          if (!caches[c].size_bytes)
            continue;
          d = fabs(log2((double)p->knee_bytes) - log2((double)caches[c].size_bytes));
          if (d < best) {
            best = d;
            prev = caches[c].level;
            snprintf(p->level, sizeof(p->level), "L%u", prev % 100u);
          }
        }
      }
    }
  }
out:
  free(s);
  free(ord);
  free(seg);
  return err;
}
