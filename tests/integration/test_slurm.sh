#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# sizeup slurm: the generated sbatch script (directives, one srun step per
# node count with --mpi=pmix and binding, quoting of user values, the
# gather step), bad input, and, when the build has MPI, the script run to
# completion with a stand-in `srun` that starts the step with mpirun on this
# machine.  A real one-node Slurm is brought up by bench/slurm-local.sh.
set -u
. "$(dirname "$0")/lib.sh"
# Open MPI leaks under LeakSanitizer (see test_mpi.sh): not ours.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

"$SIZEUP" slurm --nodes 1,2,4 --partition debug --ntasks-per-node 2 --time 00:10:00 \
  -o sweep -- -k mpi_stencil -S "64K" --label "note=it's" >gen.log 2>&1
rc=$?
s=sweep/sizeup.sbatch
check "slurm exits 0 (rc=$rc)" test "$rc" -eq 0
check "script written" test -x "$s"
check "script is valid bash" bash -n "$s"
check "partition" grep -qx '#SBATCH --partition=debug' "$s"
check "largest node count allocated" grep -qx '#SBATCH --nodes=4' "$s"
check "tasks per node" grep -qx '#SBATCH --ntasks-per-node=2' "$s"
check "time limit" grep -qx '#SBATCH --time=00:10:00' "$s"
check "one step per node count" grep -qx 'for n in 1 2 4; do' "$s"
check "srun with pmix" grep -q '^  srun --mpi=pmix --nodes="$n"' "$s"
check "srun binds ranks to cores" grep -q -- '--cpu-bind=cores' "$s"
check "steps run sizeup run --mpi" grep -q '"$SIZEUP" run --mpi --out "$OUT/nodes-$n"' "$s"
check "run options quoted" grep -qF "RUN_ARGS=('-k' 'mpi_stencil' '-S' '64K' '--label' 'note=it'\\''s')" "$s"
check "gather into all/" grep -q 'OUT/all' "$s"
check "says how to submit" grep -q "sbatch .*sizeup.sbatch" gen.log

expect_error "no --nodes" "nodes" "$SIZEUP" slurm --partition debug -o x1
expect_error "bad node list" "nodes" "$SIZEUP" slurm --nodes 1,x --partition debug -o x2
expect_error "repeated node count" "nodes" "$SIZEUP" slurm --nodes 2,2 --partition debug -o x3
expect_error "no partition" "partition" "$SIZEUP" slurm --nodes 1 -o x4
expect_error "shell syntax in the partition" "partition" "$SIZEUP" slurm --nodes 1 -p 'a;b' -o x5
expect_error "--out in the run options" "set by the script" "$SIZEUP" slurm -N 1 -p d -o x6 -- --out y
check "nothing written on bad input" test ! -e x1 -a ! -e x5 -a ! -e x6

# The script itself, with `srun` standing in for Slurm (mpirun on this machine).
if command -v mpirun >/dev/null && "$SIZEUP" list | grep -q '^  mpi_latency'; then
  mkdir -p fakebin
  cat >fakebin/srun <<'EOS'
#!/bin/bash
# srun stand-in: --ntasks=N becomes mpirun -n N; other srun options dropped.
n=1
while [ $# -gt 0 ]; do
  case $1 in
    --ntasks=*) n=${1#--ntasks=}; shift ;;
    --*) shift ;;
    *) break ;;
  esac
done
exec timeout 120 mpirun --allow-run-as-root --oversubscribe -n "$n" "$@"
EOS
  chmod +x fakebin/srun
  "$SIZEUP" slurm -N 1,2 -p debug -o local -- --backend mpi -k mpi_triad_dot -S 96K \
    -b 0.02 --min-reps 3 --max-reps 20 >/dev/null 2>&1
  rc=0
  PATH="$PWD/fakebin:$PATH" OMPI_MCA_mpi_yield_when_idle=1 bash local/sizeup.sbatch \
    >local.log 2>&1 || rc=$?
  check "the script runs to completion (rc=$rc)" test "$rc" -eq 0
  [ "$rc" -eq 0 ] || cat local.log >&2
  a=local/all/summary.csv
  check "gathered summary.csv" test -f "$a"
  check "gathered system.json" test -f local/all/system.json
  check "one header" test "$(grep -c '^schema_version' "$a")" -eq 1
  check "rows of 1 and 2 nodes' steps (ranks 1 and 2)" \
    test "$(awk -F, 'NR > 1 { print $9 }' "$a" | sort -u | paste -sd, -)" = "1,2"
  check "strong and weak rows" test "$(grep -c ',ok,' "$a")" -eq 4
else
  echo "note: no MPI build or no mpirun: the generated script was not run"
fi

finish
