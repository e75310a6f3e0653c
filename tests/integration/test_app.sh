#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# sizeup app: a stand-in application (tests/apps/standin.c) measured over
# threads; its rows in the CSV contract; its output kept and bounded; the
# failing applications: a non-zero exit, a hang, no figure of merit, a
# regex without a group, a command that does not exist.
set -u
. "$(dirname "$0")/lib.sh"
STANDIN="$(dirname "$SIZEUP")/tests/standin"
FAST=(--min-reps 3 --max-reps 5 -b 0.05 -q)

"$SIZEUP" app "${FAST[@]}" -t 1,2 -o ok1 -- "$STANDIN" --serial 0.002 --parallel 0.008 \
  >ok1.log 2>&1
rc=$?
check "app exits 0 (rc=$rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat ok1.log >&2
rows=$(awk -F, '$3=="standin" && $5=="app" && $14=="time" && $15=="s" && $16=="ok"' \
  ok1/summary.csv | wc -l)
check "two ok time rows, backend app, kernel standin ($rows)" test "$rows" -eq 2
check "samples.csv has app samples" grep -q '^3,[^,]*,standin,,app,' ok1/samples.csv
check "run.args starts with app" test "$(head -n 1 ok1/run.args)" = app
check "output kept per run" test -s ok1/app-output/standin/t1-compact/run0.out
check "stderr kept per run" test -e ok1/app-output/standin/t1-compact/run0.err
check "one thread is bound to one PU" \
  grep -qx 'cpus: [0-9]*' ok1/app-output/standin/t1-compact/run0.out
check "OMP_NUM_THREADS is the point's" grep -qx 'threads: 2' ok1/app-output/standin/t2-compact/run0.out
check "system.json records the command" grep -q 'standin --serial 0.002' ok1/system.json

# {threads} is replaced; a figure of merit from the output, higher is better.
"$SIZEUP" app "${FAST[@]}" -t 2 -o fom1 --name rate_app --fom 'rate: ([0-9.]+) runs/s' \
  --fom-unit runs/s --higher-is-better -- env OMP_NUM_THREADS=1 "$STANDIN" --threads '{threads}' \
  >fom1.log 2>&1
check "fom app exits 0" test $? -eq 0
check "fom row: metric fom in runs/s" \
  test "$(awk -F, '$3=="rate_app" && $14=="fom" && $15=="runs/s" && $16=="ok"' fom1/summary.csv | wc -l)" -eq 1
check "{threads} replaced" grep -qx 'threads: 2' fom1/app-output/rate_app/t2-compact/run0.out

# Measured, fitted, predicted: the stand-in reports its own time (its law,
# T(N) = s + p/N + c(N-1), with 1% noise), read as a lower-is-better figure
# of merit, so the numbers do not depend on how busy this machine is.  The
# USL is chosen and its parameters recovered: lambda = 1/(s+p) = 31.25 within
# 5%, sigma = s/(s+p) = 0.0625 within 0.03, kappa = c/(s+p) = 0.0125 within
# 30%; the 95% interval at 16 threads holds the law's 0.009875 s.
"$SIZEUP" app "${FAST[@]}" -t 1,2,3,4,6,8 -o law1 --fom 'time: ([0-9.]+) s' --fom-unit s \
  -- "$STANDIN" --serial 0.002 --parallel 0.03 --contention 0.0004 --noise 0.01 >law1.log 2>&1
check "the stand-in over 6 counts (more threads than PUs share them)" \
  test "$(awk -F, '$14=="fom_lower" && $16=="ok"' law1/summary.csv | wc -l)" -eq 6
