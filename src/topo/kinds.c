/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kinds.c: hybrid CPUs (big and little cores), through hwloc's CPU kinds.
 *
 * hwloc lists CPU kinds in increasing order of efficiency (its word for
 * performance) with infos such as CoreType ("IntelAtom", "IntelCore") and
 * FrequencyMaxMHz.  It can split one core type into several kinds: on an
 * NVIDIA GB10 it gives five kinds to two core types, by the Linux capacity
 * of each core.  sizeup keeps hwloc's kinds as they are in system.json, and
 * plans per *sizeup kind*: hwloc kinds with the same CoreType (or, without
 * one, the same FrequencyMaxMHz) are one sizeup kind, so that `kind:0` is
 * every big core and `kind:1` every little one.  Sizeup kinds are numbered
 * fastest first: kind:0 holds hwloc's most efficient kind.
 *
 * A topology without kinds (most servers, synthetic descriptions) has no
 * sizeup kind, and nothing here changes how it is planned.
 */
#include <hwloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/json.h"
#include "sizeup/topo.h"
#include "topo/topo_int.h"

/* At most this many hwloc kinds are grouped (real machines have 2 to 5). */
#define MAX_KINDS 64

static const char *kind_info(struct hwloc_info_s *infos, unsigned n, const char *name)
{
  for (unsigned i = 0; i < n; i++)
    if (infos[i].name && strcmp(infos[i].name, name) == 0)
      return infos[i].value;
  return NULL;
}

/* The grouping key of hwloc kind k: its CoreType, else its FrequencyMaxMHz. */
static void kind_key(hwloc_topology_t topo, unsigned k, char *key, size_t len)
{
  struct hwloc_info_s *infos = NULL;
  unsigned ninfos = 0;
  int eff = -1;
  const char *v;

  key[0] = '\0';
  if (hwloc_cpukinds_get_info(topo, k, NULL, &eff, &ninfos, &infos, 0) != 0)
    return;
  if ((v = kind_info(infos, ninfos, "CoreType")) && v[0])
    snprintf(key, len, "type:%s", v);
  else if ((v = kind_info(infos, ninfos, "FrequencyMaxMHz")) && v[0])
    snprintf(key, len, "freq:%s", v);
}

int su__kind_classes(hwloc_topology_t topo, unsigned *cls)
{
  int nk = hwloc_cpukinds_get_nr(topo, 0);
  char keys[MAX_KINDS][80];
  unsigned first[MAX_KINDS], n = 0;

  if (nk <= 0)
    return 0;
  if (nk > MAX_KINDS)
    nk = MAX_KINDS;
  /* From the most efficient kind down, so that class 0 is the fastest. */
  for (int k = nk - 1; k >= 0; k--) {
    unsigned c;
    kind_key(topo, (unsigned)k, keys[k], sizeof(keys[k]));
    for (c = 0; c < n; c++)
      if (keys[k][0] && strcmp(keys[first[c]], keys[k]) == 0)
        break;
    if (c == n)
      first[n++] = (unsigned)k;
    cls[k] = c;
  }
  return (int)n;
}

int su__kind_class_cpuset(hwloc_topology_t topo, unsigned cls, hwloc_bitmap_t out)
{
  unsigned map[MAX_KINDS];
  int n = su__kind_classes(topo, map), nk = hwloc_cpukinds_get_nr(topo, 0);
  hwloc_bitmap_t one = hwloc_bitmap_alloc();

  hwloc_bitmap_zero(out);
  if (!one)
    return su_errorf(SU_ENOMEM, "cannot allocate a cpuset");
  for (int k = 0; k < nk && k < MAX_KINDS; k++)
    if (map[k] == cls && hwloc_cpukinds_get_info(topo, (unsigned)k, one, NULL, NULL, NULL, 0) == 0)
      hwloc_bitmap_or(out, out, one);
  hwloc_bitmap_free(one);
  return n;
}

int su__kind_rank(hwloc_topology_t topo, hwloc_const_cpuset_t set)
{
  if (hwloc_cpukinds_get_nr(topo, 0) < 2)
    return 0;
  return hwloc_cpukinds_get_by_cpuset(topo, set, 0);
}

int su_topo_cpu_kinds(const su_topo_t *t)
{
  unsigned map[MAX_KINDS];

  return t ? su__kind_classes(su_topo_hwloc(t), map) : 0;
}

