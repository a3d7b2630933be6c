#!/usr/bin/env bash
# The main job, from a fresh clone: build Kaffee, fetch and convert Fashion-MNIST, compute
# the mean image, train LeNet, and report the test accuracy, the weights and the curves.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n==> %s\n' "$*" >&2; }

if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  step "Installing Java 17 and Maven (Debian packages)"
  apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless maven
fi

step "Building Kaffee"
mvn -B -q -DskipTests package

step "Fetching and converting Fashion-MNIST"
bash data/get_fashion_mnist.sh

step "Computing the mean image of the training set"
tools/kaffee compute_image_mean data/fashion_mnist_train_lmdb data/fashion_mnist_mean.binaryproto

step "Training LeNet (solvers/lenet_solver.prototxt: 10000 iterations, a test every 500)"
mkdir -p runs/lenet
log=runs/lenet/train.log
start=$(date +%s)
tools/kaffee train --solver=solvers/lenet_solver.prototxt 2>&1 | tee "$log" \
  | grep --line-buffered -E "Testing net|Test net output|Iteration [0-9]+ \(|ETA|Snapshotting to|Optimization Done" >&2
seconds=$(( $(date +%s) - start ))

step "Drawing the training curves"
tools/kaffee plot_training_log "$log" runs/lenet/training_curve.png --y accuracy

accuracy=$(grep -E "Test net output #[0-9]+: accuracy" "$log" | tail -1 | sed -E 's/.*accuracy = ([0-9.]+).*/\1/')
weights=$(grep -E "Snapshotting to binary proto file" "$log" | tail -1 | sed -E 's/.*file //')
printf '\nLeNet on Fashion-MNIST: final test accuracy %s after %s s\n' "$accuracy" "$seconds"
printf 'Weights: %s\nTraining log: %s\nTraining curve: %s\n' "$weights" "$log" runs/lenet/training_curve.png
