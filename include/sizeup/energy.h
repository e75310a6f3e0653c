/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * energy.h: measured energy of a point, where the machine allows it.
 *
 *   CPU    RAPL package domains through Linux powercap
 *          (/sys/class/powercap/intel-rapl:N/energy_uj, also AMD's), summed
 *          over packages, the counter's wrap-around handled.
 *   GPU    NVML, loaded at run time (dlopen of libnvidia-ml.so.1: no build
 *          dependency): nvmlDeviceGetTotalEnergyConsumption of the device
 *          with the OpenCL device's PCI bus id.
 *
 * A source that is missing (no powercap, counters readable only by root,
 * no NVIDIA driver) is never an error: the point's energy stays empty and
 * su_energy_why says why, for system.json.  Figures cover the domain the
 * counter covers (CPU packages; the GPU board), not the whole node.
 */
#ifndef SIZEUP_ENERGY_H
#define SIZEUP_ENERGY_H

typedef struct su_energy su_energy_t;

/* Opens what the machine offers; SU_OK (even with no source at all) or
 * SU_ENOMEM.  Release with su_energy_close (NULL-safe). */
int su_energy_open(su_energy_t **out);
void su_energy_close(su_energy_t *e);
/* "" when the source (gpu = 0: RAPL, 1: NVML) is available, else why not. */
const char *su_energy_why(const su_energy_t *e, int gpu);
/* The cumulative energy in joules of the CPU packages (pci NULL) or of the
 * GPU at PCI bus id `pci` ("0000:65:00.0"); SU_ENOTSUP when not measurable. */
int su_energy_read(su_energy_t *e, const char *pci, double *joules);

#endif /* SIZEUP_ENERGY_H */
