/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_suite.c: a suite profile (INI) through su_suite_load (fuzz.h). */
#include "fuzz.h"
#include "sizeup/run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  su_suite_t s;

  if (su_suite_load(fuzz_file(0, "suite.ini", data, size), &s) == SU_OK)
    su_suite_fini(&s);
  return 0;
}
