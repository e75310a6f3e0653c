/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * machine.c: the facts that make two runs of one machine differ
 * (machine.h), read from /proc and /sys below a root directory.
 *
 * A reviewer who sees two runs of "the same" machine disagree asks first
 * about these: a microcode update, the governor (powersave against
 * performance), turbo boost, SMT, transparent huge pages, automatic NUMA
 * balancing moving pages under the benchmark, the mitigations on the kernel
 * command line, another instance type behind the same CPU model, slower
 * DIMMs.  Each is one small file; when a file is missing or unreadable the
 * fact is empty and says why, so "unknown" is never mistaken for "off".
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/machine.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

static const char *const su_machine_keys[SU_MACHINE_NFACTS] = {
  "cpu_family", "cpu_model_number", "cpu_stepping", "microcode",
  "cpufreq_driver", "governor", "boost", "smt",
  "thp", "thp_defrag", "hugepages_total", "hugepage_size_kb", "numa_balancing",
  "cmdline", "mitigations",
  "hypervisor", "product_name", "sys_vendor", "bios_vendor", "bios_version", "bios_date",
  "dimm_count", "dimm_speed_mts", "dimm_configured_speed_mts", "gpu_drivers",
};

typedef struct reader {
  char root[512];
  su_machine_t *m;
} reader_t;

/* The fact named key: one of su_machine_keys, or our bug. */
static su_machine_fact_t *fact(su_machine_t *m, const char *key)
{
  size_t i = 0;

  while (i + 1 < SU_MACHINE_NFACTS && strcmp(m->f[i].key, key) != 0)
    i++;
  SU_ASSERT(strcmp(m->f[i].key, key) == 0);
  return &m->f[i];
}

const char *su_machine_get(const su_machine_t *m, const char *key)
{
  for (size_t i = 0; i < SU_MACHINE_NFACTS; i++)
    if (strcmp(m->f[i].key, key) == 0)
      return m->f[i].value;
  return NULL;
}

static void set(reader_t *r, const char *key, const char *value)
{
  su_machine_fact_t *f = fact(r->m, key);

  snprintf(f->value, sizeof(f->value), "%s", value);
  f->why[0] = '\0';
}

static void unread(reader_t *r, const char *key, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));
static void unread(reader_t *r, const char *key, const char *fmt, ...)
{
  su_machine_fact_t *f = fact(r->m, key);
  va_list ap;

  f->value[0] = '\0';
  va_start(ap, fmt);
  vsnprintf(f->why, sizeof(f->why), fmt, ap);
  va_end(ap);
}

static void path_of(const reader_t *r, const char *rel, char *buf, size_t len)
{
  snprintf(buf, len, "%s%s", r->root, rel);
}

/* The first line of root/rel, trimmed, into buf: 0, or an errno. */
static int read_line(const reader_t *r, const char *rel, char *buf, size_t len)
{
  char path[1024];
  FILE *fp;
  size_t n;

  path_of(r, rel, path, sizeof(path));
  if (!(fp = fopen(path, "r")))
    return errno ? errno : ENOENT;
  if (!fgets(buf, (int)len, fp))
    buf[0] = '\0';
  fclose(fp);
  n = strlen(buf);
  while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
    buf[--n] = '\0';
  return 0;
}

/* Fact `key` from the first line of rel, or empty with the reason. */
static int file_fact(reader_t *r, const char *key, const char *rel, const char *absent)
{
  char buf[1024];
  int e = read_line(r, rel, buf, sizeof(buf));

  if (e == 0) {
    set(r, key, buf);
    return 0;
  }
  if (e == ENOENT || e == ENOTDIR)
    unread(r, key, "no %s%s%s", rel, absent ? ": " : "", absent ? absent : "");
  else
    unread(r, key, "cannot read %s: %s", rel, strerror(e));
  return -1;
}

/* "always [madvise] never" -> "madvise". */
static void bracketed(char *s)
{
  char *a = strchr(s, '['), *b = a ? strchr(a, ']') : NULL;

  if (a && b) {
    memmove(s, a + 1, (size_t)(b - a - 1));
    s[b - a - 1] = '\0';
  }
}

