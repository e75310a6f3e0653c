/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_summary.c: summary.csv through su_results_load (fuzz.h). */
#include "fuzz.h"
#include "sizeup/results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  su_results_t r;

  fuzz_remove("system.json");
  fuzz_file(0, "summary.csv", data, size);
  if (su_results_load(fuzz_dir(), &r) == SU_OK)
    su_results_fini(&r);
  return 0;
}
