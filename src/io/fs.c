/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fs.c: file-system helpers (mkdir -p, reading a small text file) for the
 * results and report writers and the readers of /proc and /sys.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sizeup/error.h"
#include "sizeup/fs.h"

int su_fs_mkdir_p(const char *path)
{
  char buf[1024];
  size_t len = strlen(path);

  if (len == 0 || len >= sizeof(buf))
    return su_errorf(SU_EINVAL, "invalid output directory '%s'", path);
  memcpy(buf, path, len + 1);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
      return su_errorf(SU_EIO, "cannot create directory '%s': %s", buf, strerror(errno));
    *p = '/';
  }
  if (mkdir(buf, 0777) != 0 && errno != EEXIST)
    return su_errorf(SU_EIO, "cannot create directory '%s': %s", buf, strerror(errno));
  return SU_OK;
}

int su_fs_read_text(const char *path, size_t max_bytes, char **out)
{
  FILE *fp = fopen(path, "r");
  size_t n = 0, cap = 4096;
  char *buf;
  int saved;

  *out = NULL;
  if (!fp)
    return su_errorf(SU_EIO, "cannot read '%s': %s", path, strerror(errno));
  if (!(buf = malloc(cap))) {
    fclose(fp);
    return su_errorf(SU_ENOMEM, "cannot read '%s'", path);
  }
  for (;;) {
    size_t got;
    if (n + 1 >= cap && cap <= max_bytes) {
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        fclose(fp);
        return su_errorf(SU_ENOMEM, "cannot read '%s'", path);
      }
      buf = nb;
      cap *= 2;
    }
    got = fread(buf + n, 1, (cap - 1 - n < max_bytes - n ? cap - 1 - n : max_bytes - n), fp);
    n += got;
    if (got == 0 || n >= max_bytes)
      break;
  }
  if (ferror(fp)) {
    saved = errno;
    free(buf);
    fclose(fp);
    errno = saved;
    return su_errorf(SU_EIO, "cannot read '%s': %s", path, strerror(saved));
  }
  fclose(fp);
  buf[n] = '\0';
  *out = buf;
  return SU_OK;
}
