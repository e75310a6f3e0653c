#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Renders a report.html in headless Chromium and saves a full-page
# screenshot and one of the first screen (1280x800, what a reader sees
# before scrolling), then checks in the browser's DOM that every plot image
# was kept and that the verdict comes before the first table of numbers.
#
# usage: bench/report-screenshot.sh REPORT_DIR [OUT.png]
#        (scripts/install-deps.sh --bench installs chromium)
set -euo pipefail

dir=${1:?usage: bench/report-screenshot.sh REPORT_DIR [OUT.png]}
out=${2:-$dir/screenshot.png}
first=${out%.png}-first-screen.png
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
"$browser" "${flags[@]}" --window-size=1280,800 --hide-scrollbars --screenshot="$first" \
  "file://$html" >/dev/null 2>&1
[ -s "$out" ] && [ -s "$first" ] ||
  { echo "report-screenshot.sh: error: chromium wrote no screenshot" >&2; exit 1; }
ndom=$(grep -o '<img ' "$profile/dom.html" | wc -l)
# The verdict is the first section: before the headline table and the plots.
verdict=$(grep -bo 'id="verdict"' "$profile/dom.html" | head -1 | cut -d: -f1)
table=$(grep -bo '<table' "$profile/dom.html" | head -1 | cut -d: -f1)
echo "report: $html"
echo "images in the page: $nimg; in the rendered DOM: $ndom; screenshots: $out, $first"
echo "verdict at byte ${verdict:-none} of the DOM, first table at ${table:-none}"
[ -n "$verdict" ] && { [ -z "$table" ] || [ "$verdict" -lt "$table" ]; } ||
  { echo "report-screenshot.sh: error: the verdict is not the first section" >&2; exit 1; }
[ "$nimg" -gt 0 ] && [ "$ndom" -eq "$nimg" ]
