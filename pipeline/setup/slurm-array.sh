#!/usr/bin/env bash
# Renders a figure set as a Slurm job array: each task renders one deterministic shard, and
# together they write what a single `foci batch` run would. Submit from the repository root:
#   sbatch --array=0-3 pipeline/setup/slurm-array.sh findings/mect/figures.json output/mect
# ($FOCI names the foci executable; default build/release/foci.)
#SBATCH --job-name=foci-batch
#SBATCH --cpus-per-task=1
#SBATCH --output=foci-batch-%A_%a.log
set -euo pipefail
spec=${1:?usage: sbatch --array=0-N slurm-array.sh SPEC OUT}
out=${2:?usage: sbatch --array=0-N slurm-array.sh SPEC OUT}
exec "${FOCI:-build/release/foci}" batch "$spec" --out "$out" --jobs 1 --quiet \
  --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}"
