/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_place.c: the placement mini-language and placement plans.
 *
 * Plans are checked PU by PU on synthetic topologies whose numbering is
 * known (hwloc numbers synthetic PUs in logical order unless told
 * otherwise), including SMT, a NUMA node spanning packages and a 24-NUMA
 * XML machine.  Binding is checked on this machine and skipped where the
 * OS refuses it.
 */
#include <stdio.h>
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/topo.h"
#include "test.h"

#define MAXT 512

static su_topo_t *load(const char *spec)
{
  su_topo_t *t = NULL;
  int err = su_topo_load(spec, &t);

  CHECK_EQ_INT(err, SU_OK);
  if (err)
    fprintf(stderr, "  loading '%s': %s\n", spec, su_errmsg());
  return t;
}

/* Plans `spec` for n threads; returns the error and fills order ("0,16,8") and cpuset. */
static int plan(su_topo_t *t, const char *spec, unsigned n, char *order, size_t olen,
                char *cpuset, size_t clen)
{
  su_place_t p;
  unsigned pus[MAXT];
  char *cs = NULL;
  int err;
  size_t pos = 0;

  order[0] = cpuset[0] = '\0';
  if ((err = su_place_parse(spec, &p)))
    return err;
  err = su_place_plan(t, &p, n, pus, &cs);
  su_place_fini(&p);
  if (err)
    return err;
  snprintf(cpuset, clen, "%s", cs);
  free(cs);
  for (unsigned i = 0; i < n && pos < olen; i++)
    pos += (size_t)snprintf(order + pos, olen - pos, "%s%u", i ? "," : "", pus[i]);
  return SU_OK;
}

/* Checks a plan's per-thread order and its cpuset. */
#define CHECK_PLAN(t, spec, n, want_order, want_cpuset)                       \
  do {                                                                        \
    char o_[4096], c_[1024];                                                  \
    int e_ = plan((t), (spec), (n), o_, sizeof(o_), c_, sizeof(c_));          \
    CHECK_EQ_INT(e_, SU_OK);                                                  \
    if (e_)                                                                   \
      fprintf(stderr, "  %s x%u: %s\n", (spec), (unsigned)(n), su_errmsg());  \
    if ((want_order) != NULL)                                                 \
      CHECK_EQ_STR(o_, (const char *)(want_order));                           \
    CHECK_EQ_STR(c_, (want_cpuset));                                          \
  } while (0)

/* Checks that a plan fails with SU_EINVAL and a message containing `want`. */
#define CHECK_PLAN_FAILS(t, spec, n, want)                                    \
  do {                                                                        \
    char o_[4096], c_[1024];                                                  \
    int e_ = plan((t), (spec), (n), o_, sizeof(o_), c_, sizeof(c_));          \
    CHECK_EQ_INT(e_, SU_EINVAL);                                              \
    if (!strstr(su_errmsg(), (want)))                                         \
      CHECK_EQ_STR(su_errmsg(), (want));                                      \
    else                                                                      \
      CHECK(1);                                                               \
  } while (0)

