/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * registry.c: the one table of compiled-in backends.  The only place that
 * #ifdefs on a backend (house rule 2).
 */
#include <string.h>

#include "sizeup/backend.h"
#include "sizeup/config.h"
#include "sizeup/run.h"

extern const su_backend_t su_backend_cpu;
extern const su_backend_t su_backend_app;
extern const su_backend_t su_backend_null;   /* modelled: always built (house rule 8) */
#if SU_HAVE_OPENCL
extern const su_backend_t su_backend_opencl;
#endif
#if SU_HAVE_MPI
extern const su_backend_t su_backend_mpi;
extern const su_dist_t su_dist_mpi;
#endif

static const su_backend_t *const su_backend_table[] = {
  &su_backend_cpu,
#if SU_HAVE_OPENCL
  &su_backend_opencl,
#endif
#if SU_HAVE_MPI
  &su_backend_mpi,
#endif
  &su_backend_app,
  &su_backend_null,
  NULL
};

/* The distributed engines: MPI only, when built with it. */
static const su_dist_t *const su_dist_table[] = {
#if SU_HAVE_MPI
  &su_dist_mpi,
#endif
  NULL
};

const su_dist_t *su_dist_find(const char *name)
{
  for (const su_dist_t *const *d = su_dist_table; *d; d++)
    if (strcmp((*d)->name, name) == 0)
      return *d;
  return NULL;
}

const su_backend_t *const *su_backends(void)
{
  return su_backend_table;
}

const su_backend_t *su_backend_find(const char *name)
{
  for (const su_backend_t *const *b = su_backend_table; *b; b++)
    if (strcmp((*b)->name, name) == 0)
      return *b;
  return NULL;
}

const su_kernel_ops_t *su_backend_kernel(const su_backend_t *b, const char *name)
{
  for (const su_kernel_ops_t *const *k = b->kernels; *k; k++)
    if (strcmp((*k)->desc->name, name) == 0)
      return *k;
  return NULL;
}
