/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * io_util.c: the helpers of io_int.h: array growth for every reader that
 * collects an unknown number of rows, and the one mapping from a results
 * row to its samples key (results.csv and samples.csv share the key
 * columns).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_int.h"
#include "sizeup/error.h"

int su__grow(void *arrp, size_t n, size_t *cap, size_t elem_size, size_t first_cap)
{
  size_t ncap = *cap ? 2 * *cap : first_cap;
  void *arr, *p;

  if (n < *cap)
    return SU_OK;
  if (ncap <= *cap || elem_size == 0 || ncap > SIZE_MAX / elem_size)
    return SU_ENOMEM;
  memcpy(&arr, arrp, sizeof(arr));
  p = realloc(arr, ncap * elem_size);
  if (!p)
    return SU_ENOMEM;
  memcpy(arrp, &p, sizeof(p));
  *cap = ncap;
  return SU_OK;
}

su_sample_key_t su__row_sample_key(const su_result_row_t *w)
{
  su_sample_key_t k = {w->kernel, w->variant, w->backend, w->device, w->precision,
                       w->placement, w->metric, w->threads, w->ranks, w->nodes,
                       w->size_bytes};

  return k;
}
