/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * junit.c: a comparison as JUnit XML, the test-report format Jenkins
 * (junit plugin) and GitLab (artifacts:reports:junit) read.
 *
 * One <testcase> per configuration: classname is the kernel, name the rest
 * of the key; a regression is a <failure>, noisy/missing/new configurations
 * are <skipped> with the reason.  Every string comes from results files and
 * is untrusted: it is escaped for XML, and bytes that XML 1.0 cannot carry
 * (control characters, invalid UTF-8) become '?', so a hostile device name
 * cannot break the document.
 */
#include <math.h>
#include <string.h>

#include "sizeup/compare.h"
#include "sizeup/error.h"
#include "sizeup/report.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is invalid.
 * Overlong forms, surrogates and code points above U+10FFFF are invalid. */
static size_t utf8_len(const unsigned char *s)
{
  unsigned cp;
  size_t n;

  if (s[0] < 0x80)
    return 1;
  if (s[0] >= 0xc2 && s[0] <= 0xdf)
    n = 2, cp = s[0] & 0x1f;
  else if (s[0] >= 0xe0 && s[0] <= 0xef)
    n = 3, cp = s[0] & 0x0f;
  else if (s[0] >= 0xf0 && s[0] <= 0xf4)
    n = 4, cp = s[0] & 0x07;
  else
    return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xc0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
      (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
    return 0;
  return n;
}

static void xml_put(FILE *fp, const char *str)
{
  const unsigned char *s = (const unsigned char *)(str ? str : "");

  while (*s) {
    size_t n;
    switch (*s) {
    case '&': fputs("&amp;", fp); s++; continue;
    case '<': fputs("&lt;", fp); s++; continue;
    case '>': fputs("&gt;", fp); s++; continue;
    case '"': fputs("&quot;", fp); s++; continue;
    case '\'': fputs("&apos;", fp); s++; continue;
    default: break;
    }
    if ((*s < 0x20 && *s != '\t' && *s != '\n') || *s == 0x7f) {
      fputc('?', fp);
      s++;
      continue;
    }
    n = utf8_len(s);
    if (n == 0) {
      fputc('?', fp);
      s++;
      continue;
    }
    fwrite(s, 1, n, fp);
    s += n;
  }
}

static void put_value(FILE *fp, const char *what, double v, double lo, double hi, size_t n,
                      const char *unit)
{
  if (!isfinite(v)) {
    fprintf(fp, "%s: no value\n", what);
    return;
  }
  fprintf(fp, "%s: median %.6g ", what, v);
  xml_put(fp, unit);
  if (isfinite(lo) && isfinite(hi))
    fprintf(fp, " (95%% CI %.6g..%.6g)", lo, hi);
  fprintf(fp, ", %zu samples\n", n);
}

int su_report_cmp_junit(const su_cmp_t *c, const char *suite, FILE *fp)
{
  char name[1024];
  size_t skipped = c->count[SU_CMP_NOISY] + c->count[SU_CMP_MISSING] + c->count[SU_CMP_NEW];

  fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
  fprintf(fp, "  <testsuite name=\"");
  xml_put(fp, suite);
  fprintf(fp, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n", c->nrows,
          c->count[SU_CMP_REGRESSED], skipped);
  fprintf(fp, "    <properties>\n      <property name=\"base\" value=\"");
  xml_put(fp, c->base_label);
  fprintf(fp, "\"/>\n      <property name=\"new\" value=\"");
  xml_put(fp, c->new_label);
  fprintf(fp, "\"/>\n      <property name=\"threshold\" value=\"%g\"/>\n"
          "      <property name=\"alpha\" value=\"%g\"/>\n"
          "      <property name=\"detectable_change\" value=\"%g\"/>\n"
          "      <property name=\"too_noisy\" value=\"%zu of %zu\"/>\n    </properties>\n",
          c->opts.threshold, c->opts.alpha, su_cmp_detectable(c), c->count[SU_CMP_NOISY],
          su_cmp_checks(c));
  for (size_t i = 0; i < c->nrows; i++) {
    const su_cmp_row_t *w = &c->rows[i];
    su_cmp_key_name(w->key, name, sizeof(name));
    fprintf(fp, "    <testcase classname=\"");
    xml_put(fp, w->key->kernel);
    fprintf(fp, "\" name=\"");
    xml_put(fp, name);
    fprintf(fp, "\" time=\"0\">\n");
    if (w->cls == SU_CMP_REGRESSED) {
      fprintf(fp, "      <failure type=\"regression\" message=\"");
      if (isfinite(w->change))
        fprintf(fp, "%+.1f%% (p=%.2g)", 100 * w->change, w->p_value);
      else
        xml_put(fp, w->note);
      fprintf(fp, "\">");
    } else if (w->cls == SU_CMP_NOISY || w->cls == SU_CMP_MISSING || w->cls == SU_CMP_NEW) {
      fprintf(fp, "      <skipped message=\"%s", su_cmp_class_name(w->cls));
      if (w->note[0]) {
        fprintf(fp, ": ");
        xml_put(fp, w->note);
      }
      fprintf(fp, "\"/>\n");
    }
    if (w->cls == SU_CMP_REGRESSED) {
      put_value(fp, "base", w->base_median, w->base_ci_lo, w->base_ci_hi, w->n_base, w->unit);
      put_value(fp, "new", w->new_median, w->new_ci_lo, w->new_ci_hi, w->n_new, w->unit);
      if (isfinite(w->p_value))
        fprintf(fp, "Mann-Whitney p = %.3g, Cliff's delta = %.3f\n", w->p_value,
                w->cliffs_delta);
      if (w->note[0]) {
        xml_put(fp, w->note);
        fputc('\n', fp);
      }
      fprintf(fp, "</failure>\n");
    }
    fprintf(fp, "      <system-out>%s", su_cmp_class_name(w->cls));
    if (isfinite(w->change))
      fprintf(fp, ": %+.2f%%, ratio %.4f", 100 * w->change, w->ratio);
    fprintf(fp, "</system-out>\n    </testcase>\n");
  }
  fprintf(fp, "  </testsuite>\n</testsuites>\n");
  if (ferror(fp))
    return su_errorf(SU_EIO, "cannot write the JUnit report");
  return SU_OK;
}
