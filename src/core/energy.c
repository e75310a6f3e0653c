/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * energy.c: RAPL through powercap and NVML through dlopen (energy.h).
 *
 * RAPL counters are cumulative microjoules that wrap at max_energy_range_uj;
 * a reading keeps each package's last raw value and adds the difference,
 * so a wrap between two readings counts once (readings are milliseconds to
 * seconds apart, far below the tens of minutes a counter takes to wrap).
 * NVML's total energy is cumulative millijoules since the driver loaded.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sizeup/energy.h"
#include "sizeup/error.h"

#define SU_RAPL_MAX 16

/* NVML's ABI: opaque handles, int return codes (0 = success). */
typedef struct nvml_device *nvml_dev_t;
typedef int (*nvml_init_fn)(void);
typedef int (*nvml_by_pci_fn)(const char *, nvml_dev_t *);
typedef int (*nvml_energy_fn)(nvml_dev_t, unsigned long long *);

struct su_energy {
  unsigned nrapl;
  char rapl[SU_RAPL_MAX][96];         /* energy_uj paths */
  uint64_t range[SU_RAPL_MAX], last[SU_RAPL_MAX];
  double acc_j;                       /* RAPL total since open */
  void *nvml;                         /* dlopen handle */
  nvml_by_pci_fn by_pci;
  nvml_energy_fn energy;
  char why_cpu[160], why_gpu[160];
};

static int read_u64(const char *path, uint64_t *v)
{
  FILE *f = fopen(path, "r");
  unsigned long long x;
  int ok;

  if (!f)
    return -errno;
  ok = fscanf(f, "%llu", &x) == 1;
  fclose(f);
  if (!ok)
    return -EIO;
  *v = x;
  return 0;
}

static void open_rapl(su_energy_t *e)
{
  int why = 0;

  for (unsigned p = 0; p < SU_RAPL_MAX; p++) {
    char dir[64], path[96];
    uint64_t v = 0;
    int rc;

    snprintf(dir, sizeof(dir), "/sys/class/powercap/intel-rapl:%u", p);
    snprintf(path, sizeof(path), "%s/energy_uj", dir);
    if ((rc = read_u64(path, &v)) != 0) {
      if (rc != -ENOENT && !why) {
        snprintf(e->why_cpu, sizeof(e->why_cpu), "rapl: cannot read '%s': %s", path,
                 strerror(-rc));
        why = 1;
      }
      continue;
    }
    snprintf(e->rapl[e->nrapl], sizeof(e->rapl[0]), "%s", path);
    snprintf(path, sizeof(path), "%s/max_energy_range_uj", dir);
    if (read_u64(path, &e->range[e->nrapl]) != 0)
      e->range[e->nrapl] = 0;
    e->last[e->nrapl++] = v;
  }
  if (e->nrapl)
    e->why_cpu[0] = '\0';
  else if (!why)
    snprintf(e->why_cpu, sizeof(e->why_cpu),
             "rapl: no /sys/class/powercap/intel-rapl:N package domain on this machine");
}

static void open_nvml(su_energy_t *e)
{
  nvml_init_fn init;

  e->nvml = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!e->nvml) {
    snprintf(e->why_gpu, sizeof(e->why_gpu), "nvml: libnvidia-ml.so.1 not found (no NVIDIA "
             "driver)");
    return;
  }
  init = (nvml_init_fn)dlsym(e->nvml, "nvmlInit_v2");
  e->by_pci = (nvml_by_pci_fn)dlsym(e->nvml, "nvmlDeviceGetHandleByPciBusId_v2");
  e->energy = (nvml_energy_fn)dlsym(e->nvml, "nvmlDeviceGetTotalEnergyConsumption");
  if (!init || !e->by_pci || !e->energy || init() != 0) {
    snprintf(e->why_gpu, sizeof(e->why_gpu), "nvml: %s", init && e->by_pci && e->energy
             ? "nvmlInit_v2 failed" : "the library lacks the energy counter (driver too old)");
    dlclose(e->nvml);
    e->nvml = NULL;
  }
}

int su_energy_open(su_energy_t **out)
{
  su_energy_t *e = calloc(1, sizeof(*e));

  if (!e)
    return su_errorf(SU_ENOMEM, "out of memory for the energy counters");
  open_rapl(e);
  open_nvml(e);
  *out = e;
  return SU_OK;
}

void su_energy_close(su_energy_t *e)
{
  if (!e)
    return;
  if (e->nvml) {
    int (*shutdown)(void) = (int (*)(void))dlsym(e->nvml, "nvmlShutdown");
    if (shutdown)
      shutdown();
    dlclose(e->nvml);
  }
  free(e);
}

const char *su_energy_why(const su_energy_t *e, int gpu)
{
  return gpu ? e->why_gpu : e->why_cpu;
}

int su_energy_read(su_energy_t *e, const char *pci, double *joules)
{
  if (pci) {
    nvml_dev_t d;
    unsigned long long mj;

    if (!e->nvml)
      return su_errorf(SU_ENOTSUP, "%s", e->why_gpu);
    if (e->by_pci(pci, &d) != 0 || e->energy(d, &mj) != 0)
      return su_errorf(SU_ENOTSUP, "nvml: no energy counter for the GPU at '%s'", pci);
    *joules = (double)mj / 1e3;
    return SU_OK;
  }
  if (!e->nrapl)
    return su_errorf(SU_ENOTSUP, "%s", e->why_cpu);
  for (unsigned i = 0; i < e->nrapl; i++) {
    uint64_t v = 0;
    if (read_u64(e->rapl[i], &v) != 0)
      return su_errorf(SU_ENOTSUP, "rapl: cannot read '%s'", e->rapl[i]);
    e->acc_j += (double)(v >= e->last[i] ? v - e->last[i] : v + e->range[i] - e->last[i]) / 1e6;
    e->last[i] = v;
  }
  *joules = e->acc_j;
  return SU_OK;
}
