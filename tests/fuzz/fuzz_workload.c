/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_workload.c: a workload profile (INI) through su_sizing_workload_load (fuzz.h). */
#include "fuzz.h"
#include "sizeup/sizing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  su_sizing_workload_t w;

  su_sizing_workload_load(fuzz_file(0, "workload.ini", data, size), &w);
  return 0;
}
