/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fs.c: file-system helpers for the results and report writers and the
 * readers of /proc and /sys (fs.h): mkdir -p, files created exclusively
 * without following symbolic links, a commit that renames a file into place
 * only once every byte of it is on disk, and reading a small text file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int su_fs_create(const char *path, FILE **out)
{
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  FILE *fp;

  if (fd < 0 && errno == EEXIST)
    return su_errorf(SU_EIO, "'%s' already exists (sizeup writes only files it creates)", path);
  if (fd < 0)
    return su_errorf(SU_EIO, "cannot create '%s': %s", path, strerror(errno));
  if (!(fp = fdopen(fd, "w"))) {
    close(fd);
    unlink(path);
    return su_errorf(SU_EIO, "cannot create '%s': %s", path, strerror(errno));
  }
  *out = fp;
  return SU_OK;
}

FILE *su_fs_fopen_w(const char *path)
{
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644), e;
  FILE *fp;

  if (fd < 0)
    return NULL;
  if (!(fp = fdopen(fd, "w"))) {
    e = errno;
    close(fd);
    errno = e;
  }
  return fp;
}

int su_fs_finish(FILE *fp, const char *path)
{
  int bad = fflush(fp) != 0 || ferror(fp), e = errno;

  if (!bad && fsync(fileno(fp)) != 0) {
    bad = 1;
    e = errno;
  }
  if (fclose(fp) != 0 && !bad) {
    bad = 1;
    e = errno;
  }
  return bad ? su_errorf(SU_EIO, "cannot write '%s': %s", path, e ? strerror(e) : "write error")
             : SU_OK;
}

int su_fs_commit(FILE *fp, const char *tmp, const char *path)
{
  int err = su_fs_finish(fp, tmp);

  if (!err && rename(tmp, path) != 0)
    err = su_errorf(SU_EIO, "cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
  if (err)
    unlink(tmp);
  return err;
}

int su_fs_sync_dir(const char *dir)
{
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

  if (fd < 0)
    return su_errorf(SU_EIO, "cannot open '%s': %s", dir, strerror(errno));
  rc = fsync(fd);
  close(fd);
  return rc == 0 || errno == EINVAL ? SU_OK
                                    : su_errorf(SU_EIO, "cannot sync '%s': %s", dir, strerror(errno));
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
