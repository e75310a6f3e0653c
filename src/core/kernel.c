/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kernel.c: names of precisions and metrics, shared by every backend.
 */
#include <string.h>

#include "sizeup/error.h"
#include "sizeup/suggest.h"
#include "sizeup/kernel.h"

const char *su_precision_name(su_precision_t p)
{
  switch (p) {
  case SU_PREC_FP16: return "fp16";
  case SU_PREC_FP32: return "fp32";
  case SU_PREC_FP64: return "fp64";
  default: return "none";
  }
}

int su_precision_parse(const char *s, su_precision_t *out)
{
  static const su_precision_t all[] = {SU_PREC_NONE, SU_PREC_FP16, SU_PREC_FP32, SU_PREC_FP64};

  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
    if (strcmp(s, su_precision_name(all[i])) == 0) {
      *out = all[i];
      return SU_OK;
    }
  }
  {
    static const char *const names[] = {"fp64", "fp32", "fp16"};
    char hint[64];
    return su_errorf(SU_EINVAL, "unknown precision '%s' (%sexpected fp64, fp32 or fp16)", s,
                     su_suggest_hint(s, NULL, names, 3, hint, sizeof(hint)));
  }
}

size_t su_precision_size(su_precision_t p)
{
  switch (p) {
  case SU_PREC_FP16: return 2;
  case SU_PREC_FP32: return 4;
  case SU_PREC_FP64: return 8;
  default: return 0;
  }
}

const char *su_metric_name(su_metric_kind_t m)
{
  switch (m) {
  case SU_METRIC_BANDWIDTH: return "bandwidth";
  case SU_METRIC_FLOPS: return "flops";
  case SU_METRIC_TIME: return "time";
  case SU_METRIC_FOM: return "fom";
  default: return "latency";
  }
}

const char *su_metric_unit(su_metric_kind_t m)
{
  switch (m) {
  case SU_METRIC_BANDWIDTH: return "GB/s";
  case SU_METRIC_FLOPS: return "GFLOP/s";
  case SU_METRIC_TIME: return "s";
  case SU_METRIC_FOM: return "";
  default: return "ns";
  }
}

const char *su_desc_metric_name(const su_kernel_desc_t *d)
{
  return d->metric_name ? d->metric_name : su_metric_name(d->metric);
}

const char *su_desc_metric_unit(const su_kernel_desc_t *d)
{
  return d->metric_unit ? d->metric_unit : su_metric_unit(d->metric);
}

int su_metric_lower_is_better(const char *name)
{
  return strcmp(name, "latency") == 0 || strcmp(name, "time") == 0 ||
         strcmp(name, "fom_lower") == 0;
}
