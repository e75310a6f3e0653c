/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * standin.c: a stand-in application whose run time is a known function of
 * its thread count, for the tests of `sizeup app`, the fits and the mix.
 *
 *   T(N) = serial + parallel / N + contention * (N - 1)        seconds
 *
 * with N from --threads or OMP_NUM_THREADS.  It sleeps that long (or spins
 * with --spin), so the time does not depend on how busy the machine is; its
 * throughput 1/T(N) is a Universal Scalability Law curve with
 * lambda = 1/(serial + parallel), sigma = serial/(serial + parallel) and a
 * contention term, so fits have parameters to recover.  --noise F
 * multiplies T by a uniform factor in [1 - F, 1 + F] (--seed K).
 *
 * It prints "threads: N", "cpus: LIST" (its binding), "time: T s" and
 * "rate: R runs/s" (1/T) unless --no-fom; --exit C exits with C after
 * printing --stderr TEXT to stderr (and exits 3 above --fail-above N
 * threads); --hang sleeps forever; --big prints
 * 300 KiB of output.  Each run is meant to last 10-50 ms.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double arg_num(int argc, char **argv, const char *name, double dflt)
{
  for (int i = 1; i + 1 < argc; i++)
    if (strcmp(argv[i], name) == 0)
      return strtod(argv[i + 1], NULL);
  return dflt;
}

static const char *arg_str(int argc, char **argv, const char *name)
{
  for (int i = 1; i + 1 < argc; i++)
    if (strcmp(argv[i], name) == 0)
      return argv[i + 1];
  return NULL;
}

static int has_flag(int argc, char **argv, const char *name)
{
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], name) == 0)
      return 1;
  return 0;
}

int main(int argc, char **argv)
{
  const char *env = getenv("OMP_NUM_THREADS");
  double n = arg_num(argc, argv, "--threads", env ? atof(env) : 1);
  double s = arg_num(argc, argv, "--serial", 0.004);
  double p = arg_num(argc, argv, "--parallel", 0.024);
  double c = arg_num(argc, argv, "--contention", 0.0005);
  double noise = arg_num(argc, argv, "--noise", 0);
  unsigned seed = (unsigned)arg_num(argc, argv, "--seed", 0);
  const char *msg = arg_str(argc, argv, "--stderr");
  cpu_set_t set;
  char cpus[256] = "";
  size_t k = 0;
  double t, t0;

  if (n < 1)
    n = 1;
  t = s + p / n + c * (n - 1);
  if (noise > 0) {
    /* A different draw per run and seed: the run's start time mixes in. */
    srand(seed * 2654435761u ^ (unsigned)(now_s() * 1e6) ^ (unsigned)getpid());
    t *= 1 - noise + 2 * noise * ((double)rand() / RAND_MAX);
  }
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    for (int i = 0; i < CPU_SETSIZE && k + 8 < sizeof(cpus); i++)
      if (CPU_ISSET(i, &set))
        k += (size_t)snprintf(cpus + k, sizeof(cpus) - k, "%s%d", k ? "," : "", i);
  printf("threads: %g\ncpus: %s\n", n, cpus);
  if (has_flag(argc, argv, "--big"))
    for (int i = 0; i < 300 * 16; i++)
      printf("%063d\n", i);
  fflush(stdout);
  if (msg)
    fprintf(stderr, "standin: %s\n", msg);
  if (has_flag(argc, argv, "--hang"))
    for (;;)
      pause();
  t0 = now_s();
  if (has_flag(argc, argv, "--spin")) {
    while (now_s() - t0 < t)
      ;
  } else {
    struct timespec ts = {(time_t)t, (long)((t - (double)(time_t)t) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
      ;
  }
  printf("time: %.6f s\n", t);
  if (!has_flag(argc, argv, "--no-fom"))
    printf("rate: %.6f runs/s\n", 1 / t);
  if (n > arg_num(argc, argv, "--fail-above", 1e9)) {
    fprintf(stderr, "standin: %g threads is more than --fail-above allows\n", n);
    return 3;
  }
  return (int)arg_num(argc, argv, "--exit", 0);
}
