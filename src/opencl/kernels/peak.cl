/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * peak.cl: the FMA peak kernel for sizeup's OpenCL backend.
 *
 * Each work-item runs NCHAIN independent chains of acc = fma(acc, x, y) on
 * vectors of VEC lanes, so that enough independent FMAs are in flight to
 * cover the pipeline latency (clpeak's compute kernels use the same idea
 * with mad chains).  x and y are kernel arguments, so the compiler cannot
 * fold the chain.  With x = 1 - 2^-s and y = 2^-s the chain converges to 1
 * and has a closed form the host checks:
 *     acc_k = 1 + (acc_0 - 1) * x^k.
 * Each work-item writes the sum of its chains and lanes (as float for
 * fp16), so that none of the work can be discarded as dead code.
 *
 * Built with -DREAL=float|double|half, -DVEC=1|2|4|8|16, -DNCHAIN=n.
 */
#ifdef SU_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double arg_t;
typedef double out_t;
#elif defined(SU_FP16)
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
typedef float arg_t;
typedef float out_t;
#else
typedef float arg_t;
typedef float out_t;
#endif

#define SU_CAT_(a, b) a##b
#define SU_CAT(a, b) SU_CAT_(a, b)
#if VEC == 1
typedef REAL realv;
#define SU_HSUM(v) ((out_t)(v))
#elif VEC == 2
typedef SU_CAT(REAL, VEC) realv;
#define SU_HSUM(v) ((out_t)(v).s0 + (out_t)(v).s1)
#elif VEC == 4
typedef SU_CAT(REAL, VEC) realv;
#define SU_HSUM(v) ((out_t)(v).s0 + (out_t)(v).s1 + (out_t)(v).s2 + (out_t)(v).s3)
#elif VEC == 8
typedef SU_CAT(REAL, VEC) realv;
#define SU_HSUM(v) (SU_HSUM4((v).lo) + SU_HSUM4((v).hi))
#else
typedef SU_CAT(REAL, VEC) realv;
#define SU_HSUM(v) (SU_HSUM4((v).lo.lo) + SU_HSUM4((v).lo.hi) + SU_HSUM4((v).hi.lo) + \
                    SU_HSUM4((v).hi.hi))
#endif
#define SU_HSUM4(v) ((out_t)(v).s0 + (out_t)(v).s1 + (out_t)(v).s2 + (out_t)(v).s3)

/* Initial value of chain k of work-item g in lane l; the host uses the same
 * formula.  Every lane differs: with equal lanes the compiler may compute
 * one scalar chain and broadcast it (LLVM folds operations on splats). */
#define SU_INIT(g, k) ((REAL)((g) & 63) / (REAL)128 + (REAL)(k) / (REAL)256)
#define R_(v) ((REAL)(v))
#if VEC == 1
#define SU_LANES R_(0)
#elif VEC == 2
#define SU_LANES ((realv)(R_(0), R_(1)))
#elif VEC == 4
#define SU_LANES ((realv)(R_(0), R_(1), R_(2), R_(3)))
#elif VEC == 8
#define SU_LANES ((realv)(R_(0), R_(1), R_(2), R_(3), R_(4), R_(5), R_(6), R_(7)))
#else
#define SU_LANES ((realv)(R_(0), R_(1), R_(2), R_(3), R_(4), R_(5), R_(6), R_(7), \
                          R_(8), R_(9), R_(10), R_(11), R_(12), R_(13), R_(14), R_(15)))
#endif

__kernel void su_peak_fma(__global out_t *out, arg_t xa, arg_t ya, int iters)
{
  size_t g = get_global_id(0);
  REAL x = (REAL)xa, y = (REAL)ya;
  realv acc[NCHAIN];
  out_t s = 0;

#pragma unroll
  for (int k = 0; k < NCHAIN; k++)
    acc[k] = (realv)SU_INIT(g, k) + SU_LANES / (REAL)1024;
  for (int i = 0; i < iters; i++) {
#pragma unroll
    for (int k = 0; k < NCHAIN; k++)
      acc[k] = fma(acc[k], (realv)x, (realv)y);
  }
#pragma unroll
  for (int k = 0; k < NCHAIN; k++)
    s += SU_HSUM(acc[k]);
  out[g] = s;
}
