/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mpi_comm.c: the mpi backend and its communication kernels.
 *
 * The backend exists only under `sizeup run --mpi` (its init() says so
 * otherwise).  Like every kernel, these run on all ranks at once, timed by
 * the runner (barrier, sample, maximum over ranks); a rank with no part in a
 * pair simply returns.  Work is declared by rank 0 only, so the sum over
 * ranks is the pair's.  The methods follow the OSU micro-benchmarks'
 * definitions (osu_latency, osu_bw, osu_bibw, osu_allreduce, osu_alltoall):
 *
 *   mpi_latency    ping-pong, half the round trip, ns (variant intra|inter)
 *   mpi_pingpong   ping-pong bandwidth: 2 x size bytes per round trip, GB/s
 *   mpi_bibw       both directions at once, a window of 8 messages each way
 *   mpi_allreduce  MPI_Allreduce(SUM) of size bytes of fp64, ns per call
 *   mpi_alltoall   MPI_Alltoall, size bytes sent per rank, ns per call
 *
 * intra pairs rank 0 with the next rank on its node, inter with the first
 * rank on another node; a pair that does not exist is `unsupported`.  Every
 * message carries a pattern of its sender and verify() checks the last one
 * received, byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "mpi/mpi_int.h"
#include "sizeup/backend.h"

#define SU_BIBW_WINDOW 8
#define SU_TAG 0x5a

static const su_kernel_desc_t su_desc_mpi_latency = {
  .name = "mpi_latency", .family = "comm", .metric = SU_METRIC_LATENCY,
  .desc = "MPI ping-pong latency (half round trip) between rank 0 and a partner",
  .work_note = "2 one-way messages of size bytes per round trip; latency = time / 2",
};
static const su_kernel_desc_t su_desc_mpi_pingpong = {
  .name = "mpi_pingpong", .family = "comm", .metric = SU_METRIC_BANDWIDTH,
  .desc = "MPI ping-pong bandwidth between rank 0 and a partner",
  .work_note = "2 x size bytes per round trip (one message each way)",
};
static const su_kernel_desc_t su_desc_mpi_bibw = {
  .name = "mpi_bibw", .family = "comm", .metric = SU_METRIC_BANDWIDTH,
  .desc = "MPI bidirectional bandwidth: 8 messages each way at once",
  .work_note = "2 x 8 x size bytes per repetition (both directions)",
};
static const su_kernel_desc_t su_desc_mpi_allreduce = {
  .name = "mpi_allreduce", .family = "comm", .metric = SU_METRIC_LATENCY,
  .desc = "MPI_Allreduce (sum) of size bytes of fp64 over all ranks",
  .flops_per_elem = 1, .work_note = "1 call per repetition; latency = time per call",
};
static const su_kernel_desc_t su_desc_mpi_alltoall = {
  .name = "mpi_alltoall", .family = "comm", .metric = SU_METRIC_LATENCY,
  .desc = "MPI_Alltoall: size bytes sent by every rank, split over all ranks",
  .work_note = "1 call per repetition; latency = time per call",
};

typedef enum kind_e { K_LAT, K_PP, K_BIBW, K_ALLRED, K_A2A } kind_t;

typedef struct comm_state {
  kind_t kind;
  su_mpi_world_t *w;
  int partner;          /* world rank paired with rank 0; -1: not in the pair */
  size_t size;          /* bytes per message (per rank for collectives) */
  unsigned char *sbuf, *rbuf;
  size_t sbytes, rbytes;
  int received;         /* a message arrived since setup */
} comm_state_t;

/* The byte a sender puts at offset i: a function of the sender and i. */
static unsigned char pattern(int sender, int dest, size_t i)
{
  return (unsigned char)((size_t)sender * 131u + (size_t)dest * 17u + i * 7u + 1u);
}

/* The partner of rank 0 for a variant; -1 with *why when there is none. */
static int find_partner(const su_mpi_world_t *w, const char *variant, char *why, size_t len)
{
  int inter = strcmp(variant, "inter") == 0;

  for (int r = 1; r < w->size; r++)
    if (inter ? w->rank_node[r] != w->rank_node[0] : w->rank_node[r] == w->rank_node[0])
      return r;
  snprintf(why, len, inter ? "no rank on a second node (%d node)"
                           : "no second rank on rank 0's node (%d nodes)", w->nnodes);
  return -1;
}

