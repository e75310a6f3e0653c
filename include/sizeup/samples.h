/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * samples.h: the per-repetition samples of a results directory, grouped by
 * configuration (docs/csv-schema.md, samples.csv).
 *
 * A group is one configuration key plus its metric and every sample value of
 * it, in file order.  The comparison (compare.h) and the history (history.h)
 * test on these values rather than on the summary, because a rank test needs
 * the samples.  Groups can also be built by hand (su_samples_add): adding to
 * an existing key pools the values, which is how `history check` pools the
 * baseline runs.  Strings are untrusted (see results.h) and owned by the set.
 */
#ifndef SIZEUP_SAMPLES_H
#define SIZEUP_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

/* The configuration key of docs/csv-schema.md, without the run id.  Strings
 * are never NULL once in a set. */
typedef struct su_sample_key {
  const char *kernel, *variant, *backend, *device, *precision, *placement, *metric;
  unsigned threads, ranks, nodes;
  uint64_t size_bytes;
} su_sample_key_t;

typedef struct su_sample_group {
  su_sample_key_t key;     /* strings owned by the group */
  char *unit;
  double *values;
  /* Per value: the replicate it belongs to (a round of a run, or a run of a
   * pooled baseline: samples of one replicate were taken together, so they
   * share its machine state) and the core-to-core latency of the threads
   * measured with it, ns (NaN when not measured). */
  unsigned *replicate;
  double *c2c_ns;
  size_t n, cap;
} su_sample_group_t;

typedef struct su_samples {
  su_sample_group_t *g;
  size_t n, cap;
  /* A hash index over the keys (open addressing: group index + 1, 0 free),
   * so that loading n groups takes linear time. */
  size_t *slot, nslot;
} su_samples_t;

/*
 * Loads DIR/samples.csv into *out (zeroed first; release with
 * su_samples_fini).  Columns are found by header name (schema.h); rows with
 * an empty value (a failed sample) are skipped.  The optional columns
 * `round` and `c2c_ns` (absent from files of older versions) give the tags.
 * SU_OK; SU_EIO when the file cannot be opened or read; SU_EINVAL for a
 * missing column, a row with a field count other than the header's or a
 * number out of its range, naming file and line; SU_ENOMEM.  An unreadable
 * samples.csv is an error for every caller: never "no samples".
 */
int su_samples_load(const char *dir, su_samples_t *out);

/* Appends n values to the group of key (created when absent; unit is taken
 * from the first add), all of replicate 0 with no c2c latency.  SU_OK or
 * SU_ENOMEM. */
int su_samples_add(su_samples_t *s, const su_sample_key_t *key, const char *unit,
                   const double *values, size_t n);

/* The same with a replicate number and a c2c latency per value; either array
 * may be NULL (replicate 0, NaN).  `replicate_base` is added to every
 * replicate number, so that pooled runs keep their rounds apart. */
int su_samples_add_tagged(su_samples_t *s, const su_sample_key_t *key, const char *unit,
                          const double *values, const unsigned *replicate,
                          unsigned replicate_base, const double *c2c_ns, size_t n);

/* The group of key, or NULL. */
su_sample_group_t *su_samples_find(const su_samples_t *s, const su_sample_key_t *key);

/* 0 when both keys name the same configuration and metric. */
int su_samples_key_cmp(const su_sample_key_t *a, const su_sample_key_t *b);

void su_samples_fini(su_samples_t *s);   /* NULL-safe, idempotent */

#endif /* SIZEUP_SAMPLES_H */
