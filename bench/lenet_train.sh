#!/usr/bin/env bash
# The main job: LeNet on Fashion-MNIST with tests every 500 iterations, wall time vs PyTorch (target <= 0.15).
# ITERS=2000 bash bench/lenet_train.sh runs both sides for fewer iterations (same recipe otherwise).
source "$(dirname "$0")/common.sh"
cd "$ROOT"
iters="${ITERS:-10000}"
bash data/get_fashion_mnist.sh >/dev/null
"$KAFFEE" --help >/dev/null  # builds the jar when needed, outside the timing
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e "s/^max_iter:.*/max_iter: $iters/" -e "s#^snapshot_prefix:.*#snapshot_prefix: \"$tmp/lenet\"#" \
    solvers/lenet_solver.prototxt > "$tmp/solver.prototxt"
mkdir -p runs
start=$(date +%s.%N)
"$KAFFEE" train --solver="$tmp/solver.prototxt" 2> runs/bench_lenet_train.log || { tail -3 runs/bench_lenet_train.log; exit 1; }
k=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
acc=$(grep -E "Test net output #[0-9]+: accuracy" runs/bench_lenet_train.log | tail -1 | sed -E 's/.*= //')
line=$(pytorch train-lenet data/fashion-mnist --max-iter "$iters")
p=$(sed -E 's/.*: ([0-9.]+) s.*/\1/' <<<"$line")
echo "lenet train $iters iterations: kaffee $k s (accuracy $acc), pytorch $p s ($line), ratio $(ratio "$k" "$p") (target <= 0.15)"
