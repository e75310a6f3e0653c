/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_history.c: the SQLite history (history.h): add (twice: a no-op),
 * list, check against pooled runs, trend plots; a process killed inside the
 * insert transaction leaves the database consistent and without that run;
 * concurrent adds from several processes all succeed, also while creating
 * the database; files that are not a sizeup history are refused clearly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sizeup/config.h"
#include "sizeup/error.h"
#include "sizeup/history.h"
#include "sizeup/report.h"
#include "test.h"

#if SU_HAVE_SQLITE
#include <sqlite3.h>

static char tmp[256];

/* A small results directory: 3 configurations x 12 samples, values
 * deterministic around base * factor with a +-2% ripple. */
static void write_run(const char *name, const char *run_id, const char *host, double factor)
{
  static const char *const kern[3] = {"stream_triad", "stream_copy", "latency_chase"};
  static const char *const metric[3] = {"bandwidth", "bandwidth", "latency"};
  static const char *const unit[3] = {"GB/s", "GB/s", "ns"};
  static const double base[3] = {48.0, 23.0, 150.0};
  char path[512];
  FILE *s, *p, *j;

  snprintf(path, sizeof(path), "%s/%s", tmp, name);
  mkdir(path, 0777);
  snprintf(path, sizeof(path), "%s/%s/summary.csv", tmp, name);
  s = fopen(path, "w");
  snprintf(path, sizeof(path), "%s/%s/samples.csv", tmp, name);
  p = fopen(path, "w");
  snprintf(path, sizeof(path), "%s/%s/system.json", tmp, name);
  j = fopen(path, "w");
  fprintf(s, "schema_version,run_id,kernel,variant,backend,device,precision,threads,ranks,nodes,"
             "placement,cpuset,size_bytes,metric,unit,status,reason,median,min,max,mean,stddev,"
             "cv,ci95_lo,ci95_hi,reps\n");
  fprintf(p, "schema_version,run_id,kernel,variant,backend,device,precision,threads,ranks,nodes,"
             "placement,cpuset,size_bytes,metric,unit,point,rep,inner,time_ns,device_ns,value\n");
  for (int c = 0; c < 3; c++) {
    double m = base[c] * (c == 0 ? factor : 1.0);
    fprintf(s, "1,%s,%s,omp,cpu,Test CPU,fp64,2,1,1,compact,0-1,1048576,%s,%s,ok,,%.9g,%.9g,"
               "%.9g,%.9g,%.9g,0.012,%.9g,%.9g,12\n",
            run_id, kern[c], metric[c], unit[c], m, 0.98 * m, 1.02 * m, m, 0.012 * m, 0.99 * m,
            1.01 * m);
    for (int r = 0; r < 12; r++)
      fprintf(p, "1,%s,%s,omp,cpu,Test CPU,fp64,2,1,1,compact,0-1,1048576,%s,%s,%d,%d,1,,,%.9g\n",
              run_id, kern[c], metric[c], unit[c], c, r,
              m * (1 + 0.02 * ((r * 7 % 12) - 5.5) / 5.5));
  }
  fprintf(s, "1,%s,fma_peak,avx2,cpu,Test CPU,fp64,1,1,1,compact,0,0,peak_theoretical,GFLOP/s,"
             "ok,,58,58,58,58,0,0,58,58,1\n", run_id);
  fprintf(j, "{\"schema_version\": 1, \"run_id\": \"%s\", \"host\": {\"hostname\": \"%s\"},"
             " \"cpu\": {\"model\": \"Test CPU\"}, \"topology\": {\"packages\": 1,"
             " \"numa_nodes\": 1, \"cores\": 2, \"pus\": 2, \"memory_bytes\": 1000000},"
             " \"labels\": {\"instance\": \"t1\", \"zone\": \"a\"}}\n", run_id, host);
  fclose(s);
  fclose(p);
  fclose(j);
}

static const char *path_of(const char *name)
{
  static char buf[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmp, name);
  return buf[k];
}

static size_t count_runs(const char *db, const char *run_id)
{
  su_history_t *h;
  su_history_run_t *runs;
  size_t n, found = 0;

  if (su_history_open(db, 0, &h) != SU_OK)
    return (size_t)-1;
  if (su_history_list(h, &runs, &n) != SU_OK) {
    su_history_close(h);
    return (size_t)-1;
  }
  for (size_t i = 0; i < n; i++)
    if (!run_id || strcmp(runs[i].run_id, run_id) == 0)
      found++;
  su_history_runs_free(runs, n);
  su_history_close(h);
  return found;
}

