#!/usr/bin/env bash
# The speed table, one line per figure, each with its ratio to PyTorch at its fastest thread
# configuration measured in the same run, the load average at that moment and the machine's
# fingerprint hash (bench/fingerprint.sh, printed in full first): first on the machine as it is (run it when the machine
# is otherwise idle), then again with one core kept busy by a CPU hog (`yes`) that this script
# starts and stops itself. The training row runs ITERS iterations (default 1000, with a test
# every 500 on both sides; ITERS=10000 is the whole main job, about 25 minutes with PyTorch).
#   bash bench/run_all.sh
#   EXTRA="compute_mean classify" bash bench/run_all.sh    (the other benchmarks, idle only)
source "$(dirname "$0")/common.sh"
cd "$ROOT"
export ITERS="${ITERS:-1000}"
hog=
trap '[[ -n $hog ]] && kill "$hog" 2>/dev/null' EXIT
"$KAFFEE" --help >/dev/null  # builds the jar when needed, outside every timing
need_torch
bash bench/fingerprint.sh
fingerprint=$(bash bench/fingerprint.sh --hash)
export BENCH_FINGERPRINT_SHOWN=1

load() {
  cut -d' ' -f1 /proc/loadavg
}

# figure CONDITION SCRIPT: runs one benchmark and prints its last line with the condition and load.
figure() {
  local out
  out=$(bash "bench/$2.sh" 2>&1 | tail -1) || out="$2: failed ($out)"
  echo "[$1, load $(load), machine $fingerprint] $out"
  last="$out"
}

# every figure of the table under one condition; remembers LeNet's time for the busy/idle factor
table() {
  figure "$1" lenet_time
  lenet_ms=$(sed -nE 's/.*kaffee ([0-9.]+) ms.*/\1/p' <<<"$last")
  figure "$1" lenet_train
  figure "$1" googlenet_time
  figure "$1" caffenet_time
  figure "$1" caffenet_train_step
  figure "$1" startup
  figure "$1" lenet_memory
}

table idle
idle_ms=$lenet_ms
for extra in ${EXTRA:-}; do
  figure idle "$extra"
done
yes >/dev/null &
hog=$!
sleep 1
table "one core busy"
kill "$hog"
hog=
if [[ -n $idle_ms && -n $lenet_ms ]]; then
  echo "[machine $fingerprint] lenet forward-backward, one core busy / idle: $(ratio "$lenet_ms" "$idle_ms")"
fi
