/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * suggest.h: "did you mean" for every name a user types: commands, options,
 * kernels, profiles, placements.  One edit distance (optimal string
 * alignment: an insertion, a deletion, a substitution or a swap of two
 * neighbours costs one, so 'comapre' is one from 'compare') and one rule of
 * closeness, so every error suggests alike.
 */
#ifndef SIZEUP_SUGGEST_H
#define SIZEUP_SUGGEST_H

#include <stddef.h>

/* The edit distance of a and b, ignoring case; SIZE_MAX when either is
 * longer than 63 characters. */
size_t su_suggest_distance(const char *a, const char *b);

/*
 * The candidate closest to word when it is close enough to be a typo of it:
 * at most 1 edit for words of up to 4 characters, 2 up to 8, 3 beyond; or a
 * candidate that word is a prefix of (3 characters or more).  Ties go to the
 * first.  NULL when none is close, or when word is one of them.
 */
const char *su_suggest(const char *word, const char *const *cands, size_t n);

/*
 * "did you mean 'X'? " with the prefix pre ("--" for options) before X, into
 * buf, or "" when nothing is close; returns buf.  Made to stand first in a
 * parenthesis: "unknown kernel 'x' (did you mean 'y'? see 'sizeup list')".
 */
const char *su_suggest_hint(const char *word, const char *pre, const char *const *cands,
                            size_t n, char *buf, size_t len);

#endif /* SIZEUP_SUGGEST_H */
