/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mpi_dist.c: the MPI engine behind `sizeup run --mpi`: the collective
 * operations the runner needs (su_collective_t), the rank-to-node map, each
 * rank's share of its node, and the fingerprint of every node.
 *
 * Nodes are found with MPI_Comm_split_type(MPI_COMM_TYPE_SHARED) (MPI 3.0,
 * section 6.4.2): ranks that can share memory are on one node, whatever the
 * launcher (mpirun, srun) says.  Errors of MPI calls are returned, not fatal
 * (MPI_ERRORS_RETURN on sizeup's own communicator), and become SU_EBACKEND.
 *
 * Test hook: with SIZEUP_TEST_FAIL_RANK=R and SIZEUP_TEST_FAIL_POINT=P in
 * the environment, rank R kills itself (SIGKILL, as the out-of-memory killer
 * or a node failure would) just before it measures point P.  mpirun then
 * stops the job with an error naming the rank; the points finished before P
 * are already on disk (rank 0 flushes every point).
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "mpi/mpi_int.h"
#include "sizeup/json.h"
#include "sizeup/run.h"

su_mpi_world_t *su__mpi_world;

typedef struct dist_state {
  su_mpi_world_t w;
  su_collective_t coll;
  int fail_rank;        /* test hook; -1 when off */
  long fail_point;
  int we_initialised;   /* MPI_Init was ours, so MPI_Finalize is too */
} dist_state_t;

int su__mpi_check(int rc, const char *call)
{
  char msg[MPI_MAX_ERROR_STRING] = "";
  int len = 0;

  if (rc == MPI_SUCCESS)
    return SU_OK;
  MPI_Error_string(rc, msg, &len);
  return su_errorf(SU_EBACKEND, "'%.60s' failed: %s", call, msg);
}

static MPI_Comm comm_of(const su_collective_t *c)
{
  return ((dist_state_t *)c->ctx)->w.comm;
}

static int d_barrier(const su_collective_t *c)
{
  return SU_MPI_CHECK(MPI_Barrier(comm_of(c)));
}

static int d_max_u64(const su_collective_t *c, uint64_t *v, size_t n)
{
  return SU_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, v, (int)n, MPI_UINT64_T, MPI_MAX, comm_of(c)));
}

static int d_sum_f64(const su_collective_t *c, double *v, size_t n)
{
  return SU_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, v, (int)n, MPI_DOUBLE, MPI_SUM, comm_of(c)));
}

static int d_bcast(const su_collective_t *c, void *buf, size_t len)
{
  return SU_MPI_CHECK(MPI_Bcast(buf, (int)len, MPI_BYTE, 0, comm_of(c)));
}

static int d_agree(const su_collective_t *c, int err, char *msg, size_t len)
{
  struct {
    int err;
    char msg[256];
  } out;
  int first = err ? (int)c->rank : INT_MAX, e;

  if ((e = SU_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, &first, 1, MPI_INT, MPI_MIN, comm_of(c)))))
    return e;
  if (first == INT_MAX)
    return SU_OK;
  memset(&out, 0, sizeof(out));
  if (first == (int)c->rank) {
    out.err = err;
    snprintf(out.msg, sizeof(out.msg), "rank %d: %s", first, msg && msg[0] ? msg : "failed");
  }
  if ((e = SU_MPI_CHECK(MPI_Bcast(&out, (int)sizeof(out), MPI_BYTE, first, comm_of(c)))))
    return e;
  if (msg && len)
    snprintf(msg, len, "%s", out.msg);
  su_errorf(out.err, "%s", out.msg);
  return out.err;
}

/*
 * This rank's share of the placement: the placement's PUs for threads x
 * local_ranks threads, block l for local rank l.  When the node has fewer
 * PUs than that (an oversubscribed test), the blocks wrap around the
 * largest set the placement can give.
 */
