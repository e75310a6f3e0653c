/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_numa.c: memory placement (the NUMA matrix, mem:J, CPU-less nodes)
 * and hybrid CPUs (CPU kinds), planned on hwloc XML topologies of machines
 * we do not have (tests/data/README.md names their sources), and memory
 * binding measured on this one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/json.h"
#include "sizeup/run.h"
#include "sizeup/topo.h"
#include "test.h"
#include "test_plan_group.h"

/* su_place_plan into a caller's buffer (the cpuset string is malloc'ed). */
static int place_cs(su_topo_t *t, const su_place_t *p, unsigned n, unsigned *pus, char *cs,
                    size_t len)
{
  char *s = NULL;
  int err = su_place_plan(t, p, n, pus, &s);

  if (!err)
    snprintf(cs, len, "%s", s);
  free(s);
  return err;
}

static su_topo_t *load(const char *name)
{
  char path[1024];
  su_topo_t *t = NULL;

  /* A file of tests/data, or a synthetic description. */
  if (name)
    snprintf(path, sizeof(path), "%s%s%s", strchr(name, ':') ? "" : SU_TEST_DATA_DIR,
             strchr(name, ':') ? "" : "/", name);
  if (su_topo_load(name ? path : NULL, &t) != SU_OK) {
    SU_TEST_FAIL_("cannot load %s: %s", name ? name : "this system", su_errmsg());
    return NULL;
  }
  return t;
}

/* Plans one group; returns the error, the plan in *plan. */
static int plan_one(su_topo_t *t, const char *kernels, const char *prec, const char *variants,
                    const char *threads, const char *placement, const char *sizes,
                    const char *memory, su_plan_t *plan)
{
  return su_test_plan_group(t, kernels, prec, variants, threads, placement, sizes, memory, 0,
                            plan);
}

static const su_point_t *find(const su_plan_t *p, const char *kernel, const char *placement)
{
  for (size_t i = 0; i < p->n; i++)
    if (strcmp(p->points[i].ops->desc->name, kernel) == 0 &&
        strcmp(p->points[i].placement, placement) == 0)
      return &p->points[i];
  return NULL;
}

/* Two CPU nodes, each with three GPU memories as CPU-less NUMA nodes. */
static void test_gpu_memory_nodes(void)
{
  su_topo_t *t = load("gpu-hbm-numa-nodes-kept-cpuless.xml");
  su_numa_node_t *nodes = NULL;
  unsigned n = 0, cpu = 0, gpu = 0;
  su_plan_t plan;
  const su_point_t *pt;

  if (!t)
    return;
  CHECK_EQ_INT(su_topo_numa_nodes(t, &nodes, &n), SU_OK);
  CHECK_EQ_INT(n, 8);
  for (unsigned i = 0; i < n; i++) {
    cpu += (unsigned)nodes[i].has_cpus;
    gpu += strcmp(nodes[i].subtype, "GPUMemory") == 0;
    if (nodes[i].has_cpus) {
      CHECK_EQ_INT(nodes[i].cores, 4);
      CHECK(nodes[i].llc_bytes > 0);
    } else {
      CHECK_EQ_INT(nodes[i].cores, 0);
    }
  }
  CHECK_EQ_INT(cpu, 2);
  CHECK_EQ_INT(gpu, 6);
  free(nodes);

  /* The matrix: 2 CPU nodes x 8 memory nodes, all cores of the node. */
  CHECK_EQ_INT(plan_one(t, "stream_triad", "fp64", "omp", "1..max", "compact", "auto", "each",
                        &plan), SU_OK);
  CHECK_EQ_INT(plan.n, 16);
  for (size_t i = 0; i < plan.n; i++) {
    CHECK_EQ_INT(plan.points[i].threads, 4);
    CHECK(plan.points[i].mem_bound);
    CHECK(plan.points[i].cpu_numa >= 0);
  }
  pt = find(&plan, "stream_triad", "numa:4+mem:7");
  CHECK(pt != NULL);
  if (pt) {
    CHECK_EQ_INT(pt->cpu_numa, 4);
    CHECK_EQ_INT(pt->mem_numa, 7);
    CHECK_EQ_STR(pt->cpuset, "88,92,96,100");
    /* STREAM's rule per node: 3 arrays, 4x the two 10 MiB L3s of node 4. */
    CHECK_EQ_INT(pt->size_bytes, 3ull * 4 * (20ull << 20));
  }
  su_plan_fini(&plan);

  /* One GPU memory as the target of the group's own placements. */
  CHECK_EQ_INT(plan_one(t, "stream_triad", "fp64", "omp", "1,4", "compact,numa:4", "64M",
                        "local,mem:3", &plan), SU_OK);
  CHECK_EQ_INT(plan.n, 8);
  CHECK(find(&plan, "stream_triad", "compact") != NULL);
  CHECK(find(&plan, "stream_triad", "compact+mem:3") != NULL);
  pt = find(&plan, "stream_triad", "numa:4");
  CHECK(pt != NULL && !pt->mem_bound && pt->cpu_numa == 4);
  su_plan_fini(&plan);
  su_topo_destroy(t);
}

