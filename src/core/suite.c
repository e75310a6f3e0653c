/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * suite.c: suite profiles, INI files read with libinih.
 *
 *   [run]                  settings for every point
 *   budget = 0.3           seconds of timed samples per point
 *   min_reps = 10
 *   max_reps = 1000
 *   ci = 0.02              stop at a CI95 of the median within +-2%
 *   min_sample = 1e-4      seconds per timed sample (calibrates `inner`)
 *   noise_cv = 0.05
 *   rounds = 1             passes over the whole plan, samples pooled
 *
 *   [stream]               any other section is a group of the sweep
 *   kernels = stream_copy,stream_triad
 *   backend = cpu          cpu | opencl | all
 *   precision = fp64,fp32  or auto
 *   variants = auto        or e.g. omp,nt
 *   threads = ladder       ladder (the default) | 1,2,4 | 1..max | pow2 | max
 *   fixed = threads        axes -t, -P and -S leave alone (threads,
 *                          placement, sizes): a cache sweep stays 1 thread
 *   placement = compact,scatter
 *   sizes = auto           auto | sweep | 16K,1M | 16K..256M[:per-doubling]
 *   memory = local         local (first touch) | mem:J | each (the NUMA matrix)
 *   budget = 0.1           overrides [run] for this group
 *
 *   [solver]               an application (the app backend): a command
 *   command = ./solver --threads {threads} input.dat
 *   threads = 1,2,4        placement, budget as for kernels; also name,
 *   fom = rate: ([0-9.]+)  fom_unit, higher_is_better, timeout, ranks,
 *   fom_unit = cells/s     launcher (see docs/app.md)
 *
 * Unknown sections keys and bad values are errors naming the file, line and
 * key: a half-read suite never runs.
 */
#include <dirent.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sizeup/app.h"
#include "sizeup/config.h"
#include "sizeup/error.h"
#include "sizeup/ini.h"
#include "sizeup/parse.h"
#include "sizeup/run.h"
#include "sizeup/suggest.h"

typedef struct suite_parse {
  su_suite_t *s;
  int err;
  char why[256];
  su_ini_seen_t seen;      /* keys and sections given so far */
} suite_parse_t;

static int set_str(char *dst, size_t len, const char *v)
{
  if (strlen(v) >= len)
    return -1;
  memcpy(dst, v, strlen(v) + 1);
  return 0;
}

static int run_key(su_measure_opts_t *mo, const char *k, const char *v)
{
  if (strcmp(k, "budget") == 0)
    return su_parse_real(v, 1e-3, 3600, &mo->budget_s);
  if (strcmp(k, "min_reps") == 0)
    return su_parse_uint(v, 1, 1000000, &mo->min_reps);
  if (strcmp(k, "max_reps") == 0)
    return su_parse_uint(v, 1, 10000000, &mo->max_reps);
  if (strcmp(k, "ci") == 0)
    return su_parse_real(v, 0, 1, &mo->ci_target);
  if (strcmp(k, "min_sample") == 0)
    return su_parse_real(v, 1e-6, 10, &mo->min_sample_s);
  if (strcmp(k, "noise_cv") == 0)
    return su_parse_real(v, 0, 10, &mo->noise_cv);
  if (strcmp(k, "rounds") == 0)
    return su_parse_uint(v, 1, 100, &mo->rounds);
  return -2;
}