/* --- /proc/cpuinfo ------------------------------------------------------------ */

static void read_cpuinfo(reader_t *r, int *flags_read, int *hv_flag)
{
  static const struct { const char *field, *key; } x86[] = {
    {"cpu family", "cpu_family"}, {"model", "cpu_model_number"}, {"stepping", "cpu_stepping"},
    {"microcode", "microcode"},
    /* Arm's names for the same facts */
    {"CPU implementer", "cpu_family"}, {"CPU part", "cpu_model_number"},
    {"CPU variant", "cpu_stepping"},
  };
  char path[1024], line[4096];
  FILE *fp;
  int e;

  *flags_read = *hv_flag = 0;
  path_of(r, "/proc/cpuinfo", path, sizeof(path));
  for (size_t i = 0; i < 4; i++)
    unread(r, x86[i].key, "not in /proc/cpuinfo (this kernel or CPU does not report it)");
  if (!(fp = fopen(path, "r"))) {
    e = errno;
    for (size_t i = 0; i < 4; i++)
      unread(r, x86[i].key, "cannot read /proc/cpuinfo: %s", strerror(e));
    return;
  }
  /* the first processor's block only: they agree on a sane machine */
  while (fgets(line, sizeof(line), fp) && line[0] != '\n') {
    char *colon = strchr(line, ':'), *v, *end;
    size_t klen;
    if (!colon)
      continue;
    for (end = colon; end > line && (end[-1] == ' ' || end[-1] == '\t'); end--)
      ;
    klen = (size_t)(end - line);
    v = colon + 1 + strspn(colon + 1, " \t");
    v[strcspn(v, "\n")] = '\0';
    if (klen == 5 && strncmp(line, "flags", 5) == 0) {
      *flags_read = 1;
      *hv_flag = strstr(v, " hypervisor") != NULL || strncmp(v, "hypervisor", 10) == 0;
      continue;
    }
    for (size_t i = 0; i < sizeof(x86) / sizeof(x86[0]); i++)
      if (strlen(x86[i].field) == klen && strncmp(line, x86[i].field, klen) == 0 &&
          !fact(r->m, x86[i].key)->value[0])
        set(r, x86[i].key, v);
  }
  fclose(fp);
}

/* --- cpufreq, SMT, memory ----------------------------------------------------- */

static void read_cpufreq(reader_t *r)
{
  static const char *const none = "no frequency scaling exposed (a VM, or no cpufreq driver)";
  char buf[64];

  file_fact(r, "cpufreq_driver", "/sys/devices/system/cpu/cpu0/cpufreq/scaling_driver", none);
  file_fact(r, "governor", "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", none);
  if (read_line(r, "/sys/devices/system/cpu/cpufreq/boost", buf, sizeof(buf)) == 0)
    set(r, "boost", strcmp(buf, "1") == 0 ? "on" : strcmp(buf, "0") == 0 ? "off" : buf);
  else if (read_line(r, "/sys/devices/system/cpu/intel_pstate/no_turbo", buf, sizeof(buf)) == 0)
    set(r, "boost", strcmp(buf, "1") == 0 ? "off" : strcmp(buf, "0") == 0 ? "on" : buf);
  else
    unread(r, "boost", "no /sys/devices/system/cpu/cpufreq/boost nor intel_pstate/no_turbo: "
           "the turbo state is not exposed (a VM, or no cpufreq driver)");
  file_fact(r, "smt", "/sys/devices/system/cpu/smt/control", "a kernel older than 4.19");
}

