/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * compare.h: comparing two sets of measurements configuration by
 * configuration (`sizeup compare`, `sizeup history check`).
 *
 * A side is the headline rows (bandwidth, flops, latency) of a results
 * directory with their samples, or a baseline pooled from several runs.
 * Configurations are matched by key (kernel, variant, backend, device,
 * precision, threads, ranks, nodes, placement, size_bytes, metric).  For each
 * match the comparison reports both medians with their 95% CIs, the ratio,
 * the Mann-Whitney U p-value on the samples and Cliff's delta, and classes it
 * with the rule documented in docs/nightly.md:
 *
 *   noisy      fewer than min_samples on a side, or cv > threshold on a side;
 *              or a change that the machine explains: the replicates (rounds
 *              of a run, runs of a history) do not confirm it, or it lies
 *              within noise_k times the comparison's run-to-run noise
 *              (su_cmp_run)
 *   regressed  p < alpha, the median is worse by more than threshold, the
 *              two CIs of the median do not overlap, and, when both sides
 *              have two replicates or more, Welch's t-test on the replicate
 *              medians gives p < alpha too and every replicate of new is
 *              worse than every replicate of the base; or the
 *              configuration was ok in the base and failed (failed_verify,
 *              error) in new
 *   improved   the same conditions in the better direction
 *   unchanged  anything else
 *   missing    in the base only (or unsupported/skipped in new)
 *   new        in new only
 *
 * When both sides' samples carry a core-to-core latency, only the samples
 * of one thread placement are compared: the placement (latencies within
 * 1.5x of each other) that both sides measured most.  Like with like, since
 * a cloud VM's vCPUs move between placements within a run and between runs;
 * with fewer than min_samples of it on a side the configuration is noisy.
 *
 * The derived metrics (peak_theoretical, clock, flops_per_cycle, efficiency)
 * are not compared: they are single figures or the headline scaled by a
 * constant, so they add no information to the gate.
 */
#ifndef SIZEUP_COMPARE_H
#define SIZEUP_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "sizeup/samples.h"

typedef enum su_cmp_class_e {
  SU_CMP_UNCHANGED, SU_CMP_IMPROVED, SU_CMP_REGRESSED, SU_CMP_NOISY, SU_CMP_MISSING,
  SU_CMP_NEW,
  SU_CMP_NCLASSES
} su_cmp_class_t;

typedef struct su_cmp_opts {
  double threshold;        /* fraction: 0.05 = 5% (default) */
  double alpha;            /* significance level of the U test: 0.01 (default) */
  size_t min_samples;      /* per side, below it a configuration is noisy: 6 */
  double c2c_ratio;        /* placements differ above this latency ratio: 1.5 */
  double noise_k;          /* changes within noise_k x the run-to-run noise are noisy: 3;
                              0 = off (see su_cmp_run) */
} su_cmp_opts_t;

/* One side of a comparison.  `ok` holds a group per configuration whose
 * status is ok (values may be empty when samples.csv lacks them); `failed`
 * the keys of configurations whose status is failed_verify or error. */
typedef struct su_cmp_side {
  char *label;             /* run id, or a description of a pooled baseline */
  su_samples_t ok, failed;
} su_cmp_side_t;

typedef struct su_cmp_row {
  const su_sample_key_t *key; /* points into a side: valid while both live */
  const char *unit;
  int direction;           /* +1 higher is better, -1 lower is better */
  su_cmp_class_t cls;
  size_t n_base, n_new;    /* samples */
  double base_median, new_median;
  double ratio;            /* new_median / base_median */
  double change;           /* (ratio - 1) * direction: < 0 is worse */
  double base_ci_lo, base_ci_hi, new_ci_lo, new_ci_hi;   /* 95% CI of the medians */
  double base_cv, new_cv;
  double p_value;          /* Mann-Whitney U, two-sided; NaN when not tested */
  size_t base_reps, new_reps;      /* replicates (rounds, runs) with samples */
  double p_replicates;     /* Welch's t on the replicates' medians; NaN: < 2 a side */
  double base_c2c, new_c2c;        /* median core-to-core latency, ns; NaN: none */
  double cliffs_delta;     /* P(new better) - P(new worse) over all pairs, in [-1, 1] */
  char note[160];           /* why a row is noisy/regressed without a test; "" */
} su_cmp_row_t;

