/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * model_int.h: what the files of src/model/ share and nothing else sees.
 */
#ifndef SIZEUP_MODEL_INT_H
#define SIZEUP_MODEL_INT_H

#include "sizeup/csv.h"
#include "sizeup/fit.h"

/* The key columns of fits.csv and predictions.csv, from schema_version to
 * metric. */
void su__fit_put_key(su_csv_writer_t *w, const su_fit_series_t *s, unsigned version,
                     const char *run_id);

/* su_fit_series without the held-out check (the cross-validation and the
 * bootstrap fit thousands of times). */
int su__fit_quick(su_fit_model_t m, const double *n, const double *x, size_t count,
                  su_fit_t *out);

/* A series grouped (n, x, ci filled, ascending in n): sets its defaults and
 * turns a lower-is-better metric into a rate (inverted). */
void su__fit_series_prepare(su_fit_series_t *s);

/* Marks the models that apply to the series, fits them and chooses one. */
int su__fit_series_all(su_fit_series_t *s);

/* An application's row as seconds (appunit.c). */
enum { SU__APP_NONE, SU__APP_TIME, SU__APP_WORK };

/* Seconds in one unit u ("s", "ms", "us", "ns", "min", "h", "day"), 0 when
 * u is not a time unit. */
double su__time_unit_s(const char *u);

/*
 * How a row of metric `metric` in `unit` becomes seconds: SU__APP_TIME, a
 * time per run; SU__APP_WORK, a time per unit of work (a rate "X/TIME" or
 * a lower-is-better "TIME/X"); SU__APP_NONE when the unit says nothing
 * about time.  *f: seconds per time unit; *inv: the value is a rate
 * (seconds = f / value); work: X.
 */
int su__app_kind(const char *metric, const char *unit, double *f, int *inv, char *work,
                 size_t len);

#endif /* SIZEUP_MODEL_INT_H */
