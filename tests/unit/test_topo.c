/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_topo.c: loading topologies and summarizing them.
 *
 * The XML files in tests/data are exports of real or synthetic machines
 * whose facts are written in them (vm-2core.xml: a 2-core AMD EPYC VM;
 * big-2s-24numa.xml: 2 packages, 24 NUMA nodes, 192 cores, 2 PUs each), so
 * every expected value below can be read back from the file with
 * `lstopo -i FILE`.  The reports are checked for the facts they must carry.
 */
#include <hwloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/topo.h"
#include "test.h"

static su_topo_t *load(const char *spec)
{
  su_topo_t *t = NULL;
  int err = su_topo_load(spec, &t);

  CHECK_EQ_INT(err, SU_OK);
  if (err)
    fprintf(stderr, "  loading '%s': %s\n", spec ? spec : "(this system)", su_errmsg());
  return t;
}

/* The report of `print` as a string (caller frees). */
static char *report(su_topo_t *t, int (*print)(const su_topo_t *, FILE *), int *err)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);

  if (!fp) {
    *err = SU_ENOMEM;
    return NULL;
  }
  *err = print(t, fp);
  fclose(fp);
  return buf;
}

/* Braces and brackets balance outside strings, and the text is one object. */
static int json_balanced(const char *s)
{
  int depth = 0, in_str = 0;
  size_t n = strlen(s);

  if (n < 3 || s[0] != '{' || strcmp(s + n - 2, "}\n") != 0)
    return 0;
  for (const char *p = s; *p; p++) {
    if (in_str) {
      if (*p == '\\' && p[1])
        p++;
      else if (*p == '"')
        in_str = 0;
    } else if (*p == '"') {
      in_str = 1;
    } else if (*p == '{' || *p == '[') {
      depth++;
    } else if (*p == '}' || *p == ']') {
      if (--depth < 0)
        return 0;
      if (depth == 0 && p[1] != '\n')
        return 0;
    }
  }
  return depth == 0 && !in_str;
}

static void test_this_system(void)
{
  su_topo_t *t = load(NULL);
  su_topo_summary_t s;
  char *txt, *js;
  int err;

  if (!t)
    return;
  CHECK_EQ_INT(su_topo_summarize(t, &s), SU_OK);
  CHECK(s.packages > 0);
  CHECK(s.numa_nodes > 0);
  CHECK(s.cores > 0);
  CHECK(s.pus >= s.cores);
  CHECK(s.memory_bytes > 0);
  CHECK(s.ncaches > 0);
  CHECK(s.llc_bytes > 0);
  CHECK(s.llc_bytes >= s.llc_instance_bytes);
  CHECK(su_topo_hwloc(t) != NULL);
  if (!getenv("HWLOC_XMLFILE") && !getenv("HWLOC_SYNTHETIC")) {
    CHECK_EQ_INT(su_topo_is_this_system(t), 1);
    CHECK_EQ_INT(s.this_system, 1);
    CHECK_EQ_STR(s.source, "this system");
  }
  txt = report(t, su_topo_print_text, &err);
  CHECK_EQ_INT(err, SU_OK);
  CHECK(txt && strstr(txt, "topology:") && strstr(txt, "NUMA nodes:"));
  free(txt);
  js = report(t, su_topo_print_json, &err);
  CHECK_EQ_INT(err, SU_OK);
  CHECK(js && json_balanced(js));
  free(js);
  su_topo_destroy(t);
}