static void read_memory(reader_t *r)
{
  char buf[1024], path[1024], line[256];
  FILE *fp;
  int tot = 0, sz = 0;

  if (file_fact(r, "thp", "/sys/kernel/mm/transparent_hugepage/enabled",
                "a kernel without transparent huge pages") == 0) {
    snprintf(buf, sizeof(buf), "%s", fact(r->m, "thp")->value);
    bracketed(buf);
    set(r, "thp", buf);
  }
  if (file_fact(r, "thp_defrag", "/sys/kernel/mm/transparent_hugepage/defrag",
                "a kernel without transparent huge pages") == 0) {
    snprintf(buf, sizeof(buf), "%s", fact(r->m, "thp_defrag")->value);
    bracketed(buf);
    set(r, "thp_defrag", buf);
  }
  file_fact(r, "numa_balancing", "/proc/sys/kernel/numa_balancing",
            "a kernel without automatic NUMA balancing");
  path_of(r, "/proc/meminfo", path, sizeof(path));
  if (!(fp = fopen(path, "r"))) {
    int e = errno;
    unread(r, "hugepages_total", "cannot read /proc/meminfo: %s", strerror(e));
    unread(r, "hugepage_size_kb", "cannot read /proc/meminfo: %s", strerror(e));
    return;
  }
  while (fgets(line, sizeof(line), fp)) {
    unsigned long long v;
    if (sscanf(line, "HugePages_Total: %llu", &v) == 1) {
      snprintf(buf, sizeof(buf), "%llu", v);
      set(r, "hugepages_total", buf);
      tot = 1;
    } else if (sscanf(line, "Hugepagesize: %llu", &v) == 1) {
      snprintf(buf, sizeof(buf), "%llu", v);
      set(r, "hugepage_size_kb", buf);
      sz = 1;
    }
  }
  fclose(fp);
  if (!tot)
    unread(r, "hugepages_total", "no HugePages_Total in /proc/meminfo (no hugetlbfs)");
  if (!sz)
    unread(r, "hugepage_size_kb", "no Hugepagesize in /proc/meminfo (no hugetlbfs)");
}

/* --- kernel command line ------------------------------------------------------ */

/* The tokens of the command line that choose CPU vulnerability mitigations
 * (Documentation/admin-guide/kernel-parameters.txt). */
static int is_mitigation(const char *tok, size_t len)
{
  static const char *const pre[] = {
    "mitigations=", "nospectre", "spectre_", "spec_store_bypass_disable=", "pti=", "nopti",
    "mds=", "tsx=", "tsx_async_abort=", "l1tf=", "retbleed=", "srbds=", "mmio_stale_data=",
    "gather_data_sampling=", "spec_rstack_overflow=", "reg_file_data_sampling=", "nosmt",
    "kpti=", "ssbd=",
  };
  for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
    if (len >= strlen(pre[i]) && strncmp(tok, pre[i], strlen(pre[i])) == 0)
      return 1;
  return 0;
}

static void read_cmdline(reader_t *r)
{
  char out[1024] = "";
  const char *p;
  size_t used = 0;

  if (file_fact(r, "cmdline", "/proc/cmdline", NULL) != 0) {
    unread(r, "mitigations", "%s", fact(r->m, "cmdline")->why);
    return;
  }
  for (p = fact(r->m, "cmdline")->value; *p;) {
    size_t len = strcspn(p, " ");
    if (is_mitigation(p, len) && used + len + 2 < sizeof(out))
      used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%.*s", used ? " " : "",
                               (int)len, p);
    p += len;
    p += strspn(p, " ");
  }
  set(r, "mitigations", used ? out : "kernel default");
}

/* --- hypervisor, firmware ----------------------------------------------------- */

/* The hypervisor's CPUID signature (leaf 0x40000000) with a readable name;
 * 0 when this is not x86 or the hypervisor bit is clear. */
