#!/usr/bin/env bash
# kaffee classify on CaffeNet (models/deploy, the fillers' random weights) against PyTorch doing
# the same work in the same run: decode N 256x256 images, resize to 227x227, subtract the mean,
# forward, top 5. Images per second at batch 1 and 10 (higher is better); the net's loading
# and the JVM start stay outside the timing. N=50 by default.
source "$(dirname "$0")/common.sh"
N="${N:-50}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# N noise images as 24-bit BMP (plain Python: no imaging library needed on either side).
/usr/bin/python3 - "$work/images" "$N" <<'PY'
import os, random, struct, sys
out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
rng = random.Random(1)
w = h = 256
for i in range(n):
    pixels = bytes(rng.getrandbits(8) for _ in range(w * h * 3))
    header = b"BM" + struct.pack("<IHHI", 54 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    with open(os.path.join(out, "img%04d.bmp" % i), "wb") as f:
        f.write(header + info + pixels)
PY
for batch in 1 10; do
  out=$("$KAFFEE" classify --model="$ROOT/models/deploy/caffenet_deploy.prototxt" --mean_value=104,117,123 \
    --batch_size=$batch "$work/images" 2>&1 >/dev/null)
  k=$(grep -F "Classified $N images in" <<<"$out" | sed -E 's/.*\(([0-9.]+) images\/s\).*/\1/')
  line=$(pytorch classify "$work/images" --batch $batch)
  p=$(pytorch_figure "$line")
  echo "classify caffenet batch $batch: kaffee $k images/s, pytorch $p images/s ($(pytorch_config "$line")), ratio $(ratio "$k" "$p") (higher is better)"
done
