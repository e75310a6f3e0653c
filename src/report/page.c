/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * page.c: what every page sizeup writes shares: the HTML skeleton and its
 * style sheet, escaping for HTML and Markdown, and images embedded as
 * base64 data: URIs (RFC 2397), so each page is one self-contained file that
 * can be mailed or archived.  report.html, recommend.html and the history's
 * index.html all start and end here.
 */
#include <string.h>

#include "report/report_int.h"
#include "sizeup/error.h"

void su_report_html_escape(FILE *fp, const char *s)
{
  for (; s && *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", fp); break;
    case '<': fputs("&lt;", fp); break;
    case '>': fputs("&gt;", fp); break;
    case '"': fputs("&quot;", fp); break;
    case '\'': fputs("&#39;", fp); break;
    default: fputc(*s, fp); break;
    }
  }
}

void su__md_escape(FILE *fp, const char *s)
{
  for (; s && *s; s++) {
    if (*s == '\n' || *s == '\r' || *s == '\t')
      fputc(' ', fp);
    else if (strchr("\\`*_[]|#!{}", *s))
      fprintf(fp, "\\%c", *s);
    else if (*s == '<')
      fputs("&lt;", fp);
    else if (*s == '>')
      fputs("&gt;", fp);
    else if (*s == '&')
      fputs("&amp;", fp);
    else
      fputc(*s, fp);
  }
}

int su_report_base64_file(FILE *out, const char *path)
{
  static const char tb[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  FILE *in = fopen(path, "rb");
  unsigned char b[3];
  size_t n;

  if (!in)
    return -1;
  while ((n = fread(b, 1, 3, in)) > 0) {
    unsigned v = (unsigned)b[0] << 16 | (n > 1 ? (unsigned)b[1] << 8 : 0) | (n > 2 ? b[2] : 0);
    fputc(tb[v >> 18 & 63], out);
    fputc(tb[v >> 12 & 63], out);
    fputc(n > 1 ? tb[v >> 6 & 63] : '=', out);
    fputc(n > 2 ? tb[v & 63] : '=', out);
    if (n < 3)
      break;
  }
  fclose(in);
  return 0;
}

void su__page_begin(FILE *fp, const char *title)
{
  fprintf(fp, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              "<title>");
  su_report_html_escape(fp, title);
  fprintf(fp, "</title>\n<style>\n"
              "body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;"
              "line-height:1.4}\n"
              "table{border-collapse:collapse;margin:1em 0;font-size:90%%}\n"
              "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;"
              "vertical-align:top}\n"
              "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
              "figure{margin:1.5em 0}img{max-width:100%%;height:auto}\n"
              ".est{color:#a40}.verdict{background:#f4f7fb;border-left:4px solid #1f77b4;"
              "padding:.5em 1em;margin:1em 0}\n"
              ".verdict li{margin:.3em 0}small,.note{color:#555}\n"
              "</style>\n</head>\n<body>\n<h1>");
  su_report_html_escape(fp, title);
  fprintf(fp, "</h1>\n");
}

int su__page_end(FILE *fp, const char *path)
{
  int bad;

  fprintf(fp, "</body>\n</html>\n");
  bad = ferror(fp);
  if (fclose(fp) != 0 || bad)
    return su_errorf(SU_EIO, "cannot write '%s'", path);
  return SU_OK;
}

void su__page_png(FILE *fp, const char *dir, const char *name, const char *alt)
{
  char png[4096];

  snprintf(png, sizeof(png), "%s/%s.png", dir, name);
  fprintf(fp, "<img alt=\"");
  su_report_html_escape(fp, alt);
  fprintf(fp, "\" src=\"data:image/png;base64,");
  su_report_base64_file(fp, png);
  fprintf(fp, "\">\n");
}
