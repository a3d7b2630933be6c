#!/usr/bin/env bash
# The oneDNN primitives of a net, Kaffee's against PyTorch's, from each one's oneDNN verbose log
# in the same run: the mean milliseconds of every primitive (implementation, pass, problem) and
# the convolutions' sum per pass of the net. Kaffee runs each batch half on one thread, so PyTorch
# runs half a batch on one thread: the two columns time the same work.
#   bash bench/conv_kernels.sh            (LeNet training: 100 iterations of 2 x 32 images)
#   bash bench/conv_kernels.sh caffenet   (CaffeNet forward: 10 iterations of 2 x 5 images)
# The machine's ISA decides the kernels (BENCH_ISA=avx2 caps both sides): a table belongs to its
# fingerprint.
source "$(dirname "$0")/common.sh"
need_torch
net=${1:-lenet}
case $net in
  lenet) model=$ROOT/models/lenet/lenet_time.prototxt half=32 iterations=100 ;;
  caffenet) model=$ROOT/models/deploy/caffenet_deploy.prototxt half=5 iterations=10 ;;
  *) echo "conv_kernels: lenet or caffenet, not $net" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ONEDNN_VERBOSE=1 "$KAFFEE" time --model="$model" --iterations="$iterations" > "$tmp/kaffee.log" 2>&1
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 BENCH_TORCH_THREADS=1 ONEDNN_VERBOSE=1 DNNL_VERBOSE=1 /usr/bin/python3 \
  "$ROOT/bench/pytorch_reference.py" steps "$net" --batch "$half" --iterations "$((iterations + 1))" > "$tmp/torch.log" 2>&1
# "side ms calls primitive implementation pass problem" per primitive run more than twice (the
# set-up's runs left out), and per side the convolutions' milliseconds per batch half and pass
table() {
  grep -E '^(onednn|dnnl)_verbose,exec,cpu' "$2" | awk -F, -v side="$1" -v passes="$3" '
    { problem = $(NF - 1); sub(/^g1/, "", problem)  # ungrouped, whether described with groups or not
      key = $4 " " $5 " " $6 " " problem; t[key] += $NF; c[key]++ }
    END { for (k in t) if (c[k] > 2) { printf "%s %.3f %d %s\n", side, t[k] / c[k], c[k], k
                                        if (k ~ /^convolution /) sum += t[k] }
          printf "%s convolutions, per %s: %.2f ms\n", side, "batch half and pass", sum / passes > "/dev/stderr" }'
}
echo "oneDNN primitives of $net, per $half images on one thread (mean ms per call):"
printf '%-8s %8s %6s  %-12s %-20s %-17s %s\n' side ms calls primitive implementation pass problem
# Kaffee's verbose log counts both halves' calls: 2 x iterations; PyTorch's first pass is set-up
{ table kaffee "$tmp/kaffee.log" "$((2 * (iterations + 1)))" 2>> "$tmp/sums"
  table pytorch "$tmp/torch.log" "$((iterations + 1))" 2>> "$tmp/sums"; } | sort -k4,4 -k6,6 -k7,7 -k1,1 \
  | awk '{ printf "%-8s %8s %6s  %-12s %-20s %-17s %s\n", $1, $2, $3, $4, $5, $6, $7 }'
cat "$tmp/sums"
grep -m1 -oE 'oneDNN v[0-9.]+' "$tmp/kaffee.log" | sed 's/^/kaffee: /'
grep -m1 -oE 'oneDNN v[0-9.]+' "$tmp/torch.log" | sed 's/^/pytorch: /'