int su_topo_cpu_kind_size(const su_topo_t *t, unsigned kind, unsigned *cores, unsigned *pus)
{
  hwloc_topology_t topo = su_topo_hwloc(t);
  hwloc_bitmap_t set = hwloc_bitmap_alloc();
  int n, c;

  if (!set)
    return su_errorf(SU_ENOMEM, "cannot allocate a cpuset");
  n = su__kind_class_cpuset(topo, kind, set);
  if (n >= 0 && hwloc_bitmap_iszero(set))
    n = su_errorf(SU_EINVAL, "CPU kind %u does not exist (the topology has %d)", kind, n);
  if (n >= 0) {
    c = hwloc_get_nbobjs_inside_cpuset_by_type(topo, set, HWLOC_OBJ_CORE);
    *pus = (unsigned)hwloc_bitmap_weight(set);
    *cores = c > 0 ? (unsigned)c : *pus;
  }
  hwloc_bitmap_free(set);
  return n < 0 ? n : SU_OK;
}

void su_topo_print_cpu_kinds(const su_topo_t *t, FILE *fp)
{
  hwloc_topology_t topo = su_topo_hwloc(t);
  unsigned map[MAX_KINDS];
  int n = su__kind_classes(topo, map), nk = hwloc_cpukinds_get_nr(topo, 0);
  hwloc_bitmap_t set = hwloc_bitmap_alloc();

  if (nk < 2 || !set) {
    if (set)
      hwloc_bitmap_free(set);
    return;
  }
  fprintf(fp, "CPU kinds:  %d (kind:0 is the fastest; hwloc has %d)\n", n, nk);
  for (int c = 0; c < n; c++) {
    char *list = NULL;
    const char *freq = NULL, *type = NULL;
    hwloc_bitmap_zero(set);
    for (int k = 0; k < nk && k < MAX_KINDS; k++) {
      struct hwloc_info_s *infos = NULL;
      unsigned ninfos = 0;
      hwloc_bitmap_t one = hwloc_bitmap_alloc();
      if (map[k] == (unsigned)c && one &&
          hwloc_cpukinds_get_info(topo, (unsigned)k, one, NULL, &ninfos, &infos, 0) == 0) {
        hwloc_bitmap_or(set, set, one);
        if (!freq)
          freq = kind_info(infos, ninfos, "FrequencyMaxMHz");
        if (!type)
          type = kind_info(infos, ninfos, "CoreType");
      }
      if (one)
        hwloc_bitmap_free(one);
    }
    if (hwloc_bitmap_list_asprintf(&list, set) < 0)
      list = NULL;
    fprintf(fp, "  kind %d:   %d cores, PUs %s%s%s%s%s%s\n", c,
            hwloc_get_nbobjs_inside_cpuset_by_type(topo, set, HWLOC_OBJ_CORE),
            list ? list : "?", type ? ", " : "", type ? type : "", freq ? ", up to " : "",
            freq ? freq : "", freq ? " MHz" : "");
    free(list);
  }
  hwloc_bitmap_free(set);
}

void su_topo_json_cpu_kinds(struct su_json *j, const su_topo_t *t)
{
  hwloc_topology_t topo = su_topo_hwloc(t);
  unsigned map[MAX_KINDS];
  int nk = hwloc_cpukinds_get_nr(topo, 0);
  hwloc_bitmap_t set = hwloc_bitmap_alloc();

  su__kind_classes(topo, map);
  su_json_begin_array(j, "cpu_kinds");
  for (int k = 0; set && k < nk && k < MAX_KINDS; k++) {
    struct hwloc_info_s *infos = NULL;
    unsigned ninfos = 0;
    int eff = -1, len;
    char *list = NULL;

    if (hwloc_cpukinds_get_info(topo, (unsigned)k, set, &eff, &ninfos, &infos, 0) != 0)
      continue;
    len = hwloc_bitmap_list_asprintf(&list, set);
    su_json_begin_object(j, NULL);
    su_json_int(j, "hwloc_index", k);
    su_json_int(j, "kind", map[k]);
    su_json_str(j, "cpuset", len >= 0 && list ? list : "");
    su_json_int(j, "pus", hwloc_bitmap_weight(set));
    su_json_int(j, "cores", hwloc_get_nbobjs_inside_cpuset_by_type(topo, set, HWLOC_OBJ_CORE));
    su_json_int(j, "efficiency", eff);
    su_json_begin_object(j, "infos");
    for (unsigned i = 0; i < ninfos; i++)
      if (infos[i].name && infos[i].value)
        su_json_str(j, infos[i].name, infos[i].value);
    su_json_end_object(j);
    su_json_end_object(j);
    free(list);
  }
  su_json_end_array(j);
  if (set)
    hwloc_bitmap_free(set);
}