static void test_xml_vm(void)
{
  su_topo_t *t = load(SU_TEST_DATA_DIR "/vm-2core.xml");
  su_topo_summary_t s;
  char *txt, *js;
  int err;

  if (!t)
    return;
  CHECK_EQ_INT(su_topo_is_this_system(t), 0);
  CHECK_EQ_INT(su_topo_summarize(t, &s), SU_OK);
  CHECK_EQ_STR(s.source, "xml:" SU_TEST_DATA_DIR "/vm-2core.xml");
  CHECK_EQ_STR(s.cpu_model, "AMD EPYC");
  CHECK_EQ_STR(s.cpu_vendor, "AuthenticAMD");
  CHECK_EQ_STR(s.arch, "x86_64");
  CHECK_EQ_INT(s.packages, 1);
  CHECK_EQ_INT(s.numa_nodes, 1);
  CHECK_EQ_INT(s.cores, 2);
  CHECK_EQ_INT(s.pus, 2);
  CHECK_EQ_INT(s.memory_bytes, 5329072128ull);
  CHECK_EQ_INT(s.ncaches, 3); /* L1d, L2, L3: the L1 instruction cache is not listed */
  if (s.ncaches == 3) {
    CHECK_EQ_INT(s.caches[0].depth, 1);
    CHECK_EQ_STR(s.caches[0].type, "data");
    CHECK_EQ_INT(s.caches[0].size_bytes, 48 * 1024);
    CHECK_EQ_INT(s.caches[0].count, 2);
    CHECK_EQ_INT(s.caches[0].pus_per_instance, 1);
    CHECK_EQ_INT(s.caches[0].line_bytes, 64);
    CHECK_EQ_INT(s.caches[1].depth, 2);
    CHECK_EQ_STR(s.caches[1].type, "unified");
    CHECK_EQ_INT(s.caches[1].size_bytes, 1024 * 1024);
    CHECK_EQ_INT(s.caches[1].count, 2);
    CHECK_EQ_INT(s.caches[2].depth, 3);
    CHECK_EQ_INT(s.caches[2].size_bytes, 32ull << 20);
    CHECK_EQ_INT(s.caches[2].count, 1);
    CHECK_EQ_INT(s.caches[2].pus_per_instance, 2);
  }
  CHECK_EQ_INT(s.llc_bytes, 32ull << 20);
  CHECK_EQ_INT(s.llc_instance_bytes, 32ull << 20);

  txt = report(t, su_topo_print_text, &err);
  CHECK_EQ_INT(err, SU_OK);
  if (txt) {
    if (!strstr(txt, "L2:         1 MiB x 2 (per core, 64 B lines)"))
      CHECK_EQ_STR(txt, "(a line 'L2:         1 MiB x 2 (per core, 64 B lines)')");
    if (!strstr(txt, "L1d:        48 KiB x 2 (per core"))
      CHECK_EQ_STR(txt, "(a line 'L1d:        48 KiB x 2 (per core ...')");
    if (!strstr(txt, "L3:         32 MiB x 1 (per package"))
      CHECK_EQ_STR(txt, "(a line 'L3:         32 MiB x 1 (per package ...')");
    CHECK(strstr(txt, "cpu:        AMD EPYC (AuthenticAMD)") != NULL);
    CHECK(strstr(txt, "node 0:   5.0 GiB, PUs 0-1 (package 0)") != NULL);
  }
  free(txt);
  js = report(t, su_topo_print_json, &err);
  CHECK_EQ_INT(err, SU_OK);
  if (js) {
    CHECK(json_balanced(js));
    CHECK(strstr(js, "\"cpu_model\": \"AMD EPYC\"") != NULL);
    CHECK(strstr(js, "\"pus\": 2") != NULL);
    CHECK(strstr(js, "\"llc_bytes\": 33554432") != NULL);
    CHECK(strstr(js, "\"this_system\": false") != NULL);
  }
  free(js);
  su_topo_destroy(t);
}

static void test_xml_big(void)
{
  su_topo_t *t = load(SU_TEST_DATA_DIR "/big-2s-24numa.xml");
  su_topo_summary_t s;
  char *txt;
  int err;

  if (!t)
    return;
  CHECK_EQ_INT(su_topo_summarize(t, &s), SU_OK);
  CHECK_EQ_INT(s.packages, 2);
  CHECK_EQ_INT(s.numa_nodes, 24);
  CHECK_EQ_INT(s.cores, 192);
  CHECK_EQ_INT(s.pus, 384);
  CHECK_EQ_INT(s.memory_bytes, 24ull * (32ull << 30));
  CHECK_EQ_STR(s.cpu_model, ""); /* a synthetic export names no model */
  CHECK_EQ_INT(s.ncaches, 3);
  if (s.ncaches == 3) {
    CHECK_EQ_INT(s.caches[0].size_bytes, 32 * 1024);
    CHECK_EQ_INT(s.caches[0].count, 192);
    CHECK_EQ_INT(s.caches[1].pus_per_instance, 2);
    CHECK_EQ_INT(s.caches[2].count, 24);
    CHECK_EQ_INT(s.caches[2].pus_per_instance, 16);
  }
  CHECK_EQ_INT(s.llc_instance_bytes, 32ull << 20);
  CHECK_EQ_INT(s.llc_bytes, 24ull * (32ull << 20));
  txt = report(t, su_topo_print_text, &err);
  CHECK_EQ_INT(err, SU_OK);
  if (txt) {
    CHECK(strstr(txt, "node 13:   32 GiB, PUs 104-111,296-303 (package 1)") != NULL);
    CHECK(strstr(txt, "L3:         32 MiB x 24 (per NUMA node") != NULL);
    CHECK(strstr(txt, "LLC total:  768 MiB") != NULL);
  }
  free(txt);
  su_topo_destroy(t);
}

