#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Renders a report.html in headless Chromium and saves a full-page
# screenshot, then checks in the browser's DOM that every plot image loaded
# (naturalWidth > 0): what a person opening the report would see.
#
# usage: bench/report-screenshot.sh REPORT_DIR [OUT.png]
#        (apt-get install chromium)
set -euo pipefail

dir=${1:?usage: bench/report-screenshot.sh REPORT_DIR [OUT.png]}
out=${2:-$dir/screenshot.png}
html=$(cd "$dir" && pwd)/report.html
[ -f "$html" ] || { echo "report-screenshot.sh: error: no report.html in '$dir'" >&2; exit 1; }
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "report-screenshot.sh: error: no chromium: apt-get install chromium" >&2; exit 1; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$profile")

nimg=$(grep -o '<img ' "$html" | wc -l)
# The page's own script-free DOM, after load: count images that decoded.
"$browser" "${flags[@]}" --virtual-time-budget=5000 --dump-dom "file://$html" 2>/dev/null >"$profile/dom.html"
"$browser" "${flags[@]}" --window-size=1280,20000 --hide-scrollbars --screenshot="$out" \
  "file://$html" >/dev/null 2>&1
[ -s "$out" ] || { echo "report-screenshot.sh: error: chromium wrote no screenshot" >&2; exit 1; }
ndom=$(grep -o '<img ' "$profile/dom.html" | wc -l)
echo "report: $html"
echo "images in the page: $nimg; in the rendered DOM: $ndom; screenshot: $out"
[ "$nimg" -gt 0 ] && [ "$ndom" -eq "$nimg" ]
