#!/usr/bin/env bash
# A long LeNet run on Fashion-MNIST: resident memory (VmRSS) and iterations per second sampled
# every 1000 iterations, to show neither grows nor slows (no leak, no slowdown).
#   bash bench/long_run.sh            # 20 000 iterations, a test every 1000
#   ITERS=5000 bash bench/long_run.sh
source "$(dirname "$0")/common.sh"
cd "$ROOT"
ITERS=${ITERS:-20000}
bash data/get_fashion_mnist.sh >/dev/null
"$KAFFEE" --help >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [[ -n ${pid:-} ]] && kill "$pid" 2>/dev/null || true' EXIT
sed -e "s/^max_iter:.*/max_iter: $ITERS/" -e "s/^display:.*/display: 1000/" \
    -e "s/^test_interval:.*/test_interval: 1000/" -e "s/^snapshot:.*/snapshot: 5000/" \
    -e "s#^snapshot_prefix:.*#snapshot_prefix: \"$tmp/lenet\"#" \
    solvers/lenet_solver.prototxt > "$tmp/solver.prototxt"
mkdir -p runs
log=runs/bench_long_run.log
"$KAFFEE" train --solver="$tmp/solver.prototxt" 2> "$log" &
pid=$!
# the launcher execs java, so $pid is the JVM: sample its VmRSS whenever a display line appears
echo "iteration  rss_mb  iter_per_s  loss"
seen=-1
while kill -0 "$pid" 2>/dev/null; do
  line=$(grep -E "Iteration [0-9]+ \(.*iter/s" "$log" | tail -1 || true)
  it=$(sed -E 's/.*Iteration ([0-9]+) .*/\1/' <<<"$line")
  if [[ -n "$line" && "$it" != "$seen" ]]; then
    rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo "?")
    speed=$(sed -E 's/.*\(([0-9.eE+-]+) iter\/s.*/\1/' <<<"$line")
    loss=$(sed -E 's/.*loss = ([0-9.eE+-]+).*/\1/' <<<"$line")
    printf '%9s  %6s  %10s  %s\n' "$it" "$rss" "$speed" "$loss"
    seen=$it
  fi
  sleep 0.2
done
wait "$pid" || { tail -3 "$log"; exit 1; }
pid=
echo "final test accuracy $(grep -E 'Test net output #[0-9]+: accuracy' "$log" | tail -1 | sed -E 's/.*= //')"
