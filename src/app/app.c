/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * app.c: the `app` backend, a user's program run as one kernel repetition.
 *
 * setup() prepares the point's command (placeholders replaced, the launcher
 * in front for MPI ranks), its environment (OMP_NUM_THREADS) and where its
 * output goes; run() starts the program once per repetition:
 *
 *   1. fork; the child puts itself in its own process group, points its
 *      stdout/stderr at files and waits on a pipe;
 *   2. the parent binds the child to the point's PUs (hwloc, every thread
 *      it will start inherits it), then starts the clock and releases it;
 *   3. the child executes the program (a failed exec is reported back
 *      through a close-on-exec pipe: "cannot run ...");
 *   4. the parent waits for the exit (a pidfd, so the exit is seen at once)
 *      or the timeout, which kills the whole process group;
 *   5. the clock stops at the exit: the sample's value is that wall time, or
 *      the figure of merit found in stdout (the last match of the regex).
 *
 * The time excludes sizeup's own fork and output handling but includes
 * exec and the program's start-up, as hyperfine's does.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sizeup/app.h"
#include "sizeup/error.h"
#include "sizeup/timer.h"
#include "sizeup/topo.h"

extern char **environ;


/* One registered application: its spec and the kernel that measures it. */
typedef struct app_entry {
  su_kernel_ops_t ops;      /* first: ops -> entry */
  su_kernel_desc_t desc;
  su_app_spec_t spec;
  regex_t re;
  int has_re;
} app_entry_t;

typedef struct app_ctx {
  app_entry_t **e;
  size_t n;
} app_ctx_t;

/* One point being measured. */
typedef struct app_run {
  const app_entry_t *e;
  char **argv;              /* placeholders replaced, launcher in front */
  char *path;               /* argv[0] resolved */
  char **envp;              /* environ + OMP_NUM_THREADS */
  char *env_omp;
  const unsigned *pus;
  unsigned npus;
  const su_topo_t *topo;
  char dir[1536];           /* where runs' output is kept; "" = nowhere */
  unsigned next;            /* run number */
  int out_fd, err_fd;       /* anonymous files when dir is "" */
} app_run_t;

void su_app_spec_default(su_app_spec_t *s)
{
  memset(s, 0, sizeof(*s));
  s->timeout_s = 600;
}

/* --- words ------------------------------------------------------------------ */

void su_app_words_free(char **words)
{
  for (size_t i = 0; words && words[i]; i++)
    free(words[i]);
  free(words);
}

int su_app_split(const char *command, char ***words, size_t *n)
{
  size_t len = strlen(command), cap = 8, nw = 0;
  char **w = calloc(cap, sizeof(*w)), *cur = malloc(len + 1);
  const char *p = command;
  int err = SU_OK;

  if (!w || !cur) {
    err = su_errorf(SU_ENOMEM, "out of memory");
    goto out;
  }
  for (;;) {
    size_t k = 0;
    int any = 0;
    while (*p == ' ' || *p == '\t' || *p == '\n')
      p++;
    if (!*p)
      break;
    while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
      any = 1;
      if (*p == '\'') {
        const char *q = strchr(p + 1, '\'');
        if (!q) {
          err = su_errorf(SU_EINVAL, "command '%s': unterminated '", command);
          goto out;
        }
        memcpy(cur + k, p + 1, (size_t)(q - p - 1));
        k += (size_t)(q - p - 1);
        p = q + 1;
      } else if (*p == '"') {
        for (p++; *p && *p != '"'; p++) {
          if (*p == '\\' && p[1] && strchr("\"\\$`", p[1]))
            p++;
          cur[k++] = *p;
        }
        if (*p != '"') {
          err = su_errorf(SU_EINVAL, "command '%s': unterminated \"", command);
          goto out;
        }
        p++;
      } else if (*p == '\\' && p[1]) {
        cur[k++] = p[1];
        p += 2;
      } else {
        cur[k++] = *p++;
      }
    }
    if (!any)
      break;
    if (nw + 2 > cap) {
      char **g = realloc(w, 2 * cap * sizeof(*w));
      if (!g) {
        err = su_errorf(SU_ENOMEM, "out of memory");
        goto out;
      }
      w = g;
      cap *= 2;
    }
    if (!(w[nw] = strndup(cur, k))) {
      err = su_errorf(SU_ENOMEM, "out of memory");
      goto out;
    }
    w[++nw] = NULL;
  }
  if (nw == 0)
    err = su_errorf(SU_EINVAL, "the command is empty: give the program after '--'");