static int comm_setup(kind_t kind, const su_params_t *p, void **state, su_work_t *work)
{
  su_mpi_world_t *w = p->backend_ctx;
  comm_state_t *s;
  char why[128];
  size_t size = p->size_bytes ? (size_t)p->size_bytes : 8;
  int err;

  if (!w)
    return su_errorf(SU_ENOTSUP, "the mpi backend runs under 'sizeup run --mpi' only");
  if (!(s = calloc(1, sizeof(*s))))
    return su_errorf(SU_ENOMEM, "out of memory");
  s->kind = kind;
  s->w = w;
  s->partner = -1;
  memset(work, 0, sizeof(*work));
  switch (kind) {
  case K_LAT:
  case K_PP:
  case K_BIBW:
    if (strcmp(p->variant, "intra") != 0 && strcmp(p->variant, "inter") != 0) {
      err = su_errorf(SU_EINVAL, "unknown variant '%s' (intra, inter)", p->variant);
      goto fail;
    }
    if ((s->partner = find_partner(w, p->variant, why, sizeof(why))) < 0) {
      err = su_errorf(SU_ENOTSUP, "%s", why);
      goto fail;
    }
    s->sbytes = s->rbytes = size * (kind == K_BIBW ? SU_BIBW_WINDOW : 1);
    if (w->rank == 0) {
      work->items = kind == K_LAT ? 2 : 0;
      work->bytes = kind == K_BIBW ? 2.0 * SU_BIBW_WINDOW * (double)size : 2.0 * (double)size;
    }
    work->size_bytes = size;
    break;
  case K_ALLRED:
    size = (size + 7) / 8 * 8;
    s->sbytes = s->rbytes = size;
    work->items = 1;
    if (w->rank == 0)
      work->flops = (double)(size / 8) * (w->size - 1);
    work->size_bytes = size;
    break;
  case K_A2A:
    size = (size + (size_t)w->size - 1) / (size_t)w->size; /* per destination */
    s->sbytes = s->rbytes = size * (size_t)w->size;
    work->items = 1;
    work->size_bytes = s->sbytes;
    break;
  }
  s->size = size;
  if (!(s->sbuf = malloc(s->sbytes ? s->sbytes : 1)) ||
      !(s->rbuf = calloc(s->rbytes ? s->rbytes : 1, 1))) {
    err = su_errorf(SU_ENOMEM, "cannot allocate %zu bytes of messages", s->sbytes);
    goto fail;
  }
  if (kind == K_ALLRED) {
    double *x = (double *)s->sbuf;
    for (size_t i = 0; i < size / 8; i++)
      x[i] = (double)(w->rank + 1) + (double)(i % 7);
  } else if (kind == K_A2A) {
    for (int d = 0; d < w->size; d++)
      for (size_t i = 0; i < size; i++)
        s->sbuf[(size_t)d * size + i] = pattern(w->rank, d, i);
  } else {
    int dest = w->rank == 0 ? s->partner : 0;
    for (size_t i = 0; i < s->sbytes; i++)
      s->sbuf[i] = pattern(w->rank, dest, i % size);
  }
  snprintf(work->variant, sizeof(work->variant), "%s",
           kind == K_ALLRED || kind == K_A2A ? "default" : p->variant);
  *state = s;
  return SU_OK;

fail:
  free(s->sbuf);
  free(s->rbuf);
  free(s);
  return err;
}

static int pingpong(comm_state_t *s, uint64_t inner)
{
  su_mpi_world_t *w = s->w;
  int n = (int)s->size, err;

  for (uint64_t r = 0; r < inner; r++) {
    if (w->rank == 0) {
      if ((err = SU_MPI_CHECK(MPI_Send(s->sbuf, n, MPI_BYTE, s->partner, SU_TAG, w->comm))) ||
          (err = SU_MPI_CHECK(MPI_Recv(s->rbuf, n, MPI_BYTE, s->partner, SU_TAG, w->comm,
                                       MPI_STATUS_IGNORE))))
        return err;
    } else if (w->rank == s->partner) {
      if ((err = SU_MPI_CHECK(MPI_Recv(s->rbuf, n, MPI_BYTE, 0, SU_TAG, w->comm,
                                       MPI_STATUS_IGNORE))) ||
          (err = SU_MPI_CHECK(MPI_Send(s->sbuf, n, MPI_BYTE, 0, SU_TAG, w->comm))))
        return err;
    }
  }
  return SU_OK;
}

