#!/usr/bin/env bash
# JVM start to the first training iteration of LeNet (target <= 1.5 s).
source "$(dirname "$0")/common.sh"
cd "$ROOT"
bash data/get_fashion_mnist.sh >/dev/null
"$KAFFEE" --help >/dev/null
tmp=$(mktemp -d)
sed -e 's/^max_iter:.*/max_iter: 1/' -e 's/^display:.*/display: 1/' -e 's/^test_interval:.*/test_interval: 100000/' \
    -e "s#^snapshot_prefix:.*#snapshot_prefix: \"$tmp/s\"#" solvers/lenet_solver.prototxt > "$tmp/solver.prototxt"
echo "test_initialization: false" >> "$tmp/solver.prototxt"
start=$(date +%s.%N)
"$KAFFEE" train --solver="$tmp/solver.prototxt" 2>&1 | grep -m1 -E "Iteration 0, loss|Iteration 0 \(" >/dev/null
t=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
rm -rf "$tmp"
echo "JVM start to first LeNet iteration: $t s (target <= 1.5 s)"