static void test_parse(void)
{
  su_place_t p;

  CHECK_EQ_INT(su_place_parse("compact", &p), SU_OK);
  CHECK_EQ_INT(p.kind, SU_PLACE_COMPACT);
  CHECK_EQ_STR(p.spec, "compact");
  su_place_fini(&p);
  CHECK_EQ_INT(su_place_parse("scatter", &p), SU_OK);
  CHECK_EQ_INT(p.kind, SU_PLACE_SCATTER);
  su_place_fini(&p);
  CHECK_EQ_INT(su_place_parse("numa:12", &p), SU_OK);
  CHECK_EQ_INT(p.kind, SU_PLACE_NUMA);
  CHECK_EQ_INT(p.numa, 12);
  CHECK_EQ_STR(p.spec, "numa:12");
  su_place_fini(&p);

  CHECK_EQ_INT(su_place_parse("pu:0,2,4-7", &p), SU_OK);
  CHECK_EQ_INT(p.kind, SU_PLACE_LIST);
  CHECK_EQ_INT(p.nlist, 6);
  if (p.nlist == 6) {
    CHECK_EQ_INT(p.list[0], 0);
    CHECK_EQ_INT(p.list[1], 2);
    CHECK_EQ_INT(p.list[5], 7);
  }
  CHECK_EQ_STR(p.spec, "pu:0,2,4-7");
  su_place_fini(&p);
  CHECK(p.list == NULL);
  su_place_fini(&p); /* twice is harmless */

  /* Canonical text collapses runs but keeps the thread order. */
  CHECK_EQ_INT(su_place_parse("pu:3,0,1,2,8", &p), SU_OK);
  CHECK_EQ_STR(p.spec, "pu:3,0-2,8");
  su_place_fini(&p);

  /* Errors leave the output untouched and say what was wrong. */
  memset(&p, 0x5a, sizeof(p));
  CHECK_EQ_INT(su_place_parse("diagonal", &p), SU_EINVAL);
  CHECK_EQ_STR(su_errmsg(),
               "unknown placement 'diagonal' (expected compact, scatter, numa:N, kind:N or pu:LIST)");
  CHECK_EQ_INT(p.numa, 0x5a5a5a5a);
  CHECK_EQ_INT(su_place_parse("", &p), SU_EINVAL);
  CHECK_EQ_INT(su_place_parse("numa:", &p), SU_EINVAL);
  CHECK_EQ_INT(su_place_parse("numa:1x", &p), SU_EINVAL);
  CHECK_EQ_INT(su_place_parse("numa:-1", &p), SU_EINVAL);
  CHECK_EQ_INT(su_place_parse("pu:", &p), SU_EINVAL);
  CHECK_EQ_INT(su_place_parse("pu:1,,2", &p), SU_EINVAL);
  CHECK_EQ_INT(su_place_parse("pu:7-4", &p), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "'pu:7-4'") != NULL);
  CHECK_EQ_INT(su_place_parse("pu:0,1,1", &p), SU_EINVAL);
  CHECK_EQ_STR(su_errmsg(), "invalid placement 'pu:0,1,1': PU 1 is listed twice");
  CHECK_EQ_INT(su_place_parse("pu:0-3,2", &p), SU_EINVAL);
  CHECK_EQ_INT(su_place_parse("pu:99999999", &p), SU_EINVAL);
  CHECK_EQ_INT(su_place_parse("pu:0-5000", &p), SU_EINVAL);
  /* 21 scattered PUs cannot be spelled in the 64-byte key (20 can). */
  CHECK_EQ_INT(su_place_parse("pu:0,10,20,30,40,50,60,70,80,90,100,110,120,130,140,150,160", &p),
               SU_OK);
  su_place_fini(&p);
  CHECK_EQ_INT(su_place_parse("pu:0,10,20,30,40,50,60,70,80,90,100,110,120,130,140,150,160,170,"
                              "180,190,200", &p),
               SU_EINVAL);
  CHECK(strstr(su_errmsg(), "too long") != NULL);
}

/* 2 packages x 2 NUMA nodes x 8 cores, no SMT: PU P#i is core i. */
static void test_numa_machine(void)
{
  su_topo_t *t = load("pack:2 numa:2 core:8 pu:1");

  if (!t)
    return;
  CHECK_PLAN(t, "compact", 1, "0", "0");
  CHECK_PLAN(t, "compact", 4, "0,1,2,3", "0-3");
  CHECK_PLAN(t, "compact", 20, NULL, "0-19");
  CHECK_PLAN(t, "compact", 32, NULL, "0-31");
  /* P0N0, P1N0, P0N1, P1N1: NUMA logical 0, 2, 1, 3 */
  CHECK_PLAN(t, "scatter", 1, "0", "0");
  CHECK_PLAN(t, "scatter", 2, "0,16", "0,16");
  CHECK_PLAN(t, "scatter", 4, "0,16,8,24", "0,8,16,24");
  CHECK_PLAN(t, "scatter", 8, "0,16,8,24,1,17,9,25", "0-1,8-9,16-17,24-25");
  CHECK_PLAN(t, "scatter", 32, NULL, "0-31");
  CHECK_PLAN(t, "numa:1", 4, "8,9,10,11", "8-11");
  CHECK_PLAN(t, "numa:3", 8, NULL, "24-31");
  CHECK_PLAN(t, "pu:5,3,30", 3, "5,3,30", "3,5,30");
  CHECK_PLAN(t, "pu:4-7", 2, "4,5", "4-5"); /* a shorter team takes the head */

  CHECK_PLAN_FAILS(t, "compact", 33, "cannot place 33 threads with 'compact': the topology has 32 PUs");
  CHECK_PLAN_FAILS(t, "scatter", 40, "cannot place 40 threads with 'scatter'");
  CHECK_PLAN_FAILS(t, "numa:1", 9, "cannot place 9 threads with 'numa:1': it has 8 PUs");
  CHECK_PLAN_FAILS(t, "numa:4", 1, "NUMA node 4 does not exist (the topology has 4");
  CHECK_PLAN_FAILS(t, "pu:0,32", 2, "PU 32 does not exist (the topology has PUs 0-31)");
  CHECK_PLAN_FAILS(t, "pu:0-3", 5, "cannot place 5 threads with 'pu:0-3': it has 4 PUs");
  CHECK_PLAN_FAILS(t, "compact", 0, "cannot place 0 threads");

  /* A failed plan leaves the outputs untouched. */
  {
    su_place_t p;
    unsigned pus[2] = {777, 777};
    char *cs = NULL;
    CHECK_EQ_INT(su_place_parse("numa:0", &p), SU_OK);
    CHECK_EQ_INT(su_place_plan(t, &p, 9, pus, &cs), SU_EINVAL);
    CHECK_EQ_INT(pus[0], 777);
    CHECK(cs == NULL);
    su_place_fini(&p);
  }
  su_topo_destroy(t);
}

