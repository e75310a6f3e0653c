/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz.h: what the fuzz harnesses share.  Each harness is one
 * LLVMFuzzerTestOneInput over one reader of untrusted files; the readers
 * take paths, so the input is written to a file in a private directory
 * first.  The same harness is linked with libFuzzer (bench/fuzz.sh) and
 * with replay.c, which ctest runs over the corpus in the tree.
 */
#ifndef SIZEUP_FUZZ_H
#define SIZEUP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sizeup/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A directory of this process, made once. */
static inline const char *fuzz_dir(void)
{
  static char dir[64];

  if (!dir[0]) {
    snprintf(dir, sizeof(dir), "/tmp/sizeup-fuzz-XXXXXX");
    if (!mkdtemp(dir))
      abort();
  }
  return dir;
}

/* Writes data to fuzz_dir()/name and returns that path (static buffer per
 * slot: two files at once). */
static inline const char *fuzz_file(int slot, const char *name, const uint8_t *data,
                                    size_t size)
{
  static char path[2][128];
  FILE *fp;

  snprintf(path[slot], sizeof(path[slot]), "%s/%s", fuzz_dir(), name);
  if (!(fp = fopen(path[slot], "wb")))
    abort();
  if (size && fwrite(data, 1, size, fp) != size)
    abort();
  fclose(fp);
  return path[slot];
}

static inline void fuzz_remove(const char *name)
{
  char path[128];

  snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
  unlink(path);
}

#endif /* SIZEUP_FUZZ_H */