/* Sub-NUMA clustering: 4 CPU nodes interleaved over 2 packages. */
static void test_snc_latency_matrix(void)
{
  su_topo_t *t = load("intel-2s-4numa-40c-80pu-memsidecache.xml");
  su_plan_t plan;
  const su_point_t *pt;

  if (!t)
    return;
  CHECK_EQ_INT(plan_one(t, "latency_chase,stream_triad", "auto", "auto", "1..max",
                        "compact", "sweep", "each", &plan), SU_OK);
  /* sweep is auto for the matrix: one size per cell. */
  /* 16 cells for latency; stream_triad's: fp64/fp32 x omp/nt x 16. */
  CHECK_EQ_INT(plan.n, 16 + 4 * 16);
  pt = find(&plan, "latency_chase", "numa:2+mem:1");
  CHECK(pt != NULL);
  if (pt) {
    CHECK_EQ_INT(pt->threads, 1);
    CHECK_EQ_STR(pt->cpuset, "1");
    CHECK_EQ_INT(pt->cpu_numa, 2);
    /* 8x the 27.5 MiB L3 its thread sees, not the memory-side cache. */
    CHECK_EQ_INT(pt->size_bytes, 8ull * 28835840);
  }
  pt = find(&plan, "stream_triad", "numa:3+mem:0");
  CHECK(pt != NULL && pt->threads == 10 && pt->cpu_numa == 3 && pt->mem_numa == 0);
  su_plan_fini(&plan);
  su_topo_destroy(t);
}

/* -t or -P on the command line: a group's matrix gives way to them, unless
 * --memory asks for it. */
static void test_matrix_gives_way(void)
{
  su_topo_t *t = load("intel-2s-4numa-40c-80pu-memsidecache.xml");
  su_group_t g;
  su_plan_filter_t f;
  su_measure_opts_t mo;
  su_plan_t plan;

  if (!t)
    return;
  memset(&g, 0, sizeof(g));
  memset(&f, 0, sizeof(f));
  su_measure_opts_default(&mo);
  snprintf(g.kernels, sizeof(g.kernels), "stream_triad");
  snprintf(g.precision, sizeof(g.precision), "fp64");
  snprintf(g.variants, sizeof(g.variants), "omp");
  snprintf(g.memory, sizeof(g.memory), "each");
  f.threads = "1";
  memset(&plan, 0, sizeof(plan));
  CHECK_EQ_INT(su_plan_build(&plan, t, &g, 1, &f, &mo), SU_OK);
  CHECK_EQ_INT(plan.n, 1);
  CHECK_EQ_STR(plan.n ? plan.points[0].placement : "", "compact");
  su_plan_fini(&plan);
  f.memory = "each";
  CHECK_EQ_INT(su_plan_build(&plan, t, &g, 1, &f, &mo), SU_OK);
  CHECK_EQ_INT(plan.n, 16);
  su_plan_fini(&plan);
  su_topo_destroy(t);
}

/* Small NUMA nodes: the matrix's working set shrinks to 80% of the target
 * node, and stays beyond the caches. */
static void test_small_nodes(void)
{
  su_topo_t *t = load("intel-2p-dies-16numa-64pu.xml");
  su_numa_node_t *nodes = NULL;
  unsigned n = 0;
  su_plan_t plan;

  if (!t)
    return;
  CHECK_EQ_INT(su_topo_numa_nodes(t, &nodes, &n), SU_OK);
  CHECK_EQ_INT(plan_one(t, "stream_triad", "fp64", "omp", "", "", "", "each", &plan), SU_OK);
  CHECK_EQ_INT(plan.n, 16 * 16);
  for (size_t i = 0; i < plan.n && nodes; i++) {
    const su_point_t *pt = &plan.points[i];
    uint64_t node_bytes = nodes[pt->mem_numa].memory_bytes;
    CHECK(pt->size_bytes <= node_bytes / 5 * 4);
    CHECK(pt->size_bytes >= 3 * nodes[pt->cpu_numa].llc_bytes);
    CHECK_EQ_STR(pt->unsupported, "");
  }
  free(nodes);
  su_plan_fini(&plan);
  su_topo_destroy(t);
}

