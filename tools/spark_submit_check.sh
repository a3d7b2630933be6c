#!/usr/bin/env bash
# Runs the README's spark-submit command line on local[2] (Spark's SparkSubmit class from the
# build's jars stands in for a Spark distribution's spark-submit): 20 LeNet iterations in two
# barrier tasks, then checks the final snapshot was written.
#   bash tools/spark_submit_check.sh [MASTER=local[2]]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
master="${1:-local[2]}"
bash data/get_fashion_mnist.sh >/dev/null
tools/kaffee --help >/dev/null  # builds the jar and copies the libraries when needed
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e 's/^max_iter:.*/max_iter: 20/' -e 's/^test_interval:.*/test_interval: 1000/' -e 's/^snapshot:.*/snapshot: 0/' \
    -e "s#^snapshot_prefix:.*#snapshot_prefix: \"$tmp/lenet\"#" -e 's/^display:.*/display: 10/' \
    solvers/lenet_solver.prototxt > "$tmp/solver.prototxt"
java -cp "cli/target/spark-lib/*:cli/target/lib/*" org.apache.spark.deploy.SparkSubmit --master "$master" \
  --conf spark.ui.enabled=false --class org.kaffee.cli.Main --jars "$(ls cli/target/lib/*.jar | paste -sd,)" \
  cli/target/kaffee-0.1.0.jar train --solver="$tmp/solver.prototxt" --spark-master="$master" --workers=2 \
  2> "$tmp/train.log" || { tail -5 "$tmp/train.log"; exit 1; }
grep -E "Spark tasks finished|Iteration 20, loss" "$tmp/train.log" | sed -E 's/^[^]]*\] //'
test -s "$tmp/lenet_iter_20.caffemodel" && echo "spark-submit: ok, the final snapshot was written"