static int cpuid_hypervisor(char *buf, size_t len)
{
#if defined(__x86_64__) || defined(__i386__)
  static const struct { const char *sig, *name; } known[] = {
    {"KVMKVMKVM", "KVM"}, {"Microsoft Hv", "Microsoft Hyper-V"}, {"VMwareVMware", "VMware"},
    {"XenVMMXenVMM", "Xen"}, {"TCGTCGTCGTCG", "QEMU (TCG)"}, {"ACRNACRNACRN", "ACRN"},
    {"bhyve bhyve ", "bhyve"}, {" lrpepyh  vr", "Parallels"}, {"VBoxVBoxVBox", "VirtualBox"},
  };
  unsigned a, b, c, d;
  char sig[13];

  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 31)))
    return 0;
  __cpuid(0x40000000, a, b, c, d);
  memcpy(sig, &b, 4);
  memcpy(sig + 4, &c, 4);
  memcpy(sig + 8, &d, 4);
  sig[12] = '\0';
  for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
    if (strncmp(sig, known[i].sig, strlen(known[i].sig)) == 0) {
      snprintf(buf, len, "%s", known[i].name);
      return 1;
    }
  for (size_t i = 0; i < 12; i++)
    if ((unsigned char)sig[i] < 0x20 || (unsigned char)sig[i] > 0x7e)
      sig[i] = '?';
  snprintf(buf, len, "unknown (CPUID signature '%s')", sig);
  return 1;
#else
  (void)buf, (void)len;
  return 0;
#endif
}

static void read_firmware(reader_t *r, int real, int flags_read, int hv_flag)
{
  static const char *const nodmi = "the firmware gives no DMI table (a container, a microVM, "
                                    "or not x86)";
  char buf[256];

  if (read_line(r, "/sys/hypervisor/type", buf, sizeof(buf)) == 0 && buf[0])
    set(r, "hypervisor", buf);
  else if (real && cpuid_hypervisor(buf, sizeof(buf)))
    set(r, "hypervisor", buf);
  else if (hv_flag)
    set(r, "hypervisor", "yes (vendor not identified)");
  else if (flags_read)
    set(r, "hypervisor", "none");
  else
    unread(r, "hypervisor", "no 'flags' in /proc/cpuinfo and no /sys/hypervisor/type");
  file_fact(r, "product_name", "/sys/class/dmi/id/product_name", nodmi);
  file_fact(r, "sys_vendor", "/sys/class/dmi/id/sys_vendor", nodmi);
  file_fact(r, "bios_vendor", "/sys/class/dmi/id/bios_vendor", nodmi);
  file_fact(r, "bios_version", "/sys/class/dmi/id/bios_version", nodmi);
  file_fact(r, "bios_date", "/sys/class/dmi/id/bios_date", nodmi);
}

/* --- DIMMs (SMBIOS type 17, "Memory Device") ---------------------------------- */

static unsigned word_at(const unsigned char *b, size_t len, size_t off)
{
  return off + 1 < len ? (unsigned)b[off] | (unsigned)b[off + 1] << 8 : 0;
}

/* Appends v to the space-separated list s when it is not there yet. */
static void add_distinct(char *s, size_t len, unsigned v)
{
  char t[16], *p = s;
  size_t tl;

  snprintf(t, sizeof(t), "%u", v);
  tl = strlen(t);
  while ((p = strstr(p, t))) {
    if ((p == s || p[-1] == ' ') && (p[tl] == ' ' || p[tl] == '\0'))
      return;
    p += tl;
  }
  if (strlen(s) + tl + 2 < len)
    snprintf(s + strlen(s), len - strlen(s), "%s%s", s[0] ? " " : "", t);
}

