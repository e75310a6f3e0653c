#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# sizeup recommend end to end on the hand-made fixtures of tests/data/sizing:
# the ranking in recommend.csv and on the terminal, the plot and HTML, and
# bad inputs: exit 2, an error naming the file, line and field, and nothing
# written.  Usage: test_recommend.sh SIZEUP SRC WORK
. "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/sizing

"$SIZEUP" recommend --catalog "$D/catalog.csv" --workload "$D/throughput.ini" --out out \
  --no-render >table.txt 2>err.txt
check "recommend exits 0" test $? -eq 0
check "recommend.csv written" test -s out/recommend.csv
check "recommend.html written" test -s out/recommend.html
check "plot script written" test -s out/recommend.gp
check "header" grep -q '^schema_version,rank,candidate,kind,source,status' out/recommend.csv
# Ranks by system cost per hour: beta 9.00, alpha 12.00, gamma 12.30, delta no data.
check "beta first" grep -q '^4,1,beta,cloud,measured,ok,' out/recommend.csv
check "alpha second" grep -q '^4,2,alpha,cloud,measured,ok,' out/recommend.csv
check "gamma third, an estimate" grep -q '^4,3,gamma,onprem,estimate,ok,' out/recommend.csv
check "delta last, no data" grep -q '^4,4,delta,cloud,measured,no_data,' out/recommend.csv
check "table says why" grep -q 'beta is the first choice' table.txt
check "table says what would change it" grep -q 'alpha would win if its price fell below USD 1.8 ' table.txt
check "estimate flagged on the terminal" grep -q 'gamma .*ESTIMATE' table.txt
check "estimate flagged in html" grep -q 'ESTIMATE' out/recommend.html
check "no stderr" test ! -s err.txt

# Jobs of 4 cores side by side, licences, a target per day; theta's results
# were measured on another machine than its catalog line says.
"$SIZEUP" recommend -c "$D/catalog-cores.csv" -w "$D/cores.ini" -o cores --no-render \
  >cores.txt 2>cores.err
check "cores: exits 0" test $? -eq 0
check "cores: target with its unit" grep -q 'target: 480 jobs per day' cores.txt
check "cores: monthly and yearly cost" grep -q 'USD 4380 per month, USD 52560 per year' cores.txt
check "cores: warning names both figures" grep -q "sizeup: warning: candidate 'theta' (catalog line 3): the catalog says 32 cores, 128 GiB of memory per node, but its results '.*theta' were measured on 2 cores, 4 GiB" cores.err
check "cores: jobs per node in the csv" grep -q '^4,2,eta,.*,480 jobs per day,518.4,15768,5986,71832,4,4,4.1,4.2,,cpu,0,"\?stream_triad: cpu .*(measured)' cores/recommend.csv
check "cores: warning in the html" grep -q 'Warning: candidate' cores/recommend.html

# README's walkthrough (and its Commands entry), on two copies of a quick run.
mkdir -p walk/bench/catalogs walk/bench/workloads walk/results
cp "$SRC/bench/catalogs/walkthrough.csv" walk/bench/catalogs/
cp "$SRC/bench/workloads/cfd-throughput.ini" walk/bench/workloads/
cp -r "$SRC/tests/data/results-quick" walk/results/type-a
cp -r "$SRC/tests/data/results-quick" walk/results/type-b
(cd walk && "$SIZEUP" recommend --catalog bench/catalogs/walkthrough.csv \
                 --workload bench/workloads/cfd-throughput.ini --out reports/choose \
                 >table.txt 2>err.txt)
check "walkthrough: exits 0" test $? -eq 0
check "walkthrough: first choice" grep -q 'is the first choice: .* per month, USD .* per year' walk/table.txt
check "walkthrough: page written" test -s walk/reports/choose/recommend.html
cp "$SRC/bench/catalogs/licensed.csv" walk/bench/catalogs/
cp "$SRC/bench/workloads/cfd-licensed.ini" walk/bench/workloads/
(cd walk && "$SIZEUP" recommend --catalog bench/catalogs/licensed.csv \
                 --workload bench/workloads/cfd-licensed.ini --out reports/licensed >lic.txt 2>&1)
check "licensed example: exits 0" test $? -eq 0
check "licensed example: per day, jobs per node" grep -q 'target of 1000 jobs per day' walk/lic.txt
check "licensed example: the licences' share" grep -q '^Software licences are USD 7.00 of that USD 7.49 per hour (93%): 1 core(s) per job, 2 job(s) per node.$' walk/lic.txt
(cd walk && "$SIZEUP" report results/type-a results/type-b --out reports/a-vs-b --no-render \
   >/dev/null 2>&1)
