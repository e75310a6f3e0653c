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

#endif /* SIZEUP_FS_H */
