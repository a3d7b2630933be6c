#!/usr/bin/env bash
# The README's example results: trains the named examples on Fashion-MNIST and prints the final
# test figure and the wall time of each.
#   bash bench/examples.sh [mlp] [finetune] [siamese]     (default: all three)
# finetune starts from runs/lenet/lenet_iter_10000.caffemodel and trains LeNet first when it is missing.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
names=("$@")
[[ ${#names[@]} -gt 0 ]] || names=(mlp finetune siamese)
bash data/get_fashion_mnist.sh >/dev/null
"$KAFFEE" --help >/dev/null
mkdir -p runs
fold3=0,2,0,0,0,1,0,1,2,1

convert_once() {  # convert_once COMMAND SPLIT DB [FLAGS]
  [[ -d "$3" ]] && return
  "$KAFFEE" "$1" "data/fashion-mnist/$2-images-idx3-ubyte.gz" "data/fashion-mnist/$2-labels-idx1-ubyte.gz" \
    "$3" "${@:4}" 2>/dev/null
}

# train NAME OUTPUT_NAME SOLVER [FLAGS]: prints the last test value of OUTPUT_NAME and the wall time
train() {
  local log="runs/bench_example_$1.log" start
  start=$(date +%s.%N)
  "$KAFFEE" train --solver="$3" "${@:4}" 2> "$log" || { tail -3 "$log"; exit 1; }
  local secs value
  secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }')
  value=$(grep -E "Test net output #[0-9]+: $2 = " "$log" | tail -1 | sed -E 's/.*= //')
  echo "$1: final test $2 $value, $secs s wall"
}

for name in "${names[@]}"; do
  case "$name" in
    mlp) train mlp accuracy solvers/mlp_adam_solver.prototxt ;;
    finetune)
      convert_once convert_mnist_data train data/fashion_mnist_fold3_train_lmdb --label_map=$fold3
      convert_once convert_mnist_data t10k data/fashion_mnist_fold3_test_lmdb --label_map=$fold3
      weights=runs/lenet/lenet_iter_10000.caffemodel
      [[ -s $weights ]] || { mkdir -p runs/lenet; "$KAFFEE" train --solver=solvers/lenet_solver.prototxt 2> runs/bench_example_lenet.log; }
      train "finetune from LeNet" accuracy solvers/finetune_solver.prototxt --weights=$weights
      train "finetune from scratch" accuracy solvers/finetune_solver.prototxt ;;
    siamese)
      convert_once convert_mnist_siamese_data train data/fashion_mnist_siamese_train_lmdb
      convert_once convert_mnist_siamese_data t10k data/fashion_mnist_siamese_test_lmdb
      train siamese accuracy solvers/siamese_solver.prototxt ;;
    *) echo "examples.sh: unknown example $name (mlp, finetune, siamese)" >&2; exit 1 ;;
  esac
done
