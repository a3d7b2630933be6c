# Shared by the benchmark scripts: repository root, the launcher, PyTorch on demand.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAFFEE="${KAFFEE:-$ROOT/tools/kaffee}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"

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
# other work, are unset together for this command only: its own detection then picks the kernels.
pytorch() {
  need_torch
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$ROOT/bench/pytorch_reference.py" best "$@"
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

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

# Every bench script prints the machine's fingerprint beside its figures, once per run
# (bench/run_all.sh prints it at the top and its scripts inherit the flag).
if [[ $(basename "$0") != fingerprint.sh && -z ${BENCH_FINGERPRINT_SHOWN:-} ]]; then
  bash "$ROOT/bench/fingerprint.sh"
  export BENCH_FINGERPRINT_SHOWN=1
fi
