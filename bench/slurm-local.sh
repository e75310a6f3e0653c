#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# slurm-local.sh: brings up a one-node Slurm cluster on 127.0.0.1 (munge,
# slurmctld, slurmd; no systemd), submits a node-scaling job written by
# `sizeup slurm`, waits for it and checks that its results were gathered.
# Everything lives in one temporary directory; the daemons are stopped by
# their PID files on exit.  Installs nothing: it needs (Debian package names)
#   slurmctld slurmd slurm-client munge   (apt-get install --no-install-recommends)
# and a sizeup built with MPI (Open MPI with PMIx: libopenmpi-dev).
# Must run as root (SlurmUser=root, munged as the munge user).
#
# usage: bench/slurm-local.sh [path/to/sizeup] [work dir]
set -u
SIZEUP=${1:-$(command -v sizeup || echo build/sizeup)}
WORK=${2:-$(mktemp -d /tmp/sizeup-slurm.XXXXXX)}
SIZEUP=$(readlink -f "$SIZEUP")

missing=
for tool in slurmctld slurmd sbatch squeue munged; do
  command -v "$tool" >/dev/null || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "slurm-local: missing:$missing" >&2
  echo "install: apt-get install --no-install-recommends slurmctld slurmd slurm-client munge" >&2
  exit 77
fi
[ "$(id -u)" -eq 0 ] || { echo "slurm-local: run as root" >&2; exit 77; }
[ -x "$SIZEUP" ] || { echo "slurm-local: no sizeup binary at '$SIZEUP'" >&2; exit 2; }
"$SIZEUP" list | grep -q '^  mpi_latency' || { echo "slurm-local: sizeup has no MPI" >&2; exit 77; }

mkdir -p "$WORK"/{spool,state,log}
CONF=$WORK/slurm.conf
cleanup() {
  for pid in "$WORK"/slurmd.pid "$WORK"/slurmctld.pid "$WORK"/munged.pid; do
    [ -s "$pid" ] && kill "$(cat "$pid")" 2>/dev/null
  done
}
trap cleanup EXIT

# munge: a key, a socket directory, the daemon as the munge user.
mkdir -p /run/munge "$WORK/munge"
chown munge:munge /run/munge "$WORK/munge"
[ -s /etc/munge/munge.key ] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null
  chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
su -s /bin/sh munge -c "munged --pid-file=$WORK/munge/munged.pid" || { echo "slurm-local: munged failed" >&2; exit 1; }
cp "$WORK/munge/munged.pid" "$WORK/munged.pid"

NODE_LINE=$(slurmd -C | head -1)   # NodeName=... CPUs=... (this machine)
NODE=$(echo "$NODE_LINE" | sed 's/^NodeName=\([^ ]*\).*/\1/')
cat >"$CONF" <<CONF
ClusterName=sizeup-local
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=pmix
SchedulerParameters=batch_sched_delay=0
MailProg=/bin/true
ReturnToService=2
$NODE_LINE NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=local Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$CONF
slurmctld -f "$CONF" || { echo "slurm-local: slurmctld failed" >&2; exit 1; }
slurmd -f "$CONF" || { echo "slurm-local: slurmd failed" >&2; exit 1; }
for _ in $(seq 1 50); do
  sinfo -h -o %T 2>/dev/null | grep -q idle && break
  sleep 0.2
done

# One node here: the sweep is over 1 node with 2 ranks (oversubscription
# is not possible under Slurm: more tasks than CPUs queue forever).
cd "$WORK"
"$SIZEUP" slurm -N 1 -p local --ntasks-per-node 2 --time 00:05:00 -o "$WORK/sweep" \
  -- --backend mpi -k mpi_latency,mpi_allreduce,mpi_triad_dot -S 8,96K -b 0.05 \
  --min-reps 3 --max-reps 30 || exit 1
export OMPI_MCA_mpi_yield_when_idle=1
rc=0
timeout 300 sbatch --wait "$WORK/sweep/sizeup.sbatch" || rc=$?
cat "$WORK"/sweep/slurm-*.out 2>/dev/null
ok=1
[ "$rc" -eq 0 ] || { echo "slurm-local: the job failed (rc=$rc)" >&2; ok=0; }
[ -s "$WORK/sweep/all/summary.csv" ] || { echo "slurm-local: no gathered summary.csv" >&2; ok=0; }
[ -s "$WORK/sweep/all/system.json" ] || { echo "slurm-local: no gathered system.json" >&2; ok=0; }
if [ "$ok" -eq 1 ]; then
  rows=$(($(wc -l <"$WORK/sweep/all/summary.csv") - 1))
  echo "slurm-local: job completed, $rows rows gathered in $WORK/sweep/all"
  exit 0
fi
tail -20 "$WORK"/log/*.log >&2
exit 1
