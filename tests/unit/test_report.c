/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_report.c: `sizeup report` end to end on the hand-made results
 * directories of tests/data: every plot gets a .gp and a .dat, gnuplot (when
 * installed) renders real PNG files, report.html embeds every plot, and a
 * results directory full of hostile strings (quotes, newlines, backticks,
 * gnuplot system() calls, HTML) still renders, comes out escaped, and
 * executes nothing.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sizeup/config.h"
#include "sizeup/error.h"
#include "sizeup/report.h"
#include "sizeup/results.h"
#include "test.h"

/* The file the hostile fixture's commands would create (tests/data/results-hostile). */
#define PWNED "/tmp/sizeup-pwned"

static char *slurp(const char *path, size_t *len)
{
  FILE *fp = fopen(path, "rb");
  char *buf = NULL;
  long n;

  if (!fp)
    return NULL;
  if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0 &&
      (buf = malloc((size_t)n + 1)) != NULL) {
    size_t got = fread(buf, 1, (size_t)n, fp);
    buf[got] = '\0';
    if (len)
      *len = got;
  }
  fclose(fp);
  return buf;
}

static int have_gnuplot(void)
{
  const char *path = getenv("PATH");
  char buf[4096];

  while (path && *path) {
    size_t n = strcspn(path, ":");
    snprintf(buf, sizeof(buf), "%.*s/gnuplot", (int)n, path);
    if (n && access(buf, X_OK) == 0)
      return 1;
    path += n + (path[n] == ':');
  }
  return 0;
}

static void rm_tree(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  char p[4096];

  if (!d)
    return;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
    unlink(p);
  }
  closedir(d);
  rmdir(dir);
}

static size_t count_str(const char *hay, const char *needle)
{
  size_t n = 0;

  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
    n++;
  return n;
}

static void test_sanitize(void)
{
  char out[256];

  su_report_gp_sanitize("stream_triad fp64 (compact) 1.5 GB/s", out, sizeof(out));
  CHECK_EQ_STR(out, "stream_triad fp64 (compact) 1.5 GB/s");
  su_report_gp_sanitize("a'b\"c`d@e$f!g|h;i<j>k\\l\nm{n}o", out, sizeof(out));
  CHECK_EQ_STR(out, "a_b_c_d_e_f_g_h_i_j_k_l_m_n_o");
  su_report_gp_sanitize("system(\"touch /tmp/x\")", out, sizeof(out));
  CHECK(strchr(out, '"') == NULL);
  su_report_gp_sanitize("", out, sizeof(out));
  CHECK_EQ_STR(out, "_");
  su_report_gp_sanitize("\xc3\xa9t\xc3\xa9", out, sizeof(out));   /* UTF-8 */
  CHECK_EQ_STR(out, "__t__");
  su_report_gp_sanitize("abcdef", out, 4);
  CHECK_EQ_STR(out, "abc");
}

