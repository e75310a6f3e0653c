/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * topo.c: loading a topology through hwloc and describing it.
 *
 * A topology comes from this machine, from an hwloc XML file or from an hwloc
 * synthetic description; every fact reported here is read from hwloc's
 * objects and info attributes only (never from /proc), so that a topology
 * exported on a 192-core machine reads the same on a laptop.  The summary is
 * what the planner and system.json consume; the text and JSON reports are
 * what `sizeup topo` prints.
 */
#include <ctype.h>
#include <errno.h>
#include <hwloc.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sizeup/error.h"
#include "sizeup/json.h"
#include "sizeup/topo.h"
#include "topo/topo_int.h"

struct su_topo {
  hwloc_topology_t topo;
  int this_system;
  char *source;            /* "this system", "xml:FILE", "synthetic:DESC"; owned */
};

/* Synthetic descriptions that would build more objects than this are
 * refused before hwloc sees them: hwloc's synthetic backend takes seconds
 * for ten thousand PUs and minutes for a hundred thousand (2-core VM), and
 * no machine Linux runs on has more than 8192 PUs. */
#define SU_SYNTHETIC_MAX_OBJECTS 65536

/* hwloc's cache object types, data/unified only, by level (L1 = index 0). */
static const hwloc_obj_type_t cache_types[] = {
  HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L4CACHE,
  HWLOC_OBJ_L5CACHE,
};
#define NCACHE_TYPES (sizeof(cache_types) / sizeof(cache_types[0]))

static int file_exists(const char *path)
{
  struct stat st;

  return stat(path, &st) == 0;
}

/* A spec that reads like a path, so that a typo is reported as a missing
 * file rather than as a bad synthetic description. */
static int looks_like_path(const char *spec)
{
  size_t n = strlen(spec);

  return strchr(spec, '/') != NULL || (n > 4 && strcmp(spec + n - 4, ".xml") == 0);
}

/*
 * How many objects an hwloc synthetic description builds: the sum over its
 * levels of the product of the arities so far ("pack:2 numa:4 core:24 pu:2"
 * is 2 + 8 + 192 + 384).  Memory children in brackets and attributes in
 * parentheses add nothing.  0 when the string does not look like one (hwloc
 * then says what is wrong with it).
 */
static double synthetic_objects(const char *d)
{
  double prod = 1, total = 0;
  int levels = 0;

  while (*d) {
    const char *tok, *num = NULL;
    int paren = 0;
    char *end;
    double a;

    while (isspace((unsigned char)*d))
      d++;
    if (!*d)
      break;
    if (*d == '[') {               /* memory children: [numa(memory=...)] */
      const char *close = strchr(d, ']');
      if (!close)
        return 0;
      d = close + 1;
      continue;
    }
    tok = d;
    for (; *d && (paren || !isspace((unsigned char)*d)); d++) {
      if (*d == '(')
        paren++;
      else if (*d == ')' && paren)
        paren--;
      else if (!paren && *d == ':' && !num)
        num = d + 1;
    }
    if (!num)
      num = tok;                   /* a bare arity ("2 2 4") */
    a = strtod(num, &end);
    if (end == num || !(a >= 1))
      return 0;
    prod *= a;
    total += prod;
    levels++;
  }
  return levels ? total : 0;
}

/*
 * Checks that a file is an hwloc XML export that this hwloc can read, with
 * the reason when it is not: hwloc itself says only "invalid argument".
 * The version is the <topology version="X.Y"> attribute (absent in 1.x).
 */