static void test_synthetic(void)
{
  su_topo_t *t = load("pack:2 numa:2 core:16 pu:2");
  su_topo_summary_t s;

  if (t) {
    CHECK_EQ_INT(su_topo_summarize(t, &s), SU_OK);
    CHECK_EQ_INT(s.packages, 2);
    CHECK_EQ_INT(s.numa_nodes, 4);
    CHECK_EQ_INT(s.cores, 64);
    CHECK_EQ_INT(s.pus, 128);
    CHECK_EQ_INT(s.this_system, 0);
    CHECK_EQ_INT(su_topo_is_this_system(t), 0);
    CHECK_EQ_STR(s.source, "synthetic:pack:2 numa:2 core:16 pu:2");
    su_topo_destroy(t);
  }
  t = load("package:2 numa:2 l3:1 core:8 l2:1 l1d:1 pu:2");
  if (t) {
    CHECK_EQ_INT(su_topo_summarize(t, &s), SU_OK);
    CHECK_EQ_INT(s.cores, 32);
    CHECK_EQ_INT(s.ncaches, 3);
    CHECK_EQ_INT(s.caches[2].count, 4);
    CHECK_EQ_INT(s.caches[2].pus_per_instance, 16);
    CHECK(s.llc_bytes > 0);
    su_topo_destroy(t);
  }
  /* hwloc's synthetic sizes: MB is 10^6, MiB is 2^20. */
  t = load("pack:2 numa:2 l3:1(size=32MiB) core:8 l2:1(size=1MiB) l1d:1(size=48KiB) pu:2");
  if (t) {
    CHECK_EQ_INT(su_topo_summarize(t, &s), SU_OK);
    CHECK_EQ_INT(s.ncaches, 3);
    CHECK_EQ_INT(s.caches[0].size_bytes, 48 * 1024);
    CHECK_EQ_INT(s.caches[1].size_bytes, 1 << 20);
    CHECK_EQ_INT(s.caches[2].size_bytes, 32 << 20);
    CHECK_EQ_INT(s.llc_bytes, 4ull * (32 << 20));
    su_topo_destroy(t);
  }
  t = load("pack:1 l3:1(size=32MB) core:2 pu:1");
  if (t) {
    CHECK_EQ_INT(su_topo_summarize(t, &s), SU_OK);
    CHECK_EQ_INT(s.llc_bytes, 32000000);
    su_topo_destroy(t);
  }
  /* No package and no core level: one package, each PU its own core. */
  t = load("pu:4");
  if (t) {
    CHECK_EQ_INT(su_topo_summarize(t, &s), SU_OK);
    CHECK_EQ_INT(s.packages, 1);
    CHECK_EQ_INT(s.cores, 4);
    CHECK_EQ_INT(s.pus, 4);
    CHECK_EQ_INT(s.ncaches, 0);
    CHECK_EQ_INT(s.llc_bytes, 0);
    su_topo_destroy(t);
  }
}