static int d_localize(const su_collective_t *c, su_topo_t *t, su_point_t *pt)
{
  su_place_t place;
  unsigned want = pt->threads * c->local_ranks, n, *all = NULL, *mine = NULL;
  char *cpuset = NULL, spec[sizeof(pt->placement)];
  int err;

  if (c->local_ranks <= 1 || !pt->pus || pt->unsupported[0] || pt->skipped[0])
    return SU_OK;
  /* The threads' placement, without the memory's ("numa:0+mem:1"). */
  snprintf(spec, sizeof(spec), "%.*s", (int)strcspn(pt->placement, "+"), pt->placement);
  if (su_place_parse(spec, &place) != SU_OK)
    return SU_OK; /* near_device and other fixed placements stay as planned */
  if (!(all = calloc(want, sizeof(*all))) || !(mine = calloc(pt->threads, sizeof(*mine)))) {
    err = su_errorf(SU_ENOMEM, "out of memory");
    goto out;
  }
  for (n = want; n >= 1; n--) {
    if (su_place_plan(t, &place, n, all, &cpuset) == SU_OK)
      break;
  }
  free(cpuset);
  if (n == 0) {
    err = su_errorf(SU_EINVAL, "placement '%s' has no PU", pt->placement);
    goto out;
  }
  for (unsigned i = 0; i < pt->threads; i++)
    mine[i] = all[(c->local_rank * pt->threads + i) % n];
  memcpy(pt->pus, mine, pt->threads * sizeof(*mine)); /* thread i -> mine[i] */
  /* The cpuset column: this rank's PUs, sorted and unique, as ranges. */
  if ((err = su_place_cpuset_string(mine, pt->threads, &cpuset)))
    goto out;
  free(pt->cpuset);
  pt->cpuset = cpuset;
  pt->cpu_numa = su_topo_numa_of_pus(t, pt->pus, pt->threads);
  err = SU_OK;
out:
  su_place_fini(&place);
  free(all);
  free(mine);
  return err;
}

/* Gathers one string per rank onto rank 0: *all is rank 0's array of size
 * strings (one malloc'ed block), NULL elsewhere. */
static int gather_strings(MPI_Comm comm, int rank, int size, const char *mine, char ***all)
{
  int len = (int)strlen(mine) + 1, *lens = NULL, *displs = NULL, total = 0, err;
  char *buf = NULL, **out = NULL;

  *all = NULL;
  if (rank == 0 && (!(lens = calloc((size_t)size, sizeof(int))) ||
                    !(displs = calloc((size_t)size, sizeof(int))))) {
    err = su_errorf(SU_ENOMEM, "out of memory");
    goto out;
  }
  if ((err = SU_MPI_CHECK(MPI_Gather(&len, 1, MPI_INT, lens, 1, MPI_INT, 0, comm))))
    goto out;
  if (rank == 0) {
    for (int i = 0; i < size; i++) {
      displs[i] = total;
      total += lens[i];
    }
    out = malloc((size_t)size * sizeof(char *) + (size_t)total);
    if (!out) {
      err = su_errorf(SU_ENOMEM, "out of memory");
      goto out;
    }
    buf = (char *)(out + size);
  }
  /* Every rank calls MPI_Gatherv even if rank 0 failed above: no deadlock. */
  if ((err = SU_MPI_CHECK(MPI_Gatherv(mine, len, MPI_CHAR, buf, lens, displs, MPI_CHAR, 0,
                                      comm))))
    goto out;
  if (rank == 0) {
    for (int i = 0; i < size; i++)
      out[i] = buf + displs[i];
    *all = out;
    out = NULL;
  }
out:
  free(out);
  free(lens);
  free(displs);
  return err;
}

/* This rank's part of system.json's "mpi" object, and its node's
 * fingerprint when it is the node's first rank. */
