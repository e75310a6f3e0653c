/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_plan.c: plans of big machines: thread ladders from the topology,
 * skipped points, the duration estimate and --time-limit, and every
 * profile on large synthetic and real topologies (bounded point counts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/run.h"
#include "sizeup/topo.h"
#include "test.h"
#include "test_plan_group.h"

#define ZEN_2X96 "pack:2 numa:4(memory=96GiB) l3:3(size=32MiB) core:8 pu:2"
#define ZEN_2X192 "pack:2 numa:4(memory=96GiB) l3:3(size=32MiB) core:16 pu:2"

static su_topo_t *load(const char *spec)
{
  su_topo_t *t = NULL;

  CHECK_EQ_INT(su_topo_load(spec, &t), SU_OK);
  return t;
}

/* Plans one group of stream_triad fp64 omp. */
static int plan_group(su_topo_t *t, const char *threads, const char *placement,
                      const char *sizes, double limit_s, su_plan_t *plan)
{
  return su_test_plan_group(t, "stream_triad", "fp64", "omp", threads, placement, sizes, "",
                            limit_s, plan);
}

/* Checks that planning fails with SU_EINVAL and a message containing want. */
static void plan_fails(su_topo_t *t, const char *threads, const char *placement,
                       const char *sizes, double limit_s, const char *want)
{
  su_plan_t plan;

  CHECK_EQ_INT(plan_group(t, threads, placement, sizes, limit_s, &plan), SU_EINVAL);
  if (!strstr(su_errmsg(), want))
    CHECK_EQ_STR(su_errmsg(), want);
  su_plan_fini(&plan);
}

/* The plan's thread counts in order, "1,2,4". */
static void thread_list(const su_plan_t *p, char *buf, size_t len)
{
  size_t pos = 0;

  buf[0] = '\0';
  for (size_t i = 0; i < p->n && pos < len; i++)
    pos += (size_t)snprintf(buf + pos, len - pos, "%s%u", i ? "," : "", p->points[i].threads);
}

static void test_ladder(void)
{
  su_topo_t *t = load(ZEN_2X96);
  su_plan_t plan;
  char list[512];

  if (!t)
    return;
  /* 1, 2, 4, ..., one L3 (8 cores), one NUMA node (24), one package (96),
   * all cores (192) and all PUs (384). */
  CHECK_EQ_INT(plan_group(t, "ladder", "compact", "1M", 0, &plan), SU_OK);
  thread_list(&plan, list, sizeof(list));
  CHECK_EQ_STR(list, "1,2,4,8,16,24,32,64,96,128,192,384");
  CHECK(plan.est_s > 0);
  su_plan_fini(&plan);
  /* numa:N's ladder stops at its node, and `max` is its cores. */
  CHECK_EQ_INT(plan_group(t, "ladder", "numa:3", "1M", 0, &plan), SU_OK);
  thread_list(&plan, list, sizeof(list));
  CHECK_EQ_STR(list, "1,2,4,8,16,24,48");
  su_plan_fini(&plan);
  CHECK_EQ_INT(plan_group(t, "1..max", "numa:0", "1M", 0, &plan), SU_OK);
  CHECK_EQ_INT(plan.n, 24);
  su_plan_fini(&plan);
  /* The thread list has no cap: 1..max is every one of 192 cores. */
  CHECK_EQ_INT(plan_group(t, "1..max", "compact", "1M", 0, &plan), SU_OK);
  CHECK_EQ_INT(plan.n, 192);
  su_plan_fini(&plan);
  su_topo_destroy(t);
}

static void test_skipped(void)
{
  su_topo_t *t = load(ZEN_2X96);
  su_plan_t plan;

  if (!t)
    return;
  /* 49 threads on a 48-PU node and 400 on the machine: rows, not errors. */
  CHECK_EQ_INT(plan_group(t, "1,49", "numa:0", "1M", 0, &plan), SU_OK);
  CHECK_EQ_INT(plan.n, 2);
  CHECK_EQ_INT(plan.nskipped, 1);
  if (plan.n == 2) {
    CHECK_EQ_STR(plan.points[0].skipped, "");
    CHECK_EQ_STR(plan.points[1].skipped, "cannot place 49 threads with 'numa:0': it has 48 PUs");
    CHECK(plan.points[1].pus == NULL);
    CHECK_EQ_STR(plan.points[1].cpuset, "");
  }
  su_plan_fini(&plan);
  CHECK_EQ_INT(plan_group(t, "400", "scatter", "1M", 0, &plan), SU_OK);
  CHECK_EQ_INT(plan.nskipped, 1);
  su_plan_fini(&plan);
  /* Arrays larger than memory (768 GiB): skipped, with the sizes. */
  CHECK_EQ_INT(plan_group(t, "1", "compact", "1M,2T", 0, &plan), SU_OK);
  CHECK_EQ_INT(plan.n, 2);
  if (plan.n == 2)
    CHECK(strstr(plan.points[1].skipped, "larger than memory") != NULL);
  su_plan_fini(&plan);
  /* A NUMA node that does not exist is still an error. */
  plan_fails(t, "1", "numa:8", "1M", 0, "NUMA node 8 does not exist");
  su_topo_destroy(t);
}

static void test_time_limit(void)
{
  su_topo_t *t = load(ZEN_2X96);
  su_plan_t full, fit;

  if (!t)
    return;
  CHECK_EQ_INT(plan_group(t, "ladder", "compact,scatter", "16K..1G:2", 0, &full), SU_OK);
  CHECK_EQ_INT(plan_group(t, "ladder", "compact,scatter", "16K..1G:2", full.est_s / 3, &fit),
               SU_OK);
  CHECK(fit.est_s <= full.est_s / 3);
  CHECK(fit.n < full.n);
  CHECK(strstr(fit.fit, "dropped") != NULL);
  /* the boundaries survive: 1 thread and the whole machine */
  {
    int one = 0, all = 0;
    for (size_t i = 0; i < fit.n; i++) {
      one |= fit.points[i].threads == 1;
      all |= fit.points[i].threads == 384;
    }
    CHECK(one && all);
  }
  su_plan_fini(&fit);
  su_plan_fini(&full);
  /* Too short for one point: an error that says so. */
  plan_fails(t, "ladder", "compact", "1G", 0.001, "is too short");
  su_topo_destroy(t);
}

/* Every profile plans on big machines, with point counts that follow the
 * machine's structure, not its cores. */
static void test_profiles(void)
{
  static const char *profiles[] = {"quick", "standard", "nightly", "full"};
  static const char *topos[] = {ZEN_2X96, ZEN_2X192, "pack:2 numa:4 core:24 pu:2",
                                SU_TEST_DATA_DIR "/big-2s-24numa.xml",
                                SU_TEST_DATA_DIR "/intel-2p-dies-16numa-64pu.xml",
                                SU_TEST_DATA_DIR "/knl-a2a-mcdram-rootnuma-4c-8pu.xml"};

  for (size_t p = 0; p < sizeof(profiles) / sizeof(profiles[0]); p++) {
    char path[1024];
    su_suite_t suite;
    if (su_suite_find_profile(profiles[p], path, sizeof(path)) != SU_OK ||
        su_suite_load(path, &suite) != SU_OK) {
      CHECK(0);
      continue;
    }
    for (size_t i = 0; i < sizeof(topos) / sizeof(topos[0]); i++) {
      su_topo_t *t = load(topos[i]);
      su_plan_t plan;
      su_plan_filter_t f;
      int err;
      if (!t)
        continue;
      memset(&f, 0, sizeof(f));
      memset(&plan, 0, sizeof(plan));
      err = su_plan_build(&plan, t, suite.groups, suite.ngroups, &f, &suite.mo);
      CHECK_EQ_INT(err, SU_OK);
      if (err)
        fprintf(stderr, "  %s on %s: %s\n", profiles[p], topos[i], su_errmsg());
      CHECK(plan.n > 0 && plan.n < 3000);
      CHECK(plan.est_s > 0);
      su_plan_fini(&plan);
      su_topo_destroy(t);
    }
    su_suite_fini(&suite);
  }
}

int main(void)
{
  SU_TEST_RUN(test_ladder);
  SU_TEST_RUN(test_skipped);
  SU_TEST_RUN(test_time_limit);
  SU_TEST_RUN(test_profiles);
  return SU_TEST_REPORT();
}