/* 2 packages x 4 cores x 2 PUs: core c has P#2c and P#2c+1. */
static void test_smt(void)
{
  su_topo_t *t = load("pack:2 core:4 pu:2");

  if (!t)
    return;
  CHECK_PLAN(t, "compact", 4, "0,2,4,6", "0,2,4,6");
  CHECK_PLAN(t, "compact", 8, "0,2,4,6,8,10,12,14", "0,2,4,6,8,10,12,14");
  CHECK_PLAN(t, "compact", 9, "0,2,4,6,8,10,12,14,1", "0-2,4,6,8,10,12,14");
  CHECK_PLAN(t, "compact", 16, NULL, "0-15");
  CHECK_PLAN(t, "scatter", 4, "0,8,2,10", "0,2,8,10");
  CHECK_PLAN(t, "scatter", 10, "0,8,2,10,4,12,6,14,1,9", "0-2,4,6,8-10,12,14");
  CHECK_PLAN(t, "numa:0", 3, "0,2,4", "0,2,4");
  su_topo_destroy(t);

  /* Linux-style numbering: siblings are P#c and P#c+8. */
  t = load("pack:2 core:4 pu:2(indexes=2*8:1*2)");
  if (!t)
    return;
  CHECK_PLAN(t, "compact", 4, "0,1,2,3", "0-3");
  CHECK_PLAN(t, "compact", 10, "0,1,2,3,4,5,6,7,8,9", "0-9");
  CHECK_PLAN(t, "scatter", 4, "0,4,1,5", "0-1,4-5");
  su_topo_destroy(t);
}

/* One NUMA node over two packages: scatter still alternates packages. */
static void test_numa_spanning_packages(void)
{
  su_topo_t *t = load("numa:1 pack:2 core:2 pu:1");

  if (!t)
    return;
  CHECK_PLAN(t, "scatter", 4, "0,2,1,3", "0-3");
  CHECK_PLAN(t, "compact", 3, "0,1,2", "0-2");
  CHECK_PLAN(t, "numa:0", 4, "0,1,2,3", "0-3");
  su_topo_destroy(t);

  /* No packages at all: one package, NUMA nodes still interleave. */
  t = load("numa:2 core:2 pu:1");
  if (!t)
    return;
  CHECK_PLAN(t, "scatter", 4, "0,2,1,3", "0-3");
  su_topo_destroy(t);
}

/* 2 packages x 12 NUMA x 8 cores x 2 PUs, siblings at +192 (XML). */
static void test_big_xml(void)
{
  su_topo_t *t = load(SU_TEST_DATA_DIR "/big-2s-24numa.xml");

  if (!t)
    return;
  CHECK_PLAN(t, "compact", 96, NULL, "0-95");
  CHECK_PLAN(t, "compact", 192, NULL, "0-191");
  CHECK_PLAN(t, "compact", 194, NULL, "0-193");
  CHECK_PLAN(t, "compact", 384, NULL, "0-383");
  /* P0N0 P1N0 P0N1 P1N1 ...: nodes 0, 12, 1, 13, ... first cores 0, 96, 8, 104 */
  CHECK_PLAN(t, "scatter", 4, "0,96,8,104", "0,8,96,104");
  CHECK_PLAN(t, "scatter", 24, NULL,
             "0,8,16,24,32,40,48,56,64,72,80,88,96,104,112,120,128,136,144,152,160,168,176,184");
  CHECK_PLAN(t, "scatter", 25, NULL,
             "0-1,8,16,24,32,40,48,56,64,72,80,88,96,104,112,120,128,136,144,152,160,168,176,"
             "184");
  CHECK_PLAN(t, "scatter", 193, NULL, "0-192");
  CHECK_PLAN(t, "numa:13", 8, "104,105,106,107,108,109,110,111", "104-111");
  CHECK_PLAN(t, "numa:13", 16, NULL, "104-111,296-303");
  CHECK_PLAN_FAILS(t, "numa:24", 1, "NUMA node 24 does not exist (the topology has 24");
  CHECK_PLAN_FAILS(t, "compact", 385, "the topology has 384 PUs");
  su_topo_destroy(t);
}