static int rank_json(const su_collective_t *c, su_topo_t *t, su_plan_t *plan, char **out)
{
  const su_mpi_world_t *w = &((dist_state_t *)c->ctx)->w;
  char *buf = NULL, host[256] = "";
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  su_json_t j;
  su_topo_summary_t s;
  struct utsname un;

  if (!mem)
    return su_errorf(SU_ENOMEM, "out of memory");
  gethostname(host, sizeof(host) - 1);
  su_json_init(&j, mem);
  su_json_begin_object(&j, NULL);
  su_json_int(&j, "rank", w->rank);
  su_json_int(&j, "node", w->node_id);
  su_json_int(&j, "local_rank", w->local_rank);
  su_json_str(&j, "hostname", host);
  su_json_int(&j, "pid", (long long)getpid());
  /* This rank's cpuset, once per (placement, threads) of the plan. */
  su_json_begin_array(&j, "cpusets");
  for (size_t i = 0; i < plan->n; i++) {
    const su_point_t *p = &plan->points[i];
    int seen = 0;
    for (size_t k = 0; k < i && !seen; k++)
      seen = plan->points[k].threads == p->threads &&
             strcmp(plan->points[k].placement, p->placement) == 0;
    if (seen)
      continue;
    su_json_begin_object(&j, NULL);
    su_json_str(&j, "placement", p->placement);
    su_json_int(&j, "threads", p->threads);
    su_json_str(&j, "cpuset", p->cpuset);
    su_json_end_object(&j);
  }
  su_json_end_array(&j);
  if (w->local_rank == 0 && su_topo_summarize(t, &s) == SU_OK) {
    su_json_begin_object(&j, "fingerprint");
    su_json_str(&j, "hostname", host);
    su_topo_json_facts(&j, &s);
    su_json_u64(&j, "llc_bytes", s.llc_bytes);
    if (uname(&un) == 0)
      su_json_str(&j, "kernel", un.release);
    su_json_int(&j, "ranks", w->local_size);
    su_json_end_object(&j);
  }
  su_json_end_object(&j);
  if (su_json_finish(&j) || fclose(mem)) {
    free(buf);
    return su_errorf(SU_EIO, "cannot describe rank %d", w->rank);
  }
  *out = buf;
  return SU_OK;
}

static int d_describe(const su_collective_t *c, su_topo_t *t, su_plan_t *plan, char **json)
{
  const su_mpi_world_t *w = &((dist_state_t *)c->ctx)->w;
  char *mine = NULL, **all = NULL, *buf = NULL;
  size_t len = 0;
  FILE *mem = NULL;
  su_json_t j;
  int err;

  *json = NULL;
  if ((err = rank_json(c, t, plan, &mine)))
    mine = NULL;
  if ((err = c->agree(c, err, NULL, 0)))
    goto out;
  if ((err = gather_strings(w->comm, w->rank, w->size, mine, &all)))
    goto out;
  if (w->rank != 0)
    goto out;
  if (!(mem = open_memstream(&buf, &len))) {
    err = su_errorf(SU_ENOMEM, "out of memory");
    goto out;
  }
  su_json_init(&j, mem);
  su_json_begin_object(&j, NULL);
  su_json_str(&j, "library", w->library);
  su_json_int(&j, "ranks", w->size);
  su_json_int(&j, "nodes", w->nnodes);
  su_json_begin_array(&j, "rank_map");
  for (int i = 0; i < w->size; i++)
    su_json_raw(&j, NULL, all[i]);
  su_json_end_array(&j);
  su_json_end_object(&j);
  if (su_json_finish(&j) || fclose(mem)) {
    mem = NULL;
    err = su_errorf(SU_EIO, "cannot write the rank map");
    goto out;
  }
  mem = NULL;
  *json = buf;
  buf = NULL;
out:
  if (mem)
    fclose(mem);
  free(buf);
  free(all);
  free(mine);
  return err;
}

static void d_before_point(const su_collective_t *c, const su_point_t *pt)
{
  const dist_state_t *d = c->ctx;

  if (d->fail_rank == (int)c->rank && d->fail_point == (long)pt->index)
    raise(SIGKILL);
}

