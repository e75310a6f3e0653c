/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * d2d_report.c: the device-to-device copy matrix of a results directory, as
 * NVIDIA's nvbandwidth prints it: source devices down, destination devices
 * across, each cell a copy bandwidth in GB/s.
 *
 * The cells come from transfer_d2d rows with status ok, whose device names
 * the pair, `NAME [0:0] -> [0:1]` (src/core/plan.c): the diagonal is a copy
 * within one device (on_device), the rest whatever the pair allows
 * (peer within one OpenCL context, via_host otherwise).  A cell holds the best median at the largest size
 * measured for it; a pair nobody measured stays empty.  The heat map is
 * drawn by matrix.c like the NUMA matrix; report.html and report.md show
 * the same grid as a table (html.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "sizeup/error.h"

/* A device of the matrix: its key (`[0:1]`, else the whole name) and, once
 * seen as a source, its full name. */
typedef struct d2d_dev {
  char key[SU__GRID_LABEL];
  char name[SU__GRID_LABEL];
} d2d_dev_t;

/* Splits a transfer_d2d row's device into the source's name and key and the
 * destination's key; 0, or -1 when it names no pair. */
static int d2d_pair(const char *device, char *src, char *skey, char *dkey)
{
  const char *arrow = NULL, *s, *b;

  for (s = strstr(device, " -> "); s; s = strstr(s + 1, " -> "))
    arrow = s;
  if (!arrow || arrow == device || !arrow[4])
    return -1;
  snprintf(src, SU__GRID_LABEL, "%.*s", (int)(arrow - device), device);
  b = strrchr(src, '[');
  snprintf(skey, SU__GRID_LABEL, "%s", b ? b : src);
  snprintf(dkey, SU__GRID_LABEL, "%s", arrow + 4);
  return 0;
}

static int dev_find(d2d_dev_t *dev, int *n, const char *key)
{
  for (int i = 0; i < *n; i++)
    if (strcmp(dev[i].key, key) == 0)
      return i;
  snprintf(dev[*n].key, sizeof(dev[*n].key), "%s", key);
  return (*n)++;
}

static int row_is_d2d(const su_result_row_t *w)
{
  return strcmp(w->kernel, "transfer_d2d") == 0 && strcmp(w->status, "ok") == 0 &&
         strcmp(w->metric, "bandwidth") == 0 && isfinite(w->median) && w->device;
}

/* The heat map's tic for a key: `0:1` from `[0:1]`, else the position. */
static void tic_of(char *tic, size_t len, const char *key, int pos)
{
  size_t n = strlen(key);

  if (n > 2 && n - 2 < len && key[0] == '[' && key[n - 1] == ']' &&
      strspn(key + 1, "0123456789:") == n - 2)
    snprintf(tic, len, "%.*s", (int)(n - 2), key + 1);
  else
    snprintf(tic, len, "%d", pos);
}

int su__d2d_grid(const su_results_t *r, su__grid_t *g, size_t *n, int *modelled)
{
  char src[SU__GRID_LABEL], skey[SU__GRID_LABEL], dkey[SU__GRID_LABEL];
  d2d_dev_t *dev;
  uint64_t *size = NULL;
  int ndev = 0, err;

  *n = 0;
  *modelled = 0;
  if (!(dev = calloc(2 * r->nrows + 1, sizeof(*dev))))
    return su_errorf(SU_ENOMEM, "cannot build the device-to-device matrix of '%s'", r->dir);
  for (size_t i = 0; i < r->nrows; i++) {
    const su_result_row_t *w = &r->rows[i];
    int s;
    if (!row_is_d2d(w) || d2d_pair(w->device, src, skey, dkey))
      continue;
    s = dev_find(dev, &ndev, skey);
    if (!dev[s].name[0])
      snprintf(dev[s].name, sizeof(dev[s].name), "%s", src);
    dev_find(dev, &ndev, dkey);
  }
  if (ndev == 0) {
    free(dev);
    return SU_OK;
  }
  if ((err = su__grid_init(g, ndev, ndev)) ||
      !(size = calloc((size_t)ndev * (size_t)ndev, sizeof(*size)))) {
    if (!err) {
      su__grid_fini(g);
      err = su_errorf(SU_ENOMEM, "cannot build the device-to-device matrix of '%s'", r->dir);
    }
    free(dev);
    return err;
  }
  for (int i = 0; i < ndev; i++) {
    tic_of(g->rtic[i], sizeof(g->rtic[i]), dev[i].key, i);
    snprintf(g->ctic[i], sizeof(g->ctic[i]), "%s", g->rtic[i]);
    snprintf(g->rname[i], sizeof(g->rname[i]), "from %s", dev[i].name[0] ? dev[i].name
                                                                           : dev[i].key);
    snprintf(g->cname[i], sizeof(g->cname[i]), "to %s", dev[i].key);
  }
  for (size_t i = 0; i < r->nrows; i++) {
    const su_result_row_t *w = &r->rows[i];
    size_t c;
    double *v;
    if (!row_is_d2d(w) || d2d_pair(w->device, src, skey, dkey))
      continue;
    c = (size_t)dev_find(dev, &ndev, skey) * (size_t)ndev + (size_t)dev_find(dev, &ndev, dkey);
    v = &g->val[c];
    /* The largest size wins; among equals, the best figure. */
    if (w->size_bytes > size[c] || isnan(*v) || (w->size_bytes == size[c] && w->median > *v)) {
      *v = w->median;
      size[c] = w->size_bytes;
    }
    (*n)++;
    *modelled |= strcmp(w->backend, "null") == 0;
  }
  free(size);
  free(dev);
  return SU_OK;
}

/* Whether v is an item of list, "a, b, c". */
static int listed(const char *list, const char *v)
{
  size_t n = strlen(v);

  for (const char *p = list; *p;) {
    if (strncmp(p, v, n) == 0 && (p[n] == ',' || !p[n]))
      return 1;
    p += strcspn(p, ",");
    p += *p ? 2 : 0;
  }
  return 0;
}

void su__d2d_paths(const su_results_t *r, char *buf, size_t len)
{
  size_t pos = 0;

  buf[0] = '\0';
  for (size_t i = 0; i < r->nrows; i++) {
    const su_result_row_t *w = &r->rows[i];

    if (!row_is_d2d(w) || !w->variant || !w->variant[0] || listed(buf, w->variant) ||
        pos + strlen(w->variant) + 3 > len)
      continue;
    pos += (size_t)snprintf(buf + pos, len - pos, "%s%s", pos ? ", " : "", w->variant);
  }
}

int su__report_d2d(su__report_t *rp)
{
  for (size_t d = 0; d < rp->ndirs; d++) {
    char name[64], title[192];
    su__plot_t *p;
    su__grid_t g;
    size_t n;
    int modelled, err;
    if ((err = su__d2d_grid(rp->dirs[d].r, &g, &n, &modelled)))
      return err;
    if (!n)
      continue;
    snprintf(name, sizeof(name), "d2d_bandwidth_%zu", d + 1);
    if (!(p = su__plot_add(rp, "d2d", name))) {
      su__grid_fini(&g);
      return su_errorf(SU_ENOMEM, "cannot plan the report");
    }
    snprintf(p->caption, sizeof(p->caption),
             "Device-to-device copy bandwidth [GB/s], transfer_d2d: from device i (rows) to "
             "device j (columns); the diagonal within one device%s",
             modelled ? "; MODELLED by the null backend, not measured" : "");
    snprintf(title, sizeof(title), "%.60s%sDevice-to-device copies [GB/s]%s",
             rp->ndirs > 1 ? rp->dirs[d].label : "", rp->ndirs > 1 ? ": " : "",
             modelled ? " (null backend: a model)" : "");
    err = su__plot_grid(rp, p, &g, title, "destination device", "source device",
                        "bandwidth [GB/s]");
    su__grid_fini(&g);
    if (err)
      return err;
  }
  return SU_OK;
}