static void test_add_list_check_plot(void)
{
  su_history_t *h;
  su_history_run_t *runs;
  su_cmp_side_t base, cur;
  su_cmp_opts_t o;
  su_cmp_t c;
  size_t n, nruns, ntrends = 0;
  su_history_trend_t *trends = NULL;
  int added;
  const char *db = path_of("h.db");
  char line[256];
  FILE *fp;
  int marked = 0;

  write_run("r1", "run-1", "node1", 1.0);
  write_run("r2", "run-2", "node1", 1.0);
  write_run("r3", "run-3", "node1", 0.88);      /* a 12% regression of stream_triad */
  write_run("other", "run-other", "node2", 1.0); /* another machine */
  CHECK_EQ_INT(su_history_open(db, 1, &h), SU_OK);
  CHECK_EQ_INT(su_history_add(h, path_of("r1"), &added), SU_OK);
  CHECK_EQ_INT(added, 1);
  CHECK_EQ_INT(su_history_add(h, path_of("r1"), &added), SU_OK);
  CHECK_EQ_INT(added, 0);                       /* same run id: a no-op */
  CHECK_EQ_INT(su_history_add(h, path_of("r2"), &added), SU_OK);
  CHECK_EQ_INT(su_history_add(h, path_of("other"), &added), SU_OK);
  CHECK_EQ_INT(su_history_list(h, &runs, &n), SU_OK);
  CHECK_EQ_INT(n, 3);
  if (n == 3) {
    CHECK_EQ_STR(runs[0].run_id, "run-1");
    CHECK_EQ_INT(runs[0].nconfigs, 4);
    CHECK_EQ_INT(runs[0].nsamples, 36);
    CHECK(strstr(runs[0].fingerprint, "host=node1") != NULL);
    CHECK(strstr(runs[0].fingerprint, "labels=instance=t1,zone=a") != NULL);
    CHECK(strcmp(runs[0].fingerprint, runs[2].fingerprint) != 0);
  }
  su_history_runs_free(runs, n);

  su_cmp_opts_default(&o);
  CHECK_EQ_INT(su_history_baseline(h, path_of("r3"), 10, &base, &cur, &nruns), SU_OK);
  CHECK_EQ_INT(nruns, 2);                       /* run-1 and run-2, not node2's */
  CHECK_EQ_INT(base.ok.n, 3);
  if (base.ok.n == 3)
    CHECK_EQ_INT(base.ok.g[0].n, 24);           /* pooled */
  CHECK_EQ_INT(su_cmp_run(&base, &cur, &o, &c), SU_OK);
  CHECK_EQ_INT(c.count[SU_CMP_REGRESSED], 1);
  CHECK_EQ_INT(c.count[SU_CMP_UNCHANGED], 2);
  if (c.nrows)
    CHECK_EQ_INT(c.rows[0].base_reps, 2);        /* each pooled run is a replicate */
  su_cmp_fini(&c);
  su_cmp_side_fini(&base);
  su_cmp_side_fini(&cur);
  /* window 1: only the latest comparable run */
  CHECK_EQ_INT(su_history_baseline(h, path_of("r3"), 1, &base, &cur, &nruns), SU_OK);
  CHECK_EQ_INT(nruns, 1);
  CHECK_EQ_STR(base.label, "run-2");
  su_cmp_side_fini(&base);
  su_cmp_side_fini(&cur);
  /* a run checked against itself once it is stored: it is excluded */
  CHECK_EQ_INT(su_history_add(h, path_of("r3"), &added), SU_OK);
  CHECK_EQ_INT(su_history_baseline(h, path_of("r3"), 10, &base, &cur, &nruns), SU_OK);
  CHECK_EQ_INT(nruns, 2);
  su_cmp_side_fini(&base);
  su_cmp_side_fini(&cur);

  CHECK_EQ_INT(su_history_trends(h, 10, &o, &trends, &ntrends), SU_OK);
  CHECK_EQ_INT(ntrends, 4);                     /* memory bandwidth and latency, node1 and node2 */
  if (ntrends == 4) {
    CHECK_EQ_INT(trends[0].head, SU_HEAD_MEM_BW);
    CHECK_EQ_INT(trends[1].head, SU_HEAD_LATENCY);
    CHECK_EQ_INT(trends[0].n, 3);
    CHECK_EQ_STR(trends[0].machine, "t1");          /* the instance label */
    CHECK_EQ_STR(trends[2].machine, "t1 (node2)");  /* the same label on another host */
  }
  {
    su_report_opts_t ro = {path_of("plots"), ""};
    su_report_info_t info;
    CHECK_EQ_INT(su_report_trends(trends, ntrends, &ro, &info), SU_OK);
    CHECK_EQ_INT(info.nplots, 4);
    CHECK_EQ_INT(info.nrendered, 0);
  }
  su_history_trends_free(trends, ntrends);
  /* trend_1 is node1's stream_triad: run index 2 (run-3) is marked */
  if ((fp = fopen(path_of("plots/trend_1.dat"), "r"))) {
    while (fgets(line, sizeof(line), fp))
      if (strncmp(line, "2 ", 2) == 0 && !strstr(line, "?"))
        marked++;
      else if (line[0] != '#' && strstr(line, "?") == NULL)
        marked += 100;      /* a run marked that should not be */
    fclose(fp);
  }
  CHECK_EQ_INT(marked, 1);
  CHECK(access(path_of("plots/trend_1.gp"), R_OK) == 0);
  su_history_close(h);
}

