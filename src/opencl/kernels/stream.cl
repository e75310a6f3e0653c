/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * stream.cl: STREAM kernels (McCalpin) for sizeup's OpenCL backend, in the
 * shape of BabelStream's OpenCL model: one work-item per vector element, the
 * runtime chooses the work-group size, dot reduces in work-groups and the
 * host adds the per-group partial sums.
 *
 * Built with -DREAL=float|double and -DVEC=1|2|4|8|16 (elements per
 * work-item, as one OpenCL vector).  Arrays hold n scalars; the vector
 * kernels see n / VEC vectors.  Initial values are a function of the index
 * (see su_stream_fill_*) so that the host can check every element.
 */
#ifdef SU_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#define SU_CAT_(a, b) a##b
#define SU_CAT(a, b) SU_CAT_(a, b)
#if VEC == 1
typedef REAL realv;
#else
typedef SU_CAT(REAL, VEC) realv;
#endif

/* The initial values; the host computes the same functions (opencl_stream.c). */
#define SU_A(i) ((REAL)1 + (REAL)((i) & 1023) / (REAL)1024)
#define SU_B(i) ((REAL)2 - (REAL)((i) & 511) / (REAL)2048)
#define SU_C(i) ((REAL)0.5 + (REAL)((i) & 255) / (REAL)4096)

/* Every kernel loops with a grid stride over n (or nvec) elements, so that
 * the host can cap the global size below 2^31: some drivers have given
 * wrong ids above it.  With the global size equal to n, as it is below the
 * cap, each work-item runs the body once. */
#define SU_FOR(i, n) for (size_t i = get_global_id(0); i < (n); i += get_global_size(0))

/* One array at a time, so that a kernel allocates only the arrays it uses. */
__kernel void su_stream_fill_a(__global REAL *x, ulong n) { SU_FOR(i, n) x[i] = SU_A(i); }
__kernel void su_stream_fill_b(__global REAL *x, ulong n) { SU_FOR(i, n) x[i] = SU_B(i); }
__kernel void su_stream_fill_c(__global REAL *x, ulong n) { SU_FOR(i, n) x[i] = SU_C(i); }

__kernel void su_stream_copy(__global const realv *restrict a, __global realv *restrict c,
                             ulong nvec)
{
  SU_FOR(i, nvec) c[i] = a[i];
}

__kernel void su_stream_scale(__global realv *restrict b, __global const realv *restrict c,
                              REAL scalar, ulong nvec)
{
  SU_FOR(i, nvec) b[i] = scalar * c[i];
}

__kernel void su_stream_add(__global const realv *restrict a, __global const realv *restrict b,
                            __global realv *restrict c, ulong nvec)
{
  SU_FOR(i, nvec) c[i] = a[i] + b[i];
}

__kernel void su_stream_triad(__global realv *restrict a, __global const realv *restrict b,
                              __global const realv *restrict c, REAL scalar, ulong nvec)
{
  SU_FOR(i, nvec) a[i] = b[i] + scalar * c[i];
}

/* Reduces each work-item's partial sum over the work-group; work-item 0
 * writes the group's sum.  The local array holds get_local_size(0) scalars
 * (a power of two). */
static void su_dot_finish(realv acc, __local REAL *restrict wg_sum,
                          __global REAL *restrict partial)
{
  size_t li = get_local_id(0);
  REAL s;

#if VEC == 1
  s = acc;
#elif VEC == 2
  s = acc.s0 + acc.s1;
#elif VEC == 4
  s = (acc.s0 + acc.s1) + (acc.s2 + acc.s3);
#elif VEC == 8
  s = ((acc.s0 + acc.s1) + (acc.s2 + acc.s3)) + ((acc.s4 + acc.s5) + (acc.s6 + acc.s7));
#else
  s = (((acc.s0 + acc.s1) + (acc.s2 + acc.s3)) + ((acc.s4 + acc.s5) + (acc.s6 + acc.s7))) +
      (((acc.s8 + acc.s9) + (acc.sa + acc.sb)) + ((acc.sc + acc.sd) + (acc.se + acc.sf)));
#endif
  wg_sum[li] = s;
  for (size_t off = get_local_size(0) / 2; off > 0; off /= 2) {
    barrier(CLK_LOCAL_MEM_FENCE);
    if (li < off)
      wg_sum[li] += wg_sum[li + off];
  }
  if (li == 0)
    partial[get_group_id(0)] = wg_sum[0];
}

/* Grid-stride partial dot product (BabelStream): neighbouring work-items read
 * neighbouring elements at every step, which coalesces on a GPU. */
__kernel void su_stream_dot(__global const realv *restrict a, __global const realv *restrict b,
                            __local REAL *restrict wg_sum, __global REAL *restrict partial,
                            ulong nvec)
{
  realv acc = (realv)0;

  SU_FOR(i, nvec)
    acc += a[i] * b[i];
  su_dot_finish(acc, wg_sum, partial);
}

/* One contiguous chunk per work-item: what a CPU device wants.  A CPU
 * runtime such as PoCL runs a group's work-items one after another, so a
 * grid-stride loop would make every load jump by the global size (a new
 * page each time): 9.5 GB/s instead of ~40 on the development VM. */
__kernel void su_stream_dot_chunk(__global const realv *restrict a,
                                  __global const realv *restrict b,
                                  __local REAL *restrict wg_sum,
                                  __global REAL *restrict partial, ulong nvec)
{
  size_t gs = get_global_size(0), chunk = (nvec + gs - 1) / gs;
  size_t lo = get_global_id(0) * chunk, hi = min(lo + chunk, (size_t)nvec);
  realv acc = (realv)0;

  for (size_t i = lo; i < hi; i++)
    acc += a[i] * b[i];
  su_dot_finish(acc, wg_sum, partial);
}
