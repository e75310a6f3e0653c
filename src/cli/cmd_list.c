/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_list.c: `sizeup list`, every kernel of every compiled-in backend with
 * its work model (likwid-bench -a).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "sizeup/backend.h"
#include "sizeup/error.h"
#include "sizeup/suggest.h"

static void usage(FILE *fp)
{
  fprintf(fp,
    "usage: sizeup list [--backend NAME]\n"
    "\n"
    "Lists the kernels: backend, precisions, variants, metric and unit, and the work\n"
    "model (flops and words read/written per element, STREAM's byte convention: the\n"
    "words the kernel's source reads and writes, no write-allocate traffic).\n"
    "\n"
    "examples:\n"
    "  sizeup list\n"
    "  sizeup list --backend opencl\n");
}

static const char *rule_name(su_size_rule_t r)
{
  switch (r) {
  case SU_SIZE_NONE: return "none (registers)";
  case SU_SIZE_4X_LLC: return "each array 4x LLC";
  case SU_SIZE_FIXED: return "fixed";
  case SU_SIZE_SWEEP_CACHE: return "sweep 16 KiB..8x LLC";
  case SU_SIZE_SWEEP_LAT: return "sweep 4 KiB..8x LLC";
  default: return "sweep 64 KiB..256 MiB";
  }
}

int cmd_list(int argc, char **argv)
{
  static const struct option opts[] = {
    {"backend", required_argument, 0, 'B'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
  const char *only = NULL;
  int c;

  opterr = 0;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
    case 'B': only = optarg; break;
    case 'h': usage(stdout); return SU_EXIT_OK;
    default: return su_cli_bad_option("list", argc, argv, opts);
    }
  }
  if (optind < argc)
    return su_cli_usage_error("list", "unexpected argument '%s'", argv[optind]);
  if (only && !su_backend_find(only)) {
    const char *names[32];
    char hint[96], list[256] = "";
    size_t n = 0, used = 0;
    for (const su_backend_t *const *b = su_backends(); *b && n < 32; b++) {
      names[n++] = (*b)->name;
      if (used < sizeof(list))
        used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", n > 1 ? ", " : "",
                                 (*b)->name);
    }
    return su_cli_usage_error("list", "unknown backend '%s' (%sbuilt in: %s)", only,
                              su_suggest_hint(only, NULL, names, n, hint, sizeof(hint)), list);
  }

  for (const su_backend_t *const *b = su_backends(); *b; b++) {
    if (only && strcmp(only, (*b)->name) != 0)
      continue;
    printf("backend %s (%s timer)\n", (*b)->name,
           (*b)->timer == SU_TIMER_DEVICE_EVENTS ? "device events" : "host monotonic clock");
    for (const su_kernel_ops_t *const *k = (*b)->kernels; *k; k++) {
      const su_kernel_ops_t *o = *k;
      const su_kernel_desc_t *d = o->desc;
      char prec[32] = "";
      if (o->precisions == 0)
        snprintf(prec, sizeof(prec), "none");
      for (unsigned p = SU_PREC_FP64; p >= SU_PREC_FP16; p >>= 1)
        if (o->precisions & p)
          snprintf(prec + strlen(prec), sizeof(prec) - strlen(prec), "%s%s",
                   prec[0] ? "," : "", su_precision_name((su_precision_t)p));
      printf("  %-15s %s\n", d->name, d->desc);
      printf("  %-15s %s in %s; precision %s; variants %s; size %s\n", "",
             su_metric_name(d->metric), su_metric_unit(d->metric), prec, o->variants,
             rule_name(o->size_rule));
      printf("  %-15s work: %g flop, %g read + %g written words per element (%s)\n", "",
             d->flops_per_elem, d->bytes_read_per_elem, d->bytes_written_per_elem,
             d->work_note);
    }
  }
  return SU_EXIT_OK;
}
