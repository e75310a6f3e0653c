/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ini.h: what libinih leaves to its callers in the INI files sizeup reads
 * (suites, workload profiles): a key given twice in a section, or a section
 * given twice, is an error, because inih hands both to the handler and the
 * later one would silently win.
 */
#ifndef SIZEUP_INI_H
#define SIZEUP_INI_H

#include <stddef.h>

typedef struct su_ini_seen {
  char **keys;             /* "section\nkey" */
  size_t nkeys, capkeys;
  char **sections;
  size_t nsections, capsections;
  char *current;           /* the section of the last key */
} su_ini_seen_t;           /* zero-initialised */

/*
 * Records one (section, key) pair of an inih handler call.  0; or -1 with
 * `why` set ("key 'k' given twice in [s]", "section [s] given twice", "out
 * of memory").
 */
int su_ini_seen_add(su_ini_seen_t *s, const char *section, const char *key, char *why,
                    size_t len);
void su_ini_seen_fini(su_ini_seen_t *s);   /* NULL-safe */

#endif /* SIZEUP_INI_H */
