/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * appunit.c: how an application's row (`sizeup app`: wall time, or a
 * figure of merit in the user's unit) becomes seconds, for recommend
 * (sizing.c) and the mix inference (mix.c).
 */
#include <stdio.h>
#include <string.h>

#include "model/model_int.h"

/* Seconds in one unit u ("s", "ms", "us", "ns", "min", "h", "day"), 0 when
 * u is not a time unit. */
double su__time_unit_s(const char *u)
{
  static const struct {
    const char *name;
    double s;
  } units[] = {{"s", 1},        {"sec", 1},     {"second", 1},  {"seconds", 1},
               {"ms", 1e-3},    {"us", 1e-6},   {"ns", 1e-9},   {"min", 60},
               {"h", 3600},     {"hour", 3600}, {"hours", 3600}, {"d", 86400},
               {"day", 86400},  {"days", 86400}};

  for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
    if (strcmp(u, units[i].name) == 0)
      return units[i].s;
  return 0;
}

/*
 * How a row of the app becomes seconds: SU__APP_TIME, a time per run (metric
 * time, or a lower-is-better figure of merit in a time unit); SU__APP_WORK, a
 * time per unit of work (a higher-is-better rate "X/TIME" such as steps/s
 * or ns/day, or a lower-is-better "TIME/X" such as s/step); SU__APP_NONE when
 * the unit says nothing about time.  *f: seconds per time unit; *inv: the
 * value is a rate (seconds = f / value); work: X.
 */
int su__app_kind(const char *metric, const char *unit, double *f, int *inv, char *work,
                    size_t len)
{
  const char *sl = strchr(unit, '/');
  char t[32];

  *inv = 0;
  *f = 0;
  work[0] = '\0';
  if (strcmp(metric, "time") == 0 || strcmp(metric, "fom_lower") == 0) {
    if ((*f = su__time_unit_s(unit)) > 0)
      return SU__APP_TIME;
    if (strcmp(metric, "fom_lower") == 0 && sl && sl != unit && sl[1] &&
        (size_t)(sl - unit) < sizeof(t)) {
      snprintf(t, sizeof(t), "%.*s", (int)(sl - unit), unit);
      if ((*f = su__time_unit_s(t)) > 0) {
        snprintf(work, len, "%s", sl + 1);
        return SU__APP_WORK;
      }
    }
    return SU__APP_NONE;
  }
  if (strcmp(metric, "fom") == 0 && sl && sl != unit && (*f = su__time_unit_s(sl + 1)) > 0) {
    *inv = 1;
    snprintf(work, len, "%.*s", (int)(sl - unit), unit);
    return SU__APP_WORK;
  }
  return SU__APP_NONE;
}