static void read_dimms(reader_t *r)
{
  static const char *const rel = "/sys/firmware/dmi/entries";
  char dir[1024], path[1400], speeds[128] = "", conf[128] = "", buf[32];
  unsigned char raw[256];
  struct dirent *de;
  unsigned count = 0;
  DIR *d;

  path_of(r, rel, dir, sizeof(dir));
  if (!(d = opendir(dir))) {
    int e = errno;
    const char *why = e == ENOENT ? "the firmware gives no SMBIOS table (a container, a "
                                    "microVM, or not x86)"
                                  : strerror(e);
    unread(r, "dimm_count", "cannot read %s: %s", rel, why);
    unread(r, "dimm_speed_mts", "cannot read %s: %s", rel, why);
    unread(r, "dimm_configured_speed_mts", "cannot read %s: %s", rel, why);
    return;
  }
  while ((de = readdir(d))) {
    FILE *fp;
    size_t n;
    unsigned size, speed, cspeed;
    if (strncmp(de->d_name, "17-", 3) != 0)
      continue;
    snprintf(path, sizeof(path), "%s/%s/raw", dir, de->d_name);
    if (!(fp = fopen(path, "rb")))
      continue;             /* root only: counted as unreadable below */
    n = fread(raw, 1, sizeof(raw), fp);
    fclose(fp);
    if (n < 0x17 || raw[0] != 17 || raw[1] > n)
      continue;
    n = raw[1];             /* the formatted area; strings follow */
    size = word_at(raw, n, 0x0C);
    if (size == 0 || size == 0xFFFF)
      continue;             /* an empty slot, or unknown */
    count++;
    if ((speed = word_at(raw, n, 0x15)))
      add_distinct(speeds, sizeof(speeds), speed);
    if ((cspeed = word_at(raw, n, 0x20)))
      add_distinct(conf, sizeof(conf), cspeed);
  }
  closedir(d);
  if (count == 0) {
    unread(r, "dimm_count", "no readable populated memory device in %s (its raw entries "
           "are root only; a VM may list none)", rel);
    unread(r, "dimm_speed_mts", "no readable memory device in %s", rel);
    unread(r, "dimm_configured_speed_mts", "no readable memory device in %s", rel);
    return;
  }
  snprintf(buf, sizeof(buf), "%u", count);
  set(r, "dimm_count", buf);
  if (speeds[0])
    set(r, "dimm_speed_mts", speeds);
  else
    unread(r, "dimm_speed_mts", "the memory devices in %s give no speed", rel);
  if (conf[0])
    set(r, "dimm_configured_speed_mts", conf);
  else
    unread(r, "dimm_configured_speed_mts", "the memory devices in %s give no configured "
           "speed (SMBIOS older than 2.7)", rel);
}

/* --- GPU kernel drivers ------------------------------------------------------- */

static void read_gpu_drivers(reader_t *r)
{
  static const char *const mods[] = {"nvidia", "amdgpu", "i915", "xe", "nouveau", "radeon"};
  char out[512] = "", rel[128], ver[128], path[1024];
  size_t used = 0;
  DIR *d;

  for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
    snprintf(rel, sizeof(rel), "/sys/module/%s", mods[i]);
    path_of(r, rel, path, sizeof(path));
    if (!(d = opendir(path)))
      continue;
    closedir(d);
    snprintf(rel, sizeof(rel), "/sys/module/%s/version", mods[i]);
    if (read_line(r, rel, ver, sizeof(ver)) != 0)
      ver[0] = '\0';
    used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s%s%s", used ? ", " : "",
                             mods[i], ver[0] ? " " : "", ver);
    if (used >= sizeof(out))
      used = sizeof(out) - 1;
  }
  if (used)
    set(r, "gpu_drivers", out);
  else
    unread(r, "gpu_drivers", "no GPU kernel driver loaded (nvidia, amdgpu, i915, xe, nouveau, "
           "radeon under /sys/module)");
}

void su_machine_read(const char *root, su_machine_t *m)
{
  const char *env = getenv("SIZEUP_SYSROOT");
  int real = !(root && *root) && !(env && *env), flags_read, hv_flag;
  reader_t r;

  memset(m, 0, sizeof(*m));
  for (size_t i = 0; i < SU_MACHINE_NFACTS; i++)
    m->f[i].key = su_machine_keys[i];
  r.m = m;
  snprintf(r.root, sizeof(r.root), "%s", root && *root ? root : env && *env ? env : "");
  read_cpuinfo(&r, &flags_read, &hv_flag);
  read_cpufreq(&r);
  read_memory(&r);
  read_cmdline(&r);
  read_firmware(&r, real, flags_read, hv_flag);
  read_dimms(&r);
  read_gpu_drivers(&r);
}
