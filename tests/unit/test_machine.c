/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_machine.c: the machine's facts (machine.h) from the fixture tree
 * tests/data/sysroot (a cloud VM with an Intel CPU, DMI, two DIMMs and an
 * empty slot, the NVIDIA driver), and from an empty tree, where every fact
 * is empty with a reason.  The system.json diff (results.h) on two
 * documents.
 */
#include <stdlib.h>
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/machine.h"
#include "sizeup/results.h"
#include "test.h"

#define GET(m, k) su_machine_get(&(m), k)

static const char *why(const su_machine_t *m, const char *key)
{
  for (size_t i = 0; i < SU_MACHINE_NFACTS; i++)
    if (strcmp(m->f[i].key, key) == 0)
      return m->f[i].why;
  return NULL;
}

static void test_fixture(void)
{
  su_machine_t *m = malloc(sizeof(*m));

  su_machine_read(SU_TEST_DATA_DIR "/sysroot", m);
  CHECK_EQ_STR(GET(*m, "cpu_family"), "6");
  CHECK_EQ_STR(GET(*m, "cpu_model_number"), "143");
  CHECK_EQ_STR(GET(*m, "cpu_stepping"), "8");          /* the first processor's */
  CHECK_EQ_STR(GET(*m, "microcode"), "0x2b0004d0");
  CHECK_EQ_STR(GET(*m, "cpufreq_driver"), "intel_cpufreq");
  CHECK_EQ_STR(GET(*m, "governor"), "performance");
  CHECK_EQ_STR(GET(*m, "boost"), "off");
  CHECK_EQ_STR(GET(*m, "smt"), "off");
  CHECK_EQ_STR(GET(*m, "thp"), "never");
  CHECK_EQ_STR(GET(*m, "thp_defrag"), "madvise");
  CHECK_EQ_STR(GET(*m, "hugepages_total"), "16");
  CHECK_EQ_STR(GET(*m, "hugepage_size_kb"), "2048");
  CHECK_EQ_STR(GET(*m, "numa_balancing"), "1");
  CHECK(strstr(GET(*m, "cmdline"), "root=UUID=1234") != NULL);
  CHECK_EQ_STR(GET(*m, "mitigations"), "mitigations=off nosmt");
  CHECK_EQ_STR(GET(*m, "hypervisor"), "yes (vendor not identified)");
  CHECK_EQ_STR(GET(*m, "product_name"), "m7i.8xlarge");
  CHECK_EQ_STR(GET(*m, "sys_vendor"), "Amazon EC2");
  CHECK_EQ_STR(GET(*m, "bios_version"), "1.0");
  CHECK_EQ_STR(GET(*m, "dimm_count"), "2");             /* the empty slot is not a DIMM */
  CHECK_EQ_STR(GET(*m, "dimm_speed_mts"), "4800");
  CHECK_EQ_STR(GET(*m, "dimm_configured_speed_mts"), "4400");
  CHECK_EQ_STR(GET(*m, "gpu_drivers"), "nvidia 550.54.15");
  for (size_t i = 0; i < SU_MACHINE_NFACTS; i++)
    CHECK_EQ_STR(m->f[i].why, "");
  CHECK(GET(*m, "no_such_fact") == NULL);
  free(m);
}

static void test_empty_tree(void)
{
  su_machine_t *m = malloc(sizeof(*m));

  su_machine_read(SU_TEST_DATA_DIR "/sysroot/nonexistent", m);
  for (size_t i = 0; i < SU_MACHINE_NFACTS; i++) {
    CHECK_EQ_STR(m->f[i].value, "");
    CHECK(m->f[i].why[0] != '\0');
  }
  CHECK(strstr(why(m, "product_name"), "no /sys/class/dmi/id/product_name") != NULL);
  CHECK(strstr(why(m, "microcode"), "cannot read /proc/cpuinfo") != NULL);
  CHECK(strstr(why(m, "dimm_count"), "no SMBIOS table") != NULL);
  free(m);
}

static void test_sysdiff(void)
{
  const char *a = "{\"run_id\": \"a\", \"host\": {\"kernel\": \"6.1.0-26\"}, \"machine\": "
                  "{\"microcode\": \"0x1\", \"smt\": \"on\"}, \"cpu\": {\"isa\": [\"avx2\"]}, "
                  "\"labels\": {\"instance\": \"x\"}}";
  const char *b = "{\"run_id\": \"b\", \"host\": {\"kernel\": \"6.1.0-28\"}, \"machine\": "
                  "{\"microcode\": \"0x1\", \"smt\": \"off\"}, \"cpu\": {\"isa\": [\"avx2\", "
                  "\"avx512f\"]}, \"labels\": {}, \"devices\": [{\"version\": \"OpenCL 3.0\"}]}";
  su_sysdiff_t *d = NULL;
  size_t n = 0;
  int err = su_results_sysdiff(a, b, &d, &n);

  if (err == SU_ENOTSUP) {  /* built without libjansson */
    su_results_sysdiff_free(d, n);
    return;
  }
  CHECK_EQ_INT(err, 0);
  CHECK_EQ_INT((int)n, 5);   /* kernel, smt, isa, the label, the device; never run_id */
  if (n == 5) {
    CHECK_EQ_STR(d[0].field, "host.kernel");
    CHECK_EQ_STR(d[0].base, "6.1.0-26");
    CHECK_EQ_STR(d[0].cur, "6.1.0-28");
    CHECK_EQ_STR(d[1].field, "machine.smt");
    CHECK_EQ_STR(d[2].field, "cpu.isa");
    CHECK_EQ_STR(d[2].cur, "avx2 avx512f");
    CHECK_EQ_STR(d[3].field, "labels.instance");
    CHECK_EQ_STR(d[3].cur, "");
    CHECK_EQ_STR(d[4].field, "devices[0].version");
    CHECK_EQ_STR(d[4].base, "");
  }
  su_results_sysdiff_free(d, n);
  CHECK(su_results_sysdiff("not json", b, &d, &n) != 0);
}

int main(void)
{
  SU_TEST_RUN(test_fixture);
  SU_TEST_RUN(test_empty_tree);
  SU_TEST_RUN(test_sysdiff);
  return SU_TEST_REPORT();
}