out:
  free(cur);
  if (err) {
    su_app_words_free(w);
    return err;
  }
  *words = w;
  *n = nw;
  return SU_OK;
}

int su_app_join(char *const *argv, int argc, char *out, size_t len)
{
  size_t k = 0;

  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    int plain = a[0] != '\0';
    for (const char *c = a; *c && plain; c++)
      plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                     "_@%+=:,./{}-", *c) != NULL;
    if (i && k + 1 < len)
      out[k++] = ' ';
    if (!plain && k + 1 < len)
      out[k++] = '\'';
    for (const char *c = a; *c && k + 5 < len; c++) {
      if (*c == '\'' && !plain) {
        memcpy(out + k, "'\\''", 4);
        k += 4;
      } else {
        out[k++] = *c;
      }
    }
    if (!plain && k + 1 < len)
      out[k++] = '\'';
    if (k + 5 >= len)
      return su_errorf(SU_EINVAL, "the command is too long (at most %zu bytes)", len - 5);
  }
  out[k] = '\0';
  return SU_OK;
}

/* --- checks ----------------------------------------------------------------- */

/* The program `name` runs: a path with '/' as is, else the first match in
 * PATH.  *out is malloc'ed.  SU_EINVAL naming what is wrong. */
static int resolve(const char *name, char **out)
{
  const char *path = getenv("PATH");
  char buf[4096];

  if (strchr(name, '/')) {
    if (access(name, X_OK) != 0)
      return su_errorf(SU_EINVAL, "cannot run '%s': %s", name, strerror(errno));
    if (!(*out = strdup(name)))
      return su_errorf(SU_ENOMEM, "out of memory");
    return SU_OK;
  }
  for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
    const char *c = strchr(p, ':');
    size_t l = c ? (size_t)(c - p) : strlen(p);
    struct stat st;
    snprintf(buf, sizeof(buf), "%.*s/%s", (int)l, l ? p : ".", name);
    if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0) {
      if (!(*out = strdup(buf)))
        return su_errorf(SU_ENOMEM, "out of memory");
      return SU_OK;
    }
    p += l + (c != NULL);
  }
  return su_errorf(SU_EINVAL, "command '%s' not found in PATH (give its path, e.g. ./%s)", name,
                   name);
}

/* The launcher of a spec with ranks: its own, srun under Slurm, else mpirun. */
static const char *launcher_of(const su_app_spec_t *s)
{
  if (s->launcher[0])
    return s->launcher;
  return getenv("SLURM_JOB_ID") ? "srun" : "mpirun";
}

static int compile_fom(const su_app_spec_t *s, regex_t *re)
{
  char msg[160];
  int rc = regcomp(re, s->fom, REG_EXTENDED);

  if (rc != 0) {
    regerror(rc, re, msg, sizeof(msg));
    return su_errorf(SU_EINVAL, "--fom '%s': %s", s->fom, msg);
  }
  if (re->re_nsub != 1) {
    size_t n = re->re_nsub;
    regfree(re);
    if (n == 0)
      return su_errorf(SU_EINVAL, "--fom '%s' has no capture group: put the number in "
                                  "parentheses, e.g. 'rate: ([0-9.eE+-]+)'", s->fom);
    return su_errorf(SU_EINVAL, "--fom '%s' has %zu capture groups: it needs exactly one, "
                                "around the number", s->fom, n);
  }
  return SU_OK;
}

int su_app_spec_check(const su_app_spec_t *s)
{
  char **w = NULL, *path = NULL;
  size_t n;
  int err;

  if (!s->name[0] || strchr(s->name, '/') || s->name[0] == '.')
    return su_errorf(SU_EINVAL, "invalid application name '%s' (no '/', not starting with "
                                "'.')", s->name);
  if ((err = su_app_split(s->command, &w, &n)))
    return err;
  err = resolve(w[0], &path);
  su_app_words_free(w);
  free(path);
  path = NULL;
  if (err)
    return err;
  if (s->fom[0]) {
    regex_t re;
    if ((err = compile_fom(s, &re)))
      return err;
    regfree(&re);
  } else if (s->fom_unit[0] || s->higher_is_better) {
    return su_errorf(SU_EINVAL, "--fom-unit and --higher-is-better need --fom (the metric is "
                                "otherwise the wall time, in s)");
  }
  if (s->fom[0] && !s->fom_unit[0])
    return su_errorf(SU_EINVAL, "--fom needs --fom-unit (the figure's unit, e.g. "
                                "'cells/s' or 'iter/s')");
  if (s->ranks[0]) {
    unsigned *r = NULL, nr;
    if ((err = su_parse_threads(s->ranks, 1u << 20, &r, &nr)))
      return err;
    free(r);
    if ((err = resolve(launcher_of(s), &path)))
      return err;
    free(path);
  }
  if (!(s->timeout_s >= 0))
    return su_errorf(SU_EINVAL, "invalid timeout %g s", s->timeout_s);
  return SU_OK;
}

