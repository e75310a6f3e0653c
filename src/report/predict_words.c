/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * predict_words.c: where a scaling series goes past its measured counts,
 * in words and as a band: the chosen model's predictions with their 95%
 * intervals (fit.h, su_fit_predict_set), for `sizeup fit` and the report.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report_int.h"
#include "sizeup/error.h"
#include "sizeup/report.h"

void su_report_prediction_words(const su_fit_series_t *s, const su_fit_pred_t *p, char *out,
                                size_t len)
{
  int k = snprintf(out, len, "on %g %s this would %s about %.4g %s", p->n, s->axis,
                   strcmp(s->value_unit, "s") == 0 ? "take" : "give", p->value, s->value_unit);

  if (k < 0 || (size_t)k >= len)
    return;
  if (isfinite(p->lo))
    snprintf(out + k, len - (size_t)k, " (95%% prediction interval %.4g-%.4g)", p->lo, p->hi);
  else
    snprintf(out + k, len - (size_t)k, " (no interval: too few usable bootstrap fits)");
}

void su_report_nstar_words(const su_fit_series_t *s, char *out, size_t len)
{
  out[0] = '\0';
  if (!isfinite(s->nstar.value))
    return;
  if (isfinite(s->nstar.lo))
    snprintf(out, len, "beyond about %.0f %s more %s stop paying (USL peak N*, 95%% "
                       "interval %.0f-%.0f)", s->nstar.value, s->axis, s->axis, s->nstar.lo,
             s->nstar.hi);
  else
    snprintf(out, len, "beyond about %.0f %s more %s stop paying (USL peak N*; no "
                       "interval)", s->nstar.value, s->axis, s->axis);
}

int su__report_predict(su__report_t *rp)
{
  for (size_t d = 0; d < rp->ndirs; d++) {
    su_fit_set_t *set = &rp->dirs[d].fits;
    double nmax = 0, at[SU__REPORT_NPRED];
    int err;

    for (size_t s = 0; s < set->nseries; s++)
      if (set->series[s].chosen >= 0)
        nmax = fmax(nmax, set->series[s].fit[set->series[s].chosen].nmax);
    if (!(nmax > 0))
      continue;
    /* 1.25, 1.5, 1.75 and 2 times the largest count measured */
    for (int i = 0; i < SU__REPORT_NPRED; i++)
      at[i] = round(nmax * (1 + (i + 1) / (double)SU__REPORT_NPRED));
    if ((err = su_fit_predict_set(set, at, SU__REPORT_NPRED, 200, 1)))
      return err;
  }
  return SU_OK;
}
