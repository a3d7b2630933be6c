# Shared by the benchmark scripts: repository root, the launcher, PyTorch on demand.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAFFEE="${KAFFEE:-$ROOT/tools/kaffee}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"

# BENCH_ISA=avx2 runs both sides with AVX2's kernels on a machine that has AVX-512, the nearest
# this machine comes to the AVX2-only machines of its kind: both oneDNN copies capped, OpenBLAS's
# Haswell kernels, PyTorch's own kernels at AVX2, and Java's compiled loops at AVX2. Clock, caches
# and memory stay this machine's, so it stands for an AVX2 machine's kernels, not for its speed.
if [[ ${BENCH_ISA:-} == avx2 ]]; then
  export ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2 OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2
  export KAFFEE_JAVA_OPTS="${KAFFEE_JAVA_OPTS:+$KAFFEE_JAVA_OPTS }-XX:UseAVX=2"
elif [[ -n ${BENCH_ISA:-} ]]; then
  echo "BENCH_ISA: only avx2 (or unset, the machine's own ISA)" >&2
  exit 2
fi

need_torch() {
  if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
    echo "installing python3-torch (Debian) for the reference timings..." >&2
    if [[ $(id -u) == 0 ]]; then
      apt-get update -qq >&2 && apt-get install -y -qq python3-torch >&2
    else
      sudo apt-get install -y -qq python3-torch >&2
    fi
  fi
}

# PyTorch at its best: `best` runs the command under each thread configuration and reports the
# fastest (bench/pytorch_reference.py). OpenBLAS's tuning variables, which some machines set for
# other work, are unset together for this command only, unless BENCH_ISA chose the kernels.
pytorch() {
  need_torch
  local unset=(-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
  [[ -n ${BENCH_ISA:-} ]] && unset=()
  env "${unset[@]}" /usr/bin/python3 "$ROOT/bench/pytorch_reference.py" best "$@"
}

# The figure of a `pytorch` line: the number before its unit (ms, s, images/s).
pytorch_figure() {
  sed -nE 's/^pytorch [^:]*: ([0-9.]+) .*/\1/p' <<<"$1" | tail -1
}

# The configuration a `pytorch` line names as the fastest.
pytorch_config() {
  sed -nE 's/.*\(best of [0-9]+: ([^;)]+).*/\1/p' <<<"$1" | tail -1
}

# The number before " ms." on the line of `kaffee time` that starts with $2.
kaffee_ms() {
  grep -F "$2" <<<"$1" | tail -1 | sed -E 's/.*: ([0-9.eE+-]+) ms\..*/\1/'
}

# The mean of the last $2 per-iteration times ("Iteration: N forward-backward time: X ms.") in
# kaffee time's output $1: the passes after a warm-up of the others. A deploy net's backward does
# nothing (0.01 ms), so its per-iteration time is its forward's.
kaffee_last_ms() {
  grep -oE "forward-backward time: [0-9.eE+-]+" <<<"$1" | tail -n "$2" | awk '{ s += $3 } END { printf "%.2f", s / NR }'
}

# Prints a timing script's two lines: cold, the first passes after one untimed pass as Caffe's
# `time` runs them, Java's just-in-time compilers still compiling on the same cores; warm, the same
# number of passes after WARMUP more untimed ones on both sides.
#   time_pair WHAT NET MODEL ITERATIONS WARMUP TARGET [KAFFEE_FLAG]
time_pair() {
  local what=$1 net=$2 model=$3 n=$4 warm=$5 target=$6 flags=("${@:7}")
  time_row cold 0
  time_row warm "$warm"
}

# One line of time_pair (whose locals it reads): N passes after 1 + EXTRA untimed ones, both sides.
#   time_row LABEL EXTRA
time_row() {
  local out k line p
  out=$("$KAFFEE" time --model="$model" --iterations="$(($2 + n))" "${flags[@]}" 2>&1)
  k=$(kaffee_last_ms "$out" "$n")
  line=$(pytorch time "$net" --iterations "$n" --warmup "$(($2 + 1))")
  p=$(pytorch_figure "$line")
  echo "$what, $1 ($n passes after $(($2 + 1))): kaffee $k ms, pytorch $p ms ($(pytorch_config "$line")), ratio $(ratio "$k" "$p") (target $target)"
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

# Every bench script prints the machine's fingerprint beside its figures, once per run
# (bench/run_all.sh prints it at the top and its scripts inherit the flag).
if [[ $(basename "$0") != fingerprint.sh && -z ${BENCH_FINGERPRINT_SHOWN:-} ]]; then
  bash "$ROOT/bench/fingerprint.sh"
  export BENCH_FINGERPRINT_SHOWN=1
fi
