/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli.h: what the subcommands share.  One file per subcommand
 * (src/cli/cmd_<name>.c), dispatched from the sorted table in main.c (git's
 * cmd_struct).  Only src/cli/ prints to the terminal or exits.
 *
 * Exit codes: 0 success, 1 a runtime error, 2 bad usage or bad input,
 * 3 a regression found (compare/check), 4 a check too blind to trust
 * (compare/check --fail-if-blind), 130 interrupted.
 */
#ifndef SIZEUP_CLI_H
#define SIZEUP_CLI_H

#define SU_EXIT_OK 0
#define SU_EXIT_ERROR 1
#define SU_EXIT_USAGE 2
#define SU_EXIT_REGRESSION 3
#define SU_EXIT_BLIND 4
#define SU_EXIT_INTERRUPTED 130

int cmd_compare(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_recommend(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_app(int argc, char **argv);

/* `sizeup app` (cmd_app.c) shares run's options and loop (cmd_run.c): its
 * usage, and the end of its parsing: argv[optind..] is the command, joined
 * into spec->command; the name defaults to the program's base name.
 * Returns 0 or an exit code (after a usage error). */
#include <stdio.h>
#include "sizeup/run.h"
void su_cli_app_usage(FILE *fp);
int su_cli_app_finish(int argc, char **argv, int optind, su_app_spec_t *spec, int has_suite,
                      const char *resume);
int cmd_slurm(int argc, char **argv);
int cmd_topo(int argc, char **argv);

/*
 * Prints "sizeup: error: <su_errmsg()>", followed by ": <su_strerror(err)>"
 * only when that reason adds to the context (not for SU_EINVAL and SU_EIO,
 * whose contexts say what is wrong and carry the system's reason), and returns the
 * exit code for err: SU_EXIT_USAGE for SU_EINVAL, SU_EXIT_INTERRUPTED for
 * SU_EINTR, SU_EXIT_ERROR otherwise.
 */
int su_cli_fail(int err);
/* The same for a failure to read input (results, a database): SU_EIO and
 * SU_EINVAL are both SU_EXIT_USAGE (docs/nightly.md: unreadable input is
 * exit 2 in every command). */
int su_cli_fail_input(int err);
/* Prints "sizeup: error: <printf>" plus a hint to --help; returns SU_EXIT_USAGE. */
int su_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* getopt_long's unknown option / missing argument, reported git-style, with
 * the closest of the command's long options opts (NULL-terminated) when a
 * long option was mistyped. */
struct option;
int su_cli_bad_option(const char *cmd, int argc, char **argv, const struct option *opts);

/* Shared by `compare` and `history check` (cmd_compare.c): the gate's
 * options -t/--threshold, -a/--alpha, -k/--noise-k, -j/--junit and -o/--out. */
#include <stdio.h>

#include "sizeup/compare.h"

typedef struct su_cli_gate {
  su_cmp_opts_t o;           /* threshold and alpha */
  const char *junit;         /* -j FILE, or NULL */
  const char *out_dir;       /* -o DIR, or NULL */
  double fail_if_blind;      /* --fail-if-blind: fail above this share of noisy checks; < 0 off */
} su_cli_gate_t;

#define SU_CLI_GATE_SHORTOPTS "t:a:j:o:k:"
#define SU_CLI_GATE_LONGOPTS                                                  \
  {"threshold", required_argument, NULL, 't'},                                \
  {"alpha", required_argument, NULL, 'a'},                                    \
  {"noise-k", required_argument, NULL, 'k'},                                  \
  {"junit", required_argument, NULL, 'j'},                                    \
  {"out", required_argument, NULL, 'o'},                                      \
  {"fail-if-blind", required_argument, NULL, 'B'}

/* Sets the defaults of the gate's options. */
void su_cli_gate_init(su_cli_gate_t *g);
/*
 * Takes option c (with its argument) when it is one of the gate's: returns
 * SU_EXIT_OK, SU_EXIT_USAGE after printing a bad value, or -1 when c is not
 * a gate option.
 */
int su_cli_gate_option(const char *cmd, int c, const char *arg, su_cli_gate_t *g);
/* Prints the table, writes JUnit XML to g->junit and compare.csv plus the
 * plot into g->out_dir (each when set); returns SU_EXIT_REGRESSION when a
 * configuration regressed, SU_EXIT_OK, or SU_EXIT_ERROR on an output error. */
int su_cli_compare_report(const su_cmp_t *c, const char *suite, const su_cli_gate_t *g);
/* SU_EXIT_BLIND after saying so when --fail-if-blind is set and a larger
 * share of the checks was too noisy to judge; else SU_EXIT_OK. */
int su_cli_gate_blind(const su_cmp_t *c, const su_cli_gate_t *g);
/* Untrusted text on the terminal: control characters become '?'. */
void su_cli_put_safe(FILE *fp, const char *s);

#endif /* SIZEUP_CLI_H */
