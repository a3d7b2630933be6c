#!/usr/bin/env bash
# The LeNet recipe under several random seeds: the final test accuracy of each run, to compare
# the spread with Caffe's (0.8952-0.8977 over three runs of the same recipe).
#   bash bench/lenet_seeds.sh [SEED ...]     (default: 1 2 3 4 5)
source "$(dirname "$0")/common.sh"
cd "$ROOT"
seeds=("$@")
[[ ${#seeds[@]} -gt 0 ]] || seeds=(1 2 3 4 5)
bash data/get_fashion_mnist.sh >/dev/null
"$KAFFEE" --help >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p runs
for seed in "${seeds[@]}"; do
  sed -e "s/^random_seed:.*/random_seed: $seed/" -e "s#^snapshot_prefix:.*#snapshot_prefix: \"$tmp/lenet\"#" \
      -e "s/^snapshot:.*/snapshot: 0/" solvers/lenet_solver.prototxt > "$tmp/solver.prototxt"
  log="runs/bench_lenet_seed_$seed.log"
  "$KAFFEE" train --solver="$tmp/solver.prototxt" 2> "$log" || { tail -3 "$log"; exit 1; }
  accs=$(grep -E "Test net output #[0-9]+: accuracy" "$log" | sed -E 's/.*= //')
  echo "seed $seed: final accuracy $(tail -1 <<<"$accs"), mean of the last 5 tests" \
       "$(tail -5 <<<"$accs" | awk '{ s += $1 } END { printf "%.4f", s / NR }')"
done
