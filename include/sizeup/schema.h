/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * schema.h: the CSV contract as data: the columns of summary.csv and
 * samples.csv (docs/csv-schema.md) in one table each, which the writer
 * (sink.c) and every reader (results_read.c, samples_read.c, --resume)
 * use.  Adding a column is one line in one X-macro below: the writer then
 * writes its header cell and whatever the row sets (empty otherwise), and
 * the readers find and range-check it by name.
 *
 * Each column has a name, a type (text, unsigned integer, real), flags
 * (REQ: a reader refuses a file without it; EMPTY: the cell may be empty,
 * e.g. a number of a failed configuration) and, for numbers, the range of
 * valid values.  Readers map a header to the table once (su_table_open),
 * check every row's field count against the header and every number
 * against its range (su_table_next), then read cells that are known to be
 * valid (su_table_u64 / su_table_real / su_table_str).
 */
#ifndef SIZEUP_SCHEMA_H
#define SIZEUP_SCHEMA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sizeup/csv.h"

/* Bumped on any change of a column's name, order, meaning or unit; readers
 * accept every version from 1 to this one. */
#define SU_CSV_SCHEMA_VERSION 3

typedef enum su_col_type_e { SU_COL_TEXT, SU_COL_UINT, SU_COL_REAL } su_col_type_t;

enum { SU_COL_REQ = 1, SU_COL_EMPTY = 2 };

#define SU__U32 4294967295.0
#define SU__U63 9223372036854775807.0
#define SU__BIG 1e30  /* any measured figure: finite, non-negative */

/*
 * XX(prefix, ID, "name", type, flags, lo, hi).  The 13 key columns open both
 * files (docs/csv-schema.md, columns 1-13).
 */
#define SU_KEY_COLUMNS(XX, P)                                                        \
  XX(P, SCHEMA_VERSION, "schema_version", UINT, SU_COL_REQ, 1, SU_CSV_SCHEMA_VERSION) \
  XX(P, RUN_ID, "run_id", TEXT, SU_COL_REQ, 0, 0)                                    \
  XX(P, KERNEL, "kernel", TEXT, SU_COL_REQ, 0, 0)                                    \
  XX(P, VARIANT, "variant", TEXT, SU_COL_REQ, 0, 0)                                  \
  XX(P, BACKEND, "backend", TEXT, SU_COL_REQ, 0, 0)                                  \
  XX(P, DEVICE, "device", TEXT, SU_COL_REQ, 0, 0)                                    \
  XX(P, PRECISION, "precision", TEXT, SU_COL_REQ, 0, 0)                              \
  XX(P, THREADS, "threads", UINT, SU_COL_REQ, 1, 16777216)                           \
  XX(P, RANKS, "ranks", UINT, SU_COL_REQ, 1, 16777216)                               \
  XX(P, NODES, "nodes", UINT, SU_COL_REQ, 1, 16777216)                               \
  XX(P, PLACEMENT, "placement", TEXT, SU_COL_REQ, 0, 0)                              \
  XX(P, CPUSET, "cpuset", TEXT, SU_COL_REQ, 0, 0)                                    \
  XX(P, SIZE_BYTES, "size_bytes", UINT, SU_COL_REQ, 0, SU__U63)

/* summary.csv: the 26 contract columns are REQ; later ones were appended
 * (cpu_numa and mem_numa in version 2, energy_j and power_w in version 3). */