typedef struct su_cmp {
  su_cmp_row_t *rows;
  size_t nrows;
  size_t count[SU_CMP_NCLASSES];
  su_cmp_opts_t opts;
  const char *base_label, *new_label;   /* point into the sides */
  /* The run-to-run noise of this comparison: 1.4826 x the median absolute
   * deviation of the log ratios of the matched configurations (a robust
   * standard deviation), from `noise_n` of them; NaN with fewer than
   * SU_CMP_NOISE_MIN. */
  double noise;
  size_t noise_n;
} su_cmp_t;

/* Matched configurations needed to estimate the run-to-run noise. */
#define SU_CMP_NOISE_MIN 12

void su_cmp_opts_default(su_cmp_opts_t *o);

/* "unchanged", "improved", "regressed", "noisy", "missing", "new". */
const char *su_cmp_class_name(su_cmp_class_t c);

/* +1 for bandwidth and flops, -1 for latency, 0 for metrics not compared. */
int su_cmp_metric_direction(const char *metric);

/*
 * Loads the headline configurations of a results directory: summary.csv
 * (required) through su_results_load and samples.csv (optional: without it
 * every configuration has no samples and compares as noisy).  SU_OK; the
 * loaders' SU_EIO / SU_EINVAL / SU_ENOMEM with context.  *out is zeroed
 * first; release with su_cmp_side_fini.
 */
int su_cmp_side_load(const char *dir, su_cmp_side_t *out);
void su_cmp_side_fini(su_cmp_side_t *s);   /* NULL-safe, idempotent */

/*
 * Compares cur with base.  Rows come in base order, then the new-only ones.
 *
 * After every configuration is classed, a regressed or improved one whose
 * change is within noise_k times the comparison's run-to-run noise (su_cmp_t
 * .noise) becomes noisy: an empirical null (Efron, "Large-scale simultaneous
 * hypothesis testing", JASA 99, 2004).  Most configurations of a nightly
 * suite do not change, so the spread of all their changes measures how far
 * two runs of this machine differ when nothing changed; a machine whose
 * runs differ by 4% cannot show a 10% change of one configuration.  A change
 * of every configuration at once (the machine got slower) moves the median,
 * not the spread, and is still flagged against a quiet machine's noise.
 *
 * SU_OK, SU_EINVAL for bad options (threshold <= 0, alpha outside (0,1)),
 * SU_ENOMEM.  Release with su_cmp_fini.
 */
int su_cmp_run(const su_cmp_side_t *base, const su_cmp_side_t *cur, const su_cmp_opts_t *o,
               su_cmp_t *out);
void su_cmp_fini(su_cmp_t *c);             /* NULL-safe, idempotent */

/*
 * What the gate can see (docs/nightly.md, "What the gate can see").
 * su_cmp_detectable: the smallest relative change the comparison can call
 * regressed or improved on this machine: the threshold, or the change that
 * lies noise_k x the run-to-run noise away when that is larger (rule 4).
 * su_cmp_checks: the configurations matched on both sides and judged
 * (unchanged, improved, regressed or noisy); su_cmp_blind: the share of
 * them that were too noisy to judge, 0 .. 1 (1 when nothing was matched).
 */
double su_cmp_detectable(const su_cmp_t *c);
size_t su_cmp_checks(const su_cmp_t *c);
double su_cmp_blind(const su_cmp_t *c);

/* "variant/backend/device/precision/threads=T/ranks=R/nodes=N/placement/size_bytes=S/metric":
 * the key without the kernel (the JUnit test name).  Untrusted text kept as is. */
void su_cmp_key_name(const su_sample_key_t *k, char *buf, size_t len);

/* The outputs of a comparison (table, compare.csv, JUnit XML, bar chart)
 * are written by src/report: su_report_cmp_* in report.h. */

#endif /* SIZEUP_COMPARE_H */