/* --- the backend's context ---------------------------------------------------- */

static int app_init(void **ctx)
{
  if (!(*ctx = calloc(1, sizeof(app_ctx_t))))
    return su_errorf(SU_ENOMEM, "out of memory");
  return SU_OK;
}

static void app_fini(void *ctx)
{
  app_ctx_t *c = ctx;

  for (size_t i = 0; c && i < c->n; i++) {
    if (c->e[i]->has_re)
      regfree(&c->e[i]->re);
    free(c->e[i]);
  }
  if (c)
    free(c->e);
  free(c);
}

static int app_device_count(void *ctx, unsigned *n)
{
  (void)ctx;
  *n = 1;
  return SU_OK;
}

/* The device is "the host running these programs": its facts are the
 * applications' commands, so system.json says what was run. */
static int app_device_info(void *ctx, unsigned dev, su_device_info_t *out)
{
  app_ctx_t *c = ctx;
  size_t k;

  if (dev != 0)
    return su_errorf(SU_EINVAL, "app backend has one device, not %u", dev);
  memset(out, 0, sizeof(*out));
  snprintf(out->id, sizeof(out->id), "0");
  snprintf(out->name, sizeof(out->name), "host");
  k = (size_t)snprintf(out->json, sizeof(out->json), "{\"commands\": {");
  for (size_t i = 0; c && i < c->n && k < sizeof(out->json); i++) {
    const char *parts[2] = {c->e[i]->spec.name, c->e[i]->spec.command};
    k += (size_t)snprintf(out->json + k, sizeof(out->json) - k, "%s", i ? ", " : "");
    for (int p = 0; p < 2 && k < sizeof(out->json); p++) {
      /* A JSON string: quotes, backslashes and control characters escaped. */
      k += (size_t)snprintf(out->json + k, sizeof(out->json) - k, "\"");
      for (const char *s = parts[p]; *s && k + 8 < sizeof(out->json); s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
          k += (size_t)snprintf(out->json + k, sizeof(out->json) - k, "\\%c", ch);
        else if (ch < 0x20)
          k += (size_t)snprintf(out->json + k, sizeof(out->json) - k, "\\u%04x", ch);
        else
          out->json[k++] = (char)ch;
      }
      k += (size_t)snprintf(out->json + k, sizeof(out->json) - k, p ? "\"" : "\": ");
    }
  }
  if (k + 3 >= sizeof(out->json))
    snprintf(out->json, sizeof(out->json), "{}");
  else
    snprintf(out->json + k, sizeof(out->json) - k, "}}");
  return SU_OK;
}

static int app_setup(const su_params_t *p, void **state, su_work_t *work);
static int app_run(void *state, uint64_t inner, su_timing_t *t);
static int app_verify(void *state, su_verify_t *v);
static void app_teardown(void *state);

static int same_spec(const su_app_spec_t *a, const su_app_spec_t *b)
{
  return strcmp(a->command, b->command) == 0 && strcmp(a->fom, b->fom) == 0 &&
         strcmp(a->fom_unit, b->fom_unit) == 0 && a->higher_is_better == b->higher_is_better &&
         a->timeout_s == b->timeout_s && strcmp(a->ranks, b->ranks) == 0 &&
         strcmp(a->launcher, b->launcher) == 0;
}