static int check_xml(const char *path)
{
  char head[8192], *p, *tag, *ver;
  size_t n;
  FILE *fp = fopen(path, "rb");

  if (!fp)
    return su_errorf(SU_EIO, "cannot open topology '%s': %s", path, strerror(errno));
  n = fread(head, 1, sizeof(head) - 1, fp);
  fclose(fp);
  head[n] = '\0';
  p = head;
  if (n >= 3 && (unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb &&
      (unsigned char)p[2] == 0xbf)
    p += 3;                        /* UTF-8 byte order mark */
  while (isspace((unsigned char)*p))
    p++;
  if (*p != '<' || !(tag = strstr(p, "<topology")))
    return su_errorf(SU_EINVAL,
                     "cannot load topology '%s': not an hwloc XML file (export one with "
                     "'lstopo --of xml FILE', or pass a synthetic description such as "
                     "\"pack:2 numa:2 core:16 pu:2\")",
                     path);
  if ((ver = strstr(tag, "version=\"")) && ver < strchr(tag, '>')) {
    unsigned major = 0, minor = 0;
    if (sscanf(ver + 9, "%u.%u", &major, &minor) >= 1 && major > 2)
      return su_errorf(SU_EINVAL,
                       "cannot load topology '%s': hwloc XML format %u.%u is newer than "
                       "hwloc %s reads (formats 1.x and 2.x): export it again with "
                       "hwloc 2 (lstopo --of xml), or build sizeup with hwloc %u",
                       path, major, minor, su_topo_hwloc_version(), major);
  }
  return SU_OK;
}

const char *su_topo_hwloc_version(void)
{
#ifdef HWLOC_VERSION
  return HWLOC_VERSION;
#else
  static char v[16];
  unsigned a = hwloc_get_api_version();
  snprintf(v, sizeof(v), "%u.%u", a >> 16, (a >> 8) & 0xff);
  return v;
#endif
}

int su_topo_load(const char *spec, su_topo_t **out)
{
  su_topo_t *t;
  const char *env;
  int err = SU_OK, is_xml = 0, is_this = 0, n;

  if (!out)
    return su_errorf(SU_EINVAL, "cannot load topology: no output given");
  t = calloc(1, sizeof(*t));
  if (!t)
    return su_errorf(SU_ENOMEM, "cannot allocate a topology");
  if (hwloc_topology_init(&t->topo) != 0) {
    free(t);
    return su_errorf(SU_ENOMEM, "cannot initialize an hwloc topology");
  }

  if (!spec || !spec[0]) {
    /* hwloc itself switches to HWLOC_XMLFILE / HWLOC_SYNTHETIC when set;
     * the source string says so, since such a topology is not this system. */
    is_this = 1;
    if ((env = getenv("HWLOC_XMLFILE")) && env[0])
      n = asprintf(&t->source, "xml:%s", env);
    else if ((env = getenv("HWLOC_SYNTHETIC")) && env[0])
      n = asprintf(&t->source, "synthetic:%s", env);
    else
      n = asprintf(&t->source, "this system");
  } else if (file_exists(spec)) {
    is_xml = 1;
    n = asprintf(&t->source, "xml:%s", spec);
  } else {
    n = asprintf(&t->source, "synthetic:%s", spec);
  }
  if (n < 0) {
    t->source = NULL;
    err = su_errorf(SU_ENOMEM, "cannot allocate a topology");
    goto out;
  }
  if (!spec || !spec[0]) {
    /* this machine */
  } else if (is_xml) {
    if ((err = check_xml(spec)))
      goto out;
    if (hwloc_topology_set_xml(t->topo, spec) != 0) {
      err = su_errorf(SU_EINVAL, "cannot load topology '%s': not a readable hwloc XML file",
                      spec);
      goto out;
    }
  } else if (looks_like_path(spec)) {
    err = su_errorf(SU_EINVAL, "cannot load topology '%s': no such file", spec);
    goto out;
  } else {
    double nobj = synthetic_objects(spec);
    if (nobj > SU_SYNTHETIC_MAX_OBJECTS) {
      err = su_errorf(SU_EINVAL,
                      "cannot load topology '%s': it would build %.0f objects (at most %d: "
                      "no machine has that many; check the arities)",
                      spec, nobj, SU_SYNTHETIC_MAX_OBJECTS);
      goto out;
    }
    if (hwloc_topology_set_synthetic(t->topo, spec) != 0) {
      err = su_errorf(SU_EINVAL,
                      "cannot load topology '%s': neither a file nor a valid hwloc synthetic "
                      "description (e.g. \"pack:2 numa:2 core:16 pu:2\")",
                      spec);
      goto out;
    }
  }
  /*
   * I/O objects (PCI and OS devices) are kept when they come from an XML
   * file, where they cost nothing.  On this machine they are not discovered:
   * it makes every load ~10x slower (67 ms instead of 7 ms on the 2-core CI
   * VM) because hwloc's OpenCL plugin initializes every OpenCL platform, and
   * the PCI and OpenCL plugins leave allocations behind when they are
   * unloaded, which LeakSanitizer reports in every test that loads this
   * machine.  Accelerators are still located next to their package: hwloc's
   * hwloc_opencl_get_device_cpuset() and friends read sysfs directly and
   * need no I/O objects.
   */
  if (strncmp(t->source, "xml:", 4) == 0)
    hwloc_topology_set_io_types_filter(t->topo, HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
  if (hwloc_topology_load(t->topo) != 0) {
    int e = errno;
    if (is_this)
      err = su_errorf(SU_EIO, "cannot load topology '%s': %s", t->source, strerror(e));
    else if (is_xml)
      err = su_errorf(SU_EINVAL,
                      "cannot load topology '%s': not a valid hwloc XML file (run "
                      "'HWLOC_XML_VERBOSE=1 lstopo -i %s' to see why)",
                      spec, spec);
    else
      err = su_errorf(SU_EINVAL, "cannot load topology '%s': %s", spec, strerror(e));
    goto out;
  }
  /* hwloc decides: an XML or synthetic topology is not this system unless
   * the user insists with HWLOC_THISSYSTEM=1. */
  t->this_system = hwloc_topology_is_thissystem(t->topo) ? 1 : 0;
  if (t->this_system && !is_xml && !is_this)
    t->this_system = 0; /* a synthetic machine cannot be bound to */
  *out = t;
  return SU_OK;
out:
  hwloc_topology_destroy(t->topo);
  free(t->source);
  free(t);
  return err;
}

void su_topo_destroy(su_topo_t *t)
{
  if (!t)
    return;
  hwloc_topology_destroy(t->topo);
  free(t->source);
  free(t);
}

void *su_topo_hwloc(const su_topo_t *t)
{
  return t ? (void *)t->topo : NULL;
}

int su_topo_is_this_system(const su_topo_t *t)
{
  return t ? t->this_system : 0;
}

/* An info attribute of the first object of `type` that has it, else of the root. */
static const char *info_of(hwloc_topology_t topo, hwloc_obj_type_t type, const char *name)
{
  hwloc_obj_t o = NULL;
  const char *v;

  while ((o = hwloc_get_next_obj_by_type(topo, type, o)) != NULL)
    if ((v = hwloc_obj_get_info_by_name(o, name)) && v[0])
      return v;
  v = hwloc_obj_get_info_by_name(hwloc_get_root_obj(topo), name);
  return v ? v : "";
}

/*
 * Counts the objects of one type over the whole tree, wherever they sit:
 * hwloc_get_nbobjs_by_type() gives -1 when one type lives at several depths
 * (heterogeneous machines), and cache statistics need every instance.
 */
static unsigned count_type(hwloc_topology_t topo, hwloc_obj_type_t type)
{
  int depth = hwloc_get_type_depth(topo, type);
  unsigned n = 0;

  if (depth == HWLOC_TYPE_DEPTH_UNKNOWN)
    return 0;
  if (depth != HWLOC_TYPE_DEPTH_MULTIPLE)
    return (unsigned)hwloc_get_nbobjs_by_depth(topo, depth);
  for (int d = 0; d < hwloc_topology_get_depth(topo); d++)
    if (hwloc_get_depth_type(topo, d) == type)
      n += (unsigned)hwloc_get_nbobjs_by_depth(topo, d);
  return n;
}

/* The first object of `type` in logical order, at any depth. */
static hwloc_obj_t first_of_type(hwloc_topology_t topo, hwloc_obj_type_t type)
{
  int depth = hwloc_get_type_depth(topo, type);

  if (depth == HWLOC_TYPE_DEPTH_UNKNOWN)
    return NULL;
  if (depth != HWLOC_TYPE_DEPTH_MULTIPLE)
    return hwloc_get_obj_by_depth(topo, depth, 0);
  for (int d = 0; d < hwloc_topology_get_depth(topo); d++)
    if (hwloc_get_depth_type(topo, d) == type)
      return hwloc_get_obj_by_depth(topo, d, 0);
  return NULL;
}

/* The first instance of the data/unified cache of one level (1 = L1). */
static hwloc_obj_t first_cache(hwloc_topology_t topo, unsigned level)
{
  if (level < 1 || level > NCACHE_TYPES)
    return NULL;
  return first_of_type(topo, cache_types[level - 1]);
}

/* Sums the sizes of every instance of a cache type. */
static uint64_t cache_total(hwloc_topology_t topo, hwloc_obj_type_t type)
{
  uint64_t sum = 0;

  for (int d = 0; d < hwloc_topology_get_depth(topo); d++) {
    if (hwloc_get_depth_type(topo, d) != type)
      continue;
    for (hwloc_obj_t o = NULL; (o = hwloc_get_next_obj_by_depth(topo, d, o)) != NULL;)
      sum += o->attr->cache.size;
  }
  return sum;
}

int su_topo_summarize(const su_topo_t *t, su_topo_summary_t *out)
{
  hwloc_topology_t topo;
  su_topo_summary_t s;
  hwloc_obj_t o;
  hwloc_obj_type_t llc_type = HWLOC_OBJ_TYPE_MAX;

  if (!t || !out)
    return su_errorf(SU_EINVAL, "cannot summarize a topology: none given");
  topo = t->topo;
  memset(&s, 0, sizeof(s));
  /* Model and vendor come from the Package (x86 Linux puts them there); some
   * platforms put them on the Machine object instead. */
  snprintf(s.cpu_model, sizeof(s.cpu_model), "%s", info_of(topo, HWLOC_OBJ_PACKAGE, "CPUModel"));
  snprintf(s.cpu_vendor, sizeof(s.cpu_vendor), "%s",
           info_of(topo, HWLOC_OBJ_PACKAGE, "CPUVendor"));
  o = hwloc_get_root_obj(topo);
  snprintf(s.arch, sizeof(s.arch), "%s",
           hwloc_obj_get_info_by_name(o, "Architecture") ? hwloc_obj_get_info_by_name(
                                                               o, "Architecture")
                                                         : "");

  /* hwloc may lack a Package or Core level (some VMs, synthetic strings):
   * a machine still has one package, and a PU without a core is its own core. */
  s.pus = count_type(topo, HWLOC_OBJ_PU);
  s.cores = count_type(topo, HWLOC_OBJ_CORE);
  if (s.cores == 0)
    s.cores = s.pus;
  s.packages = count_type(topo, HWLOC_OBJ_PACKAGE);
  if (s.packages == 0)
    s.packages = 1;
  s.numa_nodes = count_type(topo, HWLOC_OBJ_NUMANODE);
  for (o = NULL; (o = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, o)) != NULL;)
    s.memory_bytes += o->attr->numanode.local_memory;
  if (s.numa_nodes == 0) {
    s.numa_nodes = 1;
    s.memory_bytes = hwloc_get_root_obj(topo)->total_memory;
  }

  for (size_t i = 0; i < NCACHE_TYPES && s.ncaches < SU_TOPO_MAX_CACHES; i++) {
    su_cache_level_t *c = &s.caches[s.ncaches];
    hwloc_obj_t first = first_of_type(topo, cache_types[i]);
    if (!first)
      continue;
    /* Per-instance facts are those of the first instance in logical order;
     * heterogeneous machines (hybrid cores) differ per instance, which the
     * llc total below still counts exactly. */
    c->depth = first->attr->cache.depth;
    snprintf(c->type, sizeof(c->type), "%s",
             first->attr->cache.type == HWLOC_OBJ_CACHE_UNIFIED ? "unified" : "data");
    c->size_bytes = first->attr->cache.size;
    c->count = count_type(topo, cache_types[i]);
    c->pus_per_instance = first->cpuset ? (unsigned)hwloc_bitmap_weight(first->cpuset) : 0;
    c->line_bytes = first->attr->cache.linesize;
    s.ncaches++;
    llc_type = cache_types[i];
  }
  if (s.ncaches > 0) {
    s.llc_bytes = cache_total(topo, llc_type);
    s.llc_instance_bytes = s.caches[s.ncaches - 1].size_bytes;
  }
  s.this_system = t->this_system;
  s.source = t->source;
  *out = s;
  return SU_OK;
}

/* "48 KiB", "1 MiB", "4.6 GiB": exact when the size is a whole number of units. */
static void fmt_bytes(uint64_t b, char *buf, size_t len)
{
  static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  unsigned u = 0;
  double v = (double)b;

  while (v >= 1024.0 && u + 1 < sizeof(units) / sizeof(units[0])) {
    v /= 1024.0;
    u++;
  }
  if (u == 0 || b % (1ull << (10 * u)) == 0)
    snprintf(buf, len, "%.0f %s", v, units[u]);
  else
    snprintf(buf, len, "%.1f %s", v, units[u]);
}

/*
 * What one instance of a cache (or any cpuset) is shared by, in words:
 * "core", "package", "NUMA node", "machine", or "N cores", preferring the
 * smallest unit that matches exactly.
 */
static void shared_by(hwloc_topology_t topo, hwloc_const_cpuset_t set, char *buf, size_t len)
{
  hwloc_obj_t o;
  int ncores;

  o = hwloc_get_obj_covering_cpuset(topo, set);
  if (o && hwloc_bitmap_isequal(o->cpuset, set)) {
    for (hwloc_obj_t p = o; p; p = p->parent) {
      if (!hwloc_bitmap_isequal(p->cpuset, set))
        break;
      if (p->type == HWLOC_OBJ_CORE) {
        snprintf(buf, len, "core");
        return;
      }
      if (p->type == HWLOC_OBJ_PACKAGE) {
        snprintf(buf, len, "package");
        return;
      }
    }
  }
  for (o = NULL; (o = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, o)) != NULL;)
    if (o->cpuset && hwloc_bitmap_isequal(o->cpuset, set)) {
      snprintf(buf, len, "NUMA node");
      return;
    }
  if (hwloc_bitmap_isequal(set, hwloc_get_root_obj(topo)->cpuset)) {
    snprintf(buf, len, "machine");
    return;
  }
  ncores = hwloc_get_nbobjs_inside_cpuset_by_type(topo, set, HWLOC_OBJ_CORE);
  if (ncores > 1)
    snprintf(buf, len, "%d cores", ncores);
  else if (ncores == 1)
    snprintf(buf, len, "core");
  else
    snprintf(buf, len, "%d PUs", hwloc_bitmap_weight(set));
}

