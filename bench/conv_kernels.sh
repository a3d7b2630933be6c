#!/usr/bin/env bash
# LeNet's oneDNN primitives, Kaffee's against PyTorch's, from each one's oneDNN verbose log in the
# same run: the mean milliseconds of every primitive (its implementation and problem) over 100
# training iterations. Kaffee runs each batch half (32 images) on one thread; PyTorch runs a batch
# of 32 on one thread, so the two columns time the same work. The machine's ISA decides the
# kernels (BENCH_ISA=avx2 caps both), so each table belongs to its fingerprint.
#   bash bench/conv_kernels.sh
source "$(dirname "$0")/common.sh"
need_torch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ONEDNN_VERBOSE=1 "$KAFFEE" time --model="$ROOT/models/lenet/lenet_time.prototxt" --iterations=100 > "$tmp/kaffee.log" 2>&1
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 BENCH_TORCH_THREADS=1 ONEDNN_VERBOSE=1 DNNL_VERBOSE=1 \
  /usr/bin/python3 "$ROOT/bench/pytorch_reference.py" lenet-steps --batch 32 --iterations 101 > "$tmp/torch.log" 2>&1
# "who ms count primitive implementation pass problem" per primitive that ran more than twice
table() {
  grep -E '^(onednn|dnnl)_verbose,exec,cpu' "$2" | awk -F, -v who="$1" '
    { problem = $(NF - 1); sub(/^g1/, "", problem)  # ungrouped, whether described with groups or not
      key = $4 " " $5 " " $6 " " problem; t[key] += $NF; c[key]++ }
    END { for (k in t) if (c[k] > 2) printf "%s %.3f %d %s\n", who, t[k] / c[k], c[k], k }'
}
echo "oneDNN primitives of LeNet's training, per 32 images on one thread (mean ms per call):"
printf '%-8s %8s %6s  %-12s %-20s %-17s %s\n' side ms calls primitive implementation pass problem
{ table kaffee "$tmp/kaffee.log"; table pytorch "$tmp/torch.log"; } | sort -k4,4 -k6,6 -k7,7 -k1,1 \
  | awk '{ printf "%-8s %8s %6s  %-12s %-20s %-17s %s\n", $1, $2, $3, $4, $5, $6, $7 }'
grep -m1 -oE 'oneDNN v[0-9.]+' "$tmp/kaffee.log" | sed 's/^/kaffee: /'
grep -m1 -oE 'oneDNN v[0-9.]+' "$tmp/torch.log" | sed 's/^/pytorch: /'
