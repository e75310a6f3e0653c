/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * backend.h: a backend is a const descriptor (hwloc components, sqlite3_vfs)
 * listed once in src/core/registry.c under its SU_HAVE_* guard.  No other code
 * #ifdefs on a backend and backends never include each other.
 */
#ifndef SIZEUP_BACKEND_H
#define SIZEUP_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "sizeup/kernel.h"

#define SU_BACKEND_ABI 2 /* bump when a field is appended; never reorder */

/* su_backend_t.flags */
#define SU_BACKEND_HOST_THREADS 0x1u /* points are host threads on placements (cpu) */
#define SU_BACKEND_VIRTUAL 0x2u      /* modelled, not measured (null): no binding, any
                                        topology, time from clock_ns; planned only when
                                        --backend names it */

typedef enum su_timer_kind_e {
  SU_TIMER_HOST_MONOTONIC,
  SU_TIMER_DEVICE_EVENTS
} su_timer_kind_t;

/* Facts about one device, for system.json and the `device` CSV column. */
typedef struct su_device_info {
  char id[32];             /* stable selector: "0" for cpu, "P:D" for OpenCL */
  char name[128];
  char vendor[64];
  char version[128];       /* driver / runtime version */
  char json[4096];         /* a complete JSON object with every device fact */
  char local_cpuset[256];  /* PUs next to the device ("0-15"), "" when unknown */
  char pci[32];            /* PCI bus id "0000:65:00.0", "" when unknown (NVML's key) */
  char type[16];           /* "cpu", "gpu", "accelerator" or "other" (OpenCL's
                            * CL_DEVICE_TYPE): the plan measures GPUs and
                            * accelerators by default, CPU devices when asked */
} su_device_info_t;

typedef struct su_backend {
  unsigned abi;            /* SU_BACKEND_ABI */
  const char *name;        /* "cpu", "opencl", ... stable, in the CSV */
  unsigned priority;       /* listing order; equal priorities are a bug */
  /* Opens the runtime; SU_ENOTSUP (with context) when it is absent. */
  int (*init)(void **ctx);
  void (*fini)(void *ctx);
  int (*device_count)(void *ctx, unsigned *n);
  int (*device_info)(void *ctx, unsigned dev, su_device_info_t *out);
  const su_kernel_ops_t *const *kernels; /* NULL-terminated */
  su_timer_kind_t timer;
  /* ABI 2: */
  unsigned flags;          /* SU_BACKEND_* */
  /* The clock the runner times this backend's samples and budgets with, ns;
   * NULL: the host's monotonic clock (su_time_ns).  A virtual backend's
   * clock advances by the time its kernels model. */
  uint64_t (*clock_ns)(void);
} su_backend_t;

/* The compiled-in backends, sorted by priority, NULL-terminated. */
const su_backend_t *const *su_backends(void);
/* Looks a backend up by name; NULL when not compiled in. */
const su_backend_t *su_backend_find(const char *name);
/* Looks a kernel up by name within a backend; NULL when absent. */
const su_kernel_ops_t *su_backend_kernel(const su_backend_t *b, const char *name);

#endif /* SIZEUP_BACKEND_H */