check "walkthrough: report side by side" grep -q 'no clear winner' walk/reports/a-vs-b/report.md

# With gnuplot on PATH the plot is rendered and embedded.
if command -v gnuplot >/dev/null; then
  "$SIZEUP" recommend -c "$D/catalog.csv" -w "$D/deadline.ini" -o plot >/dev/null 2>&1
  check "png rendered" test -s plot/recommend.png
  check "png embedded" grep -q 'data:image/png;base64,' plot/recommend.html
fi

# Bad catalog: file, line and field; exit 2; nothing written.
sed '3s/,0.90,/,abc,/' "$D/catalog.csv" >bad.csv
cp -r "$D/alpha" "$D/beta" "$D/delta" .
expect_error "bad number" "bad.csv:3: field 'price_per_hour': invalid number 'abc'" \
  "$SIZEUP" recommend -c bad.csv -w "$D/throughput.ini" -o badout
check "bad catalog exits 2" test "$rc" -eq 2
check "nothing written for a bad catalog" test ! -e badout/recommend.csv

# Bad workload.
sed 's/^gemm = 0.3/gemm = 0.2/' "$D/throughput.ini" >bad.ini
expect_error "fractions" "bad.ini:12: field 'latency_chase': the \[mix\] fractions add up to 0.9, not 1" \
  "$SIZEUP" recommend -c "$D/catalog.csv" -w bad.ini -o badout
check "bad workload exits 2" test "$rc" -eq 2
check "nothing written for a bad workload" test ! -e badout/recommend.csv

# A results directory that does not load names the candidate.
sed 's/^alpha,\(.*\),alpha,/alpha,\1,no-such-dir,/' "$D/catalog.csv" >missing.csv
expect_error "missing results" "candidate 'alpha' (catalog line 2)" \
  "$SIZEUP" recommend -c missing.csv -w "$D/throughput.ini" -o badout
check "nothing written for missing results" test ! -e badout/recommend.csv

expect_error "usage" "give both --catalog and --workload" "$SIZEUP" recommend -c bad.csv
check "help" "$SIZEUP" recommend --help >/dev/null
# Whole nodes: big is cheaper per job (8 x 360 s = 0.8 against 1 x 3600 s =
# 1.0) but its smallest system, one node at 8 per hour, costs more than the
# two small nodes (2 per hour) that the 2 jobs an hour need: small first,
# and a sentence says why.
{ echo "name,kind,cores,packages,gpus,memory_gib,price_per_hour,purchase_price,years,electricity_per_kwh,power_watts,results,peak_gflops_fp64,mem_bw_gbs,mem_latency_ns,price_date,notes"
  echo "small,cloud,8,1,0,32,1.00,,,,200,,100,50,90,2026-12,datasheet"
  echo "big,cloud,64,2,0,256,8.00,,,,800,,1000,500,90,2026-12,datasheet"; } >whole.csv
{ echo '[workload]'; echo 'name = whole'; echo 'reference = small'; echo 'reference_time_s = 3600'
  echo '[mix]'; echo 'stream_triad = 0.5'; echo 'fma_peak = 0.5'
  echo '[target]'; echo 'throughput_jobs_per_hour = 2'; } >whole.ini
"$SIZEUP" recommend --catalog whole.csv --workload whole.ini --out whole --no-render >whole.txt 2>&1
check "whole nodes: exits 0" test $? -eq 0
check "whole nodes: small first" grep -q '^small is the first choice: 2 node(s)' whole.txt
check "whole nodes: why big is not, though cheaper per job" \
  grep -q 'big costs less per job (0.8 against 1), but systems come in whole nodes: the smallest big system that meets the target, 1 node(s) for 10 jobs per hour, costs 8 per hour against 2 for small' whole.txt
check "whole nodes: the uncertainty is the system's cost" \
  grep -q "ranges of the system's cost per hour" whole.txt

# The page says how each efficiency was found, as recommend.csv's scaling.
check "html: a one-node job's efficiency says so" grep -q '100% (one node per job)</td>' out/recommend.html
check "html: never 'ideal assumed' for a one-node job" \
  sh -c "! grep -q '100% (ideal assumed)' out/recommend.html"

finish
