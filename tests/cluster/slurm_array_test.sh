#!/usr/bin/env bash
# A Slurm job array renders a figure set shard by shard, and together the shards write the
# same PNG bytes as a single foci batch run. Starts a private single-node Slurm (munge,
# slurmctld, slurmd) on loopback and stops it at the end. Usage:
#   slurm_array_test.sh REPO_ROOT FOCI_BINARY
set -euo pipefail
root=${1:?repository root}
foci=${2:?foci binary}
for tool in munged slurmctld slurmd sbatch sinfo; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is not installed (apt-get install slurm-wlm munge)"
    exit 77
  fi
done
work=$(mktemp -d /tmp/foci-slurm-XXXXXX)
chmod 755 "$work"
cleanup() {
  for pidfile in "$work"/slurmd.pid "$work"/slurmctld.pid "$work"/munged.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT

# munge, on a private socket with its own key.
mkdir -p "$work/munge"
chown munge:munge "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1 count=1024 status=none
chown munge:munge "$work/munge/munge.key"
chmod 400 "$work/munge/munge.key"
chmod 700 "$work/munge"
runuser -u munge -- munged --force --key-file="$work/munge/munge.key" \
  --socket="$work/munge/munge.socket" --pid-file="$work/munge/munged.pid" \
  --log-file="$work/munge/munged.log" --seed-file="$work/munge/munged.seed"
cp "$work/munge/munged.pid" "$work/munged.pid" 2>/dev/null || true
chmod 755 "$work/munge"

host=$(hostname)
port=$((20000 + RANDOM % 20000))
mkdir -p "$work/state" "$work/spool"
cat > "$work/slurm.conf" <<CONF
ClusterName=foci-test
SlurmctldHost=${host}(127.0.0.1)
SlurmctldPort=${port}
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=${host} NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=${host} Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 1 60); do
  if sinfo -h -o %t 2>/dev/null | grep -q -E "idle|mix|alloc"; then break; fi
  sleep 0.5
done
sinfo -h -o %t | grep -q -E "idle|mix|alloc" || { echo "FAIL: the Slurm node did not come up"; cat "$work"/*.log; exit 1; }

# A small figure set: four one-view figures of the example findings.
mkdir -p "$work/data"
cp "$root/findings/examples/minimal.json" "$work/data/"
figures=""
for view in left dorsal right posterior; do
  figures="$figures${figures:+,}{\"name\": \"fig-$view\", \"size\": \"200x150\", \"views\": [\"$view\"], \"panels\": [{\"title\": \"all\"}]}"
done
echo "{\"foci_figures\": 1, \"findings\": [\"minimal.json\"], \"atlases\": [\"aal\"], \"figures\": [$figures]}" \
  > "$work/data/figures.json"
chmod -R a+rwX "$work/data"

"$foci" batch "$work/data/figures.json" --out "$work/single" --jobs 1 --quiet >/dev/null
(cd "$root" && FOCI="$foci" sbatch --wait --array=0-3 --output="$work/array-%a.log" \
  pipeline/setup/slurm-array.sh "$work/data/figures.json" "$work/array") >/dev/null
for view in left dorsal right posterior; do
  cmp "$work/single/fig-$view.png" "$work/array/fig-$view.png" \
    || { echo "FAIL: fig-$view.png differs between the array and a single run"; cat "$work"/array-*.log; exit 1; }
done
ls "$work/array"/manifest.shard-*-of-4.json >/dev/null
echo "PASS: a 4-task Slurm array wrote the same 4 PNGs as a single run"
