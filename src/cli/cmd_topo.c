/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_topo.c: `sizeup topo`, the topology as sizeup sees it (hwloc).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "sizeup/error.h"
#include "sizeup/topo.h"

static void usage(FILE *fp)
{
  fprintf(fp,
    "usage: sizeup topo [--json] [--topology SPEC]\n"
    "\n"
    "Shows packages, NUMA nodes (with memory), cores, PUs and every cache level.\n"
    "\n"
    "  -j, --json           one JSON object instead of text\n"
    "      --topology SPEC  an hwloc XML file or a synthetic description instead of\n"
    "                       this machine, e.g. \"pack:2 numa:2 core:16 pu:2\"\n"
    "\n"
    "examples:\n"
    "  sizeup topo\n"
    "  sizeup topo --json > topo.json\n"
    "  sizeup topo --topology \"pack:2 numa:4 l3:1 core:12 pu:2\"\n"
    "  HWLOC_XMLFILE=node.xml sizeup topo\n");
}

int cmd_topo(int argc, char **argv)
{
  static const struct option opts[] = {
    {"json", no_argument, 0, 'j'},
    {"topology", required_argument, 0, 'T'},
    {"help", no_argument, 0, 'h'},
    {0, 0, 0, 0}};
  const char *spec = NULL;
  int json = 0, c, err;
  su_topo_t *t = NULL;

  opterr = 0;
  while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
    switch (c) {
    case 'j': json = 1; break;
    case 'T': spec = optarg; break;
    case 'h': usage(stdout); return SU_EXIT_OK;
    default: return su_cli_bad_option("topo", argc, argv, opts);
    }
  }
  if (optind < argc)
    return su_cli_usage_error("topo", "unexpected argument '%s'", argv[optind]);
  if ((err = su_topo_load(spec, &t)))
    return su_cli_fail(err);
  err = json ? su_topo_print_json(t, stdout) : su_topo_print_text(t, stdout);
  su_topo_destroy(t);
  return err ? su_cli_fail(err) : SU_EXIT_OK;
}
