#!/usr/bin/env bash
# JVM start to the first training iteration of LeNet (target <= 1.0 s), against Python's start to
# PyTorch's first LeNet step on the same data in the same run (bench/pytorch_reference.py
# first-step, its fastest thread configuration).
source "$(dirname "$0")/common.sh"
cd "$ROOT"
bash data/get_fashion_mnist.sh >/dev/null
"$KAFFEE" --help >/dev/null
need_torch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e 's/^max_iter:.*/max_iter: 1/' -e 's/^display:.*/display: 1/' -e 's/^test_interval:.*/test_interval: 100000/' \
    -e "s#^snapshot_prefix:.*#snapshot_prefix: \"$tmp/s\"#" solvers/lenet_solver.prototxt > "$tmp/solver.prototxt"
echo "test_initialization: false" >> "$tmp/solver.prototxt"
start=$(date +%s.%N)
"$KAFFEE" train --solver="$tmp/solver.prototxt" 2>&1 | grep -m1 -E "Iteration 0, loss|Iteration 0 \(" >/dev/null
k=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
line=$(pytorch first-step data/fashion-mnist)
p=$(pytorch_figure "$line")
echo "start to first lenet iteration: kaffee $k s, pytorch $p s ($(pytorch_config "$line")), ratio $(ratio "$k" "$p") (target <= 1.0 s)"