static void test_bind(void)
{
  su_topo_t *t = load(NULL), *syn = load("pack:1 core:2 pu:1");
  char *cs = NULL;
  int err;

  if (!t || !syn) {
    su_topo_destroy(t);
    su_topo_destroy(syn);
    return;
  }
  /* Binding needs the real machine. */
  CHECK_EQ_INT(su_place_bind_self(syn, 0), SU_ENOTSUP);
  CHECK_EQ_INT(su_place_unbind_self(syn), SU_ENOTSUP);
  CHECK_EQ_INT(su_place_get_self(syn, &cs), SU_ENOTSUP);
  CHECK(cs == NULL);
  su_topo_destroy(syn);
  if (!su_topo_is_this_system(t)) {
    su_topo_destroy(t);
    SU_TEST_SKIP("the topology is not this system (HWLOC_XMLFILE?)");
  }
  CHECK_EQ_INT(su_place_bind_self(t, 1u << 19), SU_EINVAL);
  err = su_place_bind_self(t, 0);
  if (err == SU_ENOTSUP) {
    printf("binding unsupported here: %s\n", su_errmsg());
    su_topo_destroy(t);
    SU_TEST_SKIP("thread binding is not supported");
  }
  CHECK_EQ_INT(err, SU_OK);
  CHECK_EQ_INT(su_place_get_self(t, &cs), SU_OK);
  CHECK_EQ_STR(cs, "0");
  free(cs);
  cs = NULL;
  CHECK_EQ_INT(su_place_unbind_self(t), SU_OK);
  CHECK_EQ_INT(su_place_get_self(t, &cs), SU_OK);
  {
    su_topo_summary_t s;
    CHECK_EQ_INT(su_topo_summarize(t, &s), SU_OK);
    if (s.pus > 1 && cs) /* unbound again: PU 0 is no longer the whole binding */
      CHECK(strcmp(cs, "0") != 0);
  }
  free(cs);
  su_topo_destroy(t);
}

/* Cpusets have no length limit: 71 threads of an Intel-numbered 2 x 96-core
 * machine, scattered, are a list of over 256 characters. */
static void test_long_cpuset(void)
{
  su_topo_t *t = load("pack:2 numa:4 core:24 pu:2(indexes=pu:core)");
  su_place_t p;
  unsigned pus[MAXT];
  char *cs = NULL, *want = NULL;

  if (!t)
    return;
  CHECK_EQ_INT(su_place_parse("scatter", &p), SU_OK);
  CHECK_EQ_INT(su_place_plan(t, &p, 71, pus, &cs), SU_OK);
  CHECK_EQ_INT(su_place_cpuset_string(pus, 71, &want), SU_OK);
  CHECK(cs && strlen(cs) > 256);
  if (cs && want)
    CHECK_EQ_STR(cs, want);
  free(cs);
  free(want);
  cs = NULL;
  /* the whole machine, SMT siblings included */
  CHECK_EQ_INT(su_place_plan(t, &p, 384, pus, &cs), SU_OK);
  CHECK_EQ_STR(cs, "0-383");
  free(cs);
  su_place_fini(&p);
  su_topo_destroy(t);
}

int main(void)
{
  SU_TEST_RUN(test_parse);
  SU_TEST_RUN(test_numa_machine);
  SU_TEST_RUN(test_smt);
  SU_TEST_RUN(test_numa_spanning_packages);
  SU_TEST_RUN(test_big_xml);
  SU_TEST_RUN(test_long_cpuset);
  SU_TEST_RUN(test_bind);
  return SU_TEST_REPORT();
}
