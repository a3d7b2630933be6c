#!/usr/bin/env bash
# The main job: LeNet on Fashion-MNIST, 10000 iterations with tests, wall time vs PyTorch (target <= 0.35).
source "$(dirname "$0")/common.sh"
cd "$ROOT"
bash data/get_fashion_mnist.sh >/dev/null
start=$(date +%s.%N)
"$KAFFEE" train --solver=solvers/lenet_solver.prototxt 2> runs/bench_lenet_train.log || { tail -3 runs/bench_lenet_train.log; exit 1; }
k=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
acc=$(grep -E "Test net output #[0-9]+: accuracy" runs/bench_lenet_train.log | tail -1 | sed -E 's/.*= //')
line=$(pytorch train-lenet data/fashion-mnist)
p=$(sed -E 's/.*: ([0-9.]+) s.*/\1/' <<<"$line")
echo "lenet train 10000 iterations: kaffee $k s (accuracy $acc), pytorch $p s ($line), ratio $(ratio "$k" "$p") (target <= 0.35)"
