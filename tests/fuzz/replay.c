/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * replay.c: runs a fuzz harness's LLVMFuzzerTestOneInput over every file
 * named on the command line, or every file of the directories named, with
 * the normal compiler: the corpora and reproducers in tests/fuzz/corpus
 * become ordinary tests (ctest, and under ASan and UBSan in CI).  A crash
 * or a sanitizer report fails the test; the harness itself never fails.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
  FILE *fp = fopen(path, "rb");
  uint8_t *buf;
  long n;

  if (!fp || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
    fprintf(stderr, "replay: cannot read '%s'\n", path);
    if (fp)
      fclose(fp);
    return 1;
  }
  buf = malloc((size_t)n + 1);
  if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
    fprintf(stderr, "replay: cannot read '%s'\n", path);
    fclose(fp);
    free(buf);
    return 1;
  }
  fclose(fp);
  LLVMFuzzerTestOneInput(buf, (size_t)n);
  free(buf);
  return 0;
}

static int cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
  size_t files = 0;
  int bad = 0;

  for (int i = 1; i < argc; i++) {
    struct stat st;
    DIR *d;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;

    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "replay: no '%s'\n", argv[i]);
      return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
      bad |= run_file(argv[i]);
      files++;
      continue;
    }
    if (!(d = opendir(argv[i])))
      return 1;
    while ((e = readdir(d)))
      if (e->d_name[0] != '.') {
        names = realloc(names, (n + 1) * sizeof(*names));
        names[n] = malloc(strlen(argv[i]) + strlen(e->d_name) + 2);
        sprintf(names[n++], "%s/%s", argv[i], e->d_name);
      }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp);
    for (size_t k = 0; k < n; k++) {
      bad |= run_file(names[k]);
      files++;
      free(names[k]);
    }
    free(names);
  }
  {
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_dir());
    if (system(cmd) != 0)
      bad = 1;
  }
  printf("replayed %zu inputs\n", files);
  return bad || files == 0;
}
