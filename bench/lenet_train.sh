#!/usr/bin/env bash
# The main job: LeNet on Fashion-MNIST with tests every 500 iterations, wall time vs PyTorch at its best
# configuration, chosen by a short LeNet timing in the same run (target <= 120 s, same accuracy).
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
# the whole training once per thread configuration would take an hour: a short timing picks one
config=$(pytorch_config "$(pytorch time lenet --iterations 20)")
line=$(pytorch --configs "$config" train-lenet data/fashion-mnist --max-iter "$iters")
p=$(pytorch_figure "$line")
pacc=$(sed -nE 's/.*test accuracy ([0-9.]+).*/\1/p' <<<"$line")
echo "lenet train $iters iterations: kaffee $k s (accuracy $acc), pytorch $p s (accuracy $pacc; $config), ratio $(ratio "$k" "$p") (target: <= 120 s for 10000 iterations)"
