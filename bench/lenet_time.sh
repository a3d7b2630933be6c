#!/usr/bin/env bash
# LeNet batch 64, forward + backward: kaffee time vs PyTorch at its best configuration (target ratio <= 0.4).
source "$(dirname "$0")/common.sh"
out=$("$KAFFEE" time --model="$ROOT/models/lenet/lenet_time.prototxt" --iterations=50 2>&1)
k=$(kaffee_ms "$out" "Average Forward-Backward:")
line=$(pytorch time lenet --iterations 50)
p=$(pytorch_figure "$line")
echo "lenet forward-backward batch 64: kaffee $k ms, pytorch $p ms ($(pytorch_config "$line")), ratio $(ratio "$k" "$p") (target <= 0.4)"