static int group_key(su_group_t *g, const char *k, const char *v)
{
  if (strcmp(k, "kernels") == 0)
    return set_str(g->kernels, sizeof(g->kernels), v);
  if (strcmp(k, "backend") == 0)
    return set_str(g->backend, sizeof(g->backend), v);
  if (strcmp(k, "precision") == 0)
    return set_str(g->precision, sizeof(g->precision), v);
  if (strcmp(k, "variants") == 0)
    return set_str(g->variants, sizeof(g->variants), v);
  if (strcmp(k, "threads") == 0)
    return set_str(g->threads, sizeof(g->threads), v);
  if (strcmp(k, "placement") == 0)
    return set_str(g->placement, sizeof(g->placement), v);
  if (strcmp(k, "sizes") == 0)
    return set_str(g->sizes, sizeof(g->sizes), v);
  if (strcmp(k, "memory") == 0)
    return set_str(g->memory, sizeof(g->memory), v);
  if (strcmp(k, "budget") == 0)
    return su_parse_real(v, 1e-3, 3600, &g->budget_s);
  if (strcmp(k, "fixed") == 0) {
    /* Only the axes a command-line option could override. */
    char buf[64], *save = NULL;
    if (set_str(buf, sizeof(buf), v))
      return -1;
    for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
      if (strcmp(t, "threads") != 0 && strcmp(t, "placement") != 0 && strcmp(t, "sizes") != 0)
        return -1;
    return set_str(g->fixed, sizeof(g->fixed), v);
  }
  /* An application (include/sizeup/app.h). */
  if (strcmp(k, "command") == 0)
    return set_str(g->app.command, sizeof(g->app.command), v);
  if (strcmp(k, "name") == 0)
    return set_str(g->app.name, sizeof(g->app.name), v);
  if (strcmp(k, "fom") == 0)
    return set_str(g->app.fom, sizeof(g->app.fom), v);
  if (strcmp(k, "fom_unit") == 0)
    return set_str(g->app.fom_unit, sizeof(g->app.fom_unit), v);
  if (strcmp(k, "higher_is_better") == 0) {
    unsigned b;
    int rc = su_parse_uint(strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ? "1"
                        : strcmp(v, "false") == 0 || strcmp(v, "no") == 0 ? "0" : v, 0, 1, &b);
    g->app.higher_is_better = (int)b;
    return rc;
  }
  if (strcmp(k, "timeout") == 0)
    return su_parse_real(v, 0, 1e6, &g->app.timeout_s);
  if (strcmp(k, "ranks") == 0)
    return set_str(g->app.ranks, sizeof(g->app.ranks), v);
  if (strcmp(k, "launcher") == 0)
    return set_str(g->app.launcher, sizeof(g->app.launcher), v);
  return -2;
}

static su_group_t *group_for(su_suite_t *s, const char *section)
{
  su_group_t *g;

  for (size_t i = 0; i < s->ngroups; i++)
    if (strcmp(s->groups[i].name, section) == 0)
      return &s->groups[i];
  g = realloc(s->groups, (s->ngroups + 1) * sizeof(*g));
  if (!g)
    return NULL;
  s->groups = g;
  g = &s->groups[s->ngroups++];
  memset(g, 0, sizeof(*g));
  su_app_spec_default(&g->app);
  snprintf(g->name, sizeof(g->name), "%s", section);
  return g;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
  suite_parse_t *ps = user;
  int rc;

  if (!section[0]) {
    snprintf(ps->why, sizeof(ps->why), "key '%s' outside a section", name);
    return 0;
  }
  if (su_ini_seen_add(&ps->seen, section, name, ps->why, sizeof(ps->why)))
    return 0;
  if (strcmp(section, "run") == 0) {
    rc = run_key(&ps->s->mo, name, value);
  } else {
    su_group_t *g = group_for(ps->s, section);
    if (!g) {
      ps->err = SU_ENOMEM;
      snprintf(ps->why, sizeof(ps->why), "out of memory");
      return 0;
    }
    rc = group_key(g, name, value);
  }
  if (rc == -2)
    snprintf(ps->why, sizeof(ps->why), "unknown key '%s' in section [%s]", name, section);
  else if (rc)
    snprintf(ps->why, sizeof(ps->why), "invalid value '%s' for '%s' in [%s]", value, name,
             section);
  return rc == 0;
}

int su_suite_load(const char *path, su_suite_t *out)
{
  suite_parse_t ps;
  FILE *fp;
  int line;

  memset(out, 0, sizeof(*out));
  su_measure_opts_default(&out->mo);
  snprintf(out->path, sizeof(out->path), "%s", path);
  memset(&ps, 0, sizeof(ps));
  ps.s = out;
  if (!(fp = fopen(path, "r")))
    return su_errorf(SU_EINVAL, "cannot open suite '%s': %s", path, strerror(errno));
  line = ini_parse_file(fp, on_entry, &ps);
  fclose(fp);
  su_ini_seen_fini(&ps.seen);
  if (line != 0) {
    int err = ps.err ? ps.err : SU_EINVAL;
    su_suite_fini(out);
    if (line < 0)
      return su_errorf(SU_EIO, "cannot read suite '%s'", path);
    return su_errorf(err, "%s:%d: %s", path, line, ps.why[0] ? ps.why : "syntax error");
  }
  for (size_t i = 0; i < out->ngroups; i++) {
    su_group_t *g = &out->groups[i];
    const char *why = NULL;
    if (!g->kernels[0] && !g->app.command[0])
      why = "has no 'kernels' (or 'command', for an application)";
    else if (g->kernels[0] && g->app.command[0])
      why = "has both 'kernels' and 'command': make the application its own section";
    if (why) {
      char name[64];
      snprintf(name, sizeof(name), "%s", g->name);
      su_suite_fini(out);
      return su_errorf(SU_EINVAL, "%s: section [%s] %s", path, name, why);
    }
    if (g->app.command[0] && !g->app.name[0])
      snprintf(g->app.name, sizeof(g->app.name), "%s", g->name);
  }
  if (out->mo.min_reps > out->mo.max_reps) {
    su_suite_fini(out);
    return su_errorf(SU_EINVAL, "%s: min_reps is larger than max_reps", path);
  }
  if (out->ngroups == 0) {
    su_suite_fini(out);
    return su_errorf(SU_EINVAL, "%s: the suite has no kernel groups", path);
  }
  return SU_OK;
}