/* A bitmap as a list string ("0-3,8"), malloc'ed; NULL when out of memory. */
static char *list_string(hwloc_const_bitmap_t set)
{
  char *s = NULL;

  if (hwloc_bitmap_list_asprintf(&s, set) < 0) {
    free(s);
    return NULL;
  }
  return s;
}

/* The logical indexes of the packages a cpuset touches, as a list string
 * (malloc'ed, "" when none; NULL when out of memory). */
static char *packages_of(hwloc_topology_t topo, hwloc_const_cpuset_t set)
{
  hwloc_bitmap_t pk = hwloc_bitmap_alloc();
  hwloc_obj_t o = NULL;
  char *s;

  if (!pk)
    return NULL;
  while ((o = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_PACKAGE, o)) != NULL)
    if (hwloc_bitmap_intersects(o->cpuset, set))
      hwloc_bitmap_set(pk, o->logical_index);
  s = hwloc_bitmap_iszero(pk) ? strdup("") : list_string(pk);
  hwloc_bitmap_free(pk);
  return s;
}

/* What both printers start with: an output stream and the summary. */
static int print_summary(const su_topo_t *t, FILE *fp, su_topo_summary_t *s)
{
  if (!fp)
    return su_errorf(SU_EINVAL, "cannot print a topology: no output stream");
  return su_topo_summarize(t, s);
}

