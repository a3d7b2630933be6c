#!/usr/bin/env bash
# Determinism: the LeNet recipe trained twice with the same random_seed must write byte-identical
# caffemodels (once with intermediate snapshots, once without); a different seed must differ.
#   bash bench/determinism.sh            (ITERS=200 by default; ITERS=10000 runs the whole recipe)
source "$(dirname "$0")/common.sh"
cd "$ROOT"
iters="${ITERS:-200}"
bash data/get_fashion_mnist.sh >/dev/null
"$KAFFEE" --help >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run NAME SEED SNAPSHOT_EVERY: trains into $tmp/NAME, leaves $tmp/NAME_iter_$iters.caffemodel
run() {
  sed -e "s/^random_seed:.*/random_seed: $2/" -e "s/^max_iter:.*/max_iter: $iters/" \
      -e "s/^snapshot:.*/snapshot: $3/" -e "s#^snapshot_prefix:.*#snapshot_prefix: \"$tmp/$1\"#" \
      -e "s/^test_interval:.*/test_interval: $(( iters / 2 ))/" -e "s/^test_iter:.*/test_iter: 10/" \
      solvers/lenet_solver.prototxt > "$tmp/$1.prototxt"
  "$KAFFEE" train --solver="$tmp/$1.prototxt" 2> "$tmp/$1.log" || { tail -3 "$tmp/$1.log"; exit 1; }
}

run a 1 0
run b 1 $(( iters / 2 ))
run c 2 0
model() { echo "$tmp/$1_iter_${iters}.caffemodel"; }
status=0
if cmp -s "$(model a)" "$(model b)"; then
  echo "seed 1 twice ($iters iterations, snapshots off / on): identical caffemodels ($(sha256sum < "$(model a)" | cut -c1-16))"
else
  echo "seed 1 twice ($iters iterations): caffemodels DIFFER"; status=1
fi
if cmp -s "$(model a)" "$(model c)"; then
  echo "seed 1 and seed 2: identical caffemodels, the seed has no effect"; status=1
else
  echo "seed 1 and seed 2: caffemodels differ, as they should"
fi
exit $status
