#!/usr/bin/env bash
# A Spark standalone cluster on 127.0.0.1 for tests and benchmarks: one master and two worker
# JVMs (one core each) started from the jars Maven copies to cli/target/spark-lib and cli/target/lib
# (no Spark distribution needed).
#   tools/spark_cluster.sh start [STATE_DIR]   prints the master URL once both workers registered
#   tools/spark_cluster.sh stop  [STATE_DIR]   stops the JVMs this script started there
# Start waits at most SPARK_CLUSTER_TIMEOUT seconds (default 120) and stops what it began on failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmd="${1:-}"
state="${2:-$root/cli/target/spark-cluster}"
timeout="${SPARK_CLUSTER_TIMEOUT:-120}"

stop() {
  for pidfile in "$state"/*.pid; do
    [[ -f "$pidfile" ]] || continue
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

start() {
  if [[ ! -d "$root/cli/target/spark-lib" || ! -d "$root/cli/target/lib" ]]; then
    (cd "$root" && mvn -B -q -DskipTests package >&2)
  fi
  stop
  # the workers launch executors with SPARK_HOME/jars: Spark's jars and Kaffee's libraries
  rm -rf "$state/home"
  mkdir -p "$state/home/jars"
  ln -sf "$root"/cli/target/spark-lib/*.jar "$root"/cli/target/lib/*.jar "$state/home/jars/"
  export SPARK_HOME="$state/home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
  # one core per worker: ND4J in each executor must not fight the other for both cores
  export OMP_NUM_THREADS=1
  local cp="$state/home/jars/*" url="" deadline=$((SECONDS + timeout))
  # port 0: the master takes a free port and says which in its log
  java -Xmx512m -cp "$cp" -Dspark.ui.enabled=false org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port 0 --webui-port 0 >"$state/master.log" 2>&1 &
  echo $! >"$state/master.pid"
  until url="$(grep -oE 'spark://127\.0\.0\.1:[0-9]+' "$state/master.log" 2>/dev/null | head -1)" && [[ -n "$url" ]]; do
    if ((SECONDS >= deadline)); then
      echo "spark_cluster: the master did not start within ${timeout}s (log in $state)" >&2
      stop
      exit 1
    fi
    sleep 0.2
  done
  for w in 1 2; do
    mkdir -p "$state/work$w"
    java -Xmx512m -cp "$cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 \
      --memory 3g --webui-port 0 --work-dir "$state/work$w" "$url" >"$state/worker$w.log" 2>&1 &
    echo $! >"$state/worker$w.pid"
  done
  until [[ "$(grep -c "Registering worker" "$state/master.log" 2>/dev/null)" -ge 2 ]]; do
    if ((SECONDS >= deadline)); then
      echo "spark_cluster: the workers did not register within ${timeout}s (logs in $state)" >&2
      stop
      exit 1
    fi
    sleep 0.5
  done
  echo "$url" >"$state/master-url"
  echo "$url"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop [STATE_DIR]" >&2; exit 2 ;;
esac