/* What instances of cache level c are shared by ("core", ...), or `unknown`
 * when the topology has no instance with a cpuset. */
static void cache_shared_by(const su_topo_t *t, const su_cache_level_t *c, const char *unknown,
                            char *buf, size_t len)
{
  hwloc_obj_t first = first_cache(t->topo, c->depth);

  if (first && first->cpuset)
    shared_by(t->topo, first->cpuset, buf, len);
  else
    snprintf(buf, len, "%s", unknown);
}

int su_topo_print_text(const su_topo_t *t, FILE *fp)
{
  su_topo_summary_t s;
  char b1[32], b2[32], by[32];
  hwloc_obj_t o = NULL;
  int err;

  if ((err = print_summary(t, fp, &s)))
    return err;
  fprintf(fp, "topology:   %s\n", s.source);
  fprintf(fp, "cpu:        %s%s%s%s\n", s.cpu_model[0] ? s.cpu_model : "(model unknown)",
          s.cpu_vendor[0] ? " (" : "", s.cpu_vendor, s.cpu_vendor[0] ? ")" : "");
  if (s.arch[0])
    fprintf(fp, "arch:       %s\n", s.arch);
  fprintf(fp, "packages:   %u\n", s.packages);
  fprintf(fp, "cores:      %u (%u per package)\n", s.cores, s.cores / s.packages);
  fprintf(fp, "PUs:        %u (%u per core)\n", s.pus, s.cores ? s.pus / s.cores : 0);
  fmt_bytes(s.memory_bytes, b1, sizeof(b1));
  fprintf(fp, "memory:     %s\n", b1);
  fprintf(fp, "NUMA nodes: %u\n", s.numa_nodes);
  while ((o = hwloc_get_next_obj_by_type(t->topo, HWLOC_OBJ_NUMANODE, o)) != NULL) {
    char *list = list_string(o->cpuset), *pk = packages_of(t->topo, o->cpuset);
    if (!list || !pk) {
      free(list);
      free(pk);
      return su_errorf(SU_ENOMEM, "cannot print the topology: out of memory");
    }
    fmt_bytes(o->attr->numanode.local_memory, b1, sizeof(b1));
    fprintf(fp, "  node %u:   %s, PUs %s%s%s%s%s%s%s\n", o->logical_index, b1,
            hwloc_bitmap_iszero(o->cpuset) ? "(none)" : list, pk[0] ? " (package " : "", pk,
            pk[0] ? ")" : "", o->subtype ? ", " : "", o->subtype ? o->subtype : "",
            su__numa_is_cpu_node(t->topo, o) ? "" : ", no CPUs of its own");
    free(list);
    free(pk);
  }
  for (unsigned i = 0; i < s.ncaches; i++) {
    const su_cache_level_t *c = &s.caches[i];
    fmt_bytes(c->size_bytes, b1, sizeof(b1));
    cache_shared_by(t, c, "?", by, sizeof(by));
    snprintf(b2, sizeof(b2), "L%u%s:", c->depth, strcmp(c->type, "data") == 0 ? "d" : "");
    fprintf(fp, "%-12s%s x %u (per %s, %u B lines)\n", b2, b1, c->count, by, c->line_bytes);
  }
  if (s.ncaches > 0) {
    fmt_bytes(s.llc_bytes, b2, sizeof(b2));
    fprintf(fp, "LLC total:  %s\n", b2);
  } else {
    fprintf(fp, "caches:     none reported\n");
  }
  su_topo_print_cpu_kinds(t, fp);
  return ferror(fp) ? su_errorf(SU_EIO, "cannot write the topology report") : SU_OK;
}

