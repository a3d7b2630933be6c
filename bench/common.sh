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

pytorch() {
  need_torch
  /usr/bin/python3 "$ROOT/bench/pytorch_reference.py" "$@"
}

# The number before " ms." on the line of `kaffee time` that starts with $2.
kaffee_ms() {
  grep -F "$2" <<<"$1" | tail -1 | sed -E 's/.*: ([0-9.eE+-]+) ms\..*/\1/'
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}