"$SIZEUP" fit law1 --predict 16 >fit1.log 2>&1
check "fit --predict exits 0" test $? -eq 0
check "the USL is chosen by leave-one-out" grep -q 'standin (compact, fom_lower): usl: leave-one-out error' fit1.log
check "the prediction is said in words" grep -q 'on 16 threads this would take about' fit1.log
param() { awk -F, -v q="$1" '$3=="standin" && $15=="usl" && $20==q {print $21}' law1/fits.csv; }
check "lambda recovered ($(param lambda))" awk -v v="$(param lambda)" 'BEGIN{exit !(v>29.69 && v<32.81)}'
check "sigma recovered ($(param sigma))" awk -v v="$(param sigma)" 'BEGIN{exit !(v>0.0325 && v<0.0925)}'
check "kappa recovered ($(param kappa))" awk -v v="$(param kappa)" 'BEGIN{exit !(v>0.00875 && v<0.01625)}'
check "predictions.csv header" test "$(head -n 1 law1/predictions.csv)" = \
  "schema_version,run_id,kernel,variant,backend,device,precision,placement,size_bytes,ranks,nodes,scaling,metric,quantity,n,model,prediction,lo,hi,unit,x_axis,threads"
# (the noise is random, so a 95% interval misses now and then: 3% of slack
# keeps this check about the interval's place, not its luck)
check "the interval at 16 holds the law" awk -F, '$14=="value" && $15==16 {ok = $18 * 0.97 <= 0.009875 && 0.009875 <= $19 * 1.03} END {exit !ok}' law1/predictions.csv
check "N* with its interval" awk -F, '$14=="nstar" && $20=="threads" && $18 <= $17 && $17 <= $19 {ok=1} END {exit !ok}' law1/predictions.csv

# The report draws the chosen model past the measured points with its band,
# and says where it goes in words.
"$SIZEUP" report law1 --out rep1 --no-render >rep1.log 2>&1
check "report exits 0" test $? -eq 0
check "the report says the prediction" grep -q 'chosen usl: leave-one-out error.*this would take about' rep1/report.html
check "the report draws the band" grep -q "filledcurves.*95% prediction interval" rep1/scaling_1.gp
check "the model is drawn to 2x the largest count" grep -q '\[1:16\]' rep1/scaling_1.gp

# MPI ranks through the launcher: one row per rank count, each run's ranks
# inside the point's cpuset.
if command -v mpirun >/dev/null; then
  OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "$SIZEUP" app "${FAST[@]}" \
    --ranks 1,2 -t 1 -o mpi1 -- "$STANDIN" --serial 0.002 --parallel 0.004 >mpi1.log 2>&1
  check "app --ranks exits 0" test $? -eq 0
  check "a row per rank count" \
    test "$(awk -F, '$5=="app" && $16=="ok" {print $9}' mpi1/summary.csv | sort -u | paste -sd,)" = "1,2"
  check "two ranks ran" test "$(grep -c '^threads: 1' mpi1/app-output/standin/t1-compact-r2/run0.out)" -eq 2
fi

# Output is bounded: first and last 64 KiB.
"$SIZEUP" app "${FAST[@]}" -t 1 -o big1 -- "$STANDIN" --big >big1.log 2>&1
sz=$(stat -c %s big1/app-output/standin/t1-compact/run0.out)
check "a 300 KiB output is kept bounded ($sz bytes)" test "$sz" -le 131200
check "the cut is said" grep -q 'sizeup cut' big1/app-output/standin/t1-compact/run0.out
check "the end is kept" grep -q '^rate:' big1/app-output/standin/t1-compact/run0.out

# A non-zero exit at 2 threads: an error row with the end of stderr; the
# 1-thread row is kept; exit 1.
rc=0
"$SIZEUP" app "${FAST[@]}" -t 1,2 -o fail1 -- "$STANDIN" --fail-above 1 >fail1.log 2>&1 || rc=$?
check "a failing app exits 1 (rc=$rc)" test "$rc" -eq 1
check "1 thread kept ok" test "$(awk -F, '$8==1 && $16=="ok"' fail1/summary.csv | wc -l)" -eq 1
check "2 threads: an error row with the exit status and stderr" \
  grep -q ',2,.*,error,exit status 3; stderr: standin: 2 threads is more than' fail1/summary.csv

