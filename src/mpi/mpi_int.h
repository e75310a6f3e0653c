/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mpi_int.h: what the MPI engine (mpi_dist.c) shares with the mpi backend's
 * kernels (mpi_comm.c, mpi_scaling.c).  Internal to src/mpi/.
 *
 * The engine owns MPI: it initialises it for `sizeup run --mpi`, finds the
 * nodes (MPI_Comm_split_type with MPI_COMM_TYPE_SHARED: one shared-memory
 * domain is one node) and publishes the result in su__mpi_world; the mpi
 * backend's init() refuses to run when it is NULL.
 */
#ifndef SIZEUP_MPI_INT_H
#define SIZEUP_MPI_INT_H

#include <mpi.h>

#include "sizeup/error.h"
#include "sizeup/kernel.h"

typedef struct su_mpi_world {
  MPI_Comm comm;        /* a duplicate of MPI_COMM_WORLD: sizeup's own traffic */
  MPI_Comm node;        /* the ranks of this rank's node */
  int rank, size;
  int node_id, nnodes;  /* nodes numbered by their lowest world rank */
  int local_rank, local_size;
  int *rank_node;       /* node id of every world rank */
  char library[128];    /* first line of MPI_Get_library_version */
} su_mpi_world_t;

/* Set by the engine once MPI is up; NULL otherwise. */
extern su_mpi_world_t *su__mpi_world;

/* An MPI call that failed becomes SU_EBACKEND naming the call. */
int su__mpi_check(int rc, const char *call);
#define SU_MPI_CHECK(call) su__mpi_check((call), #call)

/* The kernels of the mpi backend. */
extern const su_kernel_ops_t su_mpi_latency_ops, su_mpi_pingpong_ops, su_mpi_bibw_ops,
    su_mpi_allreduce_ops, su_mpi_alltoall_ops, su_mpi_triad_dot_ops, su_mpi_stencil_ops;

#endif /* SIZEUP_MPI_INT_H */
