#!/usr/bin/env bash
# Peak resident memory of LeNet training (Fashion-MNIST, Caffe's recipe, ITERS_MEMORY iterations
# with a test at the end) against PyTorch's training of the same net in the same run, both
# measured by GNU time's maximum resident set size (target: Kaffee's <= PyTorch's, ratio <= 1).
source "$(dirname "$0")/common.sh"
cd "$ROOT"
iters="${ITERS_MEMORY:-500}"
bash data/get_fashion_mnist.sh >/dev/null
"$KAFFEE" --help >/dev/null
need_torch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e "s/^max_iter:.*/max_iter: $iters/" -e "s/^test_interval:.*/test_interval: $iters/" -e 's/^snapshot:.*/snapshot: 0/' \
    -e "s#^snapshot_prefix:.*#snapshot_prefix: \"$tmp/s\"#" solvers/lenet_solver.prototxt > "$tmp/solver.prototxt"
/usr/bin/time -f "%M" -o "$tmp/kaffee.rss" "$KAFFEE" train --solver="$tmp/solver.prototxt" 2>/dev/null
# one process, the configuration PyTorch's own defaults give: threads do not change its memory much
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/time -f "%M" -o "$tmp/pytorch.rss" \
  /usr/bin/python3 "$ROOT/bench/pytorch_reference.py" train-lenet data/fashion-mnist --max-iter "$iters" >/dev/null
k=$(awk '{ printf "%.0f", $1 / 1024 }' "$tmp/kaffee.rss")
p=$(awk '{ printf "%.0f", $1 / 1024 }' "$tmp/pytorch.rss")
echo "lenet training peak resident memory ($iters iterations): kaffee $k MiB, pytorch $p MiB, ratio $(ratio "$k" "$p") (target <= 1.0)"
