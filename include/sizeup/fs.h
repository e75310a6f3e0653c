/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fs.h: small file-system helpers shared by the writers of results and
 * reports.
 */
#ifndef SIZEUP_FS_H
#define SIZEUP_FS_H

/*
 * Creates directory `path` and its missing parents (mkdir -p).  SU_OK when it
 * exists already; SU_EIO with context naming the component that could not
 * be created; SU_EINVAL for an empty or too long path.
 */
int su_fs_mkdir_p(const char *path);

/*
 * Reads the whole file at path (at most max_bytes; a longer file is cut) into
 * *out, a malloc'ed NUL-terminated string.  SU_OK; SU_EIO with context
 * "cannot read 'path': <system reason>" (errno is kept for the caller);
 * SU_ENOMEM.  *out is NULL on failure.
 */
#include <stddef.h>
int su_fs_read_text(const char *path, size_t max_bytes, char **out);

#endif /* SIZEUP_FS_H */
