/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mpi_scaling.c: the distributed kernels of the node-scaling sweep
 * (family "dist"; variant `strong` or `weak`, written to the `scaling`
 * column so that `sizeup fit` can tell the two series apart).
 *
 *   mpi_triad_dot  a = b + s c on each rank's share, then the global dot
 *                  product a.b (local sum + MPI_Allreduce): STREAM's triad
 *                  plus the reduction of a conjugate-gradient step.
 *   mpi_stencil    3-D 7-point Jacobi sweep, u' = (sum of the 6 neighbours)
 *                  / 6, on a grid cut into slabs along z; before each sweep
 *                  every rank exchanges one boundary plane with each
 *                  neighbour (MPI_Sendrecv), the classic halo exchange.
 *
 * `strong`: size_bytes is the whole problem, split over the ranks; `weak`:
 * size_bytes per rank, the problem grows with the ranks (Gustafson).  One
 * thread per rank: the scaling is over ranks and nodes.
 *
 * Verification against analytic references (BabelStream's check_solution):
 * the triad's elements and the dot product have closed forms; the stencil
 * is checked on a quadratic field f = x^2 + 2y^2 + 3z^2, for which one sweep
 * gives exactly f + 2 at every interior point, so a missing or misplaced
 * halo plane shows up at the slab boundaries.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mpi/mpi_int.h"

static const su_kernel_desc_t su_desc_mpi_triad_dot = {
  .name = "mpi_triad_dot", .family = "dist", .metric = SU_METRIC_BANDWIDTH,
  .desc = "distributed triad a = b + s*c and global dot a.b (MPI_Allreduce)",
  .flops_per_elem = 4, .bytes_read_per_elem = 4, .bytes_written_per_elem = 1, .nstreams = 3,
  .work_note = "triad: 2 flops, 3 words; dot: 2 flops, 2 words; per element",
  .verify_rel_tol = 1e7,
};
static const su_kernel_desc_t su_desc_mpi_stencil = {
  .name = "mpi_stencil", .family = "dist", .metric = SU_METRIC_FLOPS,
  .desc = "distributed 3-D 7-point Jacobi sweep with halo exchange (slabs along z)",
  .flops_per_elem = 6, .bytes_read_per_elem = 1, .bytes_written_per_elem = 1, .nstreams = 2,
  .work_note = "6 flops per interior point; 2 words per point, halo messages not counted",
  .verify_rel_tol = 100,
};

static int scaling_mode(const char *variant, int *weak)
{
  if (strcmp(variant, "strong") == 0)
    *weak = 0;
  else if (strcmp(variant, "weak") == 0)
    *weak = 1;
  else
    return su_errorf(SU_EINVAL, "unknown variant '%s' (strong, weak)", variant);
  return SU_OK;
}

/* --- triad + dot ----------------------------------------------------------- */

#define TRIAD_B 2.0
#define TRIAD_C 0.5
#define TRIAD_S 3.0

typedef struct triad_state {
  su_mpi_world_t *w;
  double *a, *b, *c;
  size_t n;             /* this rank's elements */
  uint64_t nglobal;
  double dot;
  int ran;
} triad_state_t;

static int triad_setup(const su_params_t *p, void **state, su_work_t *work)
{
  su_mpi_world_t *w = p->backend_ctx;
  triad_state_t *s;
  uint64_t total;
  int weak = 0, err;

  if (!w)
    return su_errorf(SU_ENOTSUP, "the mpi backend runs under 'sizeup run --mpi' only");
  if ((err = scaling_mode(p->variant, &weak)))
    return err;
  if (p->prec != SU_PREC_FP64)
    return su_errorf(SU_ENOTSUP, "mpi_triad_dot is fp64 only");
  total = p->size_bytes / 24; /* three arrays of doubles */
  if (weak)
    total *= (uint64_t)w->size;
  if (total < (uint64_t)w->size)
    return su_errorf(SU_ESKIP, "size too small for %d ranks", w->size);
  if (!(s = calloc(1, sizeof(*s))))
    return su_errorf(SU_ENOMEM, "out of memory");
  s->w = w;
  s->nglobal = total;
  s->n = (size_t)(total / (uint64_t)w->size) + ((uint64_t)w->rank < total % (uint64_t)w->size);
  s->a = malloc(s->n * sizeof(double));
  s->b = malloc(s->n * sizeof(double));
  s->c = malloc(s->n * sizeof(double));
  if (!s->a || !s->b || !s->c) {
    err = su_errorf(SU_ENOMEM, "cannot allocate %zu elements", s->n);
    free(s->a), free(s->b), free(s->c), free(s);
    return err;
  }
  for (size_t i = 0; i < s->n; i++) {
    s->a[i] = 0;
    s->b[i] = TRIAD_B;
    s->c[i] = TRIAD_C;
  }
  memset(work, 0, sizeof(*work));
  work->flops = 4.0 * (double)s->n;
  work->bytes = 5.0 * 8.0 * (double)s->n;
  /* The CSV's size: the whole problem (strong) or one rank's (weak). */
  work->size_bytes = weak ? (uint64_t)s->n * 24 : total * 24;
  snprintf(work->variant, sizeof(work->variant), "%s", p->variant);
  *state = s;
  return SU_OK;
}

static int triad_run(void *state, uint64_t inner, su_timing_t *t)
{
  triad_state_t *s = state;
  int err;

  (void)t;
  for (uint64_t r = 0; r < inner; r++) {
    double *restrict a = s->a;
    const double *restrict b = s->b, *restrict c = s->c;
    double local = 0;
    for (size_t i = 0; i < s->n; i++)
      a[i] = b[i] + TRIAD_S * c[i];
    for (size_t i = 0; i < s->n; i++)
      local += a[i] * b[i];
    if ((err = SU_MPI_CHECK(MPI_Allreduce(&local, &s->dot, 1, MPI_DOUBLE, MPI_SUM, s->w->comm))))
      return err;
  }
  s->ran = 1;
  return SU_OK;
}

static int triad_verify(void *state, su_verify_t *v)
{
  triad_state_t *s = state;
  const double want_a = TRIAD_B + TRIAD_S * TRIAD_C;
  const double want_dot = want_a * TRIAD_B * (double)s->nglobal;
  double rel;

  v->tol = su_desc_mpi_triad_dot.verify_rel_tol * 2.220446049250313e-16;
  if (!s->ran)
    return su_errorf(SU_EVERIFY, "the kernel never ran");
  for (size_t i = 0; i < s->n; i++)
    if (s->a[i] != want_a)
      return su_errorf(SU_EVERIFY, "a[%zu] = %.17g, expected %.17g", i, s->a[i], want_a);
  rel = fabs(s->dot - want_dot) / want_dot;
  v->max_rel_err = rel;
  if (!(rel <= v->tol))
    return su_errorf(SU_EVERIFY, "dot = %.17g, expected %.17g (relative error %.3g)", s->dot,
                     want_dot, rel);
  return SU_OK;
}

static void triad_teardown(void *state)
{
  triad_state_t *s = state;

  if (!s)
    return;
  free(s->a);
  free(s->b);
  free(s->c);
  free(s);
}

static void triad_corrupt(void *state)
{
  triad_state_t *s = state;

  if (s->n)
    s->a[s->n / 2] += 1.0;
}

const su_kernel_ops_t su_mpi_triad_dot_ops = {
  .desc = &su_desc_mpi_triad_dot, .precisions = SU_PREC_FP64, .variants = "strong,weak",
  .size_rule = SU_SIZE_FIXED, .default_size_bytes = 24u << 20,
  .setup = triad_setup, .run = triad_run, .verify = triad_verify,
  .teardown = triad_teardown, .corrupt = triad_corrupt,
};

/* --- stencil --------------------------------------------------------------- */

typedef struct stencil_state {
  su_mpi_world_t *w;
  size_t n;             /* points along x and y (global = local) */
  size_t nz, nzg, z0;   /* this rank's planes, the global count, its first plane */
  double *u, *v;        /* (nz + 2) planes of n x n: halo, nz planes, halo */
  int ran;
} stencil_state_t;

#define IDX(s, z, y, x) (((z) * (s)->n + (y)) * (s)->n + (x))

/* f = x^2 + 2 y^2 + 3 z^2 in global coordinates, on every local plane and halo. */
static void stencil_fill(stencil_state_t *s, double *u)
{
  for (size_t z = 0; z < s->nz + 2; z++) {
    double gz = (double)s->z0 + (double)z - 1.0;
    for (size_t y = 0; y < s->n; y++)
      for (size_t x = 0; x < s->n; x++)
        u[IDX(s, z, y, x)] = (double)(x * x) + 2.0 * (double)(y * y) + 3.0 * gz * gz;
  }
}

/* Sends the first and last own planes to the neighbours, receives halos. */
static int stencil_exchange(stencil_state_t *s, double *u)
{
  int up = s->w->rank + 1 < s->w->size ? s->w->rank + 1 : MPI_PROC_NULL;
  int down = s->w->rank > 0 ? s->w->rank - 1 : MPI_PROC_NULL;
  int plane = (int)(s->n * s->n), err;

  if ((err = SU_MPI_CHECK(MPI_Sendrecv(&u[IDX(s, s->nz, 0, 0)], plane, MPI_DOUBLE, up, 1,
                                       &u[IDX(s, 0, 0, 0)], plane, MPI_DOUBLE, down, 1,
                                       s->w->comm, MPI_STATUS_IGNORE))))
    return err;
  return SU_MPI_CHECK(MPI_Sendrecv(&u[IDX(s, 1, 0, 0)], plane, MPI_DOUBLE, down, 2,
                                   &u[IDX(s, s->nz + 1, 0, 0)], plane, MPI_DOUBLE, up, 2,
                                   s->w->comm, MPI_STATUS_IGNORE));
}

/* One sweep u -> v over the interior; the global boundary stays fixed. */
static void stencil_sweep(const stencil_state_t *s, const double *restrict u, double *restrict v)
{
  const size_t n = s->n;
  for (size_t z = 1; z <= s->nz; z++) {
    size_t gz = s->z0 + z - 1;
    if (gz == 0 || gz == s->nzg - 1)
      continue;
    for (size_t y = 1; y + 1 < n; y++)
      for (size_t x = 1; x + 1 < n; x++)
        v[IDX(s, z, y, x)] = (u[IDX(s, z, y, x - 1)] + u[IDX(s, z, y, x + 1)] +
                              u[IDX(s, z, y - 1, x)] + u[IDX(s, z, y + 1, x)] +
                              u[IDX(s, z - 1, y, x)] + u[IDX(s, z + 1, y, x)]) * (1.0 / 6.0);
  }
}

static size_t interior_planes(const stencil_state_t *s)
{
  size_t k = 0;
  for (size_t z = 0; z < s->nz; z++)
    k += s->z0 + z != 0 && s->z0 + z != s->nzg - 1;
  return k;
}

static int stencil_setup(const su_params_t *p, void **state, su_work_t *work)
{
  su_mpi_world_t *w = p->backend_ctx;
  stencil_state_t *s;
  uint64_t points;
  size_t n, nzg;
  int weak = 0, err;

  if (!w)
    return su_errorf(SU_ENOTSUP, "the mpi backend runs under 'sizeup run --mpi' only");
  if ((err = scaling_mode(p->variant, &weak)))
    return err;
  if (p->prec != SU_PREC_FP64)
    return su_errorf(SU_ENOTSUP, "mpi_stencil is fp64 only");
  points = p->size_bytes / 16; /* two arrays of doubles */
  /* A cube for the whole problem (strong) or for one rank (weak); weak
   * stacks one cube per rank along z. */
  n = (size_t)cbrt((double)points);
  while ((uint64_t)(n + 1) * (n + 1) * (n + 1) <= points)
    n++;
  nzg = weak ? n * (size_t)w->size : n;
  if (n < 3 || nzg < 2 * (size_t)w->size)
    return su_errorf(SU_ESKIP, "grid too small (%zu^3 points) for %d ranks", n, w->size);
  if (!(s = calloc(1, sizeof(*s))))
    return su_errorf(SU_ENOMEM, "out of memory");
  s->w = w;
  s->n = n;
  s->nzg = nzg;
  s->nz = nzg / (size_t)w->size + ((size_t)w->rank < nzg % (size_t)w->size);
  s->z0 = (size_t)w->rank * (nzg / (size_t)w->size) +
          ((size_t)w->rank < nzg % (size_t)w->size ? (size_t)w->rank : nzg % (size_t)w->size);
  s->u = malloc((s->nz + 2) * n * n * sizeof(double));
  s->v = malloc((s->nz + 2) * n * n * sizeof(double));
  if (!s->u || !s->v) {
    err = su_errorf(SU_ENOMEM, "cannot allocate %zu planes of %zu^2", s->nz + 2, n);
    free(s->u), free(s->v), free(s);
    return err;
  }
  stencil_fill(s, s->u);
  stencil_fill(s, s->v);
  memset(work, 0, sizeof(*work));
  work->flops = 6.0 * (double)(interior_planes(s) * (n - 2) * (n - 2));
  work->bytes = 16.0 * (double)(interior_planes(s) * (n - 2) * (n - 2));
  work->size_bytes = (uint64_t)n * n * (weak ? n : nzg) * 16;
  snprintf(work->variant, sizeof(work->variant), "%s", p->variant);
  *state = s;
  return SU_OK;
}

static int stencil_run(void *state, uint64_t inner, su_timing_t *t)
{
  stencil_state_t *s = state;
  int err;

  (void)t;
  for (uint64_t r = 0; r < inner; r++) {
    double *tmp;
    if ((err = stencil_exchange(s, s->u)))
      return err;
    stencil_sweep(s, s->u, s->v);
    tmp = s->u;
    s->u = s->v;
    s->v = tmp;
  }
  s->ran = 1;
  return SU_OK;
}

static int stencil_verify(void *state, su_verify_t *v)
{
  stencil_state_t *s = state;
  const double tol_rel = su_desc_mpi_stencil.verify_rel_tol * 2.220446049250313e-16;
  double worst = 0;
  int err;

  v->tol = tol_rel;
  if (!s->ran)
    return su_errorf(SU_EVERIFY, "the kernel never ran");
  /* One more exchange and sweep from the analytic field; the halos are
   * filled by the exchange only (set to a wrong value first; the global
   * edges' halos are never read). */
  stencil_fill(s, s->u);
  for (size_t i = 0; i < s->n * s->n; i++) {
    s->u[IDX(s, 0, 0, 0) + i] = -1e30;
    s->u[IDX(s, s->nz + 1, 0, 0) + i] = -1e30;
  }
  if ((err = stencil_exchange(s, s->u)))
    return err;
  stencil_sweep(s, s->u, s->v);
  for (size_t z = 1; z <= s->nz; z++) {
    size_t gz = s->z0 + z - 1;
    if (gz == 0 || gz == s->nzg - 1)
      continue;
    for (size_t y = 1; y + 1 < s->n; y++)
      for (size_t x = 1; x + 1 < s->n; x++) {
        double want = (double)(x * x) + 2.0 * (double)(y * y) + 3.0 * (double)(gz * gz) + 2.0;
        double got = s->v[IDX(s, z, y, x)], rel = fabs(got - want) / want;
        if (rel > worst)
          worst = rel;
        if (!(rel <= tol_rel))
          return su_errorf(SU_EVERIFY, "point (%zu,%zu,%zu) = %.17g, expected %.17g", x, y, gz,
                           got, want);
      }
  }
  v->max_rel_err = worst;
  return SU_OK;
}

static void stencil_teardown(void *state)
{
  stencil_state_t *s = state;

  if (!s)
    return;
  free(s->u);
  free(s->v);
  free(s);
}

const su_kernel_ops_t su_mpi_stencil_ops = {
  .desc = &su_desc_mpi_stencil, .precisions = SU_PREC_FP64, .variants = "strong,weak",
  .size_rule = SU_SIZE_FIXED, .default_size_bytes = 16u << 20,
  .setup = stencil_setup, .run = stencil_run, .verify = stencil_verify,
  .teardown = stencil_teardown,
};
