/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * machine.h: the facts of a machine that make two runs of it differ, for
 * system.json's "machine" object (docs/csv-schema.md): CPU family, model,
 * stepping and microcode; frequency driver, governor and boost; SMT;
 * transparent and static huge pages; automatic NUMA balancing; the kernel
 * command line and its mitigations; the hypervisor, the firmware's product
 * name (the instance type on most clouds), vendor and BIOS; the DIMMs; the
 * GPU kernel drivers.
 *
 * Every fact is read from /proc and /sys below a root directory, so tests
 * feed a fixture tree (tests/data/sysroot).  A fact that cannot be read is
 * empty and carries the reason ("no /sys/class/dmi/id/product_name: the
 * firmware gives no DMI table (a container or a microVM)").
 */
#ifndef SIZEUP_MACHINE_H
#define SIZEUP_MACHINE_H

#include <stddef.h>

typedef struct su_machine_fact {
  const char *key;         /* "microcode", "governor", ... (system.json's names) */
  char value[1024];        /* "" when it could not be read */
  char why[200];           /* why value is empty; "" when it is not */
} su_machine_fact_t;

#define SU_MACHINE_NFACTS 25

typedef struct su_machine {
  su_machine_fact_t f[SU_MACHINE_NFACTS];
} su_machine_t;

/*
 * Reads every fact below root (NULL or "" for this machine's / ; the
 * environment variable SIZEUP_SYSROOT, when set, replaces the real root, for
 * tests).  Cannot fail: an unreadable fact is empty with its reason.  The
 * hypervisor's name comes from CPUID only when reading this machine.
 */
void su_machine_read(const char *root, su_machine_t *m);

/* The value of fact `key` ("" when unreadable), or NULL for an unknown key. */
const char *su_machine_get(const su_machine_t *m, const char *key);

#endif /* SIZEUP_MACHINE_H */
