/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sizing.h: the sizing engine behind `sizeup recommend`: which hardware, how
 * many nodes, at what cost, for a workload.
 *
 * Inputs (formats in docs/sizing.md):
 *   - a catalog (CSV): candidate systems with their price and power, each
 *     either measured (a results directory) or described by datasheet peaks
 *     (an *estimate*, flagged as such in every output);
 *   - a workload (INI): a mix of the suite's kernels with time fractions on
 *     a reference system, or a total amount of work (flops and bytes) placed
 *     on the roofline; memory per job; one target (throughput, time to
 *     solution, or a budget).
 * Output: per candidate the nodes needed, parallel efficiency, time, cost
 * and energy per job with ranges from the measurements' confidence
 * intervals, a rank, the cost/time Pareto front, an SSP-style composite
 * score, and plain sentences saying why the first choice wins.
 *
 * Nothing is computed from a half-read input: the loaders either return a
 * complete, validated catalog or workload, or an error naming the file, the
 * line and the field.
 */
#ifndef SIZEUP_SIZING_H
#define SIZEUP_SIZING_H

#include <stddef.h>
#include <stdio.h>

#include "sizeup/fit.h"

/* recommend.csv schema version (docs/sizing.md). */
#define SU_SIZING_CSV_SCHEMA_VERSION 4
#define SU_SIZING_MAX_KERNELS 12
/* A year of 365 days and its twelfth: what "per month" and "per year" mean
 * in targets and costs (a system that runs around the clock). */
#define SU_SIZING_HOURS_PER_YEAR 8760.0
#define SU_SIZING_HOURS_PER_MONTH (SU_SIZING_HOURS_PER_YEAR / 12)
/* The node-count search for a time-to-solution target stops here. */
#define SU_SIZING_MAX_NODES 65536

/* One catalog row.  Strings are owned by the catalog, never NULL.  Numbers
 * that were not given are NaN. */
typedef struct su_sizing_candidate {
  char *name, *kind;           /* kind: "cloud" or "onprem" */
  char *results_dir;           /* resolved against the catalog's directory; "" = datasheet */
  char *price_date, *notes;
  unsigned cores, packages, gpus;   /* per node; cores set the jobs per node */
  double memory_gib;           /* per node */
  /* Software licences, per hour (catalog currency; 0 when absent): per core
   * the jobs use, and per node. */
  double licence_per_core_hour, licence_per_node_hour;
  double power_watts;          /* per node, under load */
  double price_per_hour;       /* per node; NaN when bought */
  double purchase_price, years, electricity_per_kwh;
  /* What one node's hardware costs per hour: price_per_hour, or
   * purchase_price / (years * 8760) + power_watts / 1000 * electricity_per_kwh.
   * Licences come on top (su_sizing_result_t.node_cost_per_hour). */
  double cost_per_hour;
  /* Datasheet figures (estimates): GFLOP/s per node, GB/s per node, ns. */
  double peak_gflops_fp64, peak_gflops_fp32, mem_bw_gbs, mem_latency_ns;
  unsigned line;               /* line of the catalog file */
} su_sizing_candidate_t;

typedef struct su_sizing_catalog {
  char *path;
  char currency[16];           /* "USD" unless the catalog says otherwise */
  su_sizing_candidate_t *c;
  size_t n;
} su_sizing_catalog_t;

/*
 * Loads and validates a catalog CSV.  SU_OK with *out complete; SU_EINVAL
 * with context "PATH:LINE: field 'F': why" for any bad cell, unknown or
 * missing column, duplicate name or contradictory row (then *out is left
 * zeroed: nothing half-read survives); SU_EIO when it cannot be opened;
 * SU_ENOMEM.  Release with su_sizing_catalog_fini.
 */
int su_sizing_catalog_load(const char *path, su_sizing_catalog_t *out);
void su_sizing_catalog_fini(su_sizing_catalog_t *c);   /* NULL-safe */

typedef enum su_sizing_target_e {
  SU_SIZING_THROUGHPUT,        /* jobs per hour, for the whole system */
  SU_SIZING_TIME,              /* seconds per job (time to solution) */
  SU_SIZING_BUDGET_HOUR,       /* currency per hour for the whole system */
  SU_SIZING_BUDGET_JOB         /* currency per job */
} su_sizing_target_t;

