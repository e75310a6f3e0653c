/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fs.c: file-system helpers (mkdir -p) for the results and report writers.
 */
#include <errno.h>
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
