/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * c2c.c: the core-to-core latency of a bound OpenMP team (core_int.h).
 *
 * Thread 0 and a partner pass a cache line back and forth: each writes a
 * counter the other spins on, so one round trip is two transfers of the line
 * between their cores.  The one-way latency is half the time of a round
 * trip, the minimum over a few blocks (a block that was preempted is slow,
 * never fast).  The figure is the largest over the partners: it tells how far
 * apart the team's cores are.  On a cloud VM it changes when the hypervisor
 * moves the vCPUs: on the development VM two vCPUs on one core complex die
 * see 34-46 ns and on two dies 181-217 ns, and the two-thread memory
 * bandwidth follows (47 against 81 GB/s, bench/placement.sh), which is why
 * the runner records it with every point and `sizeup compare` compares
 * within one placement only.
 */
#include <math.h>
#include <stdatomic.h>

#include <omp.h>

#include "core/core_int.h"
#include "sizeup/timer.h"

enum {
  C2C_TRIPS = 200,         /* round trips per block */
  C2C_BLOCKS = 3,
  C2C_MAX_PARTNERS = 8,
};

/* A block may not take longer than this (a partner descheduled for long on
 * an oversubscribed machine): both sides give up and the figure is NaN. */
#define C2C_GIVE_UP_NS 20000000ull

typedef struct {
  _Alignas(64) atomic_uint turn;   /* the line that travels */
  _Alignas(64) atomic_int abort;
} c2c_line_t;

/* Waits until *turn == want; 0, or -1 when the block ran out of time. */
static int wait_turn(c2c_line_t *l, unsigned want, uint64_t t0)
{
  unsigned spins = 0;

  while (atomic_load_explicit(&l->turn, memory_order_acquire) != want) {
    if (++spins % 4096 == 0 &&
        (atomic_load_explicit(&l->abort, memory_order_relaxed) ||
         su_time_ns() - t0 > C2C_GIVE_UP_NS)) {
      atomic_store_explicit(&l->abort, 1, memory_order_relaxed);
      return -1;
    }
  }
  return 0;
}

/* One block between thread 0 (ping) and the partner (pong), the counter
 * going from base to base + 2 * C2C_TRIPS; ns per one-way transfer as seen
 * by thread 0, NaN on the partner or on a timeout. */
static double block(c2c_line_t *l, int ping, unsigned base)
{
  uint64_t t0 = su_time_ns();

  for (unsigned i = base; i < base + 2 * C2C_TRIPS; i += 2) {
    if (ping) {
      atomic_store_explicit(&l->turn, i + 1, memory_order_release);
      if (wait_turn(l, i + 2, t0))
        return NAN;
    } else {
      if (wait_turn(l, i + 1, t0))
        return NAN;
      atomic_store_explicit(&l->turn, i + 2, memory_order_release);
    }
  }
  return ping ? (double)(su_time_ns() - t0) / (2.0 * C2C_TRIPS) : NAN;
}

double su__team_c2c_ns(unsigned threads)
{
  static c2c_line_t line;
  unsigned partner[C2C_MAX_PARTNERS], np = 0;
  double worst = NAN;
  int failed = 0;

  if (threads < 2)
    return NAN;
  /* Every partner of a small team; of a large one, eight spread over the
   * team, the last thread included. */
  for (unsigned i = 0; i < C2C_MAX_PARTNERS && i + 1 < threads; i++)
    partner[np++] = threads - 1 <= C2C_MAX_PARTNERS
                        ? i + 1
                        : 1 + (unsigned)((double)(threads - 2) * (i + 1) / C2C_MAX_PARTNERS);

#pragma omp parallel num_threads(threads)
  {
    unsigned tid = (unsigned)omp_get_thread_num();
    for (unsigned p = 0; p < np; p++) {
      double best = INFINITY;
#pragma omp single
      {
        atomic_store(&line.turn, 0);
        atomic_store(&line.abort, 0);
      }
      /* (the single's implicit barrier lines the pair up) */
      if (tid == 0 || tid == partner[p]) {
        for (unsigned b = 0; b < C2C_BLOCKS; b++) {
          double t = block(&line, tid == 0, 2 * C2C_TRIPS * b);
          if (atomic_load(&line.abort))
            break;
          if (tid == 0 && t < best)
            best = t;
        }
        if (tid == 0) {
          if (atomic_load(&line.abort) || !isfinite(best))
            failed = 1;
          else if (!(best <= worst))
            worst = best;
        }
      }
#pragma omp barrier
    }
  }
  return failed ? NAN : worst;
}
