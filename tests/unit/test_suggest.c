/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_suggest.c: the edit distance and the "did you mean" rule (suggest.h)
 * on the typos users make: a swap, a missing, doubled or wrong letter, a
 * prefix; and nothing suggested for a word far from every candidate.
 */
#include <stdint.h>
#include <string.h>

#include "sizeup/suggest.h"
#include "test.h"

static void test_distance(void)
{
  CHECK_EQ_INT((int)su_suggest_distance("compare", "compare"), 0);
  CHECK_EQ_INT((int)su_suggest_distance("comapre", "compare"), 1);   /* a swap is one edit */
  CHECK_EQ_INT((int)su_suggest_distance("profle", "profile"), 1);
  CHECK_EQ_INT((int)su_suggest_distance("stream_triade", "stream_triad"), 1);
  CHECK_EQ_INT((int)su_suggest_distance("scater", "scatter"), 1);
  CHECK_EQ_INT((int)su_suggest_distance("kitten", "sitting"), 3);
  CHECK_EQ_INT((int)su_suggest_distance("", "abc"), 3);
  CHECK_EQ_INT((int)su_suggest_distance("QUICK", "quick"), 0);       /* case is ignored */
  CHECK(su_suggest_distance("x", "0123456789012345678901234567890123456789012345678901234567890"
                                 "1234") == SIZE_MAX);
}

static void test_suggest(void)
{
  static const char *const cmds[] = {"compare", "fit", "history", "list", "recommend", "report",
                                     "run", "slurm", "topo"};
  static const char *const profiles[] = {"full", "nightly", "quick", "standard"};
  static const char *const kernels[] = {"stream_copy", "stream_scale", "stream_add",
                                        "stream_triad", "fma_peak", "latency_chase"};
  char buf[96];

  CHECK_EQ_STR(su_suggest("comapre", cmds, 9), "compare");
  CHECK_EQ_STR(su_suggest("reprot", cmds, 9), "report");
  CHECK_EQ_STR(su_suggest("rn", cmds, 9), "run");
  CHECK(su_suggest("frobnicate", cmds, 9) == NULL);
  CHECK(su_suggest("compare", cmds, 9) == NULL);               /* a valid name needs no hint */
  CHECK(su_suggest("", cmds, 9) == NULL);
  CHECK_EQ_STR(su_suggest("nightley", profiles, 4), "nightly");
  CHECK_EQ_STR(su_suggest("stnadard", profiles, 4), "standard");
  CHECK_EQ_STR(su_suggest("stream_triade", kernels, 6), "stream_triad");
  CHECK_EQ_STR(su_suggest("latency", kernels, 6), "latency_chase"); /* a prefix */
  CHECK(su_suggest("dgemm_huge", kernels, 6) == NULL);
  CHECK_EQ_STR(su_suggest_hint("comapre", NULL, cmds, 9, buf, sizeof(buf)),
               "did you mean 'compare'? ");
  CHECK_EQ_STR(su_suggest_hint("treshold", "--", (const char *const[]){"threshold"}, 1, buf,
                               sizeof(buf)), "did you mean '--threshold'? ");
  CHECK_EQ_STR(su_suggest_hint("zzz", NULL, cmds, 9, buf, sizeof(buf)), "");
}

int main(void)
{
  SU_TEST_RUN(test_distance);
  SU_TEST_RUN(test_suggest);
  return SU_TEST_REPORT();
}