/* Numbers the nodes: a node is named by its lowest world rank. */
static int map_nodes(su_mpi_world_t *w)
{
  int leader = w->rank, *leaders = NULL, err;

  if ((err = SU_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, &leader, 1, MPI_INT, MPI_MIN, w->node))))
    return err;
  if (!(leaders = calloc((size_t)w->size, sizeof(int))) ||
      !(w->rank_node = calloc((size_t)w->size, sizeof(int)))) {
    free(leaders);
    return su_errorf(SU_ENOMEM, "out of memory");
  }
  if ((err = SU_MPI_CHECK(MPI_Allgather(&leader, 1, MPI_INT, leaders, 1, MPI_INT, w->comm)))) {
    free(leaders);
    return err;
  }
  /* Leaders are world ranks; a rank is a leader iff leaders[r] == r, and
   * nodes are numbered in the order of their leaders. */
  w->nnodes = 0;
  for (int r = 0; r < w->size; r++) {
    if (leaders[r] == r)
      w->rank_node[r] = w->nnodes++;
    else
      w->rank_node[r] = w->rank_node[leaders[r]];
  }
  w->node_id = w->rank_node[w->rank];
  free(leaders);
  return SU_OK;
}

static void dist_free(dist_state_t *d)
{
  if (!d)
    return;
  if (su__mpi_world == &d->w)
    su__mpi_world = NULL;
  free(d->w.rank_node);
  free(d);
}

static int dist_init(su_collective_t **out)
{
  dist_state_t *d = calloc(1, sizeof(*d));
  int inited = 0, provided = 0, len = 0, err;
  char lib[MPI_MAX_LIBRARY_VERSION_STRING];
  const char *fr = getenv("SIZEUP_TEST_FAIL_RANK"), *fp = getenv("SIZEUP_TEST_FAIL_POINT");

  if (!d)
    return su_errorf(SU_ENOMEM, "out of memory");
  MPI_Initialized(&inited);
  if (!inited) {
    /* FUNNELED: OpenMP threads compute, only the main thread calls MPI. */
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
      free(d);
      return su_errorf(SU_EBACKEND, "MPI_Init_thread failed");
    }
    d->we_initialised = 1;
  }
  su_mpi_world_t *w = &d->w;
  if ((err = SU_MPI_CHECK(MPI_Comm_dup(MPI_COMM_WORLD, &w->comm))))
    goto fail;
  MPI_Comm_set_errhandler(w->comm, MPI_ERRORS_RETURN);
  MPI_Comm_rank(w->comm, &w->rank);
  MPI_Comm_size(w->comm, &w->size);
  if ((err = SU_MPI_CHECK(MPI_Comm_split_type(w->comm, MPI_COMM_TYPE_SHARED, w->rank,
                                              MPI_INFO_NULL, &w->node))))
    goto fail;
  MPI_Comm_rank(w->node, &w->local_rank);
  MPI_Comm_size(w->node, &w->local_size);
  if ((err = map_nodes(w)))
    goto fail;
  MPI_Get_library_version(lib, &len);
  lib[strcspn(lib, "\n,")] = '\0';
  snprintf(w->library, sizeof(w->library), "%.120s", lib);

  d->fail_rank = fr && fr[0] ? atoi(fr) : -1;
  d->fail_point = fp && fp[0] ? atol(fp) : -1;
  su_collective_t *c = &d->coll;
  c->rank = (unsigned)w->rank;
  c->ranks = (unsigned)w->size;
  c->nodes = (unsigned)w->nnodes;
  c->node = (unsigned)w->node_id;
  c->local_rank = (unsigned)w->local_rank;
  c->local_ranks = (unsigned)w->local_size;
  c->ctx = d;
  c->barrier = d_barrier;
  c->max_u64 = d_max_u64;
  c->sum_f64 = d_sum_f64;
  c->bcast = d_bcast;
  c->agree = d_agree;
  c->localize = d_localize;
  c->describe = d_describe;
  c->before_point = d_before_point;
  su__mpi_world = w;
  *out = c;
  return SU_OK;

fail:
  if (d->we_initialised)
    MPI_Finalize();
  dist_free(d);
  return err;
}

static void dist_fini(su_collective_t *c, int err)
{
  dist_state_t *d;

  if (!c)
    return;
  d = c->ctx;
  if (err) {
    /* One rank's fatal error: end the whole job rather than leave the
     * others waiting in a collective. */
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Comm_free(&d->w.node);
  MPI_Comm_free(&d->w.comm);
  if (d->we_initialised)
    MPI_Finalize();
  dist_free(d);
}

const su_dist_t su_dist_mpi = {
  .name = "mpi",
  .init = dist_init,
  .fini = dist_fini,
};
