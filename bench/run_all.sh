#!/usr/bin/env bash
# The speed table, one line per figure, each with its ratio to PyTorch at its fastest thread
# configuration measured in the same run, the load average at that moment and the machine's
# fingerprint hash (bench/fingerprint.sh, printed in full first): first on the machine as it is (run it when the machine
# is otherwise idle), then again with one core kept busy by a CPU hog (`yes`) that this script
# starts and stops itself. The timing rows come cold and warm (bench/common.sh's time_pair); the
# training row runs ITERS iterations (default 1000, with a test every 500 on both sides); the main
# job's row (idle only: its target is the idle machine's wall time) runs tools/run_main_job.sh.
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

# figure CONDITION SCRIPT: runs one benchmark and prints its figure lines with the condition and load.
figure() {
  local out lines
  if ! out=$(bash "bench/$2.sh" 2>&1); then
    echo "[$1, load $(load), machine $fingerprint] $2: failed ($(tail -1 <<<"$out"))"
    return
  fi
  lines=$(grep -E ": kaffee [0-9]" <<<"$out")
  while IFS= read -r line; do
    echo "[$1, load $(load), machine $fingerprint] $line"
  done <<<"$lines"
  last="$lines"
}

# every figure of the table under one condition; remembers LeNet's time for the busy/idle factor
table() {
  figure "$1" lenet_time
  lenet_ms=$(sed -nE 's/.*cold.*kaffee ([0-9.]+) ms.*/\1/p' <<<"$last")
  figure "$1" lenet_train
  figure "$1" googlenet_time
  figure "$1" caffenet_time
  figure "$1" caffenet_train_step
  figure "$1" startup
  figure "$1" lenet_memory
}

table idle
idle_ms=$lenet_ms
figure idle main_job
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