static int bibw(comm_state_t *s, uint64_t inner)
{
  su_mpi_world_t *w = s->w;
  MPI_Request req[2 * SU_BIBW_WINDOW];
  int peer = w->rank == 0 ? s->partner : 0, n = (int)s->size, err;

  if (w->rank != 0 && w->rank != s->partner)
    return SU_OK;
  for (uint64_t r = 0; r < inner; r++) {
    for (int k = 0; k < SU_BIBW_WINDOW; k++)
      MPI_Irecv(s->rbuf + (size_t)k * s->size, n, MPI_BYTE, peer, SU_TAG, w->comm, &req[k]);
    for (int k = 0; k < SU_BIBW_WINDOW; k++)
      MPI_Isend(s->sbuf + (size_t)k * s->size, n, MPI_BYTE, peer, SU_TAG, w->comm,
                &req[SU_BIBW_WINDOW + k]);
    if ((err = SU_MPI_CHECK(MPI_Waitall(2 * SU_BIBW_WINDOW, req, MPI_STATUSES_IGNORE))))
      return err;
  }
  return SU_OK;
}

static int comm_run(void *state, uint64_t inner, su_timing_t *t)
{
  comm_state_t *s = state;
  su_mpi_world_t *w = s->w;
  int err = SU_OK;

  (void)t;
  switch (s->kind) {
  case K_LAT:
  case K_PP: err = pingpong(s, inner); break;
  case K_BIBW: err = bibw(s, inner); break;
  case K_ALLRED:
    for (uint64_t r = 0; r < inner && !err; r++)
      err = SU_MPI_CHECK(MPI_Allreduce(s->sbuf, s->rbuf, (int)(s->size / 8), MPI_DOUBLE,
                                       MPI_SUM, w->comm));
    break;
  case K_A2A:
    for (uint64_t r = 0; r < inner && !err; r++)
      err = SU_MPI_CHECK(MPI_Alltoall(s->sbuf, (int)s->size, MPI_BYTE, s->rbuf, (int)s->size,
                                      MPI_BYTE, w->comm));
    break;
  }
  s->received = 1;
  return err;
}

static int comm_verify(void *state, su_verify_t *v)
{
  comm_state_t *s = state;
  su_mpi_world_t *w = s->w;
  double n = (double)w->size;

  v->max_rel_err = 0;
  v->tol = 0;
  if (!s->received)
    return su_errorf(SU_EVERIFY, "no message was exchanged");
  switch (s->kind) {
  case K_LAT:
  case K_PP:
  case K_BIBW: {
    int from = w->rank == 0 ? s->partner : 0;
    if (w->rank != 0 && w->rank != s->partner)
      return SU_OK;
    for (size_t i = 0; i < s->rbytes; i++)
      if (s->rbuf[i] != pattern(from, w->rank, i % s->size))
        return su_errorf(SU_EVERIFY, "byte %zu from rank %d is %u, expected %u", i, from,
                         s->rbuf[i], pattern(from, w->rank, i % s->size));
    return SU_OK;
  }
  case K_ALLRED: {
    /* sum over ranks of (r + 1 + i % 7) = n(n+1)/2 + n (i % 7), exact in fp64 */
    const double *x = (const double *)s->rbuf;
    for (size_t i = 0; i < s->size / 8; i++) {
      double want = n * (n + 1) / 2 + n * (double)(i % 7);
      if (x[i] != want)
        return su_errorf(SU_EVERIFY, "element %zu of the sum is %.17g, expected %.17g", i,
                         x[i], want);
    }
    return SU_OK;
  }
  case K_A2A:
    for (int src = 0; src < w->size; src++)
      for (size_t i = 0; i < s->size; i++)
        if (s->rbuf[(size_t)src * s->size + i] != pattern(src, w->rank, i))
          return su_errorf(SU_EVERIFY, "byte %zu of the block from rank %d is wrong", i, src);
    return SU_OK;
  }
  return SU_OK;
}