/* A big machine: every CPU node to every node. */
static void test_big_matrix(void)
{
  su_topo_t *t = load("big-2s-24numa.xml");
  su_numa_node_t *nodes = NULL;
  unsigned n = 0, cpu = 0;
  su_plan_t plan;

  if (!t)
    return;
  CHECK_EQ_INT(su_topo_numa_nodes(t, &nodes, &n), SU_OK);
  for (unsigned i = 0; i < n; i++)
    cpu += (unsigned)nodes[i].has_cpus;
  free(nodes);
  CHECK_EQ_INT(plan_one(t, "stream_triad", "fp64", "omp", "", "", "", "each", &plan), SU_OK);
  CHECK_EQ_INT(plan.n, cpu * n);
  su_plan_fini(&plan);
  su_topo_destroy(t);
}

static void test_bad_memory(void)
{
  su_topo_t *t = load("vm-2core.xml");
  su_plan_t plan;

  if (!t)
    return;
  CHECK_EQ_INT(plan_one(t, "stream_triad", "fp64", "omp", "1", "compact", "", "mem:9", &plan),
               SU_EINVAL);
  CHECK_EQ_STR(su_errmsg(), "cannot place memory with 'mem:9': NUMA node 9 does not exist "
                            "(the topology has 1, numbered from 0)");
  su_plan_fini(&plan);
  CHECK_EQ_INT(plan_one(t, "stream_triad", "fp64", "omp", "1", "compact", "", "far", &plan),
               SU_EINVAL);
  CHECK_EQ_STR(su_errmsg(), "unknown memory placement 'far' (expected local, each or mem:N)");
  su_plan_fini(&plan);
  /* A machine of one kind: `kinds` plans nothing, kind:1 is an error. */
  CHECK_EQ_INT(su_topo_cpu_kinds(t), 1);
  CHECK_EQ_INT(plan_one(t, "stream_triad", "fp64", "omp", "1", "kinds,compact", "", "", &plan),
               SU_OK);
  CHECK_EQ_INT(plan.n, 1);
  su_plan_fini(&plan);
  CHECK_EQ_INT(plan_one(t, "stream_triad", "fp64", "omp", "1", "kind:1", "", "", &plan),
               SU_EINVAL);
  CHECK_EQ_STR(su_errmsg(), "cannot place threads with 'kind:1': CPU kind 1 does not exist "
                            "(the topology has 1, numbered from 0)");
  su_plan_fini(&plan);
  su_topo_destroy(t);
  /* A synthetic topology has no kinds at all. */
  t = load("pack:1 core:2 pu:1");
  if (!t)
    return;
  CHECK_EQ_INT(su_topo_cpu_kinds(t), 0);
  CHECK_EQ_INT(plan_one(t, "stream_triad", "fp64", "omp", "1", "kind:0", "", "", &plan),
               SU_EINVAL);
  CHECK_EQ_STR(su_errmsg(), "cannot place threads with 'kind:0': the topology has no CPU "
                            "kinds (not a hybrid CPU)");
  su_plan_fini(&plan);
  su_topo_destroy(t);
}

/* NVIDIA GB10: 10 Cortex-X925 (3.9 GHz) and 10 Cortex-A725 (2.8 GHz) in five
 * hwloc kinds. */