typedef struct su_sizing_workload {
  char path[1024];
  char name[64];
  char precision[8];           /* "fp64" (default), "fp32", "fp16" or "bf16" */
  /* Where a job runs: "cpu" (default: the CPU backend's rows, and CPU OpenCL
   * devices'), "gpu" (GPU and accelerator rows only; a candidate without
   * them is no_data) or "auto" (gpu on candidates whose catalog row has
   * gpus > 0, cpu on the others). */
  char device[8];
  unsigned gpus_per_job;       /* GPUs one job uses (device gpu): default 1 */
  double host_device_bytes;    /* per job, copied host -> device: a phase at the
                                  measured transfer_h2d rate (GPU candidates) */
  char compute[16];            /* roofline compute ceiling: "fma_peak" (default) or "gemm" */
  /* The user's program (`sizeup app --name`): "" = none.  Candidates whose
   * results hold its ok rows (times, or figures of merit recommend turns
   * into time: docs/sizing.md) use its measured times (basis
   * "measured"); the others use the [mix] (basis "inferred"); with neither
   * a [mix] nor a measurement anywhere, recommend ranks over a range of
   * mixes (basis "assumed"). */
  char app[32];
  /* The amount of work one job is, in the numerator of the app's figure of
   * merit when that is a rate or a time per unit of work (`sizeup app
   * --fom` in "ns/day", "steps/s", "s/step": 100 ns, 1e6 steps); 0 = not
   * given (then reference_time_s on a reference that measured the app
   * fixes it).  Unused for time rows. */
  double fom_per_job;
  /* How far a [mix] may miss, relative (`sizeup fit --workload-out` writes
   * the mix's largest held-out error): the time of every candidate sized
   * through the mix gets its 95% range widened by it; 0 = not given. */
  double mix_error;
  /* Mix mode (nmix > 0): kernel k takes weight[k] of the job's time on one
   * node of the reference candidate, whose job takes reference_time_s. */
  size_t nmix;
  char kernel[SU_SIZING_MAX_KERNELS][32];
  double weight[SU_SIZING_MAX_KERNELS];
  unsigned mix_line[SU_SIZING_MAX_KERNELS];
  /* [mix] `serial`: the fraction of the reference time that does not
   * speed up with cores or nodes (Amdahl's serial part).  It runs at one
   * core's rate of the mix's compute kernel (fma_peak or gemm; else its
   * first kernel) on every candidate; 0 = none.  The kernels' weights and
   * it add up to 1. */
  double serial;
  unsigned serial_line;
  char reference[64];          /* "" = the catalog's first candidate */
  double reference_time_s;
  /* Roofline mode (nmix == 0): total work of one job. */
  double flops, bytes;
  double memory_gib;           /* per job; 0 = fits on any node */
  unsigned cores_per_job;      /* cores one job uses; 0 = a job takes whole nodes */
  su_sizing_target_t target;
  double target_value;         /* throughput: jobs per hour, whatever unit was given */
  char target_key[40];         /* the key as given, e.g. "throughput_jobs_per_day" */
  double target_given;         /* the value as given, in the key's unit */
} su_sizing_workload_t;

/*
 * Loads and validates a workload INI (libinih).  SU_OK; SU_EINVAL with
 * context "PATH:LINE: field 'F': why" (or "PATH: why" for what is missing
 * from the whole file), *out zeroed; SU_ENOMEM.
 */
int su_sizing_workload_load(const char *path, su_sizing_workload_t *out);

/* One kernel's per-node rate on one candidate. */
typedef struct su_sizing_rate {
  char kernel[32];
  char unit[16];               /* GB/s, GFLOP/s, ns */
  int lower_better;            /* 1 for latency */
  double median, lo, hi;       /* lo/hi: the CI95 of the median (= median for estimates) */
  int estimate;                /* 1 when from datasheet peaks */
  int none;                    /* the phase does not apply (host copies on a CPU node) */
  int one_core;                /* the workload's serial part, the same on any number of
                                  nodes: 1 a measured one-thread rate, 2 the node's
                                  figure / its cores */
  char backend[16];            /* the row behind the figure: backend and device */
  char device[96];
  unsigned scaled;             /* k > 0: a per-GPU figure x k (no "k x" row measured) */
  double power_w;              /* measured mean power of the row (x k when scaled); NaN */
  /* Scaling over nodes: an Amdahl fit of the rows with nodes > 1, when the
   * results hold at least SU_FIT_MIN_POINTS node counts; for an app's
   * measured times without them, of its rows over MPI ranks on one node
   * (fit_ranks = 1), where one node runs fit_per_node ranks: n nodes are
   * then the fit at n x fit_per_node. */
  int have_fit;
  su_fit_t fit;
  int fit_ranks;
  double fit_per_node;         /* 0 or 1: the fit is over nodes */
  /* The app's row behind a measured time, in words ("" otherwise), e.g.
   * "fom 91.43 ns/day on 16 ranks x 1 thread; 100 ns per job". */
  char note[160];
} su_sizing_rate_t;

