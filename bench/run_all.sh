#!/usr/bin/env bash
# Every benchmark figure, one line each, with its ratio to PyTorch measured in the same run.
set -uo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
for b in lenet_time caffenet_time googlenet_time compute_mean startup classify lenet_train; do
  bash "$dir/$b.sh" || echo "$b: failed"
done
