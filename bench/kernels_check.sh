#!/usr/bin/env bash
# Fails when a oneDNN primitive on a training or inference path is a reference implementation
# (`ref:...`, `simple_*`): a fallback that costs 5-10x on some machines while the figures of
# others look fine. Runs LeNet (a few training iterations with a test, and `kaffee time`),
# CaffeNet and GoogLeNet (`kaffee time`) with both oneDNN copies' verbose logs on: JavaCPP's
# dnnl preset (oneDNN 2.5, ONEDNN_* variables, lines `onednn_verbose`) and the one built into
# ND4J's native library (oneDNN 2.3, DNNL_* variables, lines `dnnl_verbose`). Prints one table
# per ISA: primitive, implementation, propagation, how many runs, which nets.
# Each net runs at the machine's own ISA and again capped at AVX2 (the *_MAX_CPU_ISA variables),
# the ISA of this machine kind's AVX2-only members, where oneDNN's choices differ (MAX pooling
# on plain nchw has a JIT kernel on AVX-512 and only the reference loop on AVX2).
# Independent of the machine's speed: run it anywhere, busy or not.
#   bash bench/kernels_check.sh              (ISAS="native avx2" by default)
#   ISAS=avx2 bash bench/kernels_check.sh
source "$(dirname "$0")/common.sh"
cd "$ROOT"
bash data/get_fashion_mnist.sh >/dev/null
"$KAFFEE" --help >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e 's/^max_iter:.*/max_iter: 4/' -e 's/^display:.*/display: 1/' -e 's/^test_interval:.*/test_interval: 2/' \
    -e 's/^test_iter:.*/test_iter: 2/' -e 's/^snapshot:.*/snapshot: 0/' \
    -e "s#^snapshot_prefix:.*#snapshot_prefix: \"$tmp/s\"#" solvers/lenet_solver.prototxt > "$tmp/solver.prototxt"

# run NAME ISA COMMAND...: the command's verbose exec lines as "net,library,primitive,impl,prop".
run() {
  local name=$1 isa=$2
  shift 2
  local caps=()
  if [[ $isa != native ]]; then
    caps=(ONEDNN_MAX_CPU_ISA="${isa^^}" DNNL_MAX_CPU_ISA="${isa^^}")
  fi
  env "${caps[@]}" ONEDNN_VERBOSE=1 DNNL_VERBOSE=1 "$@" > "$tmp/$name.log" 2>&1 \
    || { echo "kernels_check: $name failed at ISA $isa:" >&2; tail -5 "$tmp/$name.log" >&2; exit 1; }
  grep -q -E '^(onednn|dnnl)_verbose,exec,' "$tmp/$name.log" \
    || { echo "kernels_check: $name printed no oneDNN verbose line at ISA $isa" >&2; exit 1; }
  awk -F, -v net="$name" '/^(onednn|dnnl)_verbose,exec,cpu,/ {
      lib = $1 == "dnnl_verbose" ? "nd4j-onednn" : "onednn"
      print net "," lib "," $4 "," $5 "," $6 }' "$tmp/$name.log"
  grep -m1 -E '^onednn_verbose,info,cpu,isa:' "$tmp/$name.log" | sed 's/.*isa:/isa: /; s/,*$//' > "$tmp/isa"
}

failed=0
for isa in ${ISAS:-native avx2}; do
  {
    run lenet-train "$isa" "$KAFFEE" train --solver="$tmp/solver.prototxt"
    run lenet-time "$isa" "$KAFFEE" time --model=models/lenet/lenet_time.prototxt --iterations=2
    run caffenet "$isa" "$KAFFEE" time --model=models/deploy/caffenet_deploy.prototxt --iterations=1
    run googlenet "$isa" "$KAFFEE" time --model=models/deploy/googlenet_deploy.prototxt --iterations=1
  } > "$tmp/exec.csv"
  echo "== ISA cap: $isa ($(cat "$tmp/isa"))"
  # one row per library, primitive, implementation and propagation kind; REFERENCE marks a fallback
  awk -F, '{ key = $2 "," $3 "," $4 "," $5; runs[key]++; if (index(nets[key], $1) == 0) nets[key] = nets[key] " " $1 }
    END { for (k in runs) { split(k, f, ","); bad = (f[3] ~ /(^|:)ref/ || f[3] ~ /^simple/) ? "REFERENCE" : "ok"
            printf "%-11s %-12s %-22s %-18s %6d  %-9s%s\n", f[1], f[2], f[3], f[4], runs[k], bad, nets[k] } }' \
    "$tmp/exec.csv" | sort > "$tmp/table"
  printf "%-11s %-12s %-22s %-18s %6s  %-9s%s\n" library primitive implementation propagation runs verdict " nets"
  cat "$tmp/table"
  if grep -q " REFERENCE " "$tmp/table"; then
    failed=1
  fi
done
if [[ $failed == 1 ]]; then
  echo "kernels_check: FAILED: reference implementations above (REFERENCE)"
  exit 1
fi
echo "kernels_check: passed: no reference implementation on any path"
