#!/usr/bin/env bash
# CaffeNet deploy batch 10, forward: kaffee time vs PyTorch at its best configuration (target ratio <= 0.5).
source "$(dirname "$0")/common.sh"
out=$("$KAFFEE" time --model="$ROOT/models/deploy/caffenet_deploy.prototxt" --iterations=10 2>&1)
k=$(kaffee_ms "$out" "Average Forward pass:")
line=$(pytorch time caffenet --iterations 10)
p=$(pytorch_figure "$line")
echo "caffenet forward batch 10: kaffee $k ms, pytorch $p ms ($(pytorch_config "$line")), ratio $(ratio "$k" "$p") (target <= 0.5)"
