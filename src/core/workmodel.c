/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * workmodel.c: the work model of every kernel, shared by all backends (the
 * role of likwid-bench's .ptt headers and BabelStream's byte table).
 *
 * Byte convention (STREAM, McCalpin): count the bytes the kernel's source
 * reads and writes, once per element per repetition; write-allocate traffic
 * that a cache may add is NOT counted, so the non-temporal variants and the
 * plain ones are held to the same yardstick.  Counts are in elements of the
 * kernel's precision: multiply by sizeof(REAL) for bytes.
 */
#include "sizeup/kernel.h"

/* Tolerances in epsilons of the precision: 100 for element-wise results
 * (BabelStream's check_solution), looser for long reductions, whose rounding
 * error grows with the number of terms. */
#define SU_TOL_ELEMENTWISE 100.0
#define SU_TOL_REDUCTION 1e6

const su_kernel_desc_t su_desc_stream_copy = {
  .name = "stream_copy", .family = "stream", .metric = SU_METRIC_BANDWIDTH,
  .desc = "c[i] = a[i]",
  .bytes_read_per_elem = 1, .bytes_written_per_elem = 1, .nstreams = 2,
  .work_note = "2 words moved per element", .verify_rel_tol = SU_TOL_ELEMENTWISE,
};

const su_kernel_desc_t su_desc_stream_scale = {
  .name = "stream_scale", .family = "stream", .metric = SU_METRIC_BANDWIDTH,
  .desc = "b[i] = s * c[i]", .flops_per_elem = 1,
  .bytes_read_per_elem = 1, .bytes_written_per_elem = 1, .nstreams = 2,
  .work_note = "2 words moved, 1 flop per element", .verify_rel_tol = SU_TOL_ELEMENTWISE,
};

const su_kernel_desc_t su_desc_stream_add = {
  .name = "stream_add", .family = "stream", .metric = SU_METRIC_BANDWIDTH,
  .desc = "c[i] = a[i] + b[i]", .flops_per_elem = 1,
  .bytes_read_per_elem = 2, .bytes_written_per_elem = 1, .nstreams = 3,
  .work_note = "3 words moved, 1 flop per element", .verify_rel_tol = SU_TOL_ELEMENTWISE,
};

const su_kernel_desc_t su_desc_stream_triad = {
  .name = "stream_triad", .family = "stream", .metric = SU_METRIC_BANDWIDTH,
  .desc = "a[i] = b[i] + s * c[i]", .flops_per_elem = 2,
  .bytes_read_per_elem = 2, .bytes_written_per_elem = 1, .nstreams = 3,
  .work_note = "3 words moved, 2 flops per element", .verify_rel_tol = SU_TOL_ELEMENTWISE,
};

const su_kernel_desc_t su_desc_stream_dot = {
  .name = "stream_dot", .family = "stream", .metric = SU_METRIC_BANDWIDTH,
  .desc = "sum += a[i] * b[i]", .flops_per_elem = 2,
  .bytes_read_per_elem = 2, .bytes_written_per_elem = 0, .nstreams = 2,
  .work_note = "2 words read, 2 flops per element", .verify_rel_tol = SU_TOL_REDUCTION,
};

const su_kernel_desc_t su_desc_stream_read = {
  .name = "stream_read", .family = "stream", .metric = SU_METRIC_BANDWIDTH,
  .desc = "sum += a[i] (read-only bandwidth, the cache sweep)", .flops_per_elem = 1,
  .bytes_read_per_elem = 1, .bytes_written_per_elem = 0, .nstreams = 1,
  .work_note = "1 word read, 1 flop per element", .verify_rel_tol = SU_TOL_REDUCTION,
};

const su_kernel_desc_t su_desc_fma_peak = {
  .name = "fma_peak", .family = "peak", .metric = SU_METRIC_FLOPS,
  .desc = "independent chains of acc = acc * x + y in registers (peak FLOP rate)",
  .flops_per_elem = 2, .nstreams = 0,
  .work_note = "2 flops per fused multiply-add per vector lane; no memory traffic",
  .verify_rel_tol = SU_TOL_ELEMENTWISE,
};

const su_kernel_desc_t su_desc_latency_chase = {
  .name = "latency_chase", .family = "latency", .metric = SU_METRIC_LATENCY,
  .desc = "dependent loads over a random cyclic permutation of cache lines",
  .bytes_read_per_elem = 1, .nstreams = 1,
  .work_note = "ns per dependent load; one load per 64-byte line visited",
  .verify_rel_tol = 0,
};

const su_kernel_desc_t su_desc_gemm = {
  .name = "gemm", .family = "gemm", .metric = SU_METRIC_FLOPS,
  .desc = "C = A * B + C for square n x n matrices",
  .nstreams = 3,
  .work_note = "2 n^3 flops; 3 n^2 words of compulsory traffic",
  .verify_rel_tol = 1e4,
};

const su_kernel_desc_t su_desc_stencil_7pt = {
  .name = "stencil_7pt", .family = "stencil", .metric = SU_METRIC_FLOPS,
  .desc = "3-D 7-point Jacobi sweep: out = c0 * in + c1 * (sum of 6 neighbours)",
  .flops_per_elem = 8, .bytes_read_per_elem = 1, .bytes_written_per_elem = 1,
  .nstreams = 2,
  .work_note = "8 flops per interior point; 2 words per point assuming perfect neighbour reuse",
  .verify_rel_tol = SU_TOL_ELEMENTWISE,
};

const su_kernel_desc_t su_desc_transfer_h2d = {
  .name = "transfer_h2d", .family = "transfer", .metric = SU_METRIC_BANDWIDTH,
  .desc = "host-to-device copy of one buffer",
  .bytes_read_per_elem = 1, .nstreams = 1,
  .work_note = "buffer bytes per copy", .verify_rel_tol = 0,
};

const su_kernel_desc_t su_desc_transfer_d2h = {
  .name = "transfer_d2h", .family = "transfer", .metric = SU_METRIC_BANDWIDTH,
  .desc = "device-to-host copy of one buffer",
  .bytes_written_per_elem = 1, .nstreams = 1,
  .work_note = "buffer bytes per copy", .verify_rel_tol = 0,
};

const su_kernel_desc_t su_desc_transfer_d2d = {
  .name = "transfer_d2d", .family = "transfer", .metric = SU_METRIC_BANDWIDTH,
  .desc = "device-to-device copy of one buffer, for every ordered pair of devices",
  .bytes_written_per_elem = 1, .nstreams = 1,
  .work_note = "buffer bytes per copy", .verify_rel_tol = 0,
};

const su_kernel_desc_t su_desc_launch_latency = {
  .name = "launch_latency", .family = "launch", .metric = SU_METRIC_LATENCY,
  .desc = "an empty kernel: dispatch time (device events) and round trip (host clock)",
  .nstreams = 0,
  .work_note = "one launch per item", .verify_rel_tol = 0,
};