static void test_hybrid(void)
{
  su_topo_t *t = load("arm-nvidia-gb10-20c-hybrid.xml");
  su_place_t p;
  unsigned pus[20], cores = 0, npus = 0;
  char cs[256], *buf = NULL;
  size_t len = 0;
  su_plan_t plan;
  FILE *fp;

  if (!t)
    return;
  CHECK_EQ_INT(su_topo_cpu_kinds(t), 2);
  CHECK_EQ_INT(su_topo_cpu_kind_size(t, 0, &cores, &npus), SU_OK);
  CHECK_EQ_INT(cores, 10);
  CHECK_EQ_INT(npus, 10);
  CHECK_EQ_INT(su_topo_cpu_kind_size(t, 2, &cores, &npus), SU_EINVAL);

  /* One thread runs on the most efficient core. */
  CHECK_EQ_INT(su_place_parse("compact", &p), SU_OK);
  CHECK_EQ_INT(place_cs(t, &p, 1, pus, cs, sizeof(cs)), SU_OK);
  CHECK_EQ_INT(pus[0], 19);
  CHECK_EQ_INT(place_cs(t, &p, 10, pus, cs, sizeof(cs)), SU_OK);
  CHECK_EQ_STR(cs, "5-9,15-19");
  CHECK_EQ_INT(place_cs(t, &p, 20, pus, cs, sizeof(cs)), SU_OK);
  CHECK_EQ_INT(pus[19], 4);
  su_place_fini(&p);
  CHECK_EQ_INT(su_place_parse("scatter", &p), SU_OK);
  CHECK_EQ_INT(place_cs(t, &p, 1, pus, cs, sizeof(cs)), SU_OK);
  CHECK_EQ_INT(pus[0], 19);
  su_place_fini(&p);
  CHECK_EQ_INT(su_place_parse("kind:1", &p), SU_OK);
  CHECK_EQ_STR(p.spec, "kind:1");
  CHECK_EQ_INT(place_cs(t, &p, 10, pus, cs, sizeof(cs)), SU_OK);
  CHECK_EQ_STR(cs, "0-4,10-14");
  CHECK_EQ_INT(place_cs(t, &p, 11, pus, cs, sizeof(cs)), SU_EINVAL);
  su_place_fini(&p);

  /* A thread ladder inside each kind: pow2 up to the kind, and the kind. */
  CHECK_EQ_INT(plan_one(t, "stream_triad", "fp64", "omp", "pow2", "kinds", "", "", &plan),
               SU_OK);
  CHECK_EQ_INT(plan.n, 2 * 5); /* 1, 2, 4, 8, 10 per kind */
  for (size_t i = 0; i < plan.n; i++)
    CHECK(plan.points[i].threads <= 10);
  su_plan_fini(&plan);

  /* system.json's record: hwloc's five kinds, with their infos. */
  fp = open_memstream(&buf, &len);
  if (fp) {
    su_json_t j;
    su_json_init(&j, fp);
    su_json_begin_object(&j, NULL);
    su_topo_json_cpu_kinds(&j, t);
    su_json_end_object(&j);
    CHECK_EQ_INT(su_json_finish(&j), SU_OK);
    fclose(fp);
    CHECK(strstr(buf, "\"cpuset\": \"19\"") != NULL || strstr(buf, "\"cpuset\":\"19\"") != NULL);
    CHECK(strstr(buf, "FrequencyMaxMHz") != NULL);
    CHECK(strstr(buf, "\"efficiency\"") != NULL);
    free(buf);
  }
  su_topo_destroy(t);
}

/* Memory bound to this machine's node 0, measured. */
static void test_membind_here(void)
{
  su_topo_t *t = load(NULL), *syn = load("pack:1 core:2 pu:1");
  su_measure_opts_t mo;
  su_point_result_t r;
  su_plan_t plan;
  int err;

  if (!t || !syn) {
    su_topo_destroy(t);
    su_topo_destroy(syn);
    return;
  }
  CHECK_EQ_INT(su_place_membind_self(syn, 0), SU_ENOTSUP);
  su_topo_destroy(syn);
  if (!su_topo_is_this_system(t)) {
    su_topo_destroy(t);
    SU_TEST_SKIP("the topology is not this system (HWLOC_XMLFILE?)");
  }
  CHECK_EQ_INT(su_place_membind_self(t, 1u << 20), SU_EINVAL);
  CHECK_EQ_INT(plan_one(t, "stream_triad", "fp64", "omp", "1", "compact", "1M", "mem:0", &plan),
               SU_OK);
  CHECK_EQ_INT(plan.n, 1);
  CHECK_EQ_STR(plan.points[0].placement, "compact+mem:0");
  su_measure_opts_default(&mo);
  mo.budget_s = 0.01;
  mo.min_reps = 3;
  err = su_point_measure(&plan, t, &plan.points[0], &mo, &(volatile sig_atomic_t){0}, &r);
  CHECK_EQ_INT(err, SU_OK);
  CHECK(r.nrows >= 1);
  if (r.nrows >= 1) {
    if (r.rows[0].status == SU_STATUS_UNSUPPORTED)
      printf("memory binding unsupported here: %s\n", r.rows[0].reason);
    else
      CHECK_EQ_STR(su_status_name(r.rows[0].status), "ok");
  }
  su_point_result_fini(&r);
  su_plan_fini(&plan);
  su_topo_destroy(t);
}

int main(void)
{
  SU_TEST_RUN(test_gpu_memory_nodes);
  SU_TEST_RUN(test_snc_latency_matrix);
  SU_TEST_RUN(test_matrix_gives_way);
  SU_TEST_RUN(test_small_nodes);
  SU_TEST_RUN(test_big_matrix);
  SU_TEST_RUN(test_bad_memory);
  SU_TEST_RUN(test_hybrid);
  SU_TEST_RUN(test_membind_here);
  return SU_TEST_REPORT();
}
