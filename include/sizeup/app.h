/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * app.h: the `app` backend, a user's own program measured like a kernel.
 *
 * An application is a command (su_app_spec_t, in run.h) run once per timed
 * repetition over the same axes as the kernels: the thread ladder (the
 * child gets OMP_NUM_THREADS and is bound with hwloc to the point's cpuset
 * before it executes), placements, and optionally MPI ranks through mpirun
 * or srun.  The runner (runner.c) does the rest exactly as for a kernel:
 * warm-up, repetitions until the CI target or the budget, rounds, status
 * rows.  Its metric is the program's wall time ("time", s, measured from
 * the release of the bound child to its exit), or a figure of merit taken
 * from its standard output by a POSIX extended regex with one capture group
 * ("fom" when higher is better, "fom_lower" otherwise, in the user's unit).
 *
 * A run that exits non-zero, is killed, times out (its process group is
 * killed) or prints no figure of merit fails the point: an `error` row whose
 * reason has the cause and the last lines of the program's stderr.  Each
 * run's stdout and stderr are kept under <results>/app-output/, each bounded
 * to its first and last 64 KiB.
 */
#ifndef SIZEUP_APP_H
#define SIZEUP_APP_H

#include <stddef.h>

#include "sizeup/kernel.h"
#include "sizeup/run.h"

/* Bytes of a run's output kept at its start and at its end. */
#define SU_APP_KEEP_BYTES (64 * 1024)

/* Defaults: no figure of merit, a 600 s timeout per run, no launcher. */
void su_app_spec_default(su_app_spec_t *s);

/*
 * Splits a command into words as sh does for plain words: blanks separate,
 * '...' is literal, "..." allows \" \\ \$ \` escapes, a backslash outside
 * quotes escapes the next character.  No expansions, pipes or redirections.
 * *words is a NULL-terminated malloc'ed array (free with su_app_words_free).
 * SU_EINVAL with context for an unterminated quote or an empty command.
 */
int su_app_split(const char *command, char ***words, size_t *n);
void su_app_words_free(char **words);

/* Joins argv into one command string that su_app_split gives back as is
 * (words quoted for sh where needed).  SU_EINVAL when it does not fit. */
int su_app_join(char *const *argv, int argc, char *out, size_t len);

/*
 * Checks a spec: a name, a command whose program exists (in PATH or as a
 * path; so does the launcher when ranks are given), a figure-of-merit regex
 * that compiles and has exactly one capture group, a unit only with it,
 * ranks that parse.  SU_EINVAL with a message that says what to change.
 */
int su_app_spec_check(const su_app_spec_t *s);

/*
 * Registers spec in the app backend's context (from its init(), as the plan
 * keeps it) and gives the kernel ops that measure it; the ops live as long
 * as the context.  The same name twice gives the same ops when the specs
 * are equal, SU_EINVAL otherwise.  Checks the spec (su_app_spec_check).
 */
int su_app_register(void *ctx, const su_app_spec_t *spec, const su_kernel_ops_t **ops);

/* The app backend (listed in registry.c). */
extern const su_backend_t su_backend_app;

#endif /* SIZEUP_APP_H */