# A launcher's long complaint: the reason keeps its first line (the cause),
# then its last lines from a word on, and knows mpirun's refusal of root.
cat >noisy.sh <<'EOF'
#!/bin/sh
echo "----------------------------------------" >&2
echo "mpirun has detected an attempt to run as root." >&2
i=0; while [ $i -lt 30 ]; do echo "blah blah blah blah blah blah blah blah $i" >&2; i=$((i + 1)); done
echo "the very last words" >&2
exit 2
EOF
chmod +x noisy.sh
"$SIZEUP" app "${FAST[@]}" -t 1 -o noisy1 -- ./noisy.sh >noisy1.log 2>&1
check "long stderr: mpirun's refusal of root, with what to set" \
  grep -q ',error,exit status 2; stderr: mpirun refuses root: set OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \.\.\.' noisy1/summary.csv
sed 's/attempt to run as root/error in the input deck/' noisy.sh >noisy2.sh && chmod +x noisy2.sh
"$SIZEUP" app "${FAST[@]}" -t 1 -o noisy2 -- ./noisy2.sh >noisy2.log 2>&1
check "long stderr: the first line with words in it, then the end" \
  grep -q ',error,exit status 2; stderr: mpirun has detected an error in the input deck\. \.\.\.[a-z0-9 |]*the very last words' noisy2/summary.csv
check "long stderr: the last words" grep -q 'the very last words' noisy1/summary.csv

# A hang: the timeout kills the process group.
rc=0
"$SIZEUP" app "${FAST[@]}" -t 1 --timeout 0.3 -o hang1 -- "$STANDIN" --hang --stderr stuck \
  >hang1.log 2>&1 || rc=$?
check "a hanging app exits 1 (rc=$rc)" test "$rc" -eq 1
check "the hang is an error row" grep -q ',error,timed out after 0.3 s (process group killed); stderr: standin: stuck' hang1/summary.csv
check "no stand-in left running" test -z "$(pgrep -f "$STANDIN --hang" || true)"

# No figure of merit in the output.
rc=0
"$SIZEUP" app "${FAST[@]}" -t 1 -o nofom1 --fom 'rate: ([0-9.]+)' --fom-unit runs/s \
  -- "$STANDIN" --no-fom >nofom1.log 2>&1 || rc=$?
check "no figure of merit exits 1 (rc=$rc)" test "$rc" -eq 1
check "no figure of merit is an error row" grep -q ',error,no figure of merit in the output' nofom1/summary.csv

# Errors before anything runs: nothing is created.
expect_error "a regex without a group" "has no capture group" \
  "$SIZEUP" app -t 1 -o e1 --fom 'rate: [0-9.]+' --fom-unit runs/s -- "$STANDIN"
expect_error "a fom without a unit" "needs --fom-unit" \
  "$SIZEUP" app -t 1 -o e2 --fom 'rate: ([0-9.]+)' -- "$STANDIN"
expect_error "a command that does not exist" "command 'no-such-program-xyz' not found in PATH" \
  "$SIZEUP" app -t 1 -o e3 -- no-such-program-xyz --help
expect_error "no command" "no command given" "$SIZEUP" app -t 1 -o e4
expect_error "app options are not run's" "is an option of 'sizeup app'" \
  "$SIZEUP" run --fom x -o e5
check "no results directory after an error" test ! -e e1 -a ! -e e2 -a ! -e e3 -a ! -e e4

# A suite holds applications as sections with a command, beside kernels.
cat >suite.ini <<INI
[run]
budget = 0.05
min_reps = 3
max_reps = 5

[triad]
kernels = stream_triad
threads = 1
sizes = 1M

[solver]
command = $STANDIN --serial 0.001 --parallel 0.004
threads = 1,2
INI
"$SIZEUP" run --suite suite.ini -o suite1 -q >suite1.log 2>&1
check "a suite with an app runs" test $? -eq 0
check "the suite's app rows" test "$(awk -F, '$3=="solver" && $5=="app" && $16=="ok"' suite1/summary.csv | wc -l)" -eq 2
check "the suite's kernel rows" grep -q ',stream_triad,' suite1/summary.csv
"$SIZEUP" run --suite suite.ini -k solver --dry-run >dry.log 2>&1
check "-k selects the app; dry run plans it" test "$(grep -c '^[0-9].* solver ' dry.log)" -eq 2

finish
