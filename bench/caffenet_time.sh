#!/usr/bin/env bash
# CaffeNet deploy batch 10, forward: kaffee time vs PyTorch (target ratio <= 0.2).
source "$(dirname "$0")/common.sh"
out=$("$KAFFEE" time --model="$ROOT/models/deploy/caffenet_deploy.prototxt" --iterations=10 2>&1)
k=$(kaffee_ms "$out" "Average Forward pass:")
p=$(pytorch time caffenet --iterations 10 | awk '{print $(NF-1)}')
echo "caffenet forward batch 10: kaffee $k ms, pytorch $p ms, ratio $(ratio "$k" "$p") (target <= 0.2)"
