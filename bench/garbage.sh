#!/usr/bin/env bash
# Java garbage per LeNet iteration in the steady state: `kaffee time` (batch 64, forward +
# backward) runs SHORT and LONG iterations with a small young generation and -Xlog:gc; the
# bytes allocated between collections (heap before a collection minus heap after the previous
# one), long run minus short run, divided by the extra iterations. Start-up allocations cancel.
#   bash bench/garbage.sh        (SHORT=100, LONG=600)
source "$(dirname "$0")/common.sh"
cd "$ROOT"
short="${SHORT:-100}"
long="${LONG:-600}"
"$KAFFEE" --help >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# allocated ITERATIONS: prints "<young collections> <bytes allocated>" for one run
allocated() {
  KAFFEE_JAVA_OPTS="-Xmn8m -Xlog:gc:file=$tmp/gc.log" "$KAFFEE" time \
    --model="$ROOT/models/lenet/lenet_time.prototxt" --iterations="$1" >/dev/null 2>&1
  # lines like: GC(3) Pause Young (Allocation Failure) 17M->11M(377M) 8.281ms
  sed -nE 's/.*Pause (Young|Full).* ([0-9]+)([KMG])->([0-9]+)([KMG])\(.*/\1 \2 \3 \4 \5/p' "$tmp/gc.log" |
    awk 'function bytes(v, u) { return v * (u == "K" ? 1024 : u == "M" ? 1048576 : 1073741824) }
         { if ($1 == "Young") young++; total += bytes($2, $3) - after; after = bytes($4, $5) }
         END { printf "%d %.0f\n", young, total }'
}

read -r ys bs < <(allocated "$short")
read -r yl bl < <(allocated "$long")
echo "lenet steady state: $(( yl - ys )) young collections over $(( long - short )) iterations," \
  "$(awk -v a="$bl" -v b="$bs" -v n=$(( long - short )) 'BEGIN { printf "%.0f", (a - b) / n / 1024 }') kB allocated per iteration"
