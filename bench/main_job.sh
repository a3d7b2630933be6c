#!/usr/bin/env bash
# The main job as the README runs it (tools/run_main_job.sh: LeNet on Fashion-MNIST, Caffe's
# recipe, 10000 iterations): its training time and final test accuracy. The target is absolute
# (<= 120 s, the accuracy of docs/performance.md's table for this machine), so no PyTorch run.
source "$(dirname "$0")/common.sh"
out=$(cd "$ROOT" && bash tools/run_main_job.sh 2>&1)
summary=$(grep -E "final test accuracy" <<<"$out" | tail -1)
[[ -n $summary ]] || { echo "main job: failed: $(tail -1 <<<"$out")"; exit 1; }
acc=$(sed -E 's/.*accuracy ([0-9.]+) after.*/\1/' <<<"$summary")
s=$(sed -E 's/.* after ([0-9]+) s.*/\1/' <<<"$summary")
echo "main job (10000 iterations, 21 tests): kaffee $s s, accuracy $acc (target <= 120 s, the same accuracy)"
