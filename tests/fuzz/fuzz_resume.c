/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_resume.c: `--resume` of a folder (su_sink_open with resume) over
 * crafted .part files (fuzz.h).  Input: one byte for the plan's points
 * (1-16), one for the rounds (1-3), then summary.csv.part, the line "~~",
 * and samples.csv.part.
 */
#include "fuzz.h"
#include "sizeup/run.h"

static void clean(void)
{
  static const char *const names[] = {
    "summary.csv", "samples.csv", "summary.csv.part", "samples.csv.part",
    "summary.csv.part.tmp", "samples.csv.part.tmp", "sizeup.lock",
  };

  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    fuzz_remove(names[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char sep[] = "\n~~\n";
  const uint8_t *split;
  size_t nplan, rounds, n1;
  su_sink_t *s;

  if (size < 2)
    return 0;
  nplan = 1 + data[0] % 16;
  rounds = 1 + data[1] % 3;
  data += 2;
  size -= 2;
  split = memmem(data, size, sep, sizeof(sep) - 1);
  n1 = split ? (size_t)(split - data) + 1 : size;
  clean();
  fuzz_file(0, "summary.csv.part", data, n1);
  if (split)
    fuzz_file(1, "samples.csv.part", split + sizeof(sep) - 1,
              size - n1 - (sizeof(sep) - 2));
  else
    fuzz_file(1, "samples.csv.part", (const uint8_t *)"", 0);
  if (su_sink_open(fuzz_dir(), 1, nplan, (unsigned)rounds, &s) == SU_OK) {
    for (size_t i = 0; i < nplan; i++) {
      su_point_result_t pr;
      su_sink_take_carry(s, i, &pr);
      su_point_result_fini(&pr);
    }
    su_sink_close(s);
  }
  clean();
  return 0;
}