static void test_errors(void)
{
  su_topo_t *t = (su_topo_t *)&t; /* must stay untouched */
  su_topo_t *const before = t;

  CHECK_EQ_INT(su_topo_load("pack:banana", &t), SU_EINVAL);
  CHECK(strncmp(su_errmsg(), "cannot load topology 'pack:banana': ", 36) == 0);
  CHECK(t == before);
  CHECK_EQ_INT(su_topo_load("no/such/file.xml", &t), SU_EINVAL);
  CHECK_EQ_STR(su_errmsg(), "cannot load topology 'no/such/file.xml': no such file");
  CHECK(t == before);
  /* an existing file that is not XML */
  CHECK_EQ_INT(su_topo_load(SU_TEST_DATA_DIR "/tiny.ini", &t), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "tiny.ini") != NULL);
  CHECK(t == before);
  CHECK(strstr(su_errmsg(), "not an hwloc XML file") != NULL);
  CHECK(t == before);
  /* hwloc 3's XML format: the version hwloc cannot read, named */
  CHECK_EQ_INT(su_topo_load(SU_TEST_DATA_DIR "/hwloc3-format-192em64t.v3.xml", &t),
               SU_EINVAL);
  CHECK(strstr(su_errmsg(), "hwloc XML format 3.0 is newer than hwloc") != NULL);
  CHECK(t == before);
  /* a synthetic machine of millions of objects is refused before hwloc
   * builds it (that would take hours) */
  CHECK_EQ_INT(su_topo_load("pack:64 numa:8 core:1024 pu:8", &t), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "it would build 4719168 objects (at most 65536") != NULL);
  CHECK(t == before);
  CHECK_EQ_INT(su_topo_load("pack:2 [numa(memory=1GiB)] core:4 pu:2", &t), SU_OK);
  su_topo_destroy(t == before ? NULL : t);
  su_topo_destroy(NULL);
  CHECK_EQ_INT(su_topo_is_this_system(NULL), 0);
}

/* hwloc MemCache objects (a memory-side cache in front of NUMA nodes, KNL's
 * MCDRAM in cache mode) are not the last-level cache: STREAM would size its
 * arrays from gigabytes of "cache". */
static void test_memory_side_caches(void)
{
  static const struct {
    const char *file;
    uint64_t llc_instance;
  } cases[] = {
    {"intel-2s-4numa-40c-80pu-memsidecache.xml", 28835840},  /* the L3, 27.5 MiB */
    {"knl-a2a-mcdram-rootnuma-4c-8pu.xml", 1 << 20},          /* the L2, 1 MiB */
  };

  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char path[512];
    su_topo_summary_t s;
    su_topo_t *t;
    snprintf(path, sizeof(path), "%s/%s", SU_TEST_DATA_DIR, cases[i].file);
    if (!(t = load(path)))
      continue;
    CHECK_EQ_INT(su_topo_summarize(t, &s), SU_OK);
    CHECK_EQ_INT(s.llc_instance_bytes, cases[i].llc_instance);
    CHECK(s.llc_bytes < (1ull << 30));
    su_topo_destroy(t);
  }
}

/* Cpusets of any length are printed whole, in text and JSON. */
static void test_long_cpusets(void)
{
  /* Intel-style numbering: a NUMA node's PUs are 30 separate numbers. */
  su_topo_t *t = load("pack:2 numa:4 core:24 pu:2(indexes=numa:core)");
  char *txt, *json;
  int err;

  if (!t)
    return;
  txt = report(t, su_topo_print_text, &err);
  CHECK_EQ_INT(err, SU_OK);
  json = report(t, su_topo_print_json, &err);
  CHECK_EQ_INT(err, SU_OK);
  if (txt && json) {
    hwloc_topology_t h = su_topo_hwloc(t);
    hwloc_obj_t n0 = hwloc_get_obj_by_type(h, HWLOC_OBJ_NUMANODE, 7);
    char *list = NULL, *want = NULL;
    CHECK(hwloc_bitmap_list_asprintf(&list, n0->cpuset) > 0);
    CHECK(list && strlen(list) > 150);
    CHECK(asprintf(&want, "\"cpuset\": \"%s\"", list) > 0);
    CHECK(want && strstr(json, want) != NULL);
    free(want);
    CHECK(strstr(txt, list) != NULL);
    free(list);
  }
  free(txt);
  free(json);
  su_topo_destroy(t);
}

int main(void)
{
  SU_TEST_RUN(test_this_system);
  SU_TEST_RUN(test_xml_vm);
  SU_TEST_RUN(test_xml_big);
  SU_TEST_RUN(test_synthetic);
  SU_TEST_RUN(test_errors);
  SU_TEST_RUN(test_memory_side_caches);
  SU_TEST_RUN(test_long_cpusets);
  return SU_TEST_REPORT();
}
