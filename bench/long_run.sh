#!/usr/bin/env bash
# A long LeNet run on Fashion-MNIST: resident memory (VmRSS), iterations per second and CPU
# time per iteration sampled every EVERY iterations, to show none of them grows (no leak, no
# slowdown). On a shared machine iter/s follows the other load (load1 is printed beside it);
# the JVM's CPU milliseconds per iteration (all its threads, from /proc) do not, so a slowdown
# of Kaffee itself shows there.
# A test pass runs every 1000 iterations whatever EVERY is, so with EVERY below 1000 the
# intervals holding a test take more CPU than the others.
#   bash bench/long_run.sh                   # 20 000 iterations, a sample and a test every 1000
#   ITERS=5000 EVERY=250 bash bench/long_run.sh
source "$(dirname "$0")/common.sh"
cd "$ROOT"
ITERS=${ITERS:-20000}
EVERY=${EVERY:-1000}
bash data/get_fashion_mnist.sh >/dev/null
"$KAFFEE" --help >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [[ -n ${pid:-} ]] && kill "$pid" 2>/dev/null || true' EXIT
sed -e "s/^max_iter:.*/max_iter: $ITERS/" -e "s/^display:.*/display: $EVERY/" \
    -e "s/^test_interval:.*/test_interval: 1000/" -e "s/^snapshot:.*/snapshot: 5000/" \
    -e "s#^snapshot_prefix:.*#snapshot_prefix: \"$tmp/lenet\"#" \
    solvers/lenet_solver.prototxt > "$tmp/solver.prototxt"
mkdir -p runs
log=runs/bench_long_run.log
# a copy of the jars, so that rebuilding during the run does not replace the classes it loads
cp -r cli/target/kaffee-0.1.0.jar cli/target/lib "$tmp/"
KAFFEE_APP_CLASSPATH="$tmp/kaffee-0.1.0.jar:$tmp/lib/*" "$KAFFEE" train \
  --solver="$tmp/solver.prototxt" 2> "$log" &
pid=$!
tick=$(getconf CLK_TCK)
# user + system CPU ticks of every thread of the process so far (fields 14 and 15 of stat,
# counted after the parenthesised command name, which may hold spaces)
cpu_ticks() { sed -E 's/.*\) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }'; }
# the launcher execs java, so $pid is the JVM: sample it whenever a display line appears
echo "iteration  rss_mb  iter_per_s  cpu_ms_per_iter  load1  loss"
seen=-1
last_ticks=
while kill -0 "$pid" 2>/dev/null; do
  line=$(grep -E "Iteration [0-9]+ \(.*iter/s" "$log" | tail -1 || true)
  it=$(sed -E 's/.*Iteration ([0-9]+) .*/\1/' <<<"$line")
  if [[ -n "$line" && "$it" != "$seen" ]]; then
    rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo "?")
    ticks=$(cpu_ticks 2>/dev/null || echo "")
    cpu="-"
    if [[ -n "$last_ticks" && -n "$ticks" ]]; then
      cpu=$(awk -v t="$ticks" -v l="$last_ticks" -v n="$((it - seen))" -v hz="$tick" \
        'BEGIN { printf "%.1f", (t - l) * 1000 / hz / n }')
    fi
    speed=$(sed -E 's/.*\(([0-9.eE+-]+) iter\/s.*/\1/' <<<"$line")
    loss=$(sed -E 's/.*loss = ([0-9.eE+-]+).*/\1/' <<<"$line")
    load=$(cut -d' ' -f1 /proc/loadavg)
    printf '%9s  %6s  %10s  %15s  %5s  %s\n' "$it" "$rss" "$speed" "$cpu" "$load" "$loss"
    seen=$it
    last_ticks=$ticks
  fi
  sleep 0.2
done
wait "$pid" || { tail -3 "$log"; exit 1; }
pid=
echo "final test accuracy $(grep -E 'Test net output #[0-9]+: accuracy' "$log" | tail -1 | sed -E 's/.*= //')"