void su_suite_fini(su_suite_t *s)
{
  free(s->groups);
  s->groups = NULL;
  s->ngroups = 0;
}

/* Where profiles are looked for, in order: $SIZEUP_DATADIR, the install
 * prefix of this binary, the source tree, the configured data directory,
 * ./bench.  rel is the caller's buffer for the second. */
#define SU_PROFILE_NDIRS 5
static void profile_dirs(const char *dirs[SU_PROFILE_NDIRS], char *rel, size_t rel_len)
{
  char exe[1024];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

  rel[0] = '\0';
  /* <prefix>/bin/sizeup finds <prefix>/share/sizeup/bench wherever it was
   * installed (cmake --install --prefix P). */
  if (n > 0) {
    char *slash;
    exe[n] = '\0';
    if ((slash = strrchr(exe, '/')))
      *slash = '\0';
    snprintf(rel, rel_len, "%.1000s/../share/sizeup/bench", exe);
  }
  dirs[0] = getenv("SIZEUP_DATADIR");
  dirs[1] = rel[0] ? rel : NULL;
  dirs[2] = SU_SOURCE_DIR "/bench";
  dirs[3] = SU_DATADIR "/bench";
  dirs[4] = "bench";
}

static int cmp_name(const void *a, const void *b)
{
  return strcmp(a, b);
}

size_t su_suite_profiles(char names[][SU_PROFILE_NAME_MAX], size_t max)
{
  const char *dirs[SU_PROFILE_NDIRS];
  char rel[1100];
  size_t n = 0;

  profile_dirs(dirs, rel, sizeof(rel));
  for (size_t i = 0; i < SU_PROFILE_NDIRS; i++) {
    DIR *d = dirs[i] ? opendir(dirs[i]) : NULL;
    struct dirent *de;
    while (d && (de = readdir(d))) {
      size_t len = strlen(de->d_name), k;
      if (len < 5 || len - 4 >= SU_PROFILE_NAME_MAX || strcmp(de->d_name + len - 4, ".ini"))
        continue;
      for (k = 0; k < n && strncmp(names[k], de->d_name, len - 4) != 0; k++)
        ;
      if (k < n || n == max)
        continue;           /* listed already, from an earlier directory */
      snprintf(names[n++], SU_PROFILE_NAME_MAX, "%.*s", (int)(len - 4), de->d_name);
    }
    if (d)
      closedir(d);
  }
  qsort(names, n, sizeof(names[0]), cmp_name);
  return n;
}

size_t su_suite_profile_list(char *buf, size_t len, const char *sep)
{
  char names[32][SU_PROFILE_NAME_MAX];
  size_t n = su_suite_profiles(names, 32), used = 0;

  if (len)
    buf[0] = '\0';
  for (size_t i = 0; i < n && used < len; i++)
    used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? sep : "", names[i]);
  return n;
}

/* "unknown profile 'x' (did you mean 'y'? profiles: a, b, c; or --suite FILE)" */
static int unknown_profile(const char *name)
{
  char names[32][SU_PROFILE_NAME_MAX], list[512], hint[96];
  const char *ptr[32];
  size_t n = su_suite_profiles(names, 32);

  for (size_t i = 0; i < n; i++)
    ptr[i] = names[i];
  su_suite_profile_list(list, sizeof(list), ", ");
  su_suggest_hint(name, NULL, ptr, n, hint, sizeof(hint));
  return su_errorf(SU_EINVAL, "unknown profile '%s' (%sprofiles: %s; or --suite FILE)", name,
                   hint, n ? list : "none found");
}

int su_suite_find_profile(const char *name, char *path, size_t len)
{
  const char *dirs[SU_PROFILE_NDIRS];
  char rel[1100];
  struct stat st;

  profile_dirs(dirs, rel, sizeof(rel));
  for (const char *c = name; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
      return unknown_profile(name);
  for (size_t i = 0; i < SU_PROFILE_NDIRS; i++) {
    if (!dirs[i])
      continue;
    if (!path || snprintf(path, len, "%s/%s.ini", dirs[i], name) >= (int)len)
      continue;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
      return SU_OK;
  }
  return unknown_profile(name);
}
