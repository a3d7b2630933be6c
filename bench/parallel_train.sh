#!/usr/bin/env bash
# Data-parallel LeNet training: iterations/s of one process against --workers=N at the same
# global batch (64 = 64 x 1 = 32 x 2), and the gradient all-reduce time per iteration.
# Rows: one process, --workers threads, Spark local[N], and a standalone cluster of two one-core
# workers on 127.0.0.1 (tools/spark_cluster.sh, started and stopped here).
# ITERS=300 bash bench/parallel_train.sh shortens it; WORKERS=2 by default. Each row is one
# `run NAME WORKERS PER_WORKER_BATCH [extra train flags]` call: add rows (other transports) there.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
iters="${ITERS:-1000}"
workers="${WORKERS:-2}"
bash data/get_fashion_mnist.sh >/dev/null
"$KAFFEE" --help >/dev/null  # builds the jar when needed, outside the timing
tmp=$(mktemp -d)
trap 'bash tools/spark_cluster.sh stop "$tmp/cluster" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p runs

# run NAME WORKERS BATCH [FLAGS...]: trains LeNet without tests or snapshots, prints one row.
run() {
  local name="$1" n="$2" batch="$3"
  shift 3
  sed -e "s/batch_size: 64/batch_size: $batch/" models/lenet/lenet_train_test.prototxt > "$tmp/net_$name.prototxt"
  sed -e "s/^max_iter:.*/max_iter: $iters/" -e "s/^test_interval:.*/test_interval: 1000000/" \
      -e "s/^snapshot:.*/snapshot: 0/" -e "s/^display:.*/display: 20/" -e "s#^net:.*#net: \"$tmp/net_$name.prototxt\"#" \
      -e "s#^snapshot_prefix:.*#snapshot_prefix: \"$tmp/lenet\"\nsnapshot_after_train: false\ntest_initialization: false#" \
      solvers/lenet_solver.prototxt > "$tmp/solver_$name.prototxt"
  local log="runs/bench_parallel_$name.log" start end
  start=$(date +%s.%N)
  if [[ "$n" == 1 ]]; then
    "$KAFFEE" train --solver="$tmp/solver_$name.prototxt" "$@" 2> "$log" || { tail -3 "$log"; exit 1; }
  else
    "$KAFFEE" train --solver="$tmp/solver_$name.prototxt" --workers="$n" "$@" 2> "$log" || { tail -3 "$log"; exit 1; }
  fi
  end=$(date +%s.%N)
  # on a cluster, rank 0's display lines are in its executor's stderr
  if [[ -n "${EXECUTOR_LOGS:-}" ]]; then cat $EXECUTOR_LOGS >> "$log" 2>/dev/null || true; fi
  # iterations/s between the first and the last display line (start-up excluded)
  local rate allreduce loss
  rate=$(grep -E "\] Iteration [0-9]+ \(" "$log" | sed -E 's/^I[0-9]+ ([0-9:.]+) .*Iteration ([0-9]+) .*/\1 \2/' \
    | awk 'NR == 1 { split($1, t, ":"); s = t[1] * 3600 + t[2] * 60 + t[3]; i = $2 }
           { split($1, t, ":"); e = t[1] * 3600 + t[2] * 60 + t[3]; j = $2 }
           END { if (j > i) printf "%.1f", (j - i) / (e - s); else print "n/a" }')
  allreduce=$(grep -E "Gradient all-reduce over" "$log" | sed -E 's/.*: ([0-9.]+) ms per iteration/\1/' | tail -1 || true)
  loss=$(grep -E "\] Iteration [0-9]+, loss = " "$log" | tail -1 | sed -E 's/.*= //')
  printf "%-22s workers %d x batch %-3d  %6s it/s  all-reduce %6s ms/it  wall %5.1f s  final loss %s\n" \
    "$name" "$n" "$batch" "$rate" "${allreduce:--}" "$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')" "$loss"
  eval "rate_$name=$rate"
}

echo "LeNet, $iters iterations, global batch 64 (machine: $(nproc) cores, OMP_NUM_THREADS=$OMP_NUM_THREADS)"
run single 1 64
run threads "$workers" $((64 / workers))
# the replicas' ND4J ops on one OpenMP thread each (the replicas already fill the cores)
OMP_NUM_THREADS=1 run threads_omp1 "$workers" $((64 / workers))
echo "ratio threads/single it/s: $(ratio "$rate_threads" "$rate_single"), with OMP_NUM_THREADS=1: $(ratio "$rate_threads_omp1" "$rate_single")"
run spark_local "$workers" $((64 / workers)) --spark-master="local[$workers]"
cluster="$tmp/cluster"
url=$(bash tools/spark_cluster.sh start "$cluster")
EXECUTOR_LOGS="$cluster/work*/app-*/*/stderr" run spark_cluster 2 32 --spark-master="$url"
bash tools/spark_cluster.sh stop "$cluster"
echo "ratio to single it/s: Spark local $(ratio "$rate_spark_local" "$rate_single"), standalone cluster $(ratio "$rate_spark_cluster" "$rate_single")"