static void test_html_escape(void)
{
  FILE *fp = tmpfile();
  char buf[256] = "";
  size_t n;

  CHECK(fp != NULL);
  if (!fp)
    return;
  su_report_html_escape(fp, "<script>alert('x') & \"y\"</script>");
  rewind(fp);
  n = fread(buf, 1, sizeof(buf) - 1, fp);
  buf[n] = '\0';
  CHECK_EQ_STR(buf, "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  fclose(fp);
}

/* Checks the output directory of one report; returns the HTML (caller frees). */
static char *check_outputs(const char *out, const su_report_info_t *info, int rendered)
{
  char path[4096], *html, *gp;
  DIR *d;
  struct dirent *e;
  size_t ngp = 0, nembedded;

  snprintf(path, sizeof(path), "%s/report.html", out);
  html = slurp(path, NULL);
  CHECK(html != NULL);
  if (!html)
    return NULL;
  snprintf(path, sizeof(path), "%s/report.md", out);
  gp = slurp(path, NULL);
  CHECK(gp != NULL);
  free(gp);
  d = opendir(out);
  CHECK(d != NULL);
  while (d && (e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    char stem[256], needle[300], *dat;
    if (len < 4 || strcmp(e->d_name + len - 3, ".gp") != 0 || len - 3 >= sizeof(stem))
      continue;
    ngp++;
    memcpy(stem, e->d_name, len - 3);
    stem[len - 3] = '\0';
    /* every plot is in the page */
    snprintf(needle, sizeof(needle), "id=\"plot-%s\"", stem);
    CHECK(strstr(html, needle) != NULL);
    /* its data file holds numbers only */
    snprintf(path, sizeof(path), "%s/%s.dat", out, stem);
    dat = slurp(path, NULL);
    CHECK(dat != NULL);
    if (dat) {
      int ok = 1;
      for (char *line = strtok(dat, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
          continue;
        /* compare.dat starts each line with one of our own tags */
        if (strncmp(stem, "compare", 7) == 0)
          line += strcspn(line, " ");
        ok &= strspn(line, "0123456789.eE+- NaN") == strlen(line);
      }
      CHECK(ok);
      free(dat);
    }
    if (rendered) {
      unsigned char magic[8] = {0};
      FILE *fp;
      struct stat st;
      snprintf(path, sizeof(path), "%s/%s.png", out, stem);
      fp = fopen(path, "rb");
      CHECK(fp != NULL);
      if (fp) {
        CHECK_EQ_INT(fread(magic, 1, 8, fp), 8);
        fclose(fp);
      }
      CHECK(memcmp(magic, "\x89PNG\r\n\x1a\n", 8) == 0);
      CHECK(stat(path, &st) == 0 && st.st_size > 5000);
      snprintf(path, sizeof(path), "%s/%s.svg", out, stem);
      CHECK(stat(path, &st) == 0 && st.st_size > 1000);
    }
  }
  if (d)
    closedir(d);
  CHECK_EQ_INT(ngp, info->nplots);
  nembedded = count_str(html, "src=\"data:image/png;base64,");
  CHECK_EQ_INT(nembedded, rendered ? info->nplots : 0);
  return html;
}

static void load2(const char *a, const char *b, su_results_t *r, size_t *n)
{
  *n = 0;
  CHECK_EQ_INT(su_results_load(a, &r[0]), SU_OK);
  (*n)++;
  if (b) {
    CHECK_EQ_INT(su_results_load(b, &r[1]), SU_OK);
    (*n)++;
  }
}

static void test_report_two_dirs(void)
{
  char out[] = "/tmp/sizeup-test-report-XXXXXX";
  su_results_t r[2];
  su_report_opts_t o = {out, NULL};
  su_report_info_t info;
  size_t n;
  int rendered = have_gnuplot();
  char *html;

  if (!rendered)
    printf("  gnuplot not on PATH: checking the scripts only\n");
  CHECK(mkdtemp(out) != NULL);
  load2(SU_TEST_DATA_DIR "/results-quick", SU_TEST_DATA_DIR "/results-scaling", r, &n);
  CHECK_EQ_INT(su_report_write(r, n, &o, &info), SU_OK);
  /* scaling x3 (stream_triad, fma_peak, stencil_7pt), one cache sweep,
   * latency, two rooflines, compare */
  CHECK_EQ_INT(info.nplots, 8);
  CHECK_EQ_INT(info.gnuplot_missing, !rendered);
  CHECK_EQ_INT(info.nrendered, rendered ? info.nplots : 0);
  CHECK_EQ_STR(info.render_error, "");
  html = check_outputs(out, &info, rendered);
  if (html) {
    CHECK(strstr(html, "Methodology") != NULL);
    CHECK(strstr(html, "too_few_points") == NULL);   /* the 2-core machine: left out */
    CHECK(strstr(html, "AMD EPYC 9R14") != NULL);
    CHECK(strstr(html, "DRAM") != NULL);
  }
  free(html);
  for (size_t i = 0; i < n; i++)
    su_results_fini(&r[i]);
  rm_tree(out);
}

static void test_report_no_gnuplot(void)
{
  char out[] = "/tmp/sizeup-test-report-XXXXXX", path[4096];
  su_results_t r[1];
  su_report_opts_t o = {out, "sizeup-test-no-such-gnuplot"};
  su_report_info_t info;
  size_t n;
  char *html;
  struct stat st;

  CHECK(mkdtemp(out) != NULL);
  load2(SU_TEST_DATA_DIR "/results-quick", NULL, r, &n);
  CHECK_EQ_INT(su_report_write(r, n, &o, &info), SU_OK);
  CHECK_EQ_INT(info.gnuplot_missing, 1);
  CHECK_EQ_INT(info.nrendered, 0);
  CHECK(info.nplots >= 4);
  html = check_outputs(out, &info, 0);
  CHECK(html && strstr(html, "gnuplot was not found") != NULL);
  snprintf(path, sizeof(path), "%s/scaling_1.png", out);
  CHECK(stat(path, &st) != 0);
  free(html);
  su_results_fini(&r[0]);
  rm_tree(out);
}

static void test_report_hostile(void)
{
  char out[] = "/tmp/sizeup-test-report-XXXXXX";
  su_results_t r[1];
  su_report_opts_t o = {out, NULL};
  su_report_info_t info;
  size_t n;
  int rendered = have_gnuplot();
  char *html, path[4096];
  DIR *d;
  struct dirent *e;
  struct stat st;

  unlink(PWNED);
  CHECK(mkdtemp(out) != NULL);
  load2(SU_TEST_DATA_DIR "/results-hostile", NULL, r, &n);
  /* the strings did arrive intact: the reader does not filter */
  CHECK(n == 1 && strstr(r[0].rows[0].device, "system(\"touch " PWNED "\")") != NULL);
  CHECK_EQ_INT(su_report_write(r, n, &o, &info), SU_OK);
  /* a correct plot: every script renders */
  CHECK_EQ_INT(info.nrendered, rendered ? info.nplots : 0);
  CHECK_EQ_STR(info.render_error, "");
  CHECK(info.nplots >= 4);
  html = check_outputs(out, &info, rendered);
  if (html) {
    CHECK(strstr(html, "<script>") == NULL);
    CHECK(strstr(html, "<img src=x") == NULL);
    CHECK(strstr(html, "<b>bold</b>") == NULL);
    CHECK(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
#if SU_HAVE_JANSSON
    CHECK(strstr(html, "&lt;img src=x onerror=alert(1)&gt;") != NULL);  /* a label */
#endif
    CHECK(strstr(html, "system(&quot;touch " PWNED "&quot;)") != NULL);
  }
  free(html);
  /* nothing from the results reached a script unsanitized */
  d = opendir(out);
  while (d && (e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    char *gp;
    if (len < 4 || strcmp(e->d_name + len - 3, ".gp") != 0)
      continue;
    snprintf(path, sizeof(path), "%s/%s", out, e->d_name);
    gp = slurp(path, NULL);
    CHECK(gp != NULL);
    if (gp) {
      CHECK(strchr(gp, '`') == NULL);
      /* hostile text survives only as inert words inside a single-quoted
       * string: before each "system(" an odd number of quotes on its line */
      for (char *at = gp; (at = strstr(at, "system(")) != NULL; at++) {
        int quotes = 0;
        for (char *q = at; q > gp && q[-1] != '\n'; q--)
          quotes += q[-1] == '\'';
        CHECK(quotes % 2 == 1);
      }
      CHECK(strstr(gp, "\n!") == NULL);
      CHECK(strchr(gp, '"') == NULL);
      CHECK(strchr(gp, '@') == NULL);
      CHECK(strstr(gp, "$(") == NULL);
      free(gp);
    }
  }
  if (d)
    closedir(d);
  /* and nothing was executed */
  CHECK(stat(PWNED, &st) != 0);
  su_results_fini(&r[0]);
  rm_tree(out);
}

/* Writes text (appending when append) to dir/name. */
static void put(const char *dir, const char *name, const char *text, int append)
{
  char path[4096];
  FILE *fp;

  snprintf(path, sizeof(path), "%s/%s", dir, name);
  fp = fopen(path, append ? "a" : "w");
  CHECK(fp != NULL);
  if (fp) {
    fputs(text, fp);
    fclose(fp);
  }
}

static void copy(const char *from, const char *dir, const char *name)
{
  char path[4096], *text;

  snprintf(path, sizeof(path), "%s/%s", from, name);
  text = slurp(path, NULL);
  CHECK(text != NULL);
  if (text)
    put(dir, name, text, 0);
  free(text);
}

/* Runs the report of dirs[0..n) into out (no rendering); returns report.md. */
static char *report_md(const char *const *dirs, size_t n, const char *out,
                       su_report_info_t *info)
{
  su_results_t r[4];
  su_report_opts_t o = {out, ""};
  char path[4096], *md;

  for (size_t i = 0; i < n; i++)
    CHECK_EQ_INT(su_results_load(dirs[i], &r[i]), SU_OK);
  CHECK_EQ_INT(su_report_write(r, n, &o, info), SU_OK);
  for (size_t i = 0; i < n; i++)
    su_results_fini(&r[i]);
  snprintf(path, sizeof(path), "%s/report.md", out);
  md = slurp(path, NULL);
  CHECK(md != NULL);
  return md;
}

#define HAS(text, needle)                                                     \
  do {                                                                        \
    if ((text) && strstr((text), (needle)))                                   \
      su_test_passed++;                                                       \
    else                                                                      \
      SU_TEST_FAIL_("the report lacks \"%s\"", (needle));                   \
  } while (0)

/*
 * The verdict of one machine: the scaling fixture (known laws: triad USL
 * lambda 13, sigma 0.02, kappa 0.0015 up to 125.3 GB/s at 16 threads,
 * fma_peak Amdahl p 0.99 up to 816.7 GFLOP/s) with a theoretical peak of
 * 1000 GFLOP/s and a 2.5 GHz clock added: 81.7% of the peak; machine
 * balance 816.7 / 125.3 = 6.52 flop/byte; triad (2 flops per 24 bytes)
 * uses at most 125.3 / 12 / 816.7 = 1.3% of the peak.
 */
static void test_verdict_one(void)
{
  char dir[] = "/tmp/sizeup-test-verdict-XXXXXX", out[4200];
  const char *dirs[1];
  su_report_info_t info;
  char *md;

  CHECK(mkdtemp(dir) != NULL);
  copy(SU_TEST_DATA_DIR "/results-scaling", dir, "summary.csv");
  copy(SU_TEST_DATA_DIR "/results-scaling", dir, "system.json");
  put(dir, "summary.csv",
      "1,20261125T080000Z-synth16-0001,fma_peak,avx512,cpu,Synthetic 16-core CPU,fp64,16,1,1,"
      "compact,0-15,0,peak_theoretical,GFLOP/s,ok,,1000,1000,1000,1000,0,0,1000,1000,1,5,1,,,"
      "host,0,\n"
      "1,20261125T080000Z-synth16-0001,fma_peak,avx512,cpu,Synthetic 16-core CPU,fp64,16,1,1,"
      "compact,0-15,0,clock,GHz,ok,,2.5,2.5,2.5,2.5,0,0,2.5,2.5,1,5,1,,,host,0,\n", 1);
  snprintf(out, sizeof(out), "%s/out", dir);
  dirs[0] = dir;
  md = report_md(dirs, 1, out, &info);
  HAS(md, "# sizeup report: synthetic-16c\n");
  HAS(md, "## Verdict\n\n- **Compute-bound work** (dense matrix products");
  HAS(md, "up to 816.7 GFLOP/s in FP64, double precision. That is 82% of this processor's "
          "theoretical peak of 1000 GFLOP/s");
  HAS(md, "**Memory-bound work** (streaming through data much larger than the caches");
  HAS(md, "125.3 GB/s from main memory");
  HAS(md, "this machine does 6.52 floating-point operations in the time it moves one byte");
  HAS(md, "can use at most 1.3% of its floating-point peak");
  HAS(md, "**Latency-bound work**: not measured");
  HAS(md, "**Where adding cores stops paying**: Memory bandwidth keeps growing up to the 16 "
          "threads measured");
  /* the verdict comes first, the methodology last */
  CHECK(md && strstr(md, "## Verdict") < strstr(md, "## Headline figures"));
  CHECK(md && strstr(md, "## Scaling fits") < strstr(md, "## Methodology"));
  /* one machine: no compare chart, no fits without enough points */
  CHECK(md && strstr(md, "### compare") == NULL);
  CHECK(md && strstr(md, "too\\_few\\_points") == NULL);
  free(md);
  snprintf(out, sizeof(out), "%s/out/compare_1.gp", dir);
  CHECK(access(out, F_OK) != 0);
  /* a recorded peak below the measured rate (a clock measured on a busy
   * machine): no ceiling, and no clock cycles from that clock */
  copy(SU_TEST_DATA_DIR "/results-scaling", dir, "summary.csv");
  put(dir, "summary.csv",
      "1,20261125T080000Z-synth16-0001,fma_peak,avx512,cpu,Synthetic 16-core CPU,fp64,16,1,1,"
      "compact,0-15,0,peak_theoretical,GFLOP/s,ok,,500,500,500,500,0,0,500,500,1,5,1,,,"
      "host,0,\n", 1);
  snprintf(out, sizeof(out), "%s/out2", dir);
  md = report_md(dirs, 1, out, &info);
  HAS(md, "up to 816.7 GFLOP/s in FP64, double precision. The theoretical peak recorded with "
          "it, 500 GFLOP/s, is below that: the clock measured during the run was wrong");
  CHECK(md && strstr(md, "% of this processor's theoretical peak") == NULL);
  free(md);
  snprintf(out, sizeof(out), "rm -rf '%s'", dir);
  CHECK(system(out) == 0);
}

/* Two machines: who wins each kind of work, named by their labels
 * (instance_type: the first label that is not a number), as column names
 * and in the plots' legends. */
static void test_verdict_two(void)
{
  char out[] = "/tmp/sizeup-test-verdict2-XXXXXX", path[4200], *md, *gp;
  const char *dirs[2] = {SU_TEST_DATA_DIR "/results-quick",
                         SU_TEST_DATA_DIR "/results-scaling"};
  su_report_info_t info;

  CHECK(mkdtemp(out) != NULL);
  md = report_md(dirs, 2, out, &info);
  HAS(md, "# sizeup report: dev-vm-2c, synthetic-16c\n");
  HAS(md, "- **In short**: synthetic-16c is the faster machine for every kind of work "
          "measured on more than one of them");
  HAS(md, "- **Memory-bound work** (streaming through data larger than the caches, as most "
          "fluid-dynamics, climate and sparse-matrix codes do): synthetic-16c wins, with "
          "2.61x the memory bandwidth of dev-vm-2c (dev-vm-2c 48.1, synthetic-16c 125.3 GB/s).");
  HAS(md, "- **Compute-bound work** (dense matrix products, tight arithmetic loops): "
          "synthetic-16c wins, with 7.03x the FP64 peak of dev-vm-2c");
  HAS(md, "- **Latency-bound work** (following pointers: graphs, trees, databases): only "
          "dev-vm-2c measured memory latency: 149.8 ns.");
  HAS(md, "- **dev-vm-2c, adding cores**: not enough thread counts were measured");
  HAS(md, "| figure | unit | dev-vm-2c | synthetic-16c |");
  HAS(md, "| machine | folder | run id |");
  free(md);
  snprintf(path, sizeof(path), "%s/compare_8.gp", out);
  gp = slurp(path, NULL);
  HAS(gp, "title 'dev-vm-2c'");
  HAS(gp, "title 'synthetic-16c'");
  free(gp);
  rm_tree(out);
  /* the same run twice: nothing to choose between, and two distinct names */
  CHECK(mkdtemp(strcpy(out, "/tmp/sizeup-test-verdict2-XXXXXX")) != NULL);
  dirs[1] = SU_TEST_DATA_DIR "/results-quick/";
  md = report_md(dirs, 2, out, &info);
  HAS(md, "- **In short**: the machines cannot be told apart on these measurements");
  HAS(md, "no clear winner: dev-vm-2c and dev-vm-2c (");
  HAS(md, "results-quick/) are within each other's 95% confidence ranges of memory bandwidth");
  free(md);
  rm_tree(out);
}

/* The part of text from `from` up to `to` (to the end without it), copied;
 * NULL when text lacks `from`. */
static char *section(const char *text, const char *from, const char *to)
{
  const char *a = text ? strstr(text, from) : NULL, *b;
  char *out;

  if (!a)
    return NULL;
  b = strstr(a, to);
  if (!b)
    b = a + strlen(a);
  if ((out = malloc((size_t)(b - a) + 1))) {
    memcpy(out, a, (size_t)(b - a));
    out[b - a] = '\0';
  }
  return out;
}

#define LACKS(text, needle)                                                   \
  do {                                                                        \
    if ((text) && !strstr((text), (needle)))                                  \
      su_test_passed++;                                                       \
    else                                                                      \
      SU_TEST_FAIL_("the report has \"%s\"", (needle));                     \
  } while (0)

/* A summary.csv row of the fixture machine (results-quick's: one 32 MiB L3
 * shared by its 2 PUs) for the verdict's cases. */
#define WROW(kernel, backend, device, threads, cpuset, size, metric, unit, median)     \
  "1,20261124T101530Z-devvm-3f2a," kernel ",v," backend "," device ",fp64," threads     \
  ",1,1,compact," cpuset "," size "," metric "," unit ",ok,," median "," median ","      \
  median "," median ",0,0," median "," median ",11,0,1,,,host,0\n"

/* Writes a run of the fixture machine holding only rows; returns the
 * verdict and headline table of its report. */
static char *verdict_of(const char *dir, const char *rows)
{
  char out[1024], *md, *part;
  const char *dirs[1] = {dir};
  su_report_info_t info;

  copy(SU_TEST_DATA_DIR "/results-quick", dir, "system.json");
  put(dir, "summary.csv", "schema_version,run_id,kernel,variant,backend,device,precision,"
      "threads,ranks,nodes,placement,cpuset,size_bytes,metric,unit,status,reason,median,min,"
      "max,mean,stddev,cv,ci95_lo,ci95_hi,reps,point,inner,flops,bytes,timer,noisy\n", 0);
  put(dir, "summary.csv", rows, 1);
  snprintf(out, sizeof(out), "%s/out", dir);
  md = report_md(dirs, 1, out, &info);
  part = section(md, "## Verdict", "## Words used");
  CHECK(part != NULL);
  free(md);
  rm_tree(out);
  return part;
}

/*
 * The verdict names only what was measured: the memory figures come from
 * stream_triad and latency_chase alone (never an OpenCL launch round trip
 * or a device-to-device copy), main memory only past the last-level cache,
 * the CPU's main memory from the cpu backend with an OpenCL device's figures
 * its own, and the null backend's rows marked MODELLED everywhere.
 */
static void test_verdict_where(void)
{
  static const struct {
    const char *rows;
    const char *has[8], *lacks[5];   /* NULL-terminated when shorter */
  } cases[] = {
    /* OpenCL only, no stream_triad nor latency_chase */
    {WROW("launch_latency", "opencl", "Test GPU [0:0]", "1", "", "0", "latency", "ns", "24200")
     WROW("transfer_d2d", "opencl", "Test GPU [0:0] -> [0:1]", "1", "", "4194304", "bandwidth",
          "GB/s", "39.05"),
     {"**Memory-bound work**: not measured", "**Latency-bound work**: not measured",
      "| memory bandwidth (STREAM triad, largest working set) | GB/s | not measured |",
      "| memory latency (latency\\_chase, largest working set) | ns | not measured |"},
     {"2.42e+04", "24200", "39.05", "main memory"}},
    /* the CPU's and a GPU's: main memory is the CPU's, the GPU has its own */
    {WROW("stream_triad", "cpu", "CPU", "2", "0-1", "536870904", "bandwidth", "GB/s", "41.5")
     WROW("stream_triad", "opencl", "Test GPU [0:0]", "1", "", "536870904", "bandwidth", "GB/s",
          "812.5")
     WROW("launch_latency", "opencl", "Test GPU [0:0]", "1", "", "0", "latency", "ns", "24200")
     WROW("latency_chase", "cpu", "CPU", "1", "0", "268435456", "latency", "ns", "149.8"),
     {"41.5 GB/s from main memory (STREAM triad at its largest working set, 512 MiB, larger "
      "than the 32 MiB L3 its cores use).",
      "149.8 ns per access to main memory (latency\\_chase at its largest working set, 256 MiB, "
      "larger than the 32 MiB L3 its cores use).",
      "- **On the GPU**: 812.5 GB/s from the GPU's memory, Test GPU \\[0:0\\] (STREAM triad at "
      "its largest working set, 512 MiB; sizeup does not know the GPU's caches).",
      "| memory bandwidth (STREAM triad, largest working set) | GB/s | 41.5 |"},
     {"24200", "2.42e+04"}},
    /* a working set that fits the L3 is the caches', not main memory */
    {WROW("stream_triad", "cpu", "CPU", "2", "0-1", "8388608", "bandwidth", "GB/s", "160.7")
     WROW("latency_chase", "cpu", "CPU", "1", "0", "8388608", "latency", "ns", "142.8")
     WROW("fma_peak", "cpu", "CPU", "2", "0-1", "0", "flops", "GFLOP/s", "120"),
     {"160.7 GB/s, from the caches, not main memory: STREAM triad's largest working set, "
      "8 MiB, fits the 32 MiB L3 its cores use. Run 'sizeup run -k stream\\_triad'",
      "142.8 ns per access, from the caches, not main memory: latency\\_chase's largest "
      "working set, 8 MiB, fits the 32 MiB L3 its cores use.",
      "| 160.7 (caches, not memory: 8 MiB, fits the 32 MiB L3) |"},
     {"from main memory", "to main memory", "machine balance"}},
    /* the null backend's rows are a model: every sentence and figure says so */
    {WROW("stream_triad", "null", "null", "2", "0-1", "536870904", "bandwidth", "GB/s", "59.99")
     WROW("latency_chase", "null", "null", "1", "0", "268435456", "latency", "ns", "90.16")
     WROW("fma_peak", "null", "null", "2", "0-1", "0", "flops", "GFLOP/s", "2050"),
     {"- **Compute-bound work, MODELLED by the null backend, not measured** (dense",
      "- **Memory-bound work, MODELLED by the null backend, not measured** (streaming",
      "- **Latency-bound work, MODELLED by the null backend, not measured** (following",
      "- **In short, MODELLED by the null backend, not measured**: this machine",
      "| GB/s | 59.99 (MODELLED by the null backend, not measured) |",
      "| GFLOP/s | 2050 (MODELLED by the null backend, not measured) |",
      "| ns | 90.16 (MODELLED by the null backend, not measured) |"},
     {NULL}},
  };
  char dir[] = "/tmp/sizeup-test-where-XXXXXX", cmd[4200], *v;

  CHECK(mkdtemp(dir) != NULL);
  for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
    v = verdict_of(dir, cases[c].rows);
    for (size_t k = 0; k < 8 && cases[c].has[k]; k++)
      HAS(v, cases[c].has[k]);
    for (size_t k = 0; k < 5 && cases[c].lacks[k]; k++)
      LACKS(v, cases[c].lacks[k]);
    free(v);
  }
  /* several machines: a modelled figure and a cache-sized one say so in the
   * comparison (the last case's rows, against a machine measured at 8 MiB) */
  {
    char other[4200], out[4200], *md;
    const char *dirs[2] = {dir, other};
    su_report_info_t info;
    snprintf(other, sizeof(other), "%s/other", dir);
    CHECK(mkdir(other, 0777) == 0);
    v = verdict_of(other, cases[2].rows);
    free(v);
    snprintf(out, sizeof(out), "%s/out2", dir);
    md = report_md(dirs, 2, out, &info);
    HAS(md, "): only dev-vm-2c measured memory bandwidth beyond the caches (dev-vm-2c 59.99 "
            "MODELLED, dev-vm-2c (");
    HAS(md, "/other) 160.7 from the caches, not compared GB/s).");
    LACKS(md, "wins, with 2.68x the memory bandwidth");
    free(md);
  }
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  CHECK(system(cmd) == 0);
}

/* Names: the instance label first; the same name twice gets its folder;
 * no label: the folder's name. */
static void test_names(void)
{
  char dir[] = "/tmp/sizeup-test-names-XXXXXX", run[4200], out[4200], *md;
  const char *dirs[3];
  su_report_info_t info;

  CHECK(mkdtemp(dir) != NULL);
  snprintf(run, sizeof(run), "%s/night-42", dir);
  CHECK(mkdir(run, 0777) == 0);
  copy(SU_TEST_DATA_DIR "/results-quick", run, "summary.csv");   /* no system.json */
  snprintf(out, sizeof(out), "%s/out", dir);
  dirs[0] = SU_TEST_DATA_DIR "/sizing/alpha";
  dirs[1] = SU_TEST_DATA_DIR "/sizing/alpha/";
  dirs[2] = run;
  md = report_md(dirs, 3, out, &info);
  HAS(md, "| figure | unit | fixture.alpha | fixture.alpha (");
  HAS(md, "/sizing/alpha/) | night-42 |");
  free(md);
  snprintf(out, sizeof(out), "rm -rf '%s'", dir);
  CHECK(system(out) == 0);
}

int main(void)
{
  SU_TEST_RUN(test_sanitize);
  SU_TEST_RUN(test_html_escape);
  SU_TEST_RUN(test_report_two_dirs);
  SU_TEST_RUN(test_report_no_gnuplot);
  SU_TEST_RUN(test_report_hostile);
  SU_TEST_RUN(test_verdict_one);
  SU_TEST_RUN(test_verdict_two);
  SU_TEST_RUN(test_verdict_where);
  SU_TEST_RUN(test_names);
  return SU_TEST_REPORT();
}
