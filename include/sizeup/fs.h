/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fs.h: small file-system helpers shared by the writers of results and
 * reports.  sizeup writes only files it creates: a file is created with
 * O_EXCL and O_NOFOLLOW (so an existing file or a symbolic link planted
 * where it writes is refused, never overwritten or followed), written under
 * a temporary name when it replaces something, and renamed into place only
 * after every write, flush and fsync succeeded.
 */
#ifndef SIZEUP_FS_H
#define SIZEUP_FS_H

#include <stddef.h>
#include <stdio.h>

/*
 * Creates directory `path` and its missing parents (mkdir -p).  SU_OK when it
 * exists already; SU_EIO with context naming the component that could not
 * be created; SU_EINVAL for an empty or too long path.
 */
int su_fs_mkdir_p(const char *path);

/* Creates `path` for writing; it must not exist (not even as a dangling
 * link).  SU_OK with *out open, or SU_EIO naming the file. */
int su_fs_create(const char *path, FILE **out);

/* fopen(path, "w") that never follows a symbolic link: a link planted where
 * a report or a table goes makes it fail (ELOOP), instead of overwriting
 * the file it points to.  NULL with errno set on failure. */
FILE *su_fs_fopen_w(const char *path);

/* Flushes, checks the stream's error flag, fsyncs and closes fp (always
 * closed).  SU_OK, or SU_EIO naming `path` (a full disk shows here). */
int su_fs_finish(FILE *fp, const char *path);

/* su_fs_finish, then renames `tmp` to `path`; on any failure `tmp` is
 * removed and `path` left as it was.  SU_OK or SU_EIO. */
int su_fs_commit(FILE *fp, const char *tmp, const char *path);

/* fsyncs a directory, so that renames and creations in it are durable. */
int su_fs_sync_dir(const char *dir);

/*
 * Reads the whole file at path (at most max_bytes; a longer file is cut) into
 * *out, a malloc'ed NUL-terminated string.  SU_OK; SU_EIO with context
 * "cannot read 'path': <system reason>" (errno is kept for the caller);
 * SU_ENOMEM.  *out is NULL on failure.
 */
int su_fs_read_text(const char *path, size_t max_bytes, char **out);

#endif /* SIZEUP_FS_H */