void su_topo_json_facts(su_json_t *j, const su_topo_summary_t *s)
{
  su_json_str(j, "cpu_model", s->cpu_model);
  su_json_str(j, "cpu_vendor", s->cpu_vendor);
  su_json_str(j, "arch", s->arch);
  su_json_int(j, "packages", s->packages);
  su_json_int(j, "numa_nodes", s->numa_nodes);
  su_json_int(j, "cores", s->cores);
  su_json_int(j, "pus", s->pus);
  su_json_u64(j, "memory_bytes", s->memory_bytes);
}

int su_topo_print_json(const su_topo_t *t, FILE *fp)
{
  su_topo_summary_t s;
  su_json_t j;
  char *list, by[32];
  hwloc_obj_t o = NULL;
  int err;

  if ((err = print_summary(t, fp, &s)))
    return err;
  su_json_init(&j, fp);
  su_json_begin_object(&j, NULL);
  su_json_str(&j, "source", s.source);
  su_json_bool(&j, "this_system", s.this_system);
  su_topo_json_facts(&j, &s);
  su_json_begin_array(&j, "numa");
  while ((o = hwloc_get_next_obj_by_type(t->topo, HWLOC_OBJ_NUMANODE, o)) != NULL) {
    su_json_begin_object(&j, NULL);
    su_json_int(&j, "index", o->logical_index);
    su_json_int(&j, "os_index", o->os_index);
    su_json_u64(&j, "memory_bytes", o->attr->numanode.local_memory);
    su_json_str(&j, "subtype", o->subtype ? o->subtype : "");
    su_json_bool(&j, "has_cpus", su__numa_is_cpu_node(t->topo, o));
    list = hwloc_bitmap_iszero(o->cpuset) ? strdup("") : list_string(o->cpuset);
    if (!list)
      return su_errorf(SU_ENOMEM, "cannot print the topology: out of memory");
    su_json_str(&j, "cpuset", list);
    free(list);
    su_json_begin_array(&j, "packages");
    for (hwloc_obj_t p = NULL;
         (p = hwloc_get_next_obj_by_type(t->topo, HWLOC_OBJ_PACKAGE, p)) != NULL;)
      if (hwloc_bitmap_intersects(p->cpuset, o->cpuset))
        su_json_int(&j, NULL, p->logical_index);
    su_json_end_array(&j);
    su_json_end_object(&j);
  }
  su_json_end_array(&j);
  su_json_begin_array(&j, "caches");
  for (unsigned i = 0; i < s.ncaches; i++) {
    const su_cache_level_t *c = &s.caches[i];
    cache_shared_by(t, c, "", by, sizeof(by));
    su_json_begin_object(&j, NULL);
    su_json_int(&j, "level", c->depth);
    su_json_str(&j, "type", c->type);
    su_json_u64(&j, "size_bytes", c->size_bytes);
    su_json_int(&j, "count", c->count);
    su_json_int(&j, "pus_per_instance", c->pus_per_instance);
    su_json_int(&j, "line_bytes", c->line_bytes);
    su_json_str(&j, "shared_by", by);
    su_json_end_object(&j);
  }
  su_json_end_array(&j);
  su_json_u64(&j, "llc_bytes", s.llc_bytes);
  su_json_u64(&j, "llc_instance_bytes", s.llc_instance_bytes);
  su_topo_json_cpu_kinds(&j, t);
#ifdef HWLOC_VERSION
  su_json_str(&j, "hwloc_version", HWLOC_VERSION);
#endif
  su_json_end_object(&j);
  if ((err = su_json_finish(&j)))
    return su_errorf(err, "cannot write the topology as JSON");
  return SU_OK;
}
