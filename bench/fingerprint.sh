#!/usr/bin/env bash
# The machine a figure was measured on: CPU, caches, the ISA oneDNN dispatches to, memory,
# kernel, Java and PyTorch, and a short hash of all of it. Two runs with the same hash ran on
# machines of one kind (same processor, same kernels, same libraries); docs/performance.md keeps
# one table per hash. The oneDNN line comes from a one-iteration LeNet run with the verbose log
# on, so it reports what the kernels really use (ONEDNN_MAX_CPU_ISA caps it, and the hash with
# it). The result is kept per boot and ISA cap in target/, because every bench script prints it.
#   bash bench/fingerprint.sh            (the lines, the hash last)
#   bash bench/fingerprint.sh --hash     (the hash alone)
source "$(dirname "$0")/common.sh"

cpu_field() {
  sed -nE "s/^$1[[:space:]]*:[[:space:]]*(.*)$/\1/p" /proc/cpuinfo | head -1
}

# A cache size as getconf reports it (bytes), in KiB or MiB; lscpu's figure when getconf has none.
cache() {
  local bytes
  bytes=$(getconf "$1" 2>/dev/null || true)
  if [[ -n $bytes && $bytes != 0 && $bytes != undefined ]]; then
    awk -v b="$bytes" 'BEGIN { if (b >= 1048576) printf "%g MiB", b / 1048576; else printf "%g KiB", b / 1024 }'
  else
    lscpu 2>/dev/null | sed -nE "s/^$2 cache:[[:space:]]*//p" | head -1
  fi
}

# The ISA lines both oneDNN copies print: JavaCPP's dnnl preset (ONEDNN_*, prefix onednn_verbose)
# and the older one inside ND4J's native library (DNNL_*, prefix dnnl_verbose).
onednn_isa() {
  ONEDNN_VERBOSE=1 DNNL_VERBOSE=1 "$KAFFEE" time --model="$ROOT/models/lenet/lenet_time.prototxt" --iterations=1 2>&1 \
    | awk -F, '/^(onednn|dnnl)_verbose,info,oneDNN v/ { split($3, v, " "); version[$1] = v[2] }
               /^(onednn|dnnl)_verbose,info,cpu,isa:/ { sub(/^isa:/, "", $4); isa[$1] = $4 }
               END { for (p in isa) printf "%s%s %s ISA %s", n++ ? "; " : "", p == "dnnl_verbose" ? "ND4J'"'"'s oneDNN" : "oneDNN", version[p], isa[p]; print "" }'
}

torch_version() {
  /usr/bin/python3 -c "import torch; print(torch.__version__)" 2>/dev/null || echo "not installed"
}

describe() {
  echo "cpu: $(cpu_field 'model name') (family $(cpu_field 'cpu family'), model $(cpu_field model), stepping $(cpu_field stepping)), $(nproc) cores"
  echo "caches: L1d $(cache LEVEL1_DCACHE_SIZE L1d), L2 $(cache LEVEL2_CACHE_SIZE L2), L3 $(cache LEVEL3_CACHE_SIZE L3)"
  echo "onednn: $(onednn_isa)"
  echo "memory: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "pytorch: $(torch_version)"
  [[ -n ${BENCH_ISA:-} ]] && echo "kernels capped: BENCH_ISA=$BENCH_ISA (both oneDNN copies, OpenBLAS, PyTorch and Java at AVX2)"
  return 0
}

torch_package=$(dpkg-query -W -f='${Version}' python3-torch 2>/dev/null || true)
key="$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || hostname)-${ONEDNN_MAX_CPU_ISA:-}-${DNNL_MAX_CPU_ISA:-}-${BENCH_ISA:-}-$torch_package"
cached="$ROOT/target/fingerprint-$(printf '%s' "$key" | sha256sum | cut -c1-12).txt"
if [[ ! -s $cached ]]; then
  mkdir -p "$ROOT/target"
  lines=$(describe)
  # written under a name of its own, then renamed: scripts started together do not clash
  { echo "$lines"; echo "fingerprint: $(printf '%s\n' "$lines" | sha256sum | cut -c1-8)"; } > "$cached.$$"
  mv -f "$cached.$$" "$cached"
fi
if [[ ${1:-} == --hash ]]; then
  sed -n 's/^fingerprint: //p' "$cached"
else
  cat "$cached"
fi
