#!/usr/bin/env bash
# compute_image_mean over the 60000 Fashion-MNIST training images (target <= 0.3 s + JVM start).
source "$(dirname "$0")/common.sh"
cd "$ROOT"
bash data/get_fashion_mnist.sh >/dev/null
"$KAFFEE" --help >/dev/null  # build first, and warm the file cache
start=$(date +%s.%N)
out=$("$KAFFEE" compute_image_mean data/fashion_mnist_train_lmdb runs/fashion_mnist_mean.binaryproto 2>&1)
total=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
start=$(date +%s.%N); "$KAFFEE" --version >/dev/null
jvm=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
echo "compute_image_mean 60000 images: $total s wall, of which JVM start ~$jvm s ($(grep -o 'mean_value channel \[0\]: [0-9.]*' <<<"$out"); Caffe's mean: 72.94)"