typedef struct su_sizing_result {
  const su_sizing_candidate_t *cand;
  int estimate;                /* 1 when any figure comes from a datasheet */
  /* Where the time per job comes from: "measured" (the workload's app, its
   * own time rows), "inferred" (the app's [mix] through the kernels),
   * "assumed" (a mix of a range, neither known), "none" (no_data: an app
   * workload without a [mix], and no row of the app), "mix" or "roofline". */
  char basis[16];
  char status[16];             /* ok, unreachable, over_budget, no_data */
  char device[8];              /* "cpu" or "gpu": the rows the job was rated on */
  unsigned gpus_per_job;       /* 0 on the CPU */
  char reason[256];
  /* "" or a sentence naming what the catalog says (cores, memory, GPUs)
   * and what the results it points to were measured on, when they differ. */
  char warning[384];
  size_t nrates;
  su_sizing_rate_t rate[SU_SIZING_MAX_KERNELS];
  double work[SU_SIZING_MAX_KERNELS];  /* per job, in unit x seconds (latency: loads) */
  unsigned nodes;              /* whole system */
  unsigned nodes_per_job;      /* memory_gib per job over memory_gib per node, rounded up */
  unsigned jobs_per_node;      /* jobs side by side on one node: cores / cores_per_job, as
                                  memory allows; 1 without cores_per_job */
  unsigned cores_per_job;      /* the workload's, else every core of the job's nodes */
  int cores_scaled;            /* 1 when a job's rate on its cores was not measured and was
                                  taken as the node's rate x cores_per_job / cores */
  double efficiency;           /* T(1) / (nodes_per_job T(nodes_per_job)); 1 = ideal */
  int efficiency_fitted;       /* phases scaled by a fit: 0 none, 1 some, 2 all */
  int efficiency_ranks;        /* 1 when a fit is over the app's MPI ranks on one node */
  double time1_s;              /* one job on one node */
  double jobs_per_hour_node;   /* 3600 / time1_s */
  double speedup_vs_reference; /* reference time1_s / time1_s */
  double time_s, time_lo_s, time_hi_s;       /* one job on nodes_per_job nodes */
  double jobs_per_hour;        /* the whole system */
  double jobs_per_day, jobs_per_month;       /* jobs_per_hour x 24, x SU_SIZING_HOURS_PER_MONTH */
  double node_cost_per_hour;   /* cost_per_hour + licences for the cores in use on a node */
  double cost_per_hour_system; /* nodes x node_cost_per_hour */
  /* Its 95% range: the systems the target needs at the fast and the slow
   * end of the time per job (throughput targets; the cost itself else). */
  double cost_per_hour_system_lo, cost_per_hour_system_hi;
  double licence_per_hour_system;   /* the licences' part of it */
  double cost_per_month_system, cost_per_year_system;   /* running around the clock */
  double cost_per_job, cost_per_job_lo, cost_per_job_hi;
  double energy_per_job_kwh;
  int energy_measured;         /* 1: from the rows' measured power (RAPL, NVML: the CPU
                                  packages or GPU boards only), 0: the catalog's power_watts */
  double jobs_per_dollar, jobs_per_kwh;      /* "dollar": the catalog's currency */
  /* SSP-style: the geometric mean of the kernel rates relative to the
   * reference node; on basis measured, the reference's time per job over
   * this one's.  NaN when the reference has no time (a sentence says so). */
  double score_node, score_system;
  int pareto;                  /* on the time/cost-per-job Pareto front */
  unsigned rank;               /* 1 = first choice */
} su_sizing_result_t;

#define SU_SIZING_MAX_SENTENCES 12

typedef struct su_sizing {
  const su_sizing_catalog_t *cat;
  const su_sizing_workload_t *w;
  const su_sizing_candidate_t *reference;
  su_sizing_result_t *res;     /* sorted by rank */
  size_t n;
  char *sentence[SU_SIZING_MAX_SENTENCES];   /* plain-language explanation */
  size_t nsentences;
  su_sizing_workload_t *own_w; /* range of mixes: the shown mix's workload (w), owned */
  char app_words[384];         /* how the app's rows size a job, for the sentences */
} su_sizing_t;

/*
 * Evaluates every candidate of cat for w: loads each results directory
 * (any load failure is an error naming it: nothing is ranked from a
 * partial catalog), computes rates, nodes, times, costs, ranks, the Pareto
 * front, the scores and the sentences.  A candidate the workload cannot be
 * rated on (no measurement and no datasheet figure for a kernel) gets status
 * no_data, not an error; a reference candidate that cannot be rated is
 * SU_EINVAL.  SU_OK, SU_EINVAL, SU_EIO, SU_ENOMEM.  Release with
 * su_sizing_fini (cat and w must outlive *out).
 */
int su_sizing_evaluate(const su_sizing_catalog_t *cat, const su_sizing_workload_t *w,
                       su_sizing_t *out);
void su_sizing_fini(su_sizing_t *s);   /* NULL-safe */

/* The backend and device behind each of r's figures, one phrase per
 * kernel: "gemm: opencl 8 x NAME [...] (measured); stream_triad: opencl NAME
 * [0:0] x 8 (per-GPU figure x 8, ...)"; "datasheet" for estimates.  SU_OK,
 * or SU_EINVAL when buf is too short (then truncated). */
int su_sizing_figures(const su_sizing_result_t *r, char *buf, size_t len);

/* "throughput", "time_to_solution", "budget_per_hour", "budget_per_job". */
const char *su_sizing_target_name(su_sizing_target_t t);

/* The target in words with its unit, as the workload gave it: "50 jobs per
 * day", "600 s per job", "a budget of 5 per hour", "a budget of 0.2 per
 * job" (money in the catalog's currency, which the caller adds). */
const char *su_sizing_target_words(const su_sizing_workload_t *w, char *buf, size_t len);

/* What `recommend` shows (table, recommend.csv, plot, recommend.html) is
 * written by src/report: su_report_sizing_* in report.h. */

#endif /* SIZEUP_SIZING_H */