#define SU_SUMMARY_COLUMNS(XX)                                                       \
  SU_KEY_COLUMNS(XX, SUM)                                                            \
  XX(SUM, METRIC, "metric", TEXT, SU_COL_REQ, 0, 0)                                  \
  XX(SUM, UNIT, "unit", TEXT, SU_COL_REQ, 0, 0)                                      \
  XX(SUM, STATUS, "status", TEXT, SU_COL_REQ, 0, 0)                                  \
  XX(SUM, REASON, "reason", TEXT, SU_COL_REQ, 0, 0)                                  \
  XX(SUM, MEDIAN, "median", REAL, SU_COL_REQ | SU_COL_EMPTY, 0, SU__BIG)            \
  XX(SUM, MIN, "min", REAL, SU_COL_REQ | SU_COL_EMPTY, 0, SU__BIG)                  \
  XX(SUM, MAX, "max", REAL, SU_COL_REQ | SU_COL_EMPTY, 0, SU__BIG)                  \
  XX(SUM, MEAN, "mean", REAL, SU_COL_REQ | SU_COL_EMPTY, 0, SU__BIG)                \
  XX(SUM, STDDEV, "stddev", REAL, SU_COL_REQ | SU_COL_EMPTY, 0, SU__BIG)            \
  XX(SUM, CV, "cv", REAL, SU_COL_REQ | SU_COL_EMPTY, 0, SU__BIG)                    \
  XX(SUM, CI95_LO, "ci95_lo", REAL, SU_COL_REQ | SU_COL_EMPTY, 0, SU__BIG)          \
  XX(SUM, CI95_HI, "ci95_hi", REAL, SU_COL_REQ | SU_COL_EMPTY, 0, SU__BIG)          \
  XX(SUM, REPS, "reps", UINT, SU_COL_REQ, 0, SU__U32)                                \
  XX(SUM, POINT, "point", UINT, 0, 0, SU__U32)                                       \
  XX(SUM, INNER, "inner", UINT, 0, 0, SU__U63)                                       \
  XX(SUM, FLOPS, "flops", REAL, SU_COL_EMPTY, 0, SU__BIG)                            \
  XX(SUM, BYTES, "bytes", REAL, SU_COL_EMPTY, 0, SU__BIG)                            \
  XX(SUM, TIMER, "timer", TEXT, 0, 0, 0)                                             \
  XX(SUM, NOISY, "noisy", UINT, 0, 0, 1)                                             \
  XX(SUM, SCALING, "scaling", TEXT, 0, 0, 0)                                         \
  XX(SUM, ROUNDS, "rounds", UINT, 0, 0, 65536)                                       \
  XX(SUM, C2C_NS, "c2c_ns", REAL, SU_COL_EMPTY, 0, 1e9)                          \
  XX(SUM, CPU_NUMA, "cpu_numa", UINT, SU_COL_EMPTY, 0, 1048576)                      \
  XX(SUM, MEM_NUMA, "mem_numa", UINT, SU_COL_EMPTY, 0, 1048576)                      \
  XX(SUM, ENERGY_J, "energy_j", REAL, SU_COL_EMPTY, 0, SU__BIG)                      \
  XX(SUM, POWER_W, "power_w", REAL, SU_COL_EMPTY, 0, SU__BIG)

/* samples.csv: the key columns, the headline metric, one row per sample. */
#define SU_SAMPLES_COLUMNS(XX)                                                       \
  SU_KEY_COLUMNS(XX, SMP)                                                            \
  XX(SMP, METRIC, "metric", TEXT, SU_COL_REQ, 0, 0)                                  \
  XX(SMP, UNIT, "unit", TEXT, SU_COL_REQ, 0, 0)                                      \
  XX(SMP, POINT, "point", UINT, 0, 0, SU__U32)                                       \
  XX(SMP, REP, "rep", UINT, 0, 0, SU__U63)                                           \
  XX(SMP, INNER, "inner", UINT, 0, 0, SU__U63)                                       \
  XX(SMP, TIME_NS, "time_ns", UINT, SU_COL_EMPTY, 0, SU__U63)                        \
  XX(SMP, DEVICE_NS, "device_ns", UINT, SU_COL_EMPTY, 0, SU__U63)                    \
  XX(SMP, VALUE, "value", REAL, SU_COL_REQ | SU_COL_EMPTY, 0, SU__BIG)              \
  XX(SMP, ROUND, "round", UINT, 0, 0, 65535)                                         \
  XX(SMP, C2C_NS, "c2c_ns", REAL, SU_COL_EMPTY, 0, 1e9)

