/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * io_int.h: small helpers the readers and the models share (not installed):
 * growing an array by doubling, and the samples key of a results row.
 */
#ifndef SIZEUP_IO_INT_H
#define SIZEUP_IO_INT_H

#include <stddef.h>

#include "sizeup/results.h"
#include "sizeup/samples.h"

/*
 * Makes room in a growable array before one more element is appended:
 * arrp is the address of the array pointer (a T **, T of elem_size bytes),
 * *cap its capacity.  When n < *cap nothing changes; else the array is
 * reallocated to twice the capacity, or first_cap elements when *cap is 0.
 * SU_OK, or SU_ENOMEM (also when the size would overflow) with the array
 * and *cap untouched and still the caller's, who attaches the error context
 * (what it was doing).  Object pointers are assumed to share void *'s
 * representation, as on every platform sizeup builds for (POSIX).
 */
int su__grow(void *arrp, size_t n, size_t *cap, size_t elem_size, size_t first_cap);

/* The key of row w's samples; the strings point into w. */
su_sample_key_t su__row_sample_key(const su_result_row_t *w);

/*
 * The configuration key that a scaling series and a working-set sweep share
 * with the results row they are grouped from (kernel, variant, backend,
 * device, precision, placement, unit): the struct fields have the row's
 * names, so one macro copies and one compares them for both.
 */
#define SU__ROW_KEY_COPY(dst, row)                                            \
  do {                                                                        \
    (dst)->kernel = (row)->kernel;                                            \
    (dst)->variant = (row)->variant;                                          \
    (dst)->backend = (row)->backend;                                          \
    (dst)->device = (row)->device;                                            \
    (dst)->precision = (row)->precision;                                      \
    (dst)->placement = (row)->placement;                                      \
    (dst)->metric = (row)->metric;                                            \
    (dst)->unit = (row)->unit;                                                \
  } while (0)

#define SU__ROW_KEY_SAME(a, row)                                              \
  (strcmp((a)->kernel, (row)->kernel) == 0 &&                                 \
   strcmp((a)->variant, (row)->variant) == 0 &&                               \
   strcmp((a)->backend, (row)->backend) == 0 &&                               \
   strcmp((a)->device, (row)->device) == 0 &&                                 \
   strcmp((a)->precision, (row)->precision) == 0 &&                           \
   strcmp((a)->placement, (row)->placement) == 0 &&                           \
   strcmp((a)->metric, (row)->metric) == 0 && strcmp((a)->unit, (row)->unit) == 0)

#endif /* SIZEUP_IO_INT_H */
