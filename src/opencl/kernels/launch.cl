/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * launch.cl: the empty kernel for sizeup's launch-latency measurement.  It
 * writes one word only when the host passes a flag that it never passes
 * during timing, so the kernel has an observable effect (the host checks
 * it once in verify) and cannot be compiled away, yet does no work while
 * it is timed.
 */
__kernel void su_launch_empty(__global int *out, int flag)
{
  if (flag != 0 && get_global_id(0) == 0)
    out[0] = flag;
}
