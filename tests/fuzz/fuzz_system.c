/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_system.c: system.json through su_results_load, next to a valid
 * one-row summary.csv (fuzz.h). */
#include "fuzz.h"
#include "sizeup/results.h"

static const char summary[] =
  "schema_version,run_id,kernel,variant,backend,device,precision,threads,ranks,nodes,"
  "placement,cpuset,size_bytes,metric,unit,status,reason,median,min,max,mean,stddev,cv,"
  "ci95_lo,ci95_hi,reps\n"
  "1,r,stream_triad,omp,cpu,d,fp64,1,1,1,compact,0,1024,bandwidth,GB/s,ok,,3,2,4,3,1,0.3,2,"
  "4,3\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  su_results_t r;

  fuzz_file(0, "summary.csv", (const uint8_t *)summary, sizeof(summary) - 1);
  fuzz_file(1, "system.json", data, size);
  if (su_results_load(fuzz_dir(), &r) == SU_OK)
    su_results_fini(&r);
  return 0;
}
