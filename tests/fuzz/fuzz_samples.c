/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_samples.c: samples.csv through su_samples_load (fuzz.h). */
#include "fuzz.h"
#include "sizeup/samples.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  su_samples_t s;

  fuzz_file(0, "samples.csv", data, size);
  if (su_samples_load(fuzz_dir(), &s) == SU_OK)
    su_samples_fini(&s);
  return 0;
}
