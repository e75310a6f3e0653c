#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# How sizeup's plans grow with the machine: for every topology in a
# directory (hwloc XML files, and *.synthetic.txt files holding one hwloc
# synthetic description each) and every profile, the points planned and the
# estimated duration (`sizeup run --profile P --topology T --dry-run`), as a
# table; then, per profile, the points per core of the topologies sorted by
# cores, which says whether plans follow the machine's structure (a few
# dozen thread counts) or its core count.
#
# usage: bench/plan-scale.sh [TOPOLOGY_DIR] [PROFILES]
#   TOPOLOGY_DIR  default: tests/data (a few real XMLs); e.g. a directory of
#                 exported servers (lstopo --of xml)
#   PROFILES      default: "quick standard nightly full"
#   SIZEUP        the binary (default: build/sizeup, else sizeup on PATH)
#
# A topology that cannot be planned prints its error in the table, and the
# script exits 1 at the end.
set -u
dir=${1:-tests/data}
profiles=${2:-quick standard nightly full}
SIZEUP=${SIZEUP:-build/sizeup}
[ -x "$SIZEUP" ] || SIZEUP=sizeup
rc=0
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT

printf '%-46s %5s %5s %-9s %7s %12s\n' topology cores PUs profile points estimated
for f in "$dir"/*.xml "$dir"/*.synthetic.txt; do
  [ -e "$f" ] || continue
  case $f in
    *.synthetic.txt) spec=$(cat "$f") ;;
    *) spec=$f ;;
  esac
  name=$(basename "$f")
  topo=$("$SIZEUP" topo --topology "$spec" 2>&1)
  cores=$(printf '%s\n' "$topo" | awk '/^cores:/ {print $2}')
  pus=$(printf '%s\n' "$topo" | awk '/^PUs:/ {print $2}')
  for p in $profiles; do
    out=$("$SIZEUP" run --profile "$p" --topology "$spec" --dry-run 2>&1)
    if [ $? -ne 0 ]; then
      printf '%-46s %5s %5s %-9s %s\n' "$name" "${cores:--}" "${pus:--}" "$p" \
        "$(printf '%s\n' "$out" | grep -m1 'error' | cut -c1-100)"
      rc=1
      continue
    fi
    n=$(printf '%s\n' "$out" | awk '/^[0-9]+ points$/ {print $1}')
    est=$(printf '%s\n' "$out" | sed -n 's/^estimated duration: \(.*\) for .*/\1/p')
    printf '%-46s %5s %5s %-9s %7s %12s\n' "$name" "$cores" "$pus" "$p" "$n" "$est"
    echo "$p $cores $n" >>"$rows"
  done
done

echo
echo "points per core, by profile (topologies sorted by cores):"
for p in $profiles; do
  printf '%-9s' "$p"
  awk -v p="$p" '$1 == p {print $2, $3}' "$rows" | sort -n -u | awk '
    { printf " %s:%s (%.1f/core)", $1, $2, $2 / $1 } END { print "" }'
done
exit $rc
