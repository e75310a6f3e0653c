#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# How long sizeup takes to load a samples.csv of N distinct configurations
# (one sample each), through `sizeup compare DIR DIR`:
#
#   bench/samples-load.sh [N] [SIZEUP]      default: 100000, build/sizeup
#
# The loader finds a configuration's group through a hash index, so the time
# grows linearly with N (a linear search made it quadratic: 37 s for 100,000).
set -eu
n=${1:-100000}
sizeup=${2:-build/sizeup}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
key=schema_version,run_id,kernel,variant,backend,device,precision,threads,ranks,nodes,placement,cpuset,size_bytes
{
  echo "$key,metric,unit,status,reason,median,min,max,mean,stddev,cv,ci95_lo,ci95_hi,reps"
  echo "1,r,stream_triad,omp,cpu,d,fp64,1,1,1,compact,0,1,bandwidth,GB/s,ok,,1,1,1,1,0,0,1,1,1"
} >"$d/summary.csv"
awk -v n="$n" -v h="$key,metric,unit,point,rep,inner,time_ns,device_ns,value" 'BEGIN {
  print h
  for (i = 1; i <= n; i++)
    printf "1,r,stream_triad,omp,cpu,d,fp64,1,1,1,compact,0,%d,bandwidth,GB/s,0,0,1,1000,,%d\n", i, i
}' >"$d/samples.csv"
start=$(date +%s.%N)
"$sizeup" compare "$d" "$d" >/dev/null
end=$(date +%s.%N)
echo "samples.csv of $n configurations: loaded twice by 'sizeup compare' in $(echo "$end - $start" | bc) s"