static void comm_teardown(void *state)
{
  comm_state_t *s = state;

  if (!s)
    return;
  free(s->sbuf);
  free(s->rbuf);
  free(s);
}

static void comm_corrupt(void *state)
{
  comm_state_t *s = state;

  if (s->rbytes)
    s->rbuf[s->rbytes / 2] ^= 0x40;
}

static int lat_setup(const su_params_t *p, void **s, su_work_t *w) { return comm_setup(K_LAT, p, s, w); }
static int pp_setup(const su_params_t *p, void **s, su_work_t *w) { return comm_setup(K_PP, p, s, w); }
static int bibw_setup(const su_params_t *p, void **s, su_work_t *w) { return comm_setup(K_BIBW, p, s, w); }
static int allred_setup(const su_params_t *p, void **s, su_work_t *w) { return comm_setup(K_ALLRED, p, s, w); }
static int a2a_setup(const su_params_t *p, void **s, su_work_t *w) { return comm_setup(K_A2A, p, s, w); }

#define COMM_OPS(var, d, setupfn, variants_, size_)                                      \
  const su_kernel_ops_t var = {                                                          \
    .desc = &d, .precisions = 0, .variants = variants_, .size_rule = SU_SIZE_FIXED,      \
    .default_size_bytes = size_, .setup = setupfn, .run = comm_run,                      \
    .verify = comm_verify, .teardown = comm_teardown, .corrupt = comm_corrupt}

COMM_OPS(su_mpi_latency_ops, su_desc_mpi_latency, lat_setup, "intra,inter", 8);
COMM_OPS(su_mpi_pingpong_ops, su_desc_mpi_pingpong, pp_setup, "intra,inter", 1u << 20);
COMM_OPS(su_mpi_bibw_ops, su_desc_mpi_bibw, bibw_setup, "intra,inter", 1u << 20);
COMM_OPS(su_mpi_allreduce_ops, su_desc_mpi_allreduce, allred_setup, "default", 8);
COMM_OPS(su_mpi_alltoall_ops, su_desc_mpi_alltoall, a2a_setup, "default", 1u << 10);

/* --- the backend ---------------------------------------------------------- */

static int mpi_init(void **ctx)
{
  if (!su__mpi_world)
    return su_errorf(SU_ENOTSUP, "the mpi backend runs under 'sizeup run --mpi' "
                                 "(started by mpirun or srun)");
  *ctx = su__mpi_world;
  return SU_OK;
}

static void mpi_fini(void *ctx)
{
  (void)ctx; /* the engine owns MPI */
}

static int mpi_device_count(void *ctx, unsigned *n)
{
  *n = ctx ? 1 : 0;
  return SU_OK;
}

static int mpi_device_info(void *ctx, unsigned dev, su_device_info_t *out)
{
  su_mpi_world_t *w = ctx;

  if (!w || dev != 0)
    return su_errorf(SU_EINVAL, "no mpi device %u", dev);
  snprintf(out->id, sizeof(out->id), "0");
  snprintf(out->name, sizeof(out->name), "%s", w->library);
  snprintf(out->vendor, sizeof(out->vendor), "mpi");
  snprintf(out->version, sizeof(out->version), "%s", w->library);
  snprintf(out->json, sizeof(out->json), "{\"ranks\": %d, \"nodes\": %d}", w->size, w->nnodes);
  out->local_cpuset[0] = '\0';
  return SU_OK;
}

static const su_kernel_ops_t *const su_mpi_kernels[] = {
  &su_mpi_latency_ops, &su_mpi_pingpong_ops, &su_mpi_bibw_ops, &su_mpi_allreduce_ops,
  &su_mpi_alltoall_ops, &su_mpi_triad_dot_ops, &su_mpi_stencil_ops, NULL,
};

const su_backend_t su_backend_mpi = {
  .abi = SU_BACKEND_ABI,
  .name = "mpi",
  .priority = 30,
  .init = mpi_init,
  .fini = mpi_fini,
  .device_count = mpi_device_count,
  .device_info = mpi_device_info,
  .kernels = su_mpi_kernels,
  .timer = SU_TIMER_HOST_MONOTONIC,
};
