#!/usr/bin/env bash
# LeNet batch 64, forward + backward: kaffee time vs PyTorch (target ratio <= 0.25).
source "$(dirname "$0")/common.sh"
out=$("$KAFFEE" time --model="$ROOT/models/lenet/lenet_time.prototxt" --iterations=50 2>&1)
k=$(kaffee_ms "$out" "Average Forward-Backward:")
p=$(pytorch time lenet --iterations 50 | awk '{print $(NF-1)}')
echo "lenet forward-backward batch 64: kaffee $k ms, pytorch $p ms, ratio $(ratio "$k" "$p") (target <= 0.25)"
