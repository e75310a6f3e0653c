/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_catalog.c: a sizing catalog (CSV) through su_sizing_catalog_load (fuzz.h). */
#include "fuzz.h"
#include "sizeup/sizing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  su_sizing_catalog_t c;

  if (su_sizing_catalog_load(fuzz_file(0, "catalog.csv", data, size), &c) == SU_OK)
    su_sizing_catalog_fini(&c);
  return 0;
}
