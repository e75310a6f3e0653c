/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * gemm.cl: a local-memory tiled GEMM, C = A * B + C, for square row-major
 * n x n matrices with n a multiple of TS.
 *
 * Each work-group computes one TS x TS tile of C; it walks the k dimension
 * one TS x TS tile of A and of B at a time, staged in local memory, so each
 * element of A and B is read from global memory n / TS times instead of n.
 * Each work-item computes WPT elements of one column of the tile (rows
 * ty, ty + TS/WPT, ...), which reuses every B value it loads from local
 * memory WPT times from a register.  This is the classic tiling scheme of
 * the OpenCL SGEMM tutorials (tiling in local memory plus more work per
 * thread); it is a fair, portable kernel, not a vendor BLAS.
 *
 * Built with -DREAL=float|double -DTS=32 -DWPT=8; launched with local size
 * (TS, TS / WPT) and global size (n, n / WPT).
 */
#ifdef SU_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#define RTS (TS / WPT)

__kernel __attribute__((reqd_work_group_size(TS, RTS, 1)))
void su_gemm_tiled(const int n, __global const REAL *restrict A,
                   __global const REAL *restrict B, __global REAL *restrict C)
{
  const int tx = get_local_id(0), ty = get_local_id(1);
  const int col = get_group_id(0) * TS + tx;
  const int row0 = get_group_id(1) * TS + ty;
  __local REAL As[TS][TS];
  __local REAL Bs[TS][TS];
  REAL acc[WPT];

  for (int w = 0; w < WPT; w++)
    acc[w] = (REAL)0;
  for (int t = 0; t < n / TS; t++) {
    for (int w = 0; w < WPT; w++) {
      As[ty + w * RTS][tx] = A[(size_t)(row0 + w * RTS) * n + t * TS + tx];
      Bs[ty + w * RTS][tx] = B[(size_t)(t * TS + ty + w * RTS) * n + col];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int k = 0; k < TS; k++) {
      REAL b = Bs[k][tx];
      for (int w = 0; w < WPT; w++)
        acc[w] = fma(As[ty + w * RTS][k], b, acc[w]);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  for (int w = 0; w < WPT; w++)
    C[(size_t)(row0 + w * RTS) * n + col] += acc[w];
}
