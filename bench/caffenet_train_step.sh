#!/usr/bin/env bash
# A CaffeNet training step, batch 32 (forward, backward and the SGD update with momentum and
# weight decay): `kaffee train` on the deploy net with DummyData and SoftmaxWithLoss in place of
# its input and softmax, timed between its per-iteration log lines from the second iteration on,
# against PyTorch at its best configuration in the same run (target ratio <= 0.6).
#   ITERS_STEP=5 bash bench/caffenet_train_step.sh (the default)
source "$(dirname "$0")/common.sh"
cd "$ROOT"
iters="${ITERS_STEP:-5}"
"$KAFFEE" --help >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e 's#^layer { name: "data" type: "Input".*#layer { name: "data" type: "DummyData" top: "data" top: "label" dummy_data_param { shape { dim: 32 dim: 3 dim: 227 dim: 227 } shape { dim: 32 } data_filler { type: "gaussian" std: 1 } data_filler { type: "uniform" min: 0 max: 999 } } }#' \
    -e 's#^layer { name: "prob" type: "Softmax".*#layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc8" bottom: "label" top: "loss" }#' \
    models/deploy/caffenet_deploy.prototxt > "$tmp/train.prototxt"
cat > "$tmp/solver.prototxt" <<SOLVER
net: "$tmp/train.prototxt"
base_lr: 0.001
momentum: 0.9
weight_decay: 0.0005
lr_policy: "fixed"
display: 1
max_iter: $((iters + 1))
snapshot_after_train: false
random_seed: 1
SOLVER
"$KAFFEE" train --solver="$tmp/solver.prototxt" 2> "$tmp/log" || { tail -3 "$tmp/log"; exit 1; }
# glog's time of day on the "Iteration k, loss" lines; the first step (k = 0 to 1) is the warm-up
k=$(grep -E "Iteration [0-9]+ (\(.*\))?, loss = " "$tmp/log" | awk '{ split($2, t, ":"); s = t[1] * 3600 + t[2] * 60 + t[3]
      if (NR == 2) first = s; last = s; n = NR } END { printf "%.1f", (last - first) * 1000 / (n - 2) }')
line=$(pytorch train-step-caffenet --iterations "$iters")
p=$(pytorch_figure "$line")
echo "caffenet train step batch 32: kaffee $k ms, pytorch $p ms ($(pytorch_config "$line")), ratio $(ratio "$k" "$p") (target <= 0.6)"