int su_app_register(void *ctx, const su_app_spec_t *spec, const su_kernel_ops_t **ops)
{
  app_ctx_t *c = ctx;
  app_entry_t *e, **g;
  int err;

  for (size_t i = 0; i < c->n; i++) {
    if (strcmp(c->e[i]->spec.name, spec->name) != 0)
      continue;
    if (!same_spec(&c->e[i]->spec, spec))
      return su_errorf(SU_EINVAL, "two different applications are named '%s': give each its "
                                  "own name", spec->name);
    *ops = &c->e[i]->ops;
    return SU_OK;
  }
  if ((err = su_app_spec_check(spec)))
    return err;
  if (!(e = calloc(1, sizeof(*e))) || !(g = realloc(c->e, (c->n + 1) * sizeof(*g)))) {
    free(e);
    return su_errorf(SU_ENOMEM, "out of memory");
  }
  c->e = g;
  e->spec = *spec;
  if (spec->fom[0]) {
    if ((err = compile_fom(spec, &e->re))) {
      free(e);
      return err;
    }
    e->has_re = 1;
  }
  e->desc.name = e->spec.name;
  e->desc.family = "app";
  e->desc.desc = "a user's application, run as a whole";
  e->desc.metric = spec->fom[0] ? SU_METRIC_FOM : SU_METRIC_TIME;
  e->desc.work_note = "one run of the program";
  if (spec->fom[0]) {
    e->desc.metric_name = spec->higher_is_better ? "fom" : "fom_lower";
    e->desc.metric_unit = e->spec.fom_unit;
  }
  e->ops.desc = &e->desc;
  e->ops.precisions = 0;
  e->ops.variants = "";
  e->ops.size_rule = SU_SIZE_NONE;
  e->ops.setup = app_setup;
  e->ops.run = app_run;
  e->ops.verify = app_verify;
  e->ops.teardown = app_teardown;
  e->ops.flags = SU_KERNEL_OWN_BINDING;   /* the child is bound, not sizeup */
  c->e[c->n++] = e;
  *ops = &e->ops;
  return SU_OK;
}

/* --- one point ---------------------------------------------------------------- */

/* s with every "{threads}" and "{ranks}" replaced; malloc'ed or NULL. */
static char *substitute(const char *s, unsigned threads, unsigned ranks)
{
  size_t cap = strlen(s) * 2 + 64, k = 0;
  char *o = malloc(cap);

  if (!o)
    return NULL;
  while (*s) {
    const char *key = NULL;
    unsigned v = 0;
    if (strncmp(s, "{threads}", 9) == 0)
      key = "{threads}", v = threads;
    else if (strncmp(s, "{ranks}", 7) == 0)
      key = "{ranks}", v = ranks;
    if (k + 24 >= cap) {
      char *g = realloc(o, cap *= 2);
      if (!g) {
        free(o);
        return NULL;
      }
      o = g;
    }
    if (key) {
      k += (size_t)snprintf(o + k, cap - k, "%u", v);
      s += strlen(key);
    } else {
      o[k++] = *s++;
    }
  }
  o[k] = '\0';
  return o;
}

/* A file or directory name made of [A-Za-z0-9._-] from s. */
static void clean_name(const char *s, char *out, size_t len)
{
  size_t k = 0;

  for (; *s && k + 1 < len; s++)
    out[k++] = (strchr("._-", *s) || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                (*s >= '0' && *s <= '9')) ? *s : '_';
  out[k] = '\0';
}

static int mkdir_p(char *path)
{
  for (char *c = path + 1; *c; c++) {
    if (*c != '/')
      continue;
    *c = '\0';
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
      int e = errno;
      *c = '/';
      return su_errorf(SU_EIO, "cannot create '%s': %s", path, strerror(e));
    }
    *c = '/';
  }
  if (mkdir(path, 0777) != 0 && errno != EEXIST)
    return su_errorf(SU_EIO, "cannot create '%s': %s", path, strerror(errno));
  return SU_OK;
}