static void die_before_commit(void)
{
  _exit(0);
}

static void test_kill_mid_insert(void)
{
  const char *db = path_of("h.db");
  su_history_t *h;
  pid_t pid;
  int status = -1, added = 0;

  write_run("r4", "run-4", "node1", 1.0);
  pid = fork();
  if (pid == 0) {
    su_history_t *ch;
    su__history_before_commit = die_before_commit;
    if (su_history_open(db, 0, &ch) != SU_OK)
      _exit(2);
    su_history_add(ch, path_of("r4"), &added);
    _exit(3);               /* not reached when the hook ran */
  }
  CHECK(pid > 0);
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CHECK_EQ_INT(count_runs(db, NULL), 4);         /* r1, r2, other, r3 */
  CHECK_EQ_INT(count_runs(db, "run-4"), 0);
  /* the database is writable and consistent afterwards */
  CHECK_EQ_INT(su_history_open(db, 0, &h), SU_OK);
  if (h) {
    CHECK_EQ_INT(su_history_add(h, path_of("r4"), &added), SU_OK);
    CHECK_EQ_INT(added, 1);
    su_history_close(h);
  }
  CHECK_EQ_INT(count_runs(db, "run-4"), 1);
}

/* nproc processes each add `each` runs to db at the same time. */
static void concurrent_adds(const char *db, int nproc, int each)
{
  pid_t pids[8];
  char name[64], id[64];

  for (int p = 0; p < nproc; p++)
    for (int i = 0; i < each; i++) {
      snprintf(name, sizeof(name), "c%d_%d", p, i);
      snprintf(id, sizeof(id), "conc-%d-%d", p, i);
      write_run(name, id, "node1", 1.0);
    }
  for (int p = 0; p < nproc; p++) {
    pids[p] = fork();
    if (pids[p] == 0) {
      int ok = 1;
      for (int i = 0; i < each; i++) {
        su_history_t *h;
        int added = 0;
        snprintf(name, sizeof(name), "c%d_%d", p, i);
        if (su_history_open(db, 1, &h) != SU_OK) {
          fprintf(stderr, "child %d: %s\n", p, su_errmsg());
          _exit(1);
        }
        if (su_history_add(h, path_of(name), &added) != SU_OK || !added) {
          fprintf(stderr, "child %d: %s\n", p, su_errmsg());
          ok = 0;
        }
        su_history_close(h);
      }
      _exit(ok ? 0 : 1);
    }
  }
  for (int p = 0; p < nproc; p++) {
    int status = -1;
    waitpid(pids[p], &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
}

static void test_concurrent_adds(void)
{
  concurrent_adds(path_of("h.db"), 2, 4);
  CHECK_EQ_INT(count_runs(path_of("h.db"), NULL), 5 + 8);
  /* creating the database concurrently */
  concurrent_adds(path_of("fresh.db"), 2, 2);
  CHECK_EQ_INT(count_runs(path_of("fresh.db"), NULL), 4);
}

/* A database of schema 1 (samples without round and c2c) is upgraded when
 * opened, keeps its runs, and gates as before. */
static void test_upgrade_v1(void)
{
  su_history_t *h;
  su_cmp_side_t base, cur;
  su_cmp_opts_t o;
  su_cmp_t c;
  sqlite3 *db;
  sqlite3_stmt *st;
  size_t nruns;
  int added, ver = -1;
  const char *path = path_of("v1.db");

  write_run("u1", "run-u1", "node1", 1.0);
  write_run("u2", "run-u2", "node1", 0.85);
  CHECK_EQ_INT(su_history_open(path, 1, &h), SU_OK);
  CHECK_EQ_INT(su_history_add(h, path_of("u1"), &added), SU_OK);
  su_history_close(h);
  CHECK_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
  CHECK_EQ_INT(sqlite3_exec(db, "ALTER TABLE samples DROP COLUMN round;"
                                "ALTER TABLE samples DROP COLUMN c2c;"
                                "PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);

  CHECK_EQ_INT(count_runs(path, "run-u1"), 1);      /* a reader upgrades it */
  CHECK_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW)
      ver = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
  }
  CHECK_EQ_INT(ver, SU_HISTORY_SCHEMA_VERSION);
  CHECK_EQ_INT(sqlite3_exec(db, "SELECT round, c2c FROM samples LIMIT 1", NULL, NULL, NULL),
               SQLITE_OK);
  sqlite3_close(db);

  su_cmp_opts_default(&o);
  CHECK_EQ_INT(su_history_open(path, 0, &h), SU_OK);
  CHECK_EQ_INT(su_history_baseline(h, path_of("u2"), 10, &base, &cur, &nruns), SU_OK);
  CHECK_EQ_INT(nruns, 1);
  CHECK_EQ_INT(su_cmp_run(&base, &cur, &o, &c), SU_OK);
  CHECK_EQ_INT(c.count[SU_CMP_REGRESSED], 1);
  su_cmp_fini(&c);
  su_cmp_side_fini(&base);
  su_cmp_side_fini(&cur);
  su_history_close(h);
}

static void test_foreign_files(void)
{
  su_history_t *h = NULL;
  sqlite3 *db;
  FILE *fp;

  fp = fopen(path_of("text.db"), "w");
  fputs("this is not a database, just some text that is long enough to fill a header\n", fp);
  fclose(fp);
  CHECK_EQ_INT(su_history_open(path_of("text.db"), 0, &h), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "text.db' is not a sizeup history database") != NULL);
  CHECK_EQ_INT(su_history_open(path_of("text.db"), 1, &h), SU_EINVAL);
  CHECK(h == NULL);

  CHECK_EQ_INT(sqlite3_open(path_of("other.db"), &db), SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE customers(id INTEGER, name TEXT)", NULL, NULL, NULL);
  sqlite3_close(db);
  CHECK_EQ_INT(su_history_open(path_of("other.db"), 1, &h), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "other.db' is not a sizeup history database") != NULL);

  CHECK_EQ_INT(sqlite3_open(path_of("newer.db"), &db), SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE runs(id INTEGER); PRAGMA application_id = 1936292469;"
                   " PRAGMA user_version = 99;", NULL, NULL, NULL);
  sqlite3_close(db);
  CHECK_EQ_INT(su_history_open(path_of("newer.db"), 0, &h), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "version 99") != NULL);

  CHECK_EQ_INT(su_history_open(path_of("missing.db"), 0, &h), SU_EINVAL);
  CHECK(strstr(su_errmsg(), "missing.db") != NULL);
  CHECK(access(path_of("missing.db"), F_OK) != 0);   /* not created by a reader */
}

int main(void)
{
  char cmd[300];
  int rc;

  snprintf(tmp, sizeof(tmp), "/tmp/su_test_history.XXXXXX");
  if (!mkdtemp(tmp)) {
    perror("mkdtemp");
    return 1;
  }
  SU_TEST_RUN(test_add_list_check_plot);
  SU_TEST_RUN(test_kill_mid_insert);
  SU_TEST_RUN(test_concurrent_adds);
  SU_TEST_RUN(test_foreign_files);
  SU_TEST_RUN(test_upgrade_v1);
  rc = SU_TEST_REPORT();
  if (rc == 0) {
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
      fprintf(stderr, "could not remove %s\n", tmp);
  }
  return rc;
}
#else
int main(void)
{
  su_history_t *h;
  CHECK_EQ_INT(su_history_open("x.db", 1, &h), SU_ENOTSUP);
  CHECK(strstr(su_errmsg(), "built without SQLite") != NULL);
  return SU_TEST_REPORT();
}
#endif
