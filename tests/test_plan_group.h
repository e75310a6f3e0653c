/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_plan_group.h: plans one suite group on a topology, for the tests of
 * plans (test_plan.c, test_numa.c).
 */
#ifndef SIZEUP_TEST_PLAN_GROUP_H
#define SIZEUP_TEST_PLAN_GROUP_H

#include <stdio.h>
#include <string.h>

#include "sizeup/run.h"

/* One group of `kernels` with the given axes ("" = the group's default),
 * planned with the default measuring options and, when limit_s > 0,
 * --time-limit limit_s. */
static inline int su_test_plan_group(su_topo_t *t, const char *kernels, const char *prec,
                                     const char *variants, const char *threads,
                                     const char *placement, const char *sizes,
                                     const char *memory, double limit_s, su_plan_t *plan)
{
  su_group_t g;
  su_plan_filter_t f;
  su_measure_opts_t mo;

  memset(&g, 0, sizeof(g));
  memset(&f, 0, sizeof(f));
  memset(plan, 0, sizeof(*plan));
  su_measure_opts_default(&mo);
  snprintf(g.name, sizeof(g.name), "g");
  snprintf(g.kernels, sizeof(g.kernels), "%s", kernels);
  snprintf(g.precision, sizeof(g.precision), "%s", prec);
  snprintf(g.variants, sizeof(g.variants), "%s", variants);
  snprintf(g.threads, sizeof(g.threads), "%s", threads);
  snprintf(g.placement, sizeof(g.placement), "%s", placement);
  snprintf(g.sizes, sizeof(g.sizes), "%s", sizes);
  snprintf(g.memory, sizeof(g.memory), "%s", memory);
  f.time_limit_s = limit_s;
  return su_plan_build(plan, t, &g, 1, &f, &mo);
}

#endif /* SIZEUP_TEST_PLAN_GROUP_H */