/* An anonymous file (created and unlinked at once). */
static int anon_file(void)
{
  const char *tmp = getenv("TMPDIR");
  char path[1024];
  int fd;

  snprintf(path, sizeof(path), "%s/sizeup-app-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
  if ((fd = mkstemp(path)) < 0)
    return -1;
  unlink(path);
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  return fd;
}

static void app_teardown(void *state)
{
  app_run_t *r = state;

  if (!r)
    return;
  su_app_words_free(r->argv);
  free(r->path);
  free(r->envp);
  free(r->env_omp);
  if (r->out_fd >= 0)
    close(r->out_fd);
  if (r->err_fd >= 0)
    close(r->err_fd);
  free(r);
}

static int app_setup(const su_params_t *p, void **state, su_work_t *work)
{
  const su_point_t *pt = p->point;
  const app_entry_t *e = (const app_entry_t *)(const void *)pt->ops;
  app_run_t *r = calloc(1, sizeof(*r));
  char **words = NULL, nbuf[16], pbuf[64], name[64];
  size_t nw = 0, nenv = 0, pre = 0;
  int err = SU_OK;

  if (!r)
    return su_errorf(SU_ENOMEM, "out of memory");
  r->e = e;
  r->out_fd = r->err_fd = -1;
  r->pus = pt->pus;
  r->npus = pt->threads * (pt->ranks ? pt->ranks : 1);
  r->topo = p->topo;
  if ((err = su_app_split(e->spec.command, &words, &nw)))
    goto out;
  pre = pt->ranks ? 5 : 0;
  if (!(r->argv = calloc(nw + pre + 1, sizeof(char *)))) {
    err = su_errorf(SU_ENOMEM, "out of memory");
    goto out;
  }
  if (pt->ranks) {
    /* The launcher starts the ranks inside the cpuset sizeup bound it to;
     * its own binding is off so that the ranks keep the whole set. */
    const char *l = launcher_of(&e->spec);
    int srun = strcmp(l, "srun") == 0 || strstr(l, "/srun") != NULL;
    snprintf(nbuf, sizeof(nbuf), "%u", pt->ranks);
    const char *a[5] = {l, "-n", nbuf, srun ? "--cpu-bind=none" : "--bind-to",
                        srun ? NULL : "none"};
    pre = srun ? 4 : 5;
    for (size_t i = 0; i < pre; i++)
      if (!(r->argv[i] = strdup(a[i]))) {
        err = su_errorf(SU_ENOMEM, "out of memory");
        goto out;
      }
  }
  for (size_t i = 0; i < nw; i++)
    if (!(r->argv[pre + i] = substitute(words[i], pt->threads, pt->ranks ? pt->ranks : 1))) {
      err = su_errorf(SU_ENOMEM, "out of memory");
      goto out;
    }
  if ((err = resolve(r->argv[0], &r->path)))
    goto out;

  /* The environment: the caller's, with OMP_NUM_THREADS for the point. */
  while (environ && environ[nenv])
    nenv++;
  if (!(r->envp = calloc(nenv + 2, sizeof(char *))) ||
      asprintf(&r->env_omp, "OMP_NUM_THREADS=%u", pt->threads) < 0) {
    r->env_omp = NULL;
    err = su_errorf(SU_ENOMEM, "out of memory");
    goto out;
  }
  size_t k = 0;
  for (size_t i = 0; i < nenv; i++)
    if (strncmp(environ[i], "OMP_NUM_THREADS=", 16) != 0)
      r->envp[k++] = environ[i];
  r->envp[k++] = r->env_omp;
  r->envp[k] = NULL;

  /* Output: <results>/app-output/<name>/t<threads>-<placement>[-r<ranks>]. */
  if (p->out_dir) {
    clean_name(e->spec.name, name, sizeof(name));
    clean_name(pt->placement, pbuf, sizeof(pbuf));
    snprintf(r->dir, sizeof(r->dir), "%.1024s/app-output/%s/t%u-%s", p->out_dir, name,
             pt->threads, pbuf);
    if (pt->ranks)
      snprintf(r->dir + strlen(r->dir), sizeof(r->dir) - strlen(r->dir), "-r%u", pt->ranks);
    if ((err = mkdir_p(r->dir)))
      goto out;
  } else if ((r->out_fd = anon_file()) < 0 || (r->err_fd = anon_file()) < 0) {
    err = su_errorf(SU_EIO, "cannot create a temporary file for the output: %s",
                    strerror(errno));
    goto out;
  }
  memset(work, 0, sizeof(*work));
  work->items = 1;
out:
  su_app_words_free(words);
  if (err) {
    app_teardown(r);
    return err;
  }
  *state = r;
  return SU_OK;
}

/* Opens the files of run r->next (in r->dir) or rewinds the anonymous ones. */
static int open_outputs(app_run_t *r, int *out_fd, int *err_fd, char *name, size_t len)
{
  char path[1700];

  if (!r->dir[0]) {
    if (ftruncate(r->out_fd, 0) != 0 || ftruncate(r->err_fd, 0) != 0 ||
        lseek(r->out_fd, 0, SEEK_SET) < 0 || lseek(r->err_fd, 0, SEEK_SET) < 0)
      return su_errorf(SU_EIO, "cannot reset the output files: %s", strerror(errno));
    *out_fd = r->out_fd;
    *err_fd = r->err_fd;
    snprintf(name, len, "(not kept)");
    return SU_OK;
  }
  /* A point measured again (rounds, resume) continues the numbering. */
  for (;; r->next++) {
    snprintf(path, sizeof(path), "%s/run%u.out", r->dir, r->next);
    *out_fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (*out_fd >= 0 || errno != EEXIST)
      break;
  }
  if (*out_fd < 0)
    return su_errorf(SU_EIO, "cannot create '%s': %s", path, strerror(errno));
  snprintf(name, len, "%s", path);
  snprintf(path + strlen(path) - 3, 4, "err");
  if ((*err_fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
    int e = errno;
    close(*out_fd);
    return su_errorf(SU_EIO, "cannot create '%s': %s", path, strerror(e));
  }
  r->next++;
  return SU_OK;
}

/*
 * Reads what was written to fd, at most the first and the last
 * SU_APP_KEEP_BYTES (with a line saying how much was cut between them),
 * and writes that back when it was cut (keep).  NUL bytes become newlines
 * so the text can be searched.  Returns malloc'ed text or NULL.
 */
static char *bounded_text(int fd, int keep)
{
  const off_t k = SU_APP_KEEP_BYTES;
  off_t size = lseek(fd, 0, SEEK_END);
  char note[96], *buf;
  size_t n = 0, nl;

  if (size < 0)
    return NULL;
  nl = size > 2 * k ? (size_t)snprintf(note, sizeof(note), "\n[... sizeup cut %lld bytes ...]\n",
                                       (long long)(size - 2 * k)) : 0;
  if (!(buf = malloc((size_t)(size > 2 * k ? 2 * k : size) + nl + 1)))
    return NULL;
  if (size <= 2 * k) {
    ssize_t got = pread(fd, buf, (size_t)size, 0);
    n = got > 0 ? (size_t)got : 0;
  } else {
    ssize_t a = pread(fd, buf, (size_t)k, 0), b;
    n = a > 0 ? (size_t)a : 0;
    memcpy(buf + n, note, nl);
    n += nl;
    b = pread(fd, buf + n, (size_t)k, size - k);
    n += b > 0 ? (size_t)b : 0;
    if (keep && ftruncate(fd, 0) == 0)
      (void)!pwrite(fd, buf, n, 0);
  }
  for (size_t i = 0; i < n; i++)
    if (buf[i] == '\0')
      buf[i] = '\n';
  buf[n] = '\0';
  return buf;
}

/* The last lines of text (up to ~180 characters, control characters as
 * '?', lines joined by " | ") into out. */
static void last_lines(const char *text, char *out, size_t len);

/* Copies text[a..b) into out at *k, control characters as '?'. */
static void put_text(const char *text, size_t a, size_t b, char *out, size_t len, size_t *k)
{
  for (size_t i = a; i < b && *k + 4 < len; i++) {
    if (text[i] == '\n') {
      memcpy(out + *k, " | ", 3);
      *k += 3;
    } else {
      out[(*k)++] = (unsigned char)text[i] < 0x20 || text[i] == 0x7f ? '?' : text[i];
    }
  }
  out[*k] = '\0';
}

/*
 * What a failed run's stderr says, in one line: its first line that is
 * not a rule of dashes (where programs and launchers put the cause: "mpirun
 * has detected an attempt to run as root"), or a hint instead where the
 * cause is one sizeup knows, then its last lines; all of it fits a row's
 * reason (256 bytes) beside "exit status N; stderr: ".
 */
static void stderr_gist(const char *text, char *out, size_t len)
{
  size_t a = 0, b, k = 0, n = text ? strlen(text) : 0;
  char last[200];

  out[0] = '\0';
  if (!n)
    return;
  if (strstr(text, "--allow-run-as-root") || strstr(text, "attempt to run as root")) {
    /* the hint names the cause: the first line is not needed beside it */
    int w = snprintf(out, len, "mpirun refuses root: set OMPI_ALLOW_RUN_AS_ROOT=1 "
                               "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1");
    k = w > 0 && (size_t)w < len ? (size_t)w : 0;
    a = n;
  }
  for (int found = 0; a < n && !found; a = b + 1) {   /* the first line with a letter */
    b = a + strcspn(text + a, "\n");
    for (size_t i = a; i < b && !found; i++)
      found = (text[i] | 0x20) >= 'a' && (text[i] | 0x20) <= 'z';
    if (found)
      put_text(text, a, b - a > 80 ? a + 80 : b, out, len, &k);
  }
  last_lines(text, last, sizeof(last));
  if (last[0] && !strstr(out, last)) {
    const char *sep = strncmp(last, "...", 3) == 0 ? " " : " ... ";
    if (k && k + strlen(sep) + 2 < len) {
      memcpy(out + k, sep, strlen(sep));
      k += strlen(sep);
    }
    put_text(last, 0, strlen(last), out, len, &k);
  }
}

static void last_lines(const char *text, char *out, size_t len)
{
  size_t n = text ? strlen(text) : 0, start = n, k = 0;
  int lines = 0;

  while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
    n--;
  start = n;
  while (start > 0 && lines < 3 && n - start < 130) {
    start--;
    if (text[start] == '\n')
      lines++;
  }
  if (start < n && text[start] == '\n')
    start++;
  if (n - start > 130)
    start = n - 130;
  if (start > 0 && text[start - 1] != '\n') {   /* cut mid-line: from the next word on */
    while (start < n && text[start] != ' ' && text[start] != '\n')
      start++;
    if (start < n)
      start++;
    memcpy(out, "...", 3);
    k = 3;
  }
  put_text(text, start, n, out, len, &k);
}

/* Waits for pid until deadline_ns (0 = none); *exited_ns is when it ended.
 * Returns 1 on exit (*status), 0 on timeout (the child still runs). */
static int wait_child(pid_t pid, uint64_t deadline_ns, int *status, uint64_t *exited_ns)
{
#ifdef SYS_pidfd_open
  int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (pfd >= 0) {
    struct pollfd pf = {pfd, POLLIN, 0};
    for (;;) {
      uint64_t now = su_time_ns();
      int ms = -1, rc;
      if (deadline_ns) {
        if (now >= deadline_ns) {
          close(pfd);
          return 0;
        }
        ms = (int)((deadline_ns - now) / 1000000 + 1);
      }
      rc = poll(&pf, 1, ms);
      if (rc > 0)
        break;
      if (rc < 0 && errno != EINTR) {
        close(pfd);
        goto fallback;
      }
    }
    *exited_ns = su_time_ns();
    close(pfd);
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
      ;
    return 1;
  }
fallback:
#endif
  /* No pidfd: poll waitpid every 100 us (the time's resolution then). */
  for (;;) {
    pid_t got = waitpid(pid, status, WNOHANG);
    if (got == pid) {
      *exited_ns = su_time_ns();
      return 1;
    }
    if (deadline_ns && su_time_ns() >= deadline_ns)
      return 0;
    struct timespec ts = {0, 100000};
    nanosleep(&ts, NULL);
  }
}

/* Runs the program once; *ns is its wall time, *fom its figure of merit. */
static int run_once(app_run_t *r, uint64_t *ns, double *fom)
{
  const su_app_spec_t *s = &r->e->spec;
  int out_fd = -1, err_fd = -1, go[2] = {-1, -1}, fail[2] = {-1, -1}, devnull = -1;
  int status = 0, err = SU_OK, child_errno = 0;
  char name[1700], tail[384];
  char *text = NULL, *etext = NULL;
  uint64_t t0, t1 = 0;
  pid_t pid;
  char c = 'g';

  if ((err = open_outputs(r, &out_fd, &err_fd, name, sizeof(name))))
    return err;
  if (pipe2(go, O_CLOEXEC) != 0 || pipe2(fail, O_CLOEXEC) != 0 ||
      (devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
    err = su_errorf(SU_EIO, "cannot start '%s': %s", s->name, strerror(errno));
    goto out;
  }
  if ((pid = fork()) < 0) {
    err = su_errorf(SU_EIO, "cannot start '%s': fork: %s", s->name, strerror(errno));
    goto out;
  }
  if (pid == 0) {
    /* The child: only async-signal-safe calls until exec. */
    int e;
    setpgid(0, 0);
    dup2(devnull, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    if (read(go[0], &c, 1) != 1)
      _exit(126);
    execve(r->path, r->argv, r->envp);
    e = errno;
    (void)!write(fail[1], &e, sizeof(e));
    _exit(127);
  }
  setpgid(pid, pid);
  close(go[0]);
  close(fail[1]);
  go[0] = fail[1] = -1;
  /* Bound before it runs: every thread the program starts inherits it. */
  if (r->topo && r->npus && (err = su_place_bind_pid(r->topo, pid, r->pus, r->npus))) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    goto out;
  }
  t0 = su_time_ns();
  if (write(go[1], &c, 1) != 1) {
    err = su_errorf(SU_EIO, "cannot start '%s': %s", s->name, strerror(errno));
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    goto out;
  }
  close(go[1]);
  go[1] = -1;
  if (read(fail[0], &child_errno, sizeof(child_errno)) == (ssize_t)sizeof(child_errno)) {
    waitpid(pid, &status, 0);
    err = su_errorf(SU_EBACKEND, "cannot run '%s': %s", r->argv[0], strerror(child_errno));
    goto out;
  }
  if (!wait_child(pid, s->timeout_s > 0 ? t0 + (uint64_t)(s->timeout_s * 1e9) : 0, &status,
                  &t1)) {
    kill(-pid, SIGKILL);
    waitpid(pid, &status, 0);
    etext = bounded_text(err_fd, r->dir[0] != '\0');
    stderr_gist(etext, tail, sizeof(tail));
    err = su_errorf(SU_EBACKEND, "timed out after %g s (process group killed)%s%s", s->timeout_s,
                    tail[0] ? "; stderr: " : "", tail);
    goto out;
  }
  *ns = t1 - t0;
  text = bounded_text(out_fd, r->dir[0] != '\0');
  etext = bounded_text(err_fd, r->dir[0] != '\0');
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    char what[64];
    if (WIFEXITED(status))
      snprintf(what, sizeof(what), "exit status %d", WEXITSTATUS(status));
    else
      snprintf(what, sizeof(what), "killed by signal %d", WIFSIGNALED(status) ? WTERMSIG(status)
                                                                            : 0);
    stderr_gist(etext, tail, sizeof(tail));
    err = su_errorf(SU_EBACKEND, "%s%s%s", what, tail[0] ? "; stderr: " : "", tail);
    goto out;
  }
  *fom = NAN;
  if (r->e->has_re) {
    regmatch_t m[2];
    const char *p = text ? text : "";
    int found = 0;
    /* The last match: programs print their figure at the end. */
    while (regexec(&r->e->re, p, 2, m, p == text ? 0 : REG_NOTBOL) == 0 && m[1].rm_so >= 0) {
      char num[64], *end;
      size_t l = (size_t)(m[1].rm_eo - m[1].rm_so);
      snprintf(num, sizeof(num), "%.*s", (int)(l < 63 ? l : 63), p + m[1].rm_so);
      double v = strtod(num, &end);
      found = 1;
      *fom = end != num && *end == '\0' && isfinite(v) ? v : NAN;
      if (m[0].rm_eo == 0)
        break;
      p += m[0].rm_eo;
    }
    if (!found)
      err = su_errorf(SU_EBACKEND, "no figure of merit in the output: '%s' did not match "
                                   "(output: %s)", s->fom, name);
    else if (!isfinite(*fom))
      err = su_errorf(SU_EBACKEND, "the figure of merit matched by '%s' is not a number "
                                   "(output: %s)", s->fom, name);
  }
out:
  free(text);
  free(etext);
  for (int i = 0; i < 2; i++) {
    if (go[i] >= 0)
      close(go[i]);
    if (fail[i] >= 0)
      close(fail[i]);
  }
  if (devnull >= 0)
    close(devnull);
  if (r->dir[0]) {
    if (out_fd >= 0)
      close(out_fd);
    if (err_fd >= 0)
      close(err_fd);
  }
  return err;
}

static int app_run(void *state, uint64_t inner, su_timing_t *t)
{
  app_run_t *r = state;
  double sum = 0;
  int err;

  for (uint64_t i = 0; i < inner; i++) {
    uint64_t ns = 0;
    double fom = NAN;
    if ((err = run_once(r, &ns, &fom)))
      return err;
    sum += r->e->has_re ? fom : (double)ns * 1e-9;
  }
  t->value = sum / (double)inner;
  t->has_value = 1;
  return SU_OK;
}

static int app_verify(void *state, su_verify_t *v)
{
  (void)state;
  v->max_rel_err = 0;
  v->tol = 0;
  return SU_OK;    /* a wrong answer is the program's to report: a non-zero exit */
}

static const su_kernel_ops_t *const su_app_kernels[] = {NULL};

const su_backend_t su_backend_app = {
  .abi = SU_BACKEND_ABI,
  .name = "app",
  .priority = 90,
  .init = app_init,
  .fini = app_fini,
  .device_count = app_device_count,
  .device_info = app_device_info,
  .kernels = su_app_kernels,
  .timer = SU_TIMER_HOST_MONOTONIC,
};