#define SU__COL_ENUM(P, id, name, type, flags, lo, hi) SU_##P##_##id,
enum su_summary_col_e { SU_SUMMARY_COLUMNS(SU__COL_ENUM) SU_SUM_NCOLS };
enum su_samples_col_e { SU_SAMPLES_COLUMNS(SU__COL_ENUM) SU_SMP_NCOLS };
#undef SU__COL_ENUM

#define SU_SCHEMA_MAX_COLS 64

typedef struct su_col {
  const char *name;
  su_col_type_t type;
  unsigned flags;          /* SU_COL_REQ | SU_COL_EMPTY */
  double lo, hi;           /* numbers: the valid range */
} su_col_t;

typedef struct su_schema {
  const char *file;        /* "summary.csv" */
  const su_col_t *cols;
  size_t ncols;
} su_schema_t;

extern const su_schema_t su_schema_summary, su_schema_samples;

/* --- writing ---------------------------------------------------------------- */

/* One row being built: cells set by column id, written in table order; a
 * cell not set is empty. */
typedef struct su_table_row {
  const su_schema_t *schema;
  struct {
    unsigned char kind;    /* 0 empty, 1 text, 2 integer, 3 real */
    const char *s;
    uint64_t u;
    double d;
  } cell[SU_SCHEMA_MAX_COLS];
} su_table_row_t;

void su_table_row_init(su_table_row_t *row, const su_schema_t *s);
void su_table_set_str(su_table_row_t *row, int col, const char *v);  /* not copied */
void su_table_set_u64(su_table_row_t *row, int col, uint64_t v);
void su_table_set_real(su_table_row_t *row, int col, double v);      /* NaN: empty */
/* Writes the header line / one row.  SU_OK or SU_EIO (the writer's error). */
int su_table_write_header(su_csv_writer_t *w, const su_schema_t *s);
int su_table_write_row(su_csv_writer_t *w, const su_table_row_t *row);

/* --- reading ---------------------------------------------------------------- */

typedef struct su_table_reader {
  const su_schema_t *schema;
  FILE *fp;
  su_csv_reader_t csv;
  char path[4096];
  int idx[SU_SCHEMA_MAX_COLS];  /* header position of each column, -1 when absent */
  size_t nfields;               /* fields of the header; every row must have as many */
  int exact;                    /* the header is the table, column for column */
  char **f;                     /* the current row */
  int allow_cut;                /* set by the caller: see su_table_next */
  unsigned long cut_line;       /* with allow_cut: the line of a dropped cut-off record */
  size_t cut_n;                 /* and its fields (in f) when the CSV reader got them */
} su_table_reader_t;

/*
 * Opens `path` and maps its header to schema `s`: columns are found by name
 * (so older files with fewer columns and newer ones with more still load).
 * SU_OK; SU_EIO when the file cannot be opened or read; SU_EINVAL when it is
 * empty, lacks a REQ column, or names a column twice; each naming the file.
 * On failure nothing stays open.
 */
int su_table_open(su_table_reader_t *r, const su_schema_t *s, const char *path);
/*
 * Reads the next data row (blank lines are skipped): 1, 0 at the end, or
 * SU_EINVAL naming the file, the line and the column when the row has a
 * different number of fields than the header (a truncated row) or a number
 * cell that is not a number of its column's range; SU_EIO on a read error.
 * With r->allow_cut set (a .part file being resumed), a bad last record that
 * runs into the end of the file without a line end is a write cut off by a
 * crash: it ends the file (0) and r->cut_line says where it was.
 */
int su_table_next(su_table_reader_t *r);
void su_table_close(su_table_reader_t *r);   /* NULL-safe, idempotent */
/* The line where the current row started. */
unsigned long su_table_line(const su_table_reader_t *r);
/* Cells of the current row: "" / 0 / NaN when the column is absent or the
 * cell empty.  Numbers were range-checked by su_table_next. */
const char *su_table_str(const su_table_reader_t *r, int col);
int su_table_has(const su_table_reader_t *r, int col);   /* column present */
uint64_t su_table_u64(const su_table_reader_t *r, int col);
double su_table_real(const su_table_reader_t *r, int col);

#endif /* SIZEUP_SCHEMA_H */
